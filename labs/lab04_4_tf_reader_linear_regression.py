"""Lab 04-4: the rows read by TensorFlow's own input queue, in batches of 10.

TensorFlow 1's queue-based reader, as the lecture teaches it: ``string_input_producer`` queues
the file name, ``TextLineReader`` reads a line, ``decode_csv`` turns it into four numbers (the
``record_defaults`` give their type) and ``tf.train.batch`` collects 10 rows per batch; a
``Coordinator`` and the queue runners' threads keep the queues filled while the loop takes one
batch per step and feeds it through the placeholders. The file is lab 04-3's
(``labs/data-01-test-score.csv``, the lecture's five rows, read over and over: a batch of 10
holds each row twice; ``--data-file`` names another). Then H(X) = X W + b trains as in lab 04-2
(2,001 steps of gradient descent at 1e-5) and answers for (100, 70, 101), (60, 70, 110) and
(90, 100, 80), as the original.

These queues are TensorFlow 1's graph-mode input pipeline (``tf.data`` replaced them); they
still run in ``tf.compat.v1``. hunkim's lab-04-4 reads its 25-row file and answers 185.3 for
(100, 70, 101). Its rows and its random start differ from these, so the row is a behaviour: the
cost of the batches falls a hundredfold or more and, on the five rows, every prediction ends
within 5 % of its score.
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
BATCH_SIZE = 10
DATA_FILE = Path(__file__).resolve().parent / "data-01-test-score.csv"
FIGURES = [
    Figure(
        "lab04-queue-reader",
        "rows from TensorFlow's queue reader: cost falls, predictions near the scores",
        HUNKIM,
        "cost falls; predictions near the scores (185.3 for 100, 70, 101 on its 25 rows)",
        measured="fits",
    ),
]
MY_SCORES = [[100, 70, 101]]
OTHER_SCORES = [[60, 70, 110], [90, 100, 80]]


def main(argv=None):
    parser = cli.build_parser(
        "lab04-queue-reader", __doc__, steps=STEPS, learning_rate=LEARNING_RATE, summary_every=10, data=None
    )
    parser.add_argument(
        "--data-file",
        type=Path,
        default=DATA_FILE,
        help="CSV of three quiz scores and the final score per row (default: labs/data-01-test-score.csv)",
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=10, help="print a line every N steps (default 10)"
    )
    args = parser.parse_args(argv)
    # the queue reports a bad line only from its thread, mid-run: check the file first
    table = read_table(
        args.data_file, 4, f"pass --data-file with a CSV of 4 numbers per row, or use {DATA_FILE}"
    )
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    with tf.name_scope("input"):
        filename_queue = tf.train.string_input_producer(
            [str(args.data_file)], shuffle=False, name="filename_queue"
        )
        reader = tf.TextLineReader()
        key, value = reader.read(filename_queue)
        # Default values, in case of empty columns. Also specifies the type of the decoded result.
        record_defaults = [[0.0], [0.0], [0.0], [0.0]]
        xy = tf.decode_csv(value, record_defaults=record_defaults)
        # collect batches of csv in
        train_x_batch, train_y_batch = tf.train.batch([xy[0:-1], xy[-1:]], batch_size=BATCH_SIZE)

    # placeholders for a tensor that will be always fed.
    X = tf.placeholder(tf.float32, shape=[None, 3], name="X")
    Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")

    with tf.name_scope("model"):
        W = tf.Variable(tf.random_normal([3, 1]), name="weight")
        b = tf.Variable(tf.random_normal([1]), name="bias")
        hypothesis = tf.matmul(X, W) + b

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
        write_hparams(writer, args, batch_size=BATCH_SIZE)
        sess.run(tf.global_variables_initializer())

        # Start populating the filename queue.
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        costs = []
        try:
            for step in range(args.steps):
                x_batch, y_batch = sess.run([train_x_batch, train_y_batch])
                feed_dict = {X: x_batch, Y: y_batch}
                if step % args.summary_every == 0:
                    writer.add_summary(sess.run(summary, feed_dict=feed_dict), global_step=step)
                cost_val, hy_val, _ = sess.run([cost, hypothesis, train], feed_dict=feed_dict)
                check_cost(cost_val, step)
                costs.append(float(cost_val))
                if step % args.print_every == 0 or step == args.steps - 1:
                    print(step, "Cost: ", cost_val, "\nPrediction:\n", hy_val)
        finally:  # the queue threads stop with the loop, also when it fails
            coord.request_stop()
            coord.join(threads)

        # Ask my score
        mine = sess.run(hypothesis, feed_dict={X: MY_SCORES})
        others = sess.run(hypothesis, feed_dict={X: OTHER_SCORES})
        print("Your score will be ", mine)
        print("Other scores will be ", others)
        # the fit on the file's rows, each once
        fitted = sess.run(hypothesis, feed_dict={X: table[:, :-1]})
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        writer.close()

    return finish(
        args,
        run_dir,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={
            "prediction": fitted.ravel().tolist(),
            "asked": [*mine.ravel().tolist(), *others.ravel().tolist()],
            "last_batch": y_batch.ravel().tolist(),
        },
        figures={"fits": fits(costs, fitted, table[:, [-1]])},
    )


if __name__ == "__main__":
    main_guard(main)
