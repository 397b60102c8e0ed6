"""keras-tips, section 3: regularization, ``l1_l2`` on the regression's Dense(1).

The document's slide: "Let's not have too big numbers in the weight",
Loss = D(H(X|W, B), Y) + lambda * sum W^2, "W becomes small value", with Keras's

    from keras.regularizers import l1_l2
    reg = l1_l2(l1=0.01, l2=0.01)
    model.add(Dense(1, input_dim=x.shape[1], W_regularizer=reg))

The document's regression model and data are example 2's: the 8 rows of stock prices (open,
high, volume, low -> close) through its MinMaxScaler (+1e-5), ``Dense(units=1,
input_dim=X.shape[1], activation='linear')``, ``loss='mse'``, ``SGD(lr=0.01)``. It trains for
section 1's ``model.fit(X, Y, epochs=1000)``; Keras's default batch of 32 holds all 8 rows, so
an epoch is one full-batch step.

Two TensorBoard sub-runs start from the same weights: ``plain`` (mse only) and ``l1_l2`` (mse +
0.01 * sum|W| + 0.01 * sum W^2, Keras's loss with the penalty). Each prints its loss and the
norm of W every 100 epochs and logs ``summaries/weight_norm``; ``weight_norm.png`` draws the mse
and |W| of both per epoch. The slide's strengths follow, lambda 0, 0.001 and 1 on the L2 penalty
alone (sub-runs ``lambda0``, ``lambda0.001``, ``lambda1``, drawn in ``lambda_sweep.png``): the
larger lambda, the smaller W.
"""

import numpy as np

from common import cli, plots
from common.dense import l1_l2
from common.figures import KERAS_TIPS, Behaviour, Cases, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.01  # SGD(lr=0.01)
EPOCHS = 1000
L1 = L2 = 0.01  # l1_l2(l1=0.01, l2=0.01)
LAMBDAS = (0.0, 0.001, 1.0)  # the slide's regularization strengths
PRINT_EVERY = 100
SUMMARY_EVERY = 10

XY = np.array(
    [
        [828.659973, 833.450012, 908100, 828.349976, 831.659973],
        [823.02002, 828.070007, 1828100, 821.655029, 828.070007],
        [819.929993, 824.400024, 1438100, 818.97998, 824.159973],
        [816, 820.958984, 1008100, 815.48999, 819.23999],
        [819.359985, 823, 1188100, 818.469971, 818.97998],
        [819, 823, 1198100, 816, 820.450012],
        [811.700012, 815.25, 1098100, 809.780029, 813.669983],
        [809.51001, 816.659973, 1398100, 804.539978, 809.559998],
    ]
)


def MinMaxScaler(data):
    numerator = data - np.min(data, 0)
    denominator = np.max(data, 0) - np.min(data, 0)
    return numerator / (denominator + 1e-5)


def train_on(args, name, x_data, y_data, l1=0.0, l2=0.0):
    """Example 2's model with the penalty ``l1 * sum|W| + l2 * sum W^2`` (none when both are 0):
    the case's Result."""
    reg = l1_l2(l1, l2) if (l1 or l2) else None
    run_dir = run_folder(args, name)
    tf.reset_default_graph()  # a new graph for each case
    tf.set_random_seed(args.seed)  # the same seed: both cases start from the same W

    X = tf.placeholder(tf.float32, shape=[None, x_data.shape[1]], name="X")
    Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")
    # model.add(Dense(units=1, input_dim=X.shape[1], activation='linear', W_regularizer=reg))
    dense = tf.layers.Dense(
        1, kernel_initializer=tf.glorot_uniform_initializer(), kernel_regularizer=reg, name="dense"
    )
    hypothesis = dense(X)
    W = dense.kernel

    # compile(loss='mse', optimizer=sgd): Keras's loss adds the layer's penalty (0 without reg)
    with tf.name_scope("cost"):
        mse = tf.reduce_mean(tf.square(hypothesis - Y))
        cost = mse + tf.losses.get_regularization_loss()
    with tf.name_scope("train"):
        # sgd = optimizers.SGD(lr=0.01)
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)
    weight_norm = tf.norm(W, name="weight_norm")

    # TensorBoard: the loss, the mse and |W| as scalars, the weights as histograms
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("mse", mse)
        tf.summary.scalar("weight_norm", weight_norm)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        # the case's penalty for TensorBoard's HParams tab
        write_hparams(writer, args, case=name, l1=l1, l2=l2)
        sess.run(tf.global_variables_initializer())
        initial_W = sess.run(W)

        print(f"--- {name}: TensorBoard run {run_dir}")
        costs, mses, norms = [], [], []
        # model.fit(X, Y, epochs=1000): one step on all 8 rows per epoch
        for epoch in range(args.epochs):
            fetches = [cost, mse, weight_norm, train]
            if epoch % args.summary_every == 0:
                c, m, n, _, s = sess.run(fetches + [summary], feed_dict={X: x_data, Y: y_data})
                writer.add_summary(s, global_step=epoch)
            else:
                c, m, n, _ = sess.run(fetches, feed_dict={X: x_data, Y: y_data})
            check_cost(c, epoch)
            costs.append(float(c))
            mses.append(float(m))
            norms.append(float(n))
            if (epoch + 1) % PRINT_EVERY == 0 or epoch == 0:
                print(f"Epoch {epoch + 1}/{args.epochs} - loss: {c:.4f} - mse: {m:.4f} - |W|: {n:.4f}")

        W_val, mse_val, norm_val = sess.run([W, mse, weight_norm], feed_dict={X: x_data, Y: y_data})
        print("W:", W_val.ravel(), f"|W| = {norm_val:.4f}, mse = {mse_val:.4f}")
        write_scalar(writer, "test/weight_norm", norm_val, args.epochs)
        write_scalar(writer, "final/cost", costs[-1], args.epochs)  # the last step's loss
        writer.close()

    return finish(
        args,
        run_dir,
        epoch_costs=costs,
        extra={
            "weight": W_val.ravel().tolist(),
            "weight_norm": float(norm_val),
            "mse": float(mse_val),
            "initial_weight": initial_W.ravel().tolist(),
            "weight_norms": norms,
            "mses": mses,
        },
    )


