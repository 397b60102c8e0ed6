"""Lab 09-9 (notes 09-1's exercise; not in the original): MNIST 784-256-256-256-10 sigmoid.

random_normal weights and biases, softmax with the hand-written cross-entropy, gradient descent
at 0.1, 15 epochs of batch 100: test accuracy 0.8887 (notes-09-11); the notes' "MNIST for NN"
panel runs the same program again and ends at cost 0.231251723, accuracy 0.8951. Epoch lines in
the notes' form, ``Epoch: 0001, Cost: 1.613946109``.
"""

import random

from common import cli
from common.figures import NOTES_09_11, Figure
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

LEARNING_RATE = 0.1
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
NB_CLASSES = 10
FIGURES = [
    Figure("lab09-mnist-deep-wide", "MNIST 784-256x3-10 sigmoid", NOTES_09_11, 0.8887, 0.01, seeded=True),
    # the notes' second run of the same program, the "MNIST for NN" panel
    Figure("lab09-mnist-deep-wide", "'MNIST for NN' panel: accuracy", NOTES_09_11, 0.8951, 0.01, seeded=True),
    Figure(
        "lab09-mnist-deep-wide",
        "'MNIST for NN' panel: epoch 15 cost",
        NOTES_09_11,
        0.2313,
        0.03,
        measured="last_cost",
        seeded=True,
    ),
]
REPORTED = {(15, 0.1): FIGURES[0].reported}


def main(argv=None):
    args = cli.build_parser(
        "lab09-mnist-deep-wide",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
    ).parse_args(argv)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # MNIST data image of shape 28 * 28 = 784
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    # 0 - 9 digits recognition = 10 classes
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")

    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_normal([784, 256]), name="weight1")
        b1 = tf.Variable(tf.random_normal([256]), name="bias1")
        layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)

    with tf.name_scope("layer2"):
        W2 = tf.Variable(tf.random_normal([256, 256]), name="weight2")
        b2 = tf.Variable(tf.random_normal([256]), name="bias2")
        layer2 = tf.sigmoid(tf.matmul(layer1, W2) + b2)

    with tf.name_scope("layer3"):
        W3 = tf.Variable(tf.random_normal([256, 256]), name="weight3")
        b3 = tf.Variable(tf.random_normal([256]), name="bias3")
        layer3 = tf.sigmoid(tf.matmul(layer2, W3) + b3)

    with tf.name_scope("softmax"):
        W4 = tf.Variable(tf.random_normal([256, NB_CLASSES]), name="weight4")
        b4 = tf.Variable(tf.random_normal([NB_CLASSES]), name="bias4")
        # Hypothesis (using softmax)
        hypothesis = tf.nn.softmax(tf.matmul(layer3, W4) + b4)

    with tf.name_scope("cost"):
        cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)

    # Test model
    with tf.name_scope("accuracy"):
        is_correct = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
        # Calculate accuracy
        accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy, every weight and bias, each hidden layer's output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
    for variable in tf.trainable_variables():
        histogram(variable.op.name, variable)
    for name, layer in [("layer1", layer1), ("layer2", layer2), ("layer3", layer3)]:
        histogram(f"{name}/output", layer)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, hidden_layers=3, activation="sigmoid")
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = [], 0
        # Training cycle
        for epoch in range(training_epochs):
            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):  # range(total_batch), with a progress bar
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys}
                if global_step % args.summary_every == 0:
                    s, c, a, _ = sess.run([summary, cost, accuracy, train], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a, _ = sess.run([cost, accuracy, train], feed_dict=feed_dict)
                check_cost(c, global_step)  # stops on nan or inf
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch
                global_step += 1
            print(
                "Epoch: {:04d}, Cost: {:.9f}".format(epoch + 1, avg_cost), progress.timing()
            )  # the notes' form
            epoch_costs.append(avg_cost)
            # the 5,000 held-out images, every epoch: the validation curve beside the training one
            val_cost, val_acc = sess.run(
                [cost, accuracy], feed_dict={X: mnist.validation.images, Y: mnist.validation.labels}
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)
        print("Learning finished")

        # Test the model using test sets
        test_accuracy = sess.run(accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels})
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        write_scalar(writer, "final/cost", avg_cost, global_step)

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(tf.argmax(hypothesis, 1), feed_dict={X: mnist.test.images[r : r + 1]})
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
        reported=REPORTED.get((training_epochs, learning_rate)),
        extra={"label": int(label[0]), "prediction": int(prediction[0]), "curves": curves.history},
        figures={"last_cost": epoch_costs[-1]},
    )


if __name__ == "__main__":
    main_guard(main)
