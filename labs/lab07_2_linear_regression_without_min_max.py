"""Lab 07-2: linear regression without min-max scaling.

Linear regression on 8 rows of stock prices (open, high, volume, low -> close), gradient descent
at learning rate 1e-5, 101 steps (notes-07-08, hunkim lab-07-2): the volume column (~1e6) makes the
cost explode to inf and then nan in a few steps. Lab 07-3 runs the same rows through a min-max
scaler.

keras-tips ex.2 (Keras) runs the same rows with SGD at 0.01 for 10 epochs: loss inf at epoch 3
then nan (``make keras02-normalization``, with lab 07-3's scaled rows). Its way: ``--init keras``
(Dense's glorot_uniform W and zero b); 8 rows are one batch of ``fit``'s default 32, so an epoch
is one full-batch step (``--steps 10``). Keras trains on past inf and nan, so with ``--init keras``
the lab prints the document's ten ``Epoch 1/10`` / ``8/8 [====] - loss: ...`` lines.
"""

import numpy as np

from common import cli
from common.figures import KERAS_TIPS, NOTES_07_08, Behaviour, Figure, Runs
from common.lab import (
    Diverged,
    check_cost,
    histogram,
    main_guard,
    session_config,
    write_hparams,
    write_scalar,
)
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 1e-5
STEPS = 101
PRINT_EVERY = 10
SUMMARY_EVERY = 5
CASES = ("raw",)

xy = np.array(
    [
        [828.659973, 833.450012, 908100, 828.349976, 831.659973],
        [823.02002, 828.070007, 1828100, 821.655029, 828.070007],
        [819.929993, 824.400024, 1438100, 818.97998, 824.159973],
        [816, 820.958984, 1008100, 815.48999, 819.23999],
        [819.359985, 823, 1188100, 818.469971, 818.97998],
        [819, 823, 1198100, 816, 820.450012],
        [811.700012, 815.25, 1098100, 809.780029, 813.669983],
        [809.51001, 816.659973, 1398100, 804.539978, 809.559998],
    ]
)


def train_on(args, name, xy):
    """The lecture's program on ``xy``: its costs (empty when it diverged) and the step where it
    diverged (or None)."""
    run_dir = run_folder(args, case=f"{CASES.index(name) + 1}-{name}" if len(CASES) > 1 else None)
    x_data = xy[:, 0:-1]
    y_data = xy[:, [-1]]

    tf.reset_default_graph()  # a new graph for each kind of input
    tf.set_random_seed(args.seed)  # for reproducibility: every case starts from the same weights

    # placeholders for a tensor that will be always fed.
    X = tf.placeholder(tf.float32, shape=[None, 4], name="X")
    Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")

    with tf.name_scope("linear"):
        if args.init == "keras":  # Dense's defaults: kernel glorot_uniform, bias zeros
            W = tf.Variable(tf.glorot_uniform_initializer()([4, 1]), name="weight")
            b = tf.Variable(tf.zeros([1]), name="bias")
        else:
            W = tf.Variable(tf.random_normal([4, 1]), name="weight")
            b = tf.Variable(tf.random_normal([1]), name="bias")
        # Hypothesis
        hypothesis = tf.matmul(X, W) + b

    # Simplified cost/loss function
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))
    # Minimize
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    # TensorBoard: the cost as a scalar, the weights as histograms (no accuracy: a regression)
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
    summary = tf.summary.merge_all()

    # Launch the graph in a session.
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, inputs=name, init=args.init)
        # Initializes global variables in the graph.
        sess.run(tf.global_variables_initializer())

        print(f"--- {name} inputs")
        costs, diverged_at = [], None
        try:
            for step in range(args.steps):
                if step % args.summary_every == 0 and diverged_at is None:
                    s, cost_val, _ = sess.run([summary, cost, train], feed_dict={X: x_data, Y: y_data})
                    writer.add_summary(s, global_step=step)
                else:
                    cost_val, _ = sess.run([cost, train], feed_dict={X: x_data, Y: y_data})
                if args.init == "keras":  # fit(verbose=1) goes on past inf and nan, a line per epoch
                    print(f"Epoch {step + 1}/{args.steps}")
                    print(f"8/8 [{'=' * 30}] - loss: {cost_val:.4f}")
                    if not np.isfinite(cost_val):
                        diverged_at = step if diverged_at is None else diverged_at
                        continue
                check_cost(cost_val, step)
                costs.append(float(cost_val))
                if args.init != "keras" and (step % PRINT_EVERY == 0 or step == args.steps - 1):
                    print(step, "Cost:", cost_val)
        except Diverged as exc:  # the expected outcome of raw inputs: report it, go on
            costs, diverged_at, cost_val = [], exc.step, exc.cost
            print(exc.step, "Cost:", exc.cost, "-> diverged: unscaled inputs need a tiny learning rate")

        if diverged_at is not None:
            costs = []  # as when the lecture's loop stops
        hy_val = sess.run(hypothesis, feed_dict={X: x_data})
        print("Prediction:\n", hy_val)
        # the HParams tab's metric (a regression: no accuracy); inf or nan when it diverged
        write_scalar(writer, "final/cost", cost_val, args.steps)
        writer.close()

    return {"inputs": name, "costs": costs, "diverged_at": diverged_at}


KERAS_EX2 = ("--learning-rate", "0.01", "--steps", "10", "--init", "keras")
FIGURES = [
    Figure("lab07-normalization", "raw rows diverge", NOTES_07_08, "cost -> inf/nan", measured="diverges"),
    Figure(
        "keras02-normalization",
        "SGD 0.01, 10 epochs: raw rows diverge",
        KERAS_TIPS,
        "inf at epoch 3, then nan",
        measured="diverges at epoch 3",
        argv=KERAS_EX2,
    ),
]


def measured(run):
    """What FIGURES reads: where the raw rows diverged."""
    diverged_at = run["diverged_at"]
    return {
        "diverges": Behaviour(f"inf/nan at step {diverged_at}", diverged_at is not None),
        "diverges at epoch 3": Behaviour(
            f"inf/nan at step {diverged_at} (epoch 3 = step 2)", diverged_at == 2
        ),
    }


def main(argv=None):
    parser = cli.build_parser(
        "lab07-without-min-max",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=SUMMARY_EVERY,
        data=None,
    )
    parser.add_argument(
        "--init",
        choices=["lecture", "keras"],
        default="lecture",
        help="initial W and b: the lecture's random_normal, or Keras Dense's "
        "glorot_uniform W and zero b (keras-tips; default lecture)",
    )
    args = parser.parse_args(argv)
    run = train_on(args, "raw", xy)
    return Runs([run], figures=measured(run))


if __name__ == "__main__":
    main_guard(main)
