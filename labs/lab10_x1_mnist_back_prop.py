"""Lab 10-X1: back-propagation written by hand for a 784-30-10 sigmoid net on MNIST (hunkim
lab-10-X1, after Aloni's "Back propagation with TensorFlow").

Weights and biases from ``truncated_normal``, sigmoid on both layers, the squared error
0.5 * sum((y_pred - Y)^2). The chain rule, layer by layer, gives its gradients; ``tf.assign``
applies them at learning rate 0.5, the weights with the gradient summed over the batch and the
biases with its mean, as the original does: 10,000 steps of 10 images. Every 1,000 steps it
prints how many of the first 1,000 test images the net gets right.

The original prints no result (no output under its code), so its rows are behaviours: the
hand-written gradients equal ``tf.gradients`` of the same squared error, and the net learns:
the count right rises, and the trained net gets more than half of the 10,000 test images right
(chance is a tenth).

The original ends by building a ``GradientDescentOptimizer`` on the squared error that it never
runs; here TensorFlow's gradients are computed at every step beside the hand-written ones, and
the largest gap is reported. The update waits for every gradient, so no assign can change a
weight that a gradient of the same step still reads.
"""

import io
import time

import numpy as np

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.files import atomic_write
from common.lab import (
    check_cost,
    finish,
    histogram,
    load_data_sets,
    main_guard,
    session_config,
    write_hparams,
    write_scalar,
)
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.5
STEPS = 10000
BATCH_SIZE = 10
HIDDEN = 30
PRINT_EVERY = 1000
CHECK_IMAGES = 1000  # the first test images, counted every PRINT_EVERY steps
FIGURES = [
    Figure(
        "lab10-mnist-backprop",
        "MNIST 784-30-10 back-prop by hand = tf.gradients",
        HUNKIM,
        "gradients agree",
        measured="agree",
    ),
    Figure(
        "lab10-mnist-backprop",
        "MNIST 784-30-10 by hand learns",
        HUNKIM,
        "the count right of 1,000 rises",
        measured="learns",
    ),
]


def sigma(x):
    # sigmoid function
    return 1.0 / (1.0 + tf.exp(-x))


def sigma_prime(x):
    # derivative of the sigmoid function
    return sigma(x) * (1 - sigma(x))


