"""Lab 10-5: the deep MNIST network with dropout (hunkim lab-10-5).

Lab 10-4's 784-512-512-512-512-10 with ``tf.nn.dropout`` after every hidden layer: each unit kept
with probability 0.7 in training, all of them (``keep_prob`` 1) in every evaluation. Adam at 1e-3,
15 epochs of batch 100: hunkim reports 0.9804.
"""

import random

from common import cli
from common.figures import HUNKIM, Figure
from common.lab import (
    EpochCurves,
    Progress,
    check_cost,
    finish,
    histogram,
    load_data_sets,
    main_guard,
    session_config,
    show_prediction,
    write_hparams,
    write_scalar,
)
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
NB_CLASSES = 10
KEEP_PROB = 0.7  # in training; 1 at test
FIGURES = [Figure("lab10-mnist-dropout", "MNIST deep + dropout 0.7", HUNKIM, 0.9804, 0.01, seeded=True)]


def parse_args(argv):
    return cli.build_parser(
        "lab10-mnist-dropout",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
    ).parse_args(argv)


def documented(args):
    """The lecture's settings, whose figure the run can be held against."""
    return (args.epochs, args.learning_rate, args.train_images) == (TRAINING_EPOCHS, LEARNING_RATE, None)


def main(argv=None):
    args = parse_args(argv)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")
    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    with tf.variable_scope("layer1"):
        W1 = tf.get_variable("weight", shape=[784, 512], initializer=tf.glorot_uniform_initializer())
        b1 = tf.Variable(tf.random_normal([512]), name="bias")
        L1 = tf.nn.relu(tf.matmul(X, W1) + b1)
        L1 = tf.nn.dropout(L1, rate=1 - keep_prob)
    with tf.variable_scope("layer2"):
        W2 = tf.get_variable("weight", shape=[512, 512], initializer=tf.glorot_uniform_initializer())
        b2 = tf.Variable(tf.random_normal([512]), name="bias")
        L2 = tf.nn.relu(tf.matmul(L1, W2) + b2)
        L2 = tf.nn.dropout(L2, rate=1 - keep_prob)
    with tf.variable_scope("layer3"):
        W3 = tf.get_variable("weight", shape=[512, 512], initializer=tf.glorot_uniform_initializer())
        b3 = tf.Variable(tf.random_normal([512]), name="bias")
        L3 = tf.nn.relu(tf.matmul(L2, W3) + b3)
        L3 = tf.nn.dropout(L3, rate=1 - keep_prob)
    with tf.variable_scope("layer4"):
        W4 = tf.get_variable("weight", shape=[512, 512], initializer=tf.glorot_uniform_initializer())
        b4 = tf.Variable(tf.random_normal([512]), name="bias")
        L4 = tf.nn.relu(tf.matmul(L3, W4) + b4)
        L4 = tf.nn.dropout(L4, rate=1 - keep_prob)
    with tf.variable_scope("logits"):
        W5 = tf.get_variable("weight", shape=[512, NB_CLASSES], initializer=tf.glorot_uniform_initializer())
        b5 = tf.Variable(tf.random_normal([NB_CLASSES]), name="bias")
        hypothesis = tf.matmul(L4, W5) + b5

    # define cost/loss & optimizer
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=hypothesis, labels=Y))
    with tf.name_scope("train"):
        optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    # Test model
    with tf.name_scope("accuracy"):
        is_correct = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
        # Calculate accuracy
        accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy, every weight and bias, each layer's ReLU output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
    for variable in tf.trainable_variables():
        histogram(variable.op.name, variable)
    for i, relu in enumerate([L1, L2, L3, L4], start=1):
        histogram(f"layer{i}/relu", relu)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, hidden_layers=4, init="xavier", optimizer="adam", keep_prob=KEEP_PROB)
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = [], 0
        # train my model
        for epoch in range(training_epochs):
            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):  # range(total_batch), with a progress bar
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys, keep_prob: KEEP_PROB}
                if global_step % args.summary_every == 0:
                    s, c, a, _ = sess.run([summary, cost, accuracy, optimizer], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a, _ = sess.run([cost, accuracy, optimizer], feed_dict=feed_dict)
                check_cost(c, global_step)  # stops on nan or inf
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch
                global_step += 1
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            # the 5,000 held-out images, every epoch: the validation curve beside the training one
            val_cost, val_acc = sess.run(
                [cost, accuracy],
                feed_dict={X: mnist.validation.images, Y: mnist.validation.labels, keep_prob: 1},
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)
        print("Learning finished")

        # Test model and check accuracy
        test_accuracy = sess.run(
            accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels, keep_prob: 1}
        )
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        write_scalar(writer, "final/cost", avg_cost, global_step)

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(
            tf.argmax(hypothesis, 1), feed_dict={X: mnist.test.images[r : r + 1], keep_prob: 1}
        )
        print("Label:", label)
        print("Prediction:", prediction)
        show_prediction(
            writer, run_dir, mnist.test.images[r], label[0], prediction[0], global_step, show=args.show
        )
        writer.close()
        curves.close()

    return finish(
        args,
        run_dir,
        accuracy=test_accuracy,
        epoch_costs=epoch_costs,
        progress=progress,
        reported=FIGURES[0].reported if documented(args) else None,
        extra={"label": int(label[0]), "prediction": int(prediction[0]), "curves": curves.history},
    )


if __name__ == "__main__":
    main_guard(main)