FIGURES = [
    Figure(
        "keras02-regularization",
        "l1_l2(0.01, 0.01) on example 2's Dense(1), 1000 epochs",
        KERAS_TIPS,
        "W becomes small value",
        measured="smaller W",
    ),
    Figure(
        "keras02-regularization",
        "L2 at lambda 0, 0.001, 1: W shrinks as lambda grows",
        KERAS_TIPS,
        "W becomes small value",
        measured="shrinks with lambda",
    ),
]


def main(argv=None):
    parser = cli.build_parser(
        "keras02-regularization",
        __doc__,
        epochs=EPOCHS,
        learning_rate=LEARNING_RATE,
        summary_every=SUMMARY_EVERY,
        epochs_help="epochs, one full-batch step each",
        data=None,
    )  # the 8 rows are in this file: no --data-dir
    parser.add_argument("--l1", type=cli.positive_float, default=L1, help=f"l1 of l1_l2 (default {L1})")
    parser.add_argument("--l2", type=cli.positive_float, default=L2, help=f"l2 of l1_l2 (default {L2})")
    args = parser.parse_args(argv)
    xy = MinMaxScaler(XY)
    x_data, y_data = xy[:, 0:-1], xy[:, [-1]]
    folder = run_folder(args)

    penalty = f"l1_l2(l1={args.l1:g}, l2={args.l2:g})"
    results = {
        "plain": train_on(args, "plain", x_data, y_data),
        "l1_l2": train_on(args, "l1_l2", x_data, y_data, args.l1, args.l2),
    }
    # the slide's regularization strengths: Loss + lambda * sum W^2 at lambda 0, 0.001 and 1
    for strength in LAMBDAS:
        results[f"lambda{strength:g}"] = train_on(args, f"lambda{strength:g}", x_data, y_data, l2=strength)

    curves = {
        "no penalty": {"mse": results["plain"].extra["mses"], "|W|": results["plain"].extra["weight_norms"]},
        penalty: {"mse": results["l1_l2"].extra["mses"], "|W|": results["l1_l2"].extra["weight_norms"]},
    }
    figure = plots.compare_curves(curves, folder / "weight_norm.png", panels=("mse", "|W|"))
    print(f"figure: {figure}")
    print(
        f"\n|W| after {args.epochs} epochs: {results['plain'].extra['weight_norm']:.4f} without "
        f"a penalty, {results['l1_l2'].extra['weight_norm']:.4f} with {penalty}"
    )
    without, with_penalty = results["plain"].extra["weight_norm"], results["l1_l2"].extra["weight_norm"]
    smaller = Behaviour(f"norm of W {without:.4f} without, {with_penalty:.4f} with", with_penalty < without)
    sweep = {strength: results[f"lambda{strength:g}"].extra for strength in LAMBDAS}
    figure = plots.compare_curves(
        {
            f"lambda {strength:g}": {"mse": run["mses"], "|W|": run["weight_norms"]}
            for strength, run in sweep.items()
        },
        folder / "lambda_sweep.png",
        panels=("mse", "|W|"),
    )
    print(f"figure: {figure}")
    for strength, run in sweep.items():
        print(f"lambda {strength:g}: |W| = {run['weight_norm']:.4f}, mse = {run['mse']:.4f}")
    norms = [sweep[strength]["weight_norm"] for strength in LAMBDAS]
    shrinks = Behaviour(
        "|W| "
        + ", ".join(f"{norm:.4f}" for norm in norms)
        + " at lambda "
        + ", ".join(f"{x:g}" for x in LAMBDAS),
        norms[0] > norms[1] > norms[2],
    )
    return Cases(results, figures={"smaller W": smaller, "shrinks with lambda": shrinks})


if __name__ == "__main__":
    main_guard(main)
