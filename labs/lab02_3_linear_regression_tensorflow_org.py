"""Lab 02-3: linear regression as TensorFlow's old "Getting Started" guide wrote it.

Four rows, y = 1 - x at x = 1..4; W starts at 0.3 and b at -0.3 (fixed values, nothing random);
the cost is the *sum* of squared errors; 1,000 steps of gradient descent at 0.01, then W, b and
the cost are printed on one line, as the original.

hunkim's lab-02-3 prints ``W: [-0.9999969] b: [0.9999908] cost: 5.699973826267524e-11``. The
start is fixed, so W and b are number rows (within 1e-4: float32 rounding over 1,000 steps); the
cost, a difference of nearly equal floats, is a behaviour row (below 1e-8).
"""

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.01
STEPS = 1000
FIGURES = [
    Figure("lab02-tensorflow-org", "y = 1 - x from W 0.3, b -0.3: W", HUNKIM, -0.9999969, 1e-4, measured="W"),
    Figure("lab02-tensorflow-org", "y = 1 - x from W 0.3, b -0.3: b", HUNKIM, 0.9999908, 1e-4, measured="b"),
    Figure("lab02-tensorflow-org", "y = 1 - x: final cost", HUNKIM, "cost -> 0 (5.7e-11)", measured="cost"),
]

# training data
x_train = [1, 2, 3, 4]
y_train = [0, -1, -2, -3]


def main(argv=None):
    parser = cli.build_parser(
        "lab02-tensorflow-org",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=10,
        data=None,
        seed_help="graph seed; nothing here is random (W and b start at 0.3 and -0.3)",
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)

    # Model input and output
    x = tf.placeholder(tf.float32, name="x")
    y = tf.placeholder(tf.float32, name="y")

    # Model parameters
    with tf.name_scope("model"):
        W = tf.Variable([0.3], dtype=tf.float32, name="weight")
        b = tf.Variable([-0.3], dtype=tf.float32, name="bias")
        hypothesis = x * W + b

    # cost/loss function
    with tf.name_scope("cost"):
        cost = tf.reduce_sum(tf.square(hypothesis - y))  # sum of the squares
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("W", W[0])
        tf.summary.scalar("b", b[0])
    summary = tf.summary.merge_all()

    # training
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args)
        sess.run(tf.global_variables_initializer())

        costs = []
        for step in range(args.steps):
            s, cost_val, _ = sess.run([summary, cost, train], feed_dict={x: x_train, y: y_train})
            check_cost(cost_val, step)
            costs.append(float(cost_val))
            if step % args.summary_every == 0:
                writer.add_summary(s, global_step=step)

        # evaluate training accuracy
        W_val, b_val, cost_val = sess.run([W, b, cost], feed_dict={x: x_train, y: y_train})
        print(f"W: {W_val} b: {b_val} cost: {cost_val}")
        write_scalar(writer, "final/cost", cost_val, args.steps)
        writer.close()

    return finish(
        args,
        run_dir,
        epoch_costs=costs[::100] + [float(cost_val)],
        extra={"costs": costs},
        figures={
            "W": float(W_val[0]),
            "b": float(b_val[0]),
            "cost": Behaviour(f"cost {cost_val:.2g}", cost_val < 1e-8),
        },
    )


if __name__ == "__main__":
    main_guard(main)
