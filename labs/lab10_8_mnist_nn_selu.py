"""Lab 10-8: SELU on the deep MNIST net, finished (hunkim lab-10-8, marked "wip").

The original swaps lab 10-5's ReLU for SELU (Klambauer et al. 2017, "Self-Normalizing Neural
Networks") and its dropout for the paper's alpha dropout, but leaves it unfinished: the weights
are still Xavier's and the biases random_normal, where SELU's self-normalization assumes LeCun's
(variance 1/fan_in) and no offset; alpha dropout is never on (its ``training`` argument keeps its
default, False, so the keep_prob it is fed does nothing); 50 epochs are set, and the output under
the code is lab 10-5's, 15 epochs and 0.9804, copied. It reports nothing of its own.

This lab makes it what SELU needs and sets it beside the ReLU net it came from. Two nets,
784-512-512-512-512-10, Adam at 1e-3, 15 epochs of batch 100 (the copied output's length), on the
same batches, as the sibling runs ``selu`` and ``relu``:

- ``selu``: ``tf.nn.selu`` (the original's own selu, written out), LeCun-normal weights
  (``variance_scaling``, fan_in, truncated normal), zero biases, and alpha dropout written here,
  on in training: a dropped unit takes SELU's floor -1.7581 instead of 0, and an affine map puts
  the mean and variance back to 0 and 1;
- ``relu``: lab 10-5's net, ReLU, Xavier weights, random_normal biases, ``tf.nn.dropout``.

Both keep each unit with the original's probability 0.7 (``--keep-prob``; the paper found rates
of 0.05 to 0.1, keep 0.95 to 0.9, work best with alpha dropout). SELU's fixed point needs inputs
of mean 0 and variance 1, so both nets read the pixels standardized by the training set's mean
and standard deviation.

The paper's point, measured before any training: on 1,000 test images, each hidden layer's
activations (over all units and images) keep a mean near 0 and a variance near 1, inside the
domain of its Theorem 1 (mean within 0.1 of 0, variance between 0.8 and 1.5); ReLU's are not
centred. After training, the two nets' test accuracies side by side: SELU holds if it comes
within one point of ReLU's.
"""

import argparse
import random

from common import cli
from common.figures import HUNKIM, Behaviour, Cases, Figure
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
NB_CLASSES = 10
HIDDEN = [512, 512, 512, 512]
CASES = {"selu": "SELU, LeCun normal, alpha dropout", "relu": "ReLU, Xavier, dropout"}
# SELU's constants (the paper's alpha and lambda)
SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805
CHECK_IMAGES = 1000  # test images whose activations are measured before training
# the paper's Theorem 1: the domain that SELU's layer maps into itself, towards (0, 1)
MEAN_DOMAIN, VARIANCE_DOMAIN = (-0.1, 0.1), (0.8, 1.5)
FIGURES = [
    Figure(
        "lab10-mnist-selu",
        "SELU + LeCun init: hidden activations self-normalized at the start",
        HUNKIM,
        "mean ~0, variance ~1 in every layer",
        measured="self-normalized",
    ),
    Figure(
        "lab10-mnist-selu",
        "SELU + alpha dropout vs ReLU + Xavier + dropout: test accuracy",
        HUNKIM,
        ">= ReLU - 0.01",
        measured="selu as good as relu",
    ),
]


def keep_probability(text):
    value = cli.positive_float(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"{text} is a probability: above 0, at most 1")
    return value


def main(argv=None):
    parser = cli.build_parser(
        "lab10-mnist-selu",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
    )
    parser.add_argument(
        "--keep-prob",
        type=keep_probability,
        default=KEEP_PROB,
        help=f"each hidden unit's probability of being kept in training (default {KEEP_PROB})",
    )
    args = parser.parse_args(argv)
    results = {case: train_and_test(args, case) for case in CASES}

    print(f"\n{'net':<34} {'layer (mean, variance) at the start':<52} {'test accuracy':>13}")
    for case, result in results.items():
        layers = " ".join(f"({m:+.2f}, {v:.2f})" for m, v in result.extra["initial_activations"])
        print(f"{CASES[case]:<34} {layers:<52} {result.accuracy:>13.4f}")
    return Cases(results, figures=measured(results))


def measured(results):
    """What FIGURES reads across the two nets."""
    selu = results["selu"].extra["initial_activations"]
    inside = all(
        MEAN_DOMAIN[0] <= mean <= MEAN_DOMAIN[1] and VARIANCE_DOMAIN[0] <= variance <= VARIANCE_DOMAIN[1]
        for mean, variance in selu
    )
    shown = "; ".join(
        f"{case} " + ", ".join(f"({m:+.2f}, {v:.2f})" for m, v in result.extra["initial_activations"])
        for case, result in results.items()
    )
    selu_accuracy, relu_accuracy = results["selu"].accuracy, results["relu"].accuracy
    return {
        "self-normalized": Behaviour(shown, inside),
        "selu as good as relu": Behaviour(
            f"SELU {selu_accuracy:.4f}, ReLU {relu_accuracy:.4f}", selu_accuracy >= relu_accuracy - 0.01
        ),
    }


