"""Lab 04-3: the regression's rows read from a CSV file with ``np.loadtxt``.

The file is ``labs/data-01-test-score.csv``: three quiz scores and the final score per row, the
five rows lectures 04-1 and 04-2 show (hunkim's 25-row file states no origin or licence, so it
is not here; ``--data-file`` reads any table of four numbers per row, that file too). The lab
prints the two arrays and their shapes, then trains H(X) = X W + b as lab 04-2 does (2,001
steps of gradient descent at 1e-5), prints ``step Cost: ...`` and the predictions every 10th
step, and asks for three new students' scores: ``Your score will be`` for (100, 70, 101),
``Other scores will be`` for (60, 70, 110) and (90, 100, 80).

hunkim's lab-04-3 trains on its 25 rows (cost 21027.0 -> 24.72) and answers 181.7 for
(100, 70, 101). Its rows and its random start differ from these, so the row is a behaviour: on
the five rows the cost falls a hundredfold or more and every prediction ends within 5 % of its
score.
"""

from pathlib import Path

from common import cli
from common.csv_table import read_table
from common.figures import HUNKIM, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf
from labs.lab04_1_multi_variable_linear_regression import fits

LEARNING_RATE = 1e-5
STEPS = 2001
DATA_FILE = Path(__file__).resolve().parent / "data-01-test-score.csv"
FIGURES = [
    Figure(
        "lab04-file-input",
        "rows from a CSV file: cost falls, predictions near the scores",
        HUNKIM,
        "cost falls (21027.0 -> 24.72 on its 25 rows); predictions near the scores",
        measured="fits",
    ),
]
# the new students the lecture asks about
MY_SCORES = [[100, 70, 101]]
OTHER_SCORES = [[60, 70, 110], [90, 100, 80]]


def main(argv=None):
    parser = cli.build_parser(
        "lab04-file-input", __doc__, steps=STEPS, learning_rate=LEARNING_RATE, summary_every=10, data=None
    )
    parser.add_argument(
        "--data-file",
        type=Path,
        default=DATA_FILE,
        help="CSV of three quiz scores and the final score per row (default: the lecture's five rows, "
        "labs/data-01-test-score.csv)",
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=10, help="print a line every N steps (default 10)"
    )
    args = parser.parse_args(argv)

    xy = read_table(
        args.data_file, 4, f"pass --data-file with a CSV of 4 numbers per row, or use {DATA_FILE}"
    )
    x_data = xy[:, 0:-1]
    y_data = xy[:, [-1]]
    # Make sure the shape and data are OK
    print(x_data, "\nx_data shape:", x_data.shape)
    print(y_data, "\ny_data shape:", y_data.shape)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # placeholders for a tensor that will be always fed.
    X = tf.placeholder(tf.float32, shape=[None, 3], name="X")
    Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")

    with tf.name_scope("model"):
        W = tf.Variable(tf.random_normal([3, 1]), name="weight")
        b = tf.Variable(tf.random_normal([1]), name="bias")
        # Hypothesis
        hypothesis = tf.matmul(X, W) + b

    # Simplified cost/loss function
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        histogram("model/weight", W)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, rows=len(xy))
        sess.run(tf.global_variables_initializer())

        costs = []
        for step in range(args.steps):
            feed_dict = {X: x_data, Y: y_data}
            if step % args.summary_every == 0:
                writer.add_summary(sess.run(summary, feed_dict=feed_dict), global_step=step)
            cost_val, hy_val, _ = sess.run([cost, hypothesis, train], feed_dict=feed_dict)
            check_cost(cost_val, step)
            costs.append(float(cost_val))
            if step % args.print_every == 0 or step == args.steps - 1:
                print(step, "Cost:", cost_val, "\nPrediction:\n", hy_val)

        # Ask my score
        mine = sess.run(hypothesis, feed_dict={X: MY_SCORES})
        others = sess.run(hypothesis, feed_dict={X: OTHER_SCORES})
        print("Your score will be ", mine)
        print("Other scores will be ", others)
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        writer.close()

    return finish(
        args,
        run_dir,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={
            "prediction": hy_val.ravel().tolist(),
            "asked": [*mine.ravel().tolist(), *others.ravel().tolist()],
        },
        figures={"fits": fits(costs, hy_val, y_data)},
    )


if __name__ == "__main__":
    main_guard(main)
