"""Lab 09-5: back-propagation written by hand for a linear model, y = x on three rows.

The model starts from wrong weights (W from truncated_normal, b = 5). The chain rule gives the
gradients of the squared error, d_w = X^T (hypothesis - Y) and d_b = hypothesis - Y, and
``tf.assign`` applies them: W with the summed gradient, b with its mean, at learning rate 0.1
for 1,000 steps, as the original does. hunkim's file prints no result (it is marked WIP), so
the rows are behaviours: the hand-written gradients equal ``tf.gradients`` of 0.5 * sum of
squared errors, and the hypothesis learns y = x. First, ``tf.gradients`` computes the lecture's
chain-rule example (notes-09-11), f = w x + b at w = -2, x = 5: df/dx = w = -2, df/dw = x = 5.
The original prints every step; this lab prints every ``--print-every`` steps (default 100) and
the last one.
"""

import numpy as np

from common import cli
from common.figures import HUNKIM, NOTES_09_11, Behaviour, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 1000
FIGURES = [
    Figure(
        "lab09-linear-backprop",
        "linear back-prop by hand = tf.gradients",
        HUNKIM,
        "gradients agree",
        measured="agree",
    ),
    Figure(
        "lab09-linear-backprop",
        "linear back-prop learns y = x",
        HUNKIM,
        "hypothesis -> [1, 2, 3]",
        measured="learns",
    ),
    Figure(
        "lab09-linear-backprop",
        "chain rule, f = wx + b at w = -2, x = 5",
        NOTES_09_11,
        "df/dx = -2, df/dw = 5",
        measured="chain_rule",
    ),
]
# the lecture's chain-rule example (its b is not given; no gradient depends on it)
w_point, x_point, b_point = -2.0, 5.0, 3.0

# tf Graph Input
x_data = [[1.0], [2.0], [3.0]]
y_data = [[1.0], [2.0], [3.0]]


def main(argv=None):
    parser = cli.build_parser(
        "lab09-linear-backprop",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=10,
        data=None,
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=100, help="print a line every N steps (default 100)"
    )
    args = parser.parse_args(argv)
    learning_rate = args.learning_rate
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # placeholders for a tensor that will be always fed.
    X = tf.placeholder(tf.float32, shape=[None, 1], name="X")
    Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")

    with tf.name_scope("model"):
        # Set wrong model weights
        W = tf.Variable(tf.truncated_normal([1, 1]), name="weight")
        b = tf.Variable(5.0, name="bias")
        # Forward prop
        hypothesis = tf.matmul(X, W) + b

    with tf.name_scope("back_prop"):
        # diff
        assert hypothesis.shape.as_list() == Y.shape.as_list()
        diff = hypothesis - Y
        # Back prop (chain rule)
        d_l1 = diff
        d_b = d_l1
        d_w = tf.matmul(tf.transpose(X), d_l1)

    # Updating network using gradients
    with tf.name_scope("update"):
        step = [
            tf.assign(W, W - learning_rate * d_w),
            tf.assign(b, b - learning_rate * tf.reduce_mean(d_b)),
        ]

    # Running and testing the training process (the original calls this mean squared error RMSE)
    with tf.name_scope("cost"):
        RMSE = tf.reduce_mean(tf.square(Y - hypothesis))

    with tf.name_scope("compare"):
        # TensorFlow's own gradients of 0.5 * sum((hypothesis - Y)^2), beside the hand-written ones
        auto_w, auto_b = tf.gradients(0.5 * tf.reduce_sum(tf.square(diff)), [W, b])
        gradient_gap = tf.maximum(tf.reduce_max(tf.abs(d_w - auto_w)), tf.abs(tf.reduce_sum(d_b) - auto_b))

    with tf.name_scope("chain_rule"):
        # f = w * x + b = g + b: df/dx = df/dg * dg/dx = w, df/dw = df/dg * dg/dw = x, df/db = 1
        w, x, b_ = tf.constant(w_point), tf.constant(x_point), tf.constant(b_point)
        f = w * x + b_
        df_dx, df_dw, df_db = tf.gradients(f, [x, w, b_])

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", RMSE)
        tf.summary.scalar("gradient_gap", gradient_gap)
        histogram("model/weight", W)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, gradients="by hand")
        sess.run(tf.global_variables_initializer())
        f_val, dx, dw, db = sess.run([f, df_dx, df_dw, df_db])
        print(f"chain rule: f = w*x + b at w = {w_point:g}, x = {x_point:g}, b = {b_point:g}: f = {f_val:g}")
        print(f"  df/dx = {dx:g}, df/dw = {dw:g}, df/db = {db:g}")

        costs, largest_gap = [], 0.0
        for i in range(args.steps):
            feed_dict = {X: x_data, Y: y_data}
            # the gradients as they are before this step's update
            s, gap = sess.run([summary, gradient_gap], feed_dict=feed_dict)
            largest_gap = max(largest_gap, float(gap))
            if i % args.summary_every == 0:
                writer.add_summary(s, global_step=i)
            result = sess.run([step, RMSE], feed_dict=feed_dict)
            check_cost(result[1], i)
            costs.append(float(result[1]))
            if i % args.print_every == 0 or i == args.steps - 1:
                print(i, result)

        prediction = sess.run(hypothesis, feed_dict={X: x_data})
        print(prediction)
        print(f"largest gap between the hand-written and TensorFlow's gradients: {largest_gap:.3g}")
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        weight, bias = sess.run([W, b])
        writer.close()

    # y = x exactly: the least-squares line has W = 1, b = 0
    learned = np.abs(prediction.ravel() - np.ravel(y_data)).max()
    return finish(
        args,
        run_dir,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={
            "hypothesis": prediction.ravel().tolist(),
            "W": float(weight[0, 0]),
            "b": float(bias),
            "gradient_gap": largest_gap,
        },
        figures={
            "agree": Behaviour(f"largest gap {largest_gap:.1e}", largest_gap < 1e-4),
            "chain_rule": Behaviour(f"df/dx = {dx:g}, df/dw = {dw:g}", (dx, dw) == (-2.0, 5.0)),
            "learns": Behaviour(
                "hypothesis " + ", ".join(f"{v:.4f}" for v in prediction.ravel()), learned < 0.01
            ),
        },
    )


if __name__ == "__main__":
    main_guard(main)
