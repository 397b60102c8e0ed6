"""Lab 10-10 (notes 10-2; not in the original): random_normal, Xavier and He weights compared.

Lab 10's 784-256-256-256-10 ReLU net (notes-09-11's settings: Adam 0.01, 15 epochs of batch 100,
random_normal biases, ``softmax_cross_entropy_with_logits``), trained three times, once per way
of setting the first weights:

- ``normal``: ``tf.random_normal``, standard deviation 1 whatever the layer's size (notes-09-11's
  "MNIST for ReLU": 0.955, and an epoch-1 cost of 414);
- ``xavier``: ``tf.contrib.layers.xavier_initializer()``, which is the uniform form, today
  ``glorot_uniform`` (notes-09-11's "MNIST for Xavier": 0.971, "finds it right from the start");
- ``he``: the lecture's ``W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in / 2)``, written
  as ``tf.random_normal(..., stddev=sqrt(2 / fan_in))``: the same normal distribution. TF's
  ``he_normal()`` would be another one (a truncated normal, cut at two standard deviations);
  and with the scale passed as ``stddev`` the graph has the same ops as in ``normal``, so He's
  weights are the ``normal`` run's draws times sqrt(2 / fan_in): the two runs differ only in
  the scale. The notes give no figure for He.

Each run's initial cost is the cost on the 5,000 validation images before the first step
(the same images for every run, and not a 100-image batch's noise). A net that starts out
knowing nothing gives every digit about 1/10, a cost near ln(10) = 2.303. Xavier and He start
near it (about 1 above: the random_normal biases, standard deviation 1, spread the logits too);
random_normal's weights blow the ReLU activations up layer by layer, and its cost starts in the
thousands.

The three nets train on the same batches, as sibling TensorBoard runs ``normal``, ``xavier`` and
``he``.
"""

import math
import random

import numpy as np

from common import cli
from common.figures import NOTES_09_11, Behaviour, Cases, Figure
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
from labs.lab10_2_mnist_nn import FIGURE_OF as RELU
from labs.lab10_3_mnist_nn_xavier import FIGURE_OF as XAVIER

LEARNING_RATE = 0.01
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
NB_CLASSES = 10
HIDDEN = [256, 256, 256]
CASES = {"normal": "random_normal", "xavier": "Xavier (glorot_uniform)", "he": "He"}
# the notes give lab 10's ReLU net's two figures, one per initializer, and none for He
REPORTED = {
    "normal": RELU[NOTES_09_11].reported,
    "xavier": XAVIER[NOTES_09_11].reported,
    "he": None,
}
FIGURES = [
    Figure(
        "lab10-mnist-init",
        "initial cost: random_normal huge, Xavier/He near ln(10)",
        NOTES_09_11,
        "huge vs ~ln(10) = 2.30",
        measured="initial costs",
    ),
    Figure(
        "lab10-mnist-init",
        "random_normal weights",
        NOTES_09_11,
        REPORTED["normal"],
        0.01,
        "normal/accuracy",
        seeded=True,
    ),
    Figure(
        "lab10-mnist-init",
        "Xavier (glorot_uniform) weights",
        NOTES_09_11,
        REPORTED["xavier"],
        0.01,
        "xavier/accuracy",
        seeded=True,
    ),
    Figure(
        "lab10-mnist-init",
        "He weights: as good as Xavier (no figure)",
        NOTES_09_11,
        ">= Xavier - 0.01",
        measured="he as good as xavier",
    ),
]


def main(argv=None):
    args = cli.build_parser(
        "lab10-mnist-init",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
    ).parse_args(argv)
    documented = (args.epochs, args.learning_rate, args.batch_size, args.train_images) == (
        TRAINING_EPOCHS,
        LEARNING_RATE,
        BATCH_SIZE,
        None,
    )
    results = {case: train_and_test(args, case, REPORTED[case] if documented else None) for case in CASES}

    print(f"\n{'weights':<24} {'W1 std':>7} {'initial cost':>13} {'test accuracy':>14} {'reported':>9}")
    for case, result in results.items():
        reported = result.extra["reported"]
        print(
            f"{CASES[case]:<24} {result.extra['initial_weight_std'][0]:>7.4f} "
            f"{result.extra['initial_cost']:>13.4f} {result.accuracy:>14.4f} "
            f"{'-' if reported is None else reported:>9}"
        )
    print(f"ln(10) = {math.log(10):.4f}: the cost of giving each of the 10 digits 1/10")
    return Cases(results, figures=measured(results))


