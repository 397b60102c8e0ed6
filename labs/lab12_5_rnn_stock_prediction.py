"""Lab 12-5: stock prices, the next day's close predicted by an LSTM from the last 7 days.

Each day is five numbers, open, high, low, volume and close; a window of 7 days is the input and
the close of the day after it the target. The days are split in time order, the first 70 % for
training and the rest for testing (the test windows start 7 days before the split, so that its
first day has a full week behind it), and each part is min-max scaled on its own, as the
original does (``--scale train`` scales the test days by the training days' minimum and maximum
instead, so that nothing about the test period's range is known in advance). An LSTM of 10 units
(``BasicLSTMCell``, tanh) reads a window, a fully connected layer turns its last output into the
predicted close, and Adam at learning rate 0.01 minimizes the summed squared error over every
training window at once, 500 iterations, as the original. It prints ``[step: i] loss:`` lines
(every ``--print-every``, default 50, and the last; the original prints all 500) and the test
``RMSE:``, and draws the test closes and the predictions in ``prediction.png`` (and TensorBoard's
Images tab).

The data differ from the original's. hunkim's lab-12-5 reads 732 days of Google's prices from a
CSV whose origin and licence it does not state, and prints the RMSE of its own run only (no
figure is given in the file). Here the series is Microsoft's (MSFT) daily prices as pmdarima
(MIT licence) ships them for its ``load_msft()``, taken from Kaggle's "Huge Stock Market
Dataset" (``common/stock.py`` takes the file out of pmdarima's wheel on PyPI, checked by size and
MD5): the last 732 trading days, 2014-12-17 to 2017-11-10, as many as the original's
(``--days``, 0 for all 7,983 from 1986). Its RMSE has no counterpart to compare with, so the row is
the behaviour the original's plot shows, the predicted close following the test closes, measured
against two forecasts on the same test days, in the scaled units the original reports: the LSTM's
test RMSE is below a quarter of that of a forecast that knows nothing of the test days (the last
training close, held), and within 1.5 times that of "tomorrow's close = today's close". All three
are printed, in dollars too. The LSTM does not beat "tomorrow = today": at seed 777 its RMSE is
0.0320 against 0.0278 (seeds 1-3: 0.0295-0.0323), $0.75 a day against $0.65, as daily closes
move close to a random walk. ``--scale train`` makes it worse ($1.82 a day), since the test
prices lie above the training range that the tanh cell saw.
"""

import numpy as np

from common import cli, plots, stock
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_png, write_scalar
from common.plots import plt  # matplotlib on its file-only backend: works without a screen
from common.run_folder import run_folder
from common.tf1 import tf

# train Parameters
seq_length = 7
data_dim = 5
hidden_dim = 10
output_dim = 1
LEARNING_RATE = 0.01
ITERATIONS = 500
DAYS = 732  # as many days as the original's CSV holds
TRAIN_SHARE = 0.7
FIGURES = [
    Figure(
        "lab12-stock",
        "stock LSTM (MSFT, 732 days): the test predictions",
        HUNKIM,
        "the prediction follows the test closes (the original's plot)",
        measured="follows",
    ),
]


def min_max_scaler(data, low=None, high=None):
    """Each column to [0, 1] by its minimum and maximum (or ``low`` and ``high`` given); the
    1e-7 keeps a constant column from dividing by zero."""
    low = np.min(data, 0) if low is None else low
    high = np.max(data, 0) if high is None else high
    return (data - low) / (high - low + 1e-7)


def build_dataset(time_series, seq_length):
    """Every window of ``seq_length`` days, and the close (last column) of the day after it."""
    dataX, dataY = [], []
    for i in range(len(time_series) - seq_length):
        dataX.append(time_series[i : i + seq_length, :])
        dataY.append(time_series[i + seq_length, [-1]])  # Next close price
    return np.array(dataX), np.array(dataY)


def split_and_scale(xy, scale="each"):
    """The training and test days, scaled, and the test part's close ``(low, high)`` in dollars."""
    train_size = int(len(xy) * TRAIN_SHARE)
    train_set = xy[0:train_size]
    test_set = xy[train_size - seq_length :]  # a week before the split: the first test day's past
    if scale == "each":
        low, high = np.min(test_set, 0), np.max(test_set, 0)
    else:  # by the training days' range only
        low, high = np.min(train_set, 0), np.max(train_set, 0)
    return min_max_scaler(train_set), min_max_scaler(test_set, low, high), (low[-1], high[-1])


def load_days(args):
    """The last ``--days`` days, columns as the original's CSV: open, high, low, volume, close."""
    dates, prices = stock.read_msft(args.data_dir)
    if args.days:
        dates, prices = dates[-args.days :], prices[-args.days :]
    return dates, prices[:, [0, 1, 2, 4, 3]]


def plot_prediction(path, test_dates, testY, test_predict, naive):
    """The original's closing figure: the test closes and the predictions, over the test days."""
    figure = plt.figure(figsize=(9, 4.5))
    plt.plot(test_dates, testY, label="close")
    plt.plot(test_dates, test_predict, label="LSTM prediction")
    plt.plot(test_dates, naive, label="tomorrow = today", linewidth=0.8, alpha=0.6)
    plt.xlabel("Time Period")
    plt.ylabel("Stock Price (scaled)")
    plt.title("MSFT: the next day's close, test days")
    plt.legend()
    figure.autofmt_xdate()
    plt.tight_layout()
    return plots.save(figure, path)


