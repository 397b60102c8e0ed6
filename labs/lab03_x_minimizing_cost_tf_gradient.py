"""Lab 03-X (optional in the lecture): the optimizer's gradients, taken apart.

``optimizer.minimize(cost)`` is two calls: ``compute_gradients`` gives (gradient, variable)
pairs, which a program may change (clip them, say) before ``apply_gradients`` applies them.
For H(x) = W x on y = x at x = 1, 2, 3, from W = 5.0 (fixed: nothing is random), the lab also
writes the gradient by hand, 2 mean((W x - y) x), and prints ``step gradient [(gradient, W)]``
for 101 steps at learning rate 0.01, as the original.

hunkim's lab-03-X prints the gradient 37.333332 at step 0 (W 5.0) and W 1.0002222 at step 100
(gradient 0.0020739): number rows, within 1e-3 and 1e-5 (float32 rounding). The hand-written
gradient equals ``compute_gradients``' at every step (a behaviour row: within 1e-4 of it).
``--clip`` applies the lecture's optional ``tf.clip_by_value(grad, -1, 1)`` between the two calls.
"""

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.01
STEPS = 101
FIGURES = [
    Figure(
        "lab03-compute-gradients",
        "gradient at W = 5 (step 0)",
        HUNKIM,
        37.333332,
        1e-3,
        measured="gradient step 0",
    ),
    Figure(
        "lab03-compute-gradients",
        "apply_gradients from W = 5: W at step 100",
        HUNKIM,
        1.0002222,
        1e-5,
        measured="W step 100",
    ),
    Figure(
        "lab03-compute-gradients",
        "hand-written gradient = compute_gradients'",
        HUNKIM,
        "the same at every step",
        measured="agree",
    ),
]

# tf Graph Input
X = [1, 2, 3]
Y = [1, 2, 3]


def main(argv=None):
    parser = cli.build_parser(
        "lab03-compute-gradients",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=1,
        data=None,
        seed_help="graph seed; nothing here is random (W starts at 5.0)",
    )
    parser.add_argument(
        "--clip", action="store_true", help="clip the gradients to [-1, 1] before applying them (default off)"
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

    # Manual gradient
    with tf.name_scope("manual_gradient"):
        gradient = tf.reduce_mean((W * X - Y) * X) * 2

    # cost/loss function
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))

    with tf.name_scope("train"):
        # Minimize: Gradient Descent Optimizer
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate)
        # Get gradients
        gvs = optimizer.compute_gradients(cost, var_list=[W])
        # Optional: modify gradient if necessary
        if args.clip:
            gvs = [(tf.clip_by_value(grad, -1.0, 1.0), var) for grad, var in gvs]
        # Apply gradients
        apply_gradients = optimizer.apply_gradients(gvs)

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("W", W)
        tf.summary.scalar("gradient/manual", gradient)
        tf.summary.scalar("gradient/compute_gradients", gvs[0][0])
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, clip=args.clip)
        sess.run(tf.global_variables_initializer())

        rows = []
        for step in range(args.steps):
            # the gradients and W before this step's update, then the update
            s, gradient_val, gvs_val, cost_val = sess.run([summary, gradient, gvs, cost])
            check_cost(cost_val, step)
            if step % args.summary_every == 0:
                writer.add_summary(s, global_step=step)
            sess.run(apply_gradients)
            print(step, gradient_val, "[" + ", ".join(f"({g!s}, {v!s})" for g, v in gvs_val) + "]")
            rows.append((float(gradient_val), float(gvs_val[0][0]), float(gvs_val[0][1]), float(cost_val)))
        write_scalar(writer, "final/cost", rows[-1][3], args.steps)
        writer.close()

    manual, automatic, weights, costs = (list(column) for column in zip(*rows))
    # clipped gradients differ from the hand-written ones by design
    gap = max(abs(m - a) for m, a in zip(manual, automatic))
    figures = {"gradient step 0": manual[0]}
    if len(weights) > 100:
        figures["W step 100"] = weights[100]
    if not args.clip:
        figures["agree"] = Behaviour(f"largest gap {gap:.1e}", gap < 1e-4)
    return finish(
        args,
        run_dir,
        epoch_costs=costs,
        extra={"manual": manual, "compute_gradients": automatic, "W": weights, "costs": costs},
        figures=figures,
    )


if __name__ == "__main__":
    main_guard(main)
