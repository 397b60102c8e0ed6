"""Lab 03-2: gradient descent written by hand, W := W - learning_rate * d cost / dW.

For H(x) = W x on y = x at x = 1, 2, 3, the lecture's gradient (the factor 2 of the square
folded into the learning rate) is mean((W x - y) x); ``W.assign`` applies it at learning rate
0.1. W starts from ``random_normal``; 21 steps print ``step cost W``, as the original.

hunkim's lab-03-2 starts at W 1.6446 and reaches 1.0000023 at step 20 (cost 2.3e-11). Each step
multiplies W - 1 by 1 - 0.1 * 14 / 3 = 0.533, whatever the start, so the row is a behaviour: W
ends within 1e-4 of 1 and the cost falls at every step.
"""

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 21
FIGURES = [
    Figure(
        "lab03-gradient-by-hand",
        "W -= lr * gradient, 21 steps: W -> 1",
        HUNKIM,
        "W -> 1, cost falls every step (1.0000023)",
        measured="learns",
    ),
]

x_data = [1, 2, 3]
y_data = [1, 2, 3]


def main(argv=None):
    parser = cli.build_parser(
        "lab03-gradient-by-hand",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=1,
        data=None,
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # Try to find values for W to compute y_data = W * x_data; we know that W should be 1
    with tf.name_scope("model"):
        W = tf.Variable(tf.random_normal([1]), name="weight")
    X = tf.placeholder(tf.float32, name="X")
    Y = tf.placeholder(tf.float32, name="Y")
    with tf.name_scope("model"):
        # Our hypothesis for linear model X * W
        hypothesis = X * W

    # cost/loss function
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))

    # Minimize: Gradient Descent using derivative: W -= learning_rate * derivative
    with tf.name_scope("gradient_descent"):
        gradient = tf.reduce_mean((W * X - Y) * X)
        descent = W - args.learning_rate * gradient
        update = W.assign(descent)

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("W", W[0])
        tf.summary.scalar("gradient", gradient)
    summary = tf.summary.merge_all()

    # Launch the graph in a session.
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, gradient="by hand")
        sess.run(tf.global_variables_initializer())

        costs, weights = [], []
        for step in range(args.steps):
            feed_dict = {X: x_data, Y: y_data}
            if step % args.summary_every == 0:
                writer.add_summary(sess.run(summary, feed_dict=feed_dict), global_step=step)
            _, cost_val, W_val = sess.run([update, cost, W], feed_dict=feed_dict)
            check_cost(cost_val, step)
            print(step, cost_val, W_val)
            costs.append(float(cost_val))
            weights.append(float(W_val[0]))
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        writer.close()

    falls = all(later < earlier or later == 0 for earlier, later in zip(costs, costs[1:]))
    return finish(
        args,
        run_dir,
        epoch_costs=costs,
        extra={"W": weights, "costs": costs},
        figures={
            "learns": Behaviour(
                f"W {weights[-1]:.7f}, cost {costs[-1]:.2g}" + ("" if falls else "; the cost rose"),
                abs(weights[-1] - 1) < 1e-4 and falls,
            )
        },
    )


if __name__ == "__main__":
    main_guard(main)
