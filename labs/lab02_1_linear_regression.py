"""Lab 02-1: linear regression, H(x) = W x + b, learned on three rows by gradient descent.

The data are y = x at x = 1, 2, 3, written into the graph as constants (placeholders come in lab
02-2). W and b start from ``random_normal`` and 2,001 gradient-descent steps at learning rate
0.01 minimise the mean squared error; every 20th step prints ``step cost W b``, as the original.

hunkim's lab-02-1 learns W 1.0040, b -0.0092 (cost 1.2e-5 at step 2000) and says the best fit is
W = 1, b = 0. Its numbers depend on its random start, which TensorFlow 2 draws differently, so
the row is a behaviour: W ends within 0.01 of 1 and b within 0.03 of 0 (the original's own gaps
are 0.004 and 0.009).
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
        "lab02-linear-regression",
        "y = x, 2,000 GD steps: learns W = 1, b = 0",
        HUNKIM,
        "W -> 1, b -> 0 (1.0040, -0.0092)",
        measured="learns",
    ),
]

# X and Y data
x_train = [1, 2, 3]
y_train = [1, 2, 3]


def main(argv=None):
    parser = cli.build_parser(
        "lab02-linear-regression",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=20,
        data=None,
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=20, help="print a line every N steps (default 20)"
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # Try to find values for W and b to compute y_train = W * x_train + b
    with tf.name_scope("model"):
        W = tf.Variable(tf.random_normal([1]), name="weight")
        b = tf.Variable(tf.random_normal([1]), name="bias")
        # Our hypothesis XW+b
        hypothesis = x_train * W + b

    # cost/loss function
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - y_train))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("W", W[0])
        tf.summary.scalar("b", b[0])
        histogram("model/weight", W)
    summary = tf.summary.merge_all()

    # Launch the graph in a session.
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args)
        # Initializes global variables in the graph.
        sess.run(tf.global_variables_initializer())

        # Fit the line
        costs = []
        for step in range(args.steps):
            if step % args.summary_every == 0:
                writer.add_summary(sess.run(summary), global_step=step)  # before the step, as printed
            _, cost_val, W_val, b_val = sess.run([train, cost, W, b])
            check_cost(cost_val, step)
            costs.append(float(cost_val))
            if step % args.print_every == 0 or step == args.steps - 1:
                print(step, cost_val, W_val, b_val)

        weight, bias = (float(v[0]) for v in sess.run([W, b]))
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        writer.close()

    print(f"Learns best fit W: {weight:.4f}, b: {bias:.4f} (the best fit is W = 1, b = 0)")
    return finish(
        args,
        run_dir,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={"W": weight, "b": bias, "costs": costs},
        figures={
            "learns": Behaviour(f"W {weight:.4f}, b {bias:.4f}", abs(weight - 1) < 0.01 and abs(bias) < 0.03),
        },
    )


if __name__ == "__main__":
    main_guard(main)