def main(argv=None):
    args = cli.build_parser(
        "lab10-mnist-backprop",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        summary_every=100,
        steps_help="training steps, one batch each",
        learning_rate_help=f"the hand-written update's learning rate (default {LEARNING_RATE})",
        figures=False,
    ).parse_args(argv)
    learning_rate, batch_size = args.learning_rate, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")

    with tf.name_scope("model"):
        w1 = tf.Variable(tf.truncated_normal([784, HIDDEN]), name="w1")
        b1 = tf.Variable(tf.truncated_normal([1, HIDDEN]), name="b1")
        w2 = tf.Variable(tf.truncated_normal([HIDDEN, 10]), name="w2")
        b2 = tf.Variable(tf.truncated_normal([1, 10]), name="b2")

        # Forward prop
        l1 = tf.matmul(X, w1) + b1
        a1 = sigma(l1)
        l2 = tf.matmul(a1, w2) + b2
        y_pred = sigma(l2)

    with tf.name_scope("back_prop"):
        # diff: d(0.5 * sum((y_pred - Y)^2)) / d y_pred
        assert y_pred.shape.as_list() == Y.shape.as_list()
        diff = y_pred - Y

        # Back prop (chain rule), from the output layer to the input layer
        d_l2 = diff * sigma_prime(l2)
        d_b2 = d_l2
        d_w2 = tf.matmul(tf.transpose(a1), d_l2)

        d_a1 = tf.matmul(d_l2, tf.transpose(w2))
        d_l1 = d_a1 * sigma_prime(l1)
        d_b1 = d_l1
        d_w1 = tf.matmul(tf.transpose(X), d_l1)

    with tf.name_scope("compare"):
        # TensorFlow's gradients of the same squared error; a bias's gradient is summed over the
        # batch, the hand-written d_b is per image
        cost = 0.5 * tf.reduce_sum(tf.square(diff))
        auto_w1, auto_b1, auto_w2, auto_b2 = tf.gradients(cost, [w1, b1, w2, b2])
        gaps = [
            tf.reduce_max(tf.abs(mine - theirs))
            for mine, theirs in [
                (d_w1, auto_w1),
                (tf.reduce_sum(d_b1, axis=0, keepdims=True), auto_b1),
                (d_w2, auto_w2),
                (tf.reduce_sum(d_b2, axis=0, keepdims=True), auto_b2),
            ]
        ]
        gradient_gap = tf.reduce_max(gaps)

    # Updating network using gradients, once all of them (and the gap) are computed
    with tf.name_scope("update"), tf.control_dependencies([d_w1, d_b1, d_w2, d_b2, gradient_gap, cost]):
        step = [
            tf.assign(w1, w1 - learning_rate * d_w1),
            tf.assign(b1, b1 - learning_rate * tf.reduce_mean(d_b1, axis=0)),
            tf.assign(w2, w2 - learning_rate * d_w2),
            tf.assign(b2, b2 - learning_rate * tf.reduce_mean(d_b2, axis=0)),
        ]

    # Running and testing the training process: how many images the net gets right
    with tf.name_scope("accuracy"):
        acct_mat = tf.equal(tf.argmax(y_pred, 1), tf.argmax(Y, 1))
        acct_res = tf.reduce_sum(tf.cast(acct_mat, tf.float32))
        accuracy = tf.reduce_mean(tf.cast(acct_mat, tf.float32), name="accuracy")

    # TensorBoard: the batch's cost and the gap, the weights and the hidden layer
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("gradient_gap", gradient_gap)
    for variable in (w1, b1, w2, b2):
        histogram(variable.op.name, variable)
    histogram("model/a1", a1)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, net="784-30-10", gradients="by hand")
        sess.run(tf.global_variables_initializer())

        check = {X: mnist.test.images[:CHECK_IMAGES], Y: mnist.test.labels[:CHECK_IMAGES]}
        costs, counts, largest_gap = [], [], 0.0
        start = time.perf_counter()
        for i in range(args.steps):
            batch_xs, batch_ys = mnist.train.next_batch(batch_size)
            feed_dict = {X: batch_xs, Y: batch_ys}
            # the gap and the cost are those of the weights before this step's update
            if i % args.summary_every == 0:  # its own run: the histograms see the weights before the step
                writer.add_summary(sess.run(summary, feed_dict=feed_dict), global_step=i)
            c, gap, _ = sess.run([cost, gradient_gap, step], feed_dict=feed_dict)
            check_cost(c, i)  # stops on nan or inf
            largest_gap = max(largest_gap, float(gap))
            costs.append(float(c))
            if i % PRINT_EVERY == 0:
                res = sess.run(acct_res, feed_dict=check)
                print(res)
                counts.append(int(res))
                write_scalar(writer, "accuracy/right_of_1000", res, i)
        seconds = time.perf_counter() - start

        test_accuracy = sess.run(accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels})
        print(f"Accuracy: {test_accuracy:.4f}")
        print(f"largest gap between the hand-written and TensorFlow's gradients: {largest_gap:.3g}")
        write_scalar(writer, "test/accuracy", test_accuracy, args.steps)
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        # the trained net, beside the run's other files, for anyone to score it again
        weights_file = run_dir / "weights.npz"
        packed = io.BytesIO()
        np.savez(packed, **dict(zip(("w1", "b1", "w2", "b2"), sess.run([w1, b1, w2, b2]))))
        atomic_write(weights_file, packed.getvalue())  # never a half-written file
        writer.close()

    # the cost per image, averaged over each PRINT_EVERY steps
    block_costs = [
        float(np.mean(costs[j : j + PRINT_EVERY])) / batch_size for j in range(0, len(costs), PRINT_EVERY)
    ]
    return finish(
        args,
        run_dir,
        accuracy=test_accuracy,
        epoch_costs=block_costs,
        seconds=seconds,
        extra={
            "counts": counts,
            "gradient_gap": largest_gap,
            "weights_file": str(weights_file),
        },
        figures={
            "agree": Behaviour(f"largest gap {largest_gap:.1e}", largest_gap < 1e-4),
            "learns": Behaviour(
                f"right of 1,000: {counts[0]} -> {counts[-1]}; test accuracy {test_accuracy:.4f}",
                len(counts) > 1 and counts[-1] > counts[0] and test_accuracy > 0.5,
            ),
        },
    )


if __name__ == "__main__":
    main_guard(main)
