"""Lab 07-4 (notes 07-2): meet MNIST. A softmax classifier, 784 -> 10, with gradient descent.

The lecture (notes-07-08) trains 15 epochs at learning rate 0.1 and reports test accuracy 0.8951;
with learning rate 0.4 and 100 epochs it reports 0.9225.

``--l2 LAMBDA`` adds Lec 07-1's regularization, ``l2reg = 0.001 * tf.reduce_sum(tf.square(W))``
with LAMBDA for 0.001, to the cost (``make lab07-mnist-l2``): "let's not have too big numbers in
the weight". The lecture gives no figure; the weights' L2 norm is printed, and is smaller than
without the penalty at the same seed.
"""

import math
import random

import numpy as np

from common import cli
from common.figures import NOTES_07_08, NOTES_09_11, Behaviour, Figure
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
SOFTMAX = Figure("lab07-mnist", "MNIST softmax, GD 0.1, 15 epochs", NOTES_07_08, 0.8951, 0.01, seeded=True)
LONG = ("--epochs", "100", "--learning-rate", "0.4")
L2 = ("--l2", "0.001")
FIGURES = [
    SOFTMAX,
    Figure(
        "lab07-mnist-long",
        "MNIST softmax, GD 0.4, 100 epochs",
        NOTES_07_08,
        0.9225,
        0.01,
        argv=LONG,
        seeded=True,
    ),
    Figure(
        "lab07-mnist-l2",
        "MNIST softmax + L2 0.001: weights kept small",
        NOTES_07_08,
        "smaller weights",
        measured="weights kept small",
        argv=L2,
    ),
    Figure(
        "lab07-mnist-l2",
        "MNIST softmax + L2 0.001: accuracy kept",
        NOTES_07_08,
        f">= {SOFTMAX.reported} - 0.01",
        measured="accuracy kept",
        argv=L2,
    ),
]
REPORTED = {(15, 0.1): SOFTMAX.reported, (100, 0.4): FIGURES[1].reported}


def main(argv=None):
    parser = cli.build_parser(
        "lab07-mnist", __doc__, epochs=TRAINING_EPOCHS, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE
    )
    parser.add_argument(
        "--l2",
        type=float,
        default=0.0,
        metavar="LAMBDA",
        help="L2 regularization: cost + LAMBDA * sum(W**2) (default 0: off)",
    )
    parser.add_argument(
        "--epoch-line",
        choices=[NOTES_07_08, NOTES_09_11],
        default=NOTES_07_08,
        help="whose epoch line to print: notes-07-08's 'Epoch: 0001 cost = ...' or notes-09-11's "
        "'Epoch: 0001, Cost: ...' (default notes-07-08)",
    )
    args = parser.parse_args(argv)
    if not (math.isfinite(args.l2) and args.l2 >= 0):
        parser.error(f"argument --l2: {args.l2} must be a finite number, 0 or more")
    if args.l2:  # its own TensorBoard folder, beside lab07-mnist's runs
        args = cli.with_settings(args, lab="lab07-mnist-l2")
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # MNIST data image of shape 28 * 28 = 784
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    # 0 - 9 digits recognition = 10 classes
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")

    with tf.name_scope("softmax"):
        W = tf.Variable(tf.random_normal([784, NB_CLASSES]), name="weight")
        b = tf.Variable(tf.random_normal([NB_CLASSES]), name="bias")
        # Hypothesis (using softmax)
        hypothesis = tf.nn.softmax(tf.matmul(X, W) + b)

    with tf.name_scope("cost"):
        cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
        if args.l2:
            # Lec 07-1: let's not have too big numbers in the weight
            l2reg = args.l2 * tf.reduce_sum(tf.square(W))
            cost = cost + l2reg
    with tf.name_scope("train"):
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)

    # Test model
    with tf.name_scope("accuracy"):
        is_correct = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
        # Calculate accuracy
        accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy as scalars, the weights and the output as histograms
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        if args.l2:
            tf.summary.scalar("l2reg", l2reg)  # the penalty's share of the cost
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
        histogram("softmax/hypothesis", hypothesis)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, l2=args.l2)
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
                    s, c, a, _ = sess.run([summary, cost, accuracy, optimizer], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a, _ = sess.run([cost, accuracy, optimizer], feed_dict=feed_dict)
                check_cost(c, global_step)  # stops on nan or inf
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch
                global_step += 1
            if args.epoch_line == NOTES_09_11:  # the lecture 09-11 notes' panel of the same program
                print("Epoch: {:04d}, Cost: {:.9f}".format(epoch + 1, avg_cost), progress.timing())
            else:
                print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
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
        # what the L2 penalty keeps small: compare a run with --l2 to one without
        weight_norm = float(np.linalg.norm(sess.run(W)))
        print(f"L2 norm of W: {weight_norm:.4f}")

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
        # the lecture gives no figure for the regularized run
        reported=None if args.l2 else REPORTED.get((training_epochs, learning_rate)),
        extra={
            "label": int(label[0]),
            "prediction": int(prediction[0]),
            "weight_l2_norm": weight_norm,
            "curves": curves.history,
        },
        figures={
            # a 784 x 10 random_normal start has norm sqrt(7840) = 88.5
            "weights kept small": Behaviour(
                f"|W| {weight_norm:.1f} (start ~88.5)", weight_norm < 0.5 * (784 * 10) ** 0.5
            ),
            "accuracy kept": Behaviour(f"{test_accuracy:.4f}", test_accuracy >= SOFTMAX.reported - 0.01),
        },
    )


if __name__ == "__main__":
    main_guard(main)
