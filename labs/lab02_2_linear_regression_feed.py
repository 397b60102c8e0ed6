"""Lab 02-2: linear regression with placeholders: the same graph fed other rows.

W and b start from ``random_normal``; X and Y are placeholders fed through ``feed_dict``. The
line is first fitted to y = x on x = 1, 2, 3 (2,001 steps of gradient descent at 0.01) and asked
for x = 5, 2.5 and (1.5, 3.5); then the same session goes on with new rows, y = x + 1.1 on
x = 1..5, for another 2,001 steps, and is asked again.

hunkim's lab-02-2 prints, after the first fit, W 1.0040, b -0.0092 and the predictions
[5.0110054], [2.500915], [1.4968792 3.5049512]; after the new rows W 1.0003, b 1.0988 and
[6.1004534], [3.5996385], [2.5993123 4.599964]. The first fit's figures depend on the random
start (a behaviour row: the prediction for x = 5 is within 0.05 of 5). The second fit starts
where the first ended, 0.01 or less from (1, 0) in either run, and shrinks that difference
further, so its prediction for x = 5 is a number row, 6.1005 within 0.01.
"""

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.01
STEPS = 2001
FIGURES = [
    Figure(
        "lab02-linear-regression-feed",
        "y = x: prediction for x = 5",
        HUNKIM,
        "-> 5 (5.0110054)",
        measured="first fit",
    ),
    Figure(
        "lab02-linear-regression-feed",
        "then y = x + 1.1: prediction for x = 5",
        HUNKIM,
        6.1004534,
        0.01,
        measured="second fit x=5",
    ),
]

# the two sets of rows, fed in turn
FIRST_ROWS = {"x": [1, 2, 3], "y": [1, 2, 3]}
NEW_ROWS = {"x": [1, 2, 3, 4, 5], "y": [2.1, 3.1, 4.1, 5.1, 6.1]}
QUESTIONS = ([5], [2.5], [1.5, 3.5])


def main(argv=None):
    parser = cli.build_parser(
        "lab02-linear-regression-feed",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=20,
        data=None,
        steps_help="steps of each fit",
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=20, help="print a line every N steps (default 20)"
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # placeholders for a tensor that will be always fed using feed_dict
    X = tf.placeholder(tf.float32, shape=[None], name="X")
    Y = tf.placeholder(tf.float32, shape=[None], name="Y")

    # Try to find values for W and b to compute Y = W * X + b
    with tf.name_scope("model"):
        W = tf.Variable(tf.random_normal([1]), name="weight")
        b = tf.Variable(tf.random_normal([1]), name="bias")
        # Our hypothesis is X * W + b
        hypothesis = X * W + b

    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("W", W[0])
        tf.summary.scalar("b", b[0])
        histogram("model/weight", W)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args)
        sess.run(tf.global_variables_initializer())

        costs, fits = [], []
        for fit, rows in enumerate((FIRST_ROWS, NEW_ROWS)):
            feed_dict = {X: rows["x"], Y: rows["y"]}
            # Fit the line; the step count runs on through both fits, so TensorBoard shows one curve
            for step in range(args.steps):
                global_step = fit * args.steps + step
                if step % args.summary_every == 0:
                    writer.add_summary(sess.run(summary, feed_dict=feed_dict), global_step=global_step)
                _, cost_val, W_val, b_val = sess.run([train, cost, W, b], feed_dict=feed_dict)
                check_cost(cost_val, global_step)
                costs.append(float(cost_val))
                if step % args.print_every == 0 or step == args.steps - 1:
                    print(step, cost_val, W_val, b_val)

            # Testing our model
            answers = [sess.run(hypothesis, feed_dict={X: question}) for question in QUESTIONS]
            for answer in answers:
                print(answer)
            fits.append(
                {"W": float(W_val[0]), "b": float(b_val[0]), "answers": [a.tolist() for a in answers]}
            )
        write_scalar(writer, "final/cost", costs[-1], 2 * args.steps)
        writer.close()

    first, second = (fit["answers"][0][0] for fit in fits)
    return finish(
        args,
        run_dir,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={"fits": fits},
        figures={
            "first fit": Behaviour(f"{first:.7g}", abs(first - 5) < 0.05),
            "second fit x=5": second,
        },
    )


if __name__ == "__main__":
    main_guard(main)
