"""Lab 13-1: variable scopes, on lab 10-5's deep MNIST network (hunkim lab-13-1).

Each layer of the 784-512-512-512-512-10 ReLU network is built inside its own
``tf.variable_scope('layer1')`` ... ``('layer5')``, and every weight is made with
``tf.get_variable("W", ...)`` and the Xavier initializer: five variables all called ``W``, told
apart by their scope (``layer1/W``, ..., ``layer5/W``, as the printed ``W1, W5`` show and as
TensorBoard's graph groups them). Dropout keeps each hidden unit with probability 0.7 in
training and all of them (``keep_prob`` 1) at test. Adam at 1e-3, 15 epochs of batch 100:
hunkim reports "Accuracy: 0.9804".

What differs: the biases are named ``b`` (the original leaves them ``Variable``); the epoch's
cost is the mean of the costs each training step computes (the original runs the cost again
after each step, a second forward pass with another dropout mask); the Xavier initializer is
``tf.glorot_uniform_initializer``, which ``tf.contrib.layers.xavier_initializer()`` was.
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

# parameters
LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
KEEP_PROB = 0.7  # in training; 1 at test
FIGURES = [
    Figure("lab13-mnist-scope", "MNIST deep + dropout in variable scopes", HUNKIM, 0.9804, 0.01, seeded=True)
]


def documented(args):
    """The lecture's settings, whose figure the run can be held against."""
    return (args.epochs, args.learning_rate, args.train_images) == (TRAINING_EPOCHS, LEARNING_RATE, None)


def main(argv=None):
    args = cli.build_parser(
        "lab13-mnist-scope",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
    ).parse_args(argv)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    # weights & bias for nn layers: one variable scope per layer, so every weight can be "W"
    with tf.variable_scope("layer1"):
        W1 = tf.get_variable("W", shape=[784, 512], initializer=tf.glorot_uniform_initializer())
        b1 = tf.Variable(tf.random_normal([512]), name="b")
        L1 = tf.nn.relu(tf.matmul(X, W1) + b1)
        L1 = tf.nn.dropout(L1, rate=1 - keep_prob)
    with tf.variable_scope("layer2"):
        W2 = tf.get_variable("W", shape=[512, 512], initializer=tf.glorot_uniform_initializer())
        b2 = tf.Variable(tf.random_normal([512]), name="b")
        L2 = tf.nn.relu(tf.matmul(L1, W2) + b2)
        L2 = tf.nn.dropout(L2, rate=1 - keep_prob)
    with tf.variable_scope("layer3"):
        W3 = tf.get_variable("W", shape=[512, 512], initializer=tf.glorot_uniform_initializer())
        b3 = tf.Variable(tf.random_normal([512]), name="b")
        L3 = tf.nn.relu(tf.matmul(L2, W3) + b3)
        L3 = tf.nn.dropout(L3, rate=1 - keep_prob)
    with tf.variable_scope("layer4"):
        W4 = tf.get_variable("W", shape=[512, 512], initializer=tf.glorot_uniform_initializer())
        b4 = tf.Variable(tf.random_normal([512]), name="b")
        L4 = tf.nn.relu(tf.matmul(L3, W4) + b4)
        L4 = tf.nn.dropout(L4, rate=1 - keep_prob)
    with tf.variable_scope("layer5"):
        W5 = tf.get_variable("W", shape=[512, 10], initializer=tf.glorot_uniform_initializer())
        b5 = tf.Variable(tf.random_normal([10]), name="b")
        hypothesis = tf.matmul(L4, W5) + b5

    print(W1, W5)  # the same name "W", in two scopes

    # define cost/loss & optimizer
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=hypothesis, labels=Y))
    with tf.name_scope("train"):
        optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    # Test model
    with tf.name_scope("accuracy"):
        correct_prediction = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy, and every variable under its scope's name (layer1/W, ...)
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
    for variable in tf.trainable_variables():
        histogram(variable.op.name, variable)
    summary = tf.summary.merge_all()

    # initialize
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, hidden_layers=4, init="xavier", optimizer="adam", keep_prob=KEEP_PROB)
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        sess.run(tf.global_variables_initializer())

        # train my model
        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = [], 0
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
        print("Learning Finished!")

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