def measured(results):
    """What FIGURES reads across the three starts."""
    start = {case: result.extra["initial_cost"] for case, result in results.items()}
    near_ln10 = all(0.9 * math.log(10) < start[case] < 2 * math.log(10) for case in ("xavier", "he"))
    huge = start["normal"] > 100 * max(start["xavier"], start["he"])
    he, xavier = results["he"].accuracy, results["xavier"].accuracy
    return {
        "initial costs": Behaviour(
            ", ".join(f"{case} {cost:.4g}" for case, cost in start.items()), huge and near_ln10
        ),
        "he as good as xavier": Behaviour(f"He {he:.4f}, Xavier {xavier:.4f}", he >= xavier - 0.01),
    }


def weight(case, fan_in, fan_out):
    """A layer's weights, set the ``case``'s way."""
    if case == "xavier":
        return tf.get_variable("weight", shape=[fan_in, fan_out], initializer=tf.glorot_uniform_initializer())
    if case == "he":  # np.random.randn(fan_in, fan_out) / np.sqrt(fan_in / 2)
        return tf.Variable(tf.random_normal([fan_in, fan_out], stddev=np.sqrt(2 / fan_in)), name="weight")
    return tf.Variable(tf.random_normal([fan_in, fan_out]), name="weight")


def train_and_test(args, case, reported):
    """The lab's program for one way of setting the weights."""
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    # read afresh: every net sees the same batches in the same order
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args, case)

    tf.reset_default_graph()  # a new graph for each net
    tf.set_random_seed(args.seed)  # for reproducibility

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")

    # the lecture's W1/b1/L1, W2/b2/L2, W3/b3/L3: three ReLU layers of 256
    L, relus, weights = X, [], []
    widths = [784] + HIDDEN
    for i, (fan_in, fan_out) in enumerate(zip(widths, widths[1:]), start=1):
        with tf.variable_scope(f"layer{i}"):
            W = weight(case, fan_in, fan_out)
            b = tf.Variable(tf.random_normal([fan_out]), name="bias")
            L = tf.nn.relu(tf.matmul(L, W) + b)
        relus.append(L)
        weights.append(W)

    with tf.variable_scope("logits"):
        W = weight(case, widths[-1], NB_CLASSES)
        b = tf.Variable(tf.random_normal([NB_CLASSES]), name="bias")
        hypothesis = tf.matmul(L, W) + b
    weights.append(W)

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
    for i, relu in enumerate(relus, start=1):
        histogram(f"layer{i}/relu", relu)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, init=case)  # one HParams row per way of setting the weights
        curves = EpochCurves(run_dir)  # <case>/train and <case>/validation, overlaid
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        print(f"{args.lab} {case}: TensorBoard run {run_dir}")
        # where training starts: the weights' spread and the cost before the first step
        weight_std = [float(np.std(w)) for w in sess.run(weights)]
        initial_cost = sess.run(cost, feed_dict={X: mnist.validation.images, Y: mnist.validation.labels})
        print(f"Initial cost (validation set): {initial_cost:.9f}")
        write_scalar(writer, "initial/cost", initial_cost, 0)

        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = [], 0
        # train my model
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
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            # the 5,000 held-out images, every epoch: the validation curve beside the training one
            val_cost, val_acc = sess.run(
                [cost, accuracy], feed_dict={X: mnist.validation.images, Y: mnist.validation.labels}
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)
        print("Learning finished")

        # Test model and check accuracy
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
        reported=reported,
        extra={
            "initial_cost": float(initial_cost),
            "initial_weight_std": weight_std,
            "label": int(label[0]),
            "prediction": int(prediction[0]),
            "curves": curves.history,
        },
    )


if __name__ == "__main__":
    main_guard(main)