def alpha_dropout(x, keep_prob):
    """The paper's alpha dropout: a dropped unit is set to SELU's floor, -scale * alpha, and
    ``a * x + b`` restores mean 0 and variance 1. keep_prob 1 keeps every unit and a = 1, b = 0:
    the identity, so feeding 1 at test switches it off."""
    floor = -SELU_SCALE * SELU_ALPHA
    a = (keep_prob + floor**2 * keep_prob * (1 - keep_prob)) ** -0.5
    b = -a * (1 - keep_prob) * floor
    kept = tf.random_uniform(tf.shape(x)) < keep_prob  # uniform in [0, 1): always kept at 1
    return a * tf.where(kept, x, floor * tf.ones_like(x)) + b


def weight(case, fan_in, fan_out):
    """A layer's weights: LeCun normal for SELU (variance 1 / fan_in, so each unit's input keeps
    the variance of the layer below), Xavier for ReLU."""
    if case == "selu":
        initializer = tf.variance_scaling_initializer(
            scale=1.0, mode="fan_in", distribution="truncated_normal"
        )
    else:
        initializer = tf.glorot_uniform_initializer()
    return tf.get_variable("weight", shape=[fan_in, fan_out], initializer=initializer)


def bias(case, size):
    """No offset for SELU (it would move the mean off 0); lab 10-5's random_normal for ReLU."""
    return tf.Variable(tf.zeros([size]) if case == "selu" else tf.random_normal([size]), name="bias")


def layer(case, inputs, fan_in, fan_out, keep_prob):
    """One hidden layer, the ``case``'s way; returns its activations before and after dropout."""
    W, b = weight(case, fan_in, fan_out), bias(case, fan_out)
    if case == "selu":
        L = tf.nn.selu(tf.matmul(inputs, W) + b)  # scale * (x if x > 0 else alpha * (exp(x) - 1))
        return L, alpha_dropout(L, keep_prob)
    L = tf.nn.relu(tf.matmul(inputs, W) + b)
    return L, tf.nn.dropout(L, rate=1 - keep_prob)


def train_and_test(args, case):
    """The lab's program for one net: ``case`` is "selu" or "relu"."""
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    # read afresh: both nets see the same batches in the same order
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args, case)
    # SELU's fixed point is mean 0, variance 1: the inputs start there too
    pixel_mean, pixel_std = float(mnist.train.images.mean()), float(mnist.train.images.std())

    tf.reset_default_graph()  # a new graph for each net
    tf.set_random_seed(args.seed)  # both nets start from the same draws

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")
    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    with tf.name_scope("standardize"):
        L = (X - pixel_mean) / pixel_std
    activations, widths = [], [784] + HIDDEN
    for i, (fan_in, fan_out) in enumerate(zip(widths, widths[1:]), start=1):
        with tf.variable_scope(f"layer{i}"):
            activation, L = layer(case, L, fan_in, fan_out, keep_prob)
        activations.append(activation)
    with tf.variable_scope("logits"):
        W, b = weight(case, widths[-1], NB_CLASSES), bias(case, NB_CLASSES)
        hypothesis = tf.matmul(L, W) + b

    # define cost/loss & optimizer
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=hypothesis, labels=Y))
    with tf.name_scope("train"):
        optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    # Test model
    with tf.name_scope("accuracy"):
        correct_prediction = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    # each hidden layer's mean and variance over all its units and images: SELU's (0, 1)
    with tf.name_scope("activation_moments"):
        moments = [tf.nn.moments(tf.reshape(a, [-1]), axes=[0]) for a in activations]

    # TensorBoard: cost and accuracy, every weight and bias, each layer's activations
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
    for variable in tf.trainable_variables():
        histogram(variable.op.name, variable)
    for i, activation in enumerate(activations, start=1):
        histogram(f"layer{i}/{case}", activation)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, activation=case, keep_prob=args.keep_prob)
        curves = EpochCurves(run_dir)  # <case>/train and <case>/validation, overlaid
        # initialize
        sess.run(tf.global_variables_initializer())

        print(f"{args.lab} {case}: TensorBoard run {run_dir}")
        check = {X: mnist.test.images[:CHECK_IMAGES], keep_prob: 1}
        initial = [(float(m), float(v)) for m, v in sess.run(moments, feed_dict=check)]
        print(
            "Activations at the start (mean, variance):",
            ", ".join(f"layer{i} ({m:+.3f}, {v:.3f})" for i, (m, v) in enumerate(initial, start=1)),
        )

        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = [], 0
        # train my model
        for epoch in range(training_epochs):
            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):  # range(total_batch), with a progress bar
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys, keep_prob: args.keep_prob}
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
        trained = [(float(m), float(v)) for m, v in sess.run(moments, feed_dict=check)]
        print(
            "Activations after training (mean, variance):",
            ", ".join(f"layer{i} ({m:+.3f}, {v:.3f})" for i, (m, v) in enumerate(trained, start=1)),
        )

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
        extra={
            "initial_activations": initial,
            "trained_activations": trained,
            "pixel_mean_std": [pixel_mean, pixel_std],
            "label": int(label[0]),
            "prediction": int(prediction[0]),
            "curves": curves.history,
        },
    )


if __name__ == "__main__":
    main_guard(main)
