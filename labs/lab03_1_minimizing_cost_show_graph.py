"""Lab 03-1: the cost function drawn over W, for H(x) = W x on y = x at x = 1, 2, 3.

W is a placeholder: the session evaluates the mean squared error at W = -3.0, -2.9, ..., 4.9 (80
values, the original's range) and the lab draws cost against W. The curve is the bowl
cost(W) = (14 / 3) (W - 1)^2 with its bottom, 0, at W = 1: the minimum the next labs reach by
gradient descent. hunkim's lab-03-1 shows the plot on screen and prints nothing; here the plot
is ``cost_by_W.png`` in the run folder and an image in TensorBoard, and the cost per W is a
scalar curve there (its step is 10 W + 30, so the first value, W = -3, is step 0).
"""

from pathlib import Path

import numpy as np

from common import cli, plots
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import finish, main_guard, session_config, write_png, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

FIGURES = [
    Figure(
        "lab03-cost-curve", "cost over W: the minimum", HUNKIM, "bottom at W = 1, cost 0", measured="minimum"
    ),
]

X = [1, 2, 3]
Y = [1, 2, 3]
W_RANGE = range(-30, 50)  # W = i * 0.1


def main(argv=None):
    parser = cli.build_parser(
        "lab03-cost-curve",
        __doc__,
        data=None,
        seed_help="graph seed; nothing here is random, it only names the run",
    )
    parser.add_argument(
        "--show", action="store_true", help="open the plot (in the run folder) where a screen exists"
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()
    W = tf.placeholder(tf.float32, name="W")
    # Our hypothesis for linear model X * W
    with tf.name_scope("model"):
        hypothesis = X * W
    # cost/loss function
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))

    # Variables for plotting cost function
    W_history = []
    cost_history = []

    # Launch the graph in a session.
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        for i in W_RANGE:
            curr_W = i * 0.1
            curr_cost = sess.run(cost, feed_dict={W: curr_W})
            W_history.append(curr_W)
            cost_history.append(float(curr_cost))
            write_scalar(writer, "cost_by_W", curr_cost, i - W_RANGE[0])

        # Show the cost function
        lowest = int(np.argmin(cost_history))
        best = (round(W_history[lowest], 6), cost_history[lowest])
        figure = plots.cost_by_weight(W_history, cost_history, Path(run_dir) / "cost_by_W.png", marked=[best])
        write_png(writer, "cost_by_W", figure.read_bytes(), 0)
        writer.close()

    print(f"lowest cost {best[1]:g} at W = {best[0]:g}; plot: {figure}")
    if args.show:
        plots.show([figure])
    return finish(
        args,
        run_dir,
        extra={"W": W_history, "cost": cost_history},
        figures={"minimum": Behaviour(f"bottom at W = {best[0]:g}, cost {best[1]:g}", best == (1.0, 0.0))},
    )


if __name__ == "__main__":
    main_guard(main)