def main(argv=None):
    parser = cli.build_parser(
        "lab12-stock",
        __doc__,
        steps=ITERATIONS,
        steps_help="training iterations, every training window at once",
        learning_rate=LEARNING_RATE,
        summary_every=5,
        data="MSFT price (msft.csv; else $STOCK_DATA_DIR, data/stock)",
    )
    parser.add_argument(
        "--days",
        type=lambda text: cli.whole_number(text, 0),
        default=DAYS,
        help=f"the last N trading days, 0 for all (default {DAYS})",
    )
    parser.add_argument(
        "--scale",
        choices=["each", "train"],
        default="each",
        help="min-max scale the test days by their own range, as the original (each), or by the "
        "training days' (train) (default each)",
    )
    parser.add_argument(
        "--print-every",
        type=cli.positive_int,
        default=50,
        help="print a loss line every N steps (default 50)",
    )
    args = parser.parse_args(argv)
    if args.days and args.days < 3 * seq_length:
        parser.error(
            f"argument --days: {args.days} days leave no test window; give at least {3 * seq_length}"
        )
    cli.announce(args)
    dates, xy = load_days(args)  # chronologically ordered
    run_dir = run_folder(args)

    train_set, test_set, (close_low, close_high) = split_and_scale(xy, args.scale)
    trainX, trainY = build_dataset(train_set, seq_length)
    testX, testY = build_dataset(test_set, seq_length)
    test_dates = dates[len(dates) - len(testY) :]
    print(f"{len(dates)} days, {dates[0]} to {dates[-1]}: {len(trainY)} training windows, {len(testY)} test")
    print(trainX[0], "->", trainY[0])  # the first window and its next close

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # input place holders
    X = tf.placeholder(tf.float32, [None, seq_length, data_dim], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")

    # Glorot-uniform weights from the graph seed: the cell's default initializer draws a new seed each run
    with tf.variable_scope("lstm", initializer=tf.glorot_uniform_initializer()):
        cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=hidden_dim, state_is_tuple=True, activation=tf.tanh)
        outputs, _states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    with tf.variable_scope("fc"):
        Y_pred = tf.layers.dense(
            outputs[:, -1], output_dim, activation=None, kernel_initializer=tf.glorot_uniform_initializer()
        )  # the last step's output

    with tf.name_scope("cost"):
        loss = tf.reduce_sum(tf.square(Y_pred - Y))  # sum of the squares
    with tf.name_scope("train"):
        train = tf.train.AdamOptimizer(args.learning_rate).minimize(loss)

    with tf.name_scope("rmse"):
        targets = tf.placeholder(tf.float32, [None, 1], name="targets")
        predictions = tf.placeholder(tf.float32, [None, 1], name="predictions")
        rmse = tf.sqrt(tf.reduce_mean(tf.square(targets - predictions)))

    tf.summary.scalar("loss", loss)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, days=args.days, scale=args.scale, hidden_dim=hidden_dim)
        sess.run(tf.global_variables_initializer())

        # Training step
        losses = []
        for i in range(args.steps):
            _, step_loss, s = sess.run([train, loss, summary], feed_dict={X: trainX, Y: trainY})
            check_cost(step_loss, i)
            losses.append(float(step_loss))
            if i % args.summary_every == 0:
                writer.add_summary(s, global_step=i)
            if i % args.print_every == 0 or i == args.steps - 1:
                print(f"[step: {i}] loss: {step_loss}")

        # Test step
        test_predict = sess.run(Y_pred, feed_dict={X: testX})
        rmse_val = sess.run(rmse, feed_dict={targets: testY, predictions: test_predict})
        print(f"RMSE: {rmse_val}")
        # two forecasts to measure it by: today's close as tomorrow's, and one that knows nothing
        # of the test days, the last training day's close held throughout
        naive = testX[:, -1, [-1]]
        held = np.full_like(testY, test_set[seq_length - 1, -1])
        naive_val, held_val = (
            sess.run(rmse, feed_dict={targets: testY, predictions: forecast}) for forecast in (naive, held)
        )
        dollars = close_high - close_low + 1e-7  # the scaler's range of the close, undone
        print(f"  'tomorrow = today' RMSE: {naive_val:.6f}; the last training close held: {held_val:.6f}")
        print(
            f"  in dollars: LSTM {rmse_val * dollars:.3f}, tomorrow = today {naive_val * dollars:.3f}, "
            f"held {held_val * dollars:.3f}"
        )
        write_scalar(writer, "test/rmse", rmse_val, args.steps)
        write_scalar(writer, "test/naive_rmse", naive_val, args.steps)
        write_scalar(writer, "test/held_rmse", held_val, args.steps)
        write_scalar(writer, "final/cost", losses[-1], args.steps)

        # Plot predictions
        path = plot_prediction(run_dir / "prediction.png", test_dates, testY, test_predict, naive)
        write_png(writer, "prediction/image/0", path.read_bytes(), args.steps)
        writer.close()
    print(f"the test days and the predictions: {path} (and TensorBoard's Images tab)")

    return finish(
        args,
        run_dir,
        epoch_costs=losses[:: args.print_every] + losses[-1:],
        extra={
            "rmse": float(rmse_val),
            "naive_rmse": float(naive_val),
            "rmse_dollars": float(rmse_val * dollars),
            "naive_rmse_dollars": float(naive_val * dollars),
            "held_rmse": float(held_val),
            "test_predict": test_predict.ravel().tolist(),
            "first_test_day": str(test_dates[0]),
        },
        figures={
            "rmse": float(rmse_val),
            "follows": Behaviour(
                f"RMSE {rmse_val:.4f}; tomorrow = today {naive_val:.4f}; held {held_val:.4f}",
                rmse_val < 1.5 * naive_val and rmse_val < held_val / 4,
            ),
        },
    )


if __name__ == "__main__":
    main_guard(main)
