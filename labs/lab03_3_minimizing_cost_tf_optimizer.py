"""Lab 03-3: the same minimisation by ``tf.train.GradientDescentOptimizer``.

H(x) = W x on y = x at x = 1, 2, 3, written into the graph as constants; W starts at 5.0 (fixed:
nothing is random); 101 steps at learning rate 0.1 print ``step W``, as the original. The
optimizer takes the full gradient, 2 mean((W x - y) x), so the first step jumps from 5.0 to
1.2666664 and W is 1.0 within float32 from about step 10 on.

hunkim's lab-03-3 prints W 5.0 at step 0, 1.2666664 at step 1 and 1.0 at step 100: number rows,
within 1e-5 (float32 rounding).
"""

from common import cli
from common.figures import HUNKIM, Figure
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 101
FIGURES = [
    Figure(
        "lab03-optimizer",
        "GradientDescentOptimizer from W = 5: W after 1 step",
        HUNKIM,
        1.2666664,
        1e-5,
        measured="W step 1",
    ),
    Figure(
        "lab03-optimizer",
        "GradientDescentOptimizer from W = 5: W at step 100",
        HUNKIM,
        1.0,
        1e-5,
        measured="W step 100",
    ),
]

# tf Graph Input
X = [1, 2, 3]
Y = [1, 2, 3]


def main(argv=None):
    parser = cli.build_parser(
        "lab03-optimizer",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=1,
        data=None,
        seed_help="graph seed; nothing here is random (W starts at 5.0)",
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)

    # Set wrong model weights
    with tf.name_scope("model"):
        W = tf.Variable(5.0, name="weight")
        # Linear model
        hypothesis = X * W

    # cost/loss function
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))
    # Minimize: Gradient Descent Optimizer
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("W", W)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args)
        sess.run(tf.global_variables_initializer())

        weights, costs = [], []
        for step in range(args.steps):
            # W and the cost before this step's update, as the original prints them
            s, W_val, cost_val = sess.run([summary, W, cost])
            check_cost(cost_val, step)
            if step % args.summary_every == 0:
                writer.add_summary(s, global_step=step)
            sess.run(train)
            print(step, W_val)
            weights.append(float(W_val))
            costs.append(float(cost_val))
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        writer.close()

    figures = {f"W step {step}": weights[step] for step in (1, 100) if step < len(weights)}
    return finish(args, run_dir, epoch_costs=costs, extra={"W": weights, "costs": costs}, figures=figures)


if __name__ == "__main__":
    main_guard(main)
