"""Lab 09-6: back-propagation written by hand for a linear model of three variables.

Lab 09-5's hand-written chain rule on the five exam-score rows (three quiz scores -> the final
score): wrong weights to start (W from truncated_normal, b = 5), d_w = X^T (hypothesis - Y) and
d_b = hypothesis - Y applied with ``tf.assign``, learning rate 1e-6 for 10,000 steps, as the
original does. hunkim's file prints no result (it is marked WIP), so the rows are behaviours:
the hand-written gradients equal ``tf.gradients`` of 0.5 * sum of squared errors, and the cost
falls. The original prints every step; this lab prints every ``--print-every`` steps (default
1,000) and the last one.
"""

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 1e-6
STEPS = 10000
FIGURES = [
    Figure(
        "lab09-multi-linear-backprop",
        "multi-variable back-prop by hand = tf.gradients",
        HUNKIM,
        "gradients agree",
        measured="agree",
    ),
    Figure(
        "lab09-multi-linear-backprop",
        "multi-variable back-prop: the cost falls",
        HUNKIM,
        "cost falls",
        measured="learns",
    ),
]

# tf Graph Input
x_data = [[73.0, 80.0, 75.0], [93.0, 88.0, 93.0], [89.0, 91.0, 90.0], [96.0, 98.0, 100.0], [73.0, 66.0, 70.0]]
y_data = [[152.0], [185.0], [180.0], [196.0], [142.0]]


def main(argv=None):
    parser = cli.build_parser(
        "lab09-linear-backprop",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=100,
        data=None,
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=1000, help="print a line every N steps (default 1000)"
    )
    args = parser.parse_args(argv)
    learning_rate = args.learning_rate
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # placeholders for a tensor that will be always fed.
    X = tf.placeholder(tf.float32, shape=[None, 3], name="X")
    Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")

    with tf.name_scope("model"):
        # Set wrong model weights
        W = tf.Variable(tf.truncated_normal([3, 1]), name="weight")
        b = tf.Variable(5.0, name="bias")
        # Forward prop
        hypothesis = tf.matmul(X, W) + b
        print(hypothesis.shape, Y.shape)

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

    return finish(
        args,
        run_dir,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={
            "hypothesis": prediction.ravel().tolist(),
            "W": weight.ravel().tolist(),
            "b": float(bias),
            "gradient_gap": largest_gap,
        },
        figures={
            "agree": Behaviour(f"largest gap {largest_gap:.1e}", largest_gap < 1e-2),
            "learns": Behaviour(f"cost {costs[0]:.1f} -> {costs[-1]:.2f}", costs[-1] < costs[0] / 100),
        },
    )


if __name__ == "__main__":
    main_guard(main)
