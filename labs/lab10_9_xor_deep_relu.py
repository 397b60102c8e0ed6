"""Lab 10-9 (notes 10-1; not in the original): a deep XOR net, sigmoid vs ReLU.

2-5-5-5-5-5-5-5-5-5-5-1: eleven weight layers, random_uniform[-1, 1] weights, zero biases,
gradient descent. With sigmoid hidden layers the cost stays at 0.6931 and every output at 0.5,
accuracy 0.5: the gradient fades layer by layer on its way back. The same net with ReLU hidden
layers reaches cost ~2.6e-6, accuracy 1.0 (notes-09-11, ~200,000 steps).

Both nets are trained in one run, as sub-runs ``1-sigmoid`` and ``2-relu`` (numbered to keep the
lecture's order in TensorBoard's run list); TensorBoard shows each layer's gradient norm
(``summaries/gradient_norm/layerN``) side by side.
"""

import numpy as np

from common import cli
from common.figures import NOTES_09_11, Cases, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 200001
PRINT_EVERY = 20000
SUMMARY_EVERY = 500
WIDTHS = [2] + [5] * 10 + [1]  # eleven weight layers: W1 [2, 5], W2..W10 [5, 5], W11 [5, 1]
ACTIVATIONS = ("sigmoid", "relu")
FIGURES = [
    Figure(
        "lab10-xor-deep",
        "deep XOR sigmoid: vanishing gradient",
        NOTES_09_11,
        0.5,
        0.0,
        measured="sigmoid/accuracy",
    ),
    Figure("lab10-xor-deep", "deep XOR ReLU", NOTES_09_11, 1.0, 0.0, measured="relu/accuracy"),
]

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


def train_with(args, name):
    """The lecture's program with ``name`` ("sigmoid" or "relu") in the hidden layers."""
    activation = {"sigmoid": tf.sigmoid, "relu": tf.nn.relu}[name]
    run_dir = run_folder(args, case=f"{ACTIVATIONS.index(name) + 1}-{name}")

    tf.reset_default_graph()  # a new graph for each activation
    tf.set_random_seed(args.seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")

    # Our hypothesis: L1 = activation(X W1 + b1), ..., L10; the output layer is a sigmoid
    L, weights = X, []
    for i, (fan_in, fan_out) in enumerate(zip(WIDTHS, WIDTHS[1:]), start=1):
        with tf.name_scope(f"layer{i}"):
            W = tf.Variable(tf.random_uniform([fan_in, fan_out], -1.0, 1.0), name=f"weight{i}")
            b = tf.Variable(tf.zeros([fan_out]), name=f"bias{i}")
            L = (tf.sigmoid if i == len(WIDTHS) - 1 else activation)(tf.matmul(L, W) + b)
            weights.append(W)
    hypothesis = L

    # cost/loss function
    with tf.name_scope("cost"):
        cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
    # minimize() in its two halves, to look at the gradients on the way
    with tf.name_scope("train"):
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate)
        gradients = optimizer.compute_gradients(cost)
        train = optimizer.apply_gradients(gradients)
    # the vanishing gradient: the size of each layer's weight gradient
    with tf.name_scope("gradient_norm"):
        gradient_of = {var: grad for grad, var in gradients}
        norms = {
            f"gradient_norm/layer{i}": tf.norm(gradient_of[W], name=f"layer{i}")
            for i, W in enumerate(weights, start=1)
        }

    # Accuracy computation: True if hypothesis > 0.5 else False
    with tf.name_scope("accuracy"):
        predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

    # TensorBoard: cost, accuracy and the gradient norms, the weights as histograms
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        for tag, norm in norms.items():
            tf.summary.scalar(tag, norm)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
    summary = tf.summary.merge_all()

    # Launch graph
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, activation=name, net="2-5x10-1", init="random_uniform")
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        print(f"{args.lab} {name}: TensorBoard run {run_dir}")
        costs = []
        for step in range(args.steps):
            if step % args.summary_every == 0:
                s, cost_val, _ = sess.run([summary, cost, train], feed_dict={X: x_data, Y: y_data})
                writer.add_summary(s, global_step=step)
            else:
                cost_val, _ = sess.run([cost, train], feed_dict={X: x_data, Y: y_data})
            check_cost(cost_val, step)
            costs.append(float(cost_val))
            if step % PRINT_EVERY == 0 or step == args.steps - 1:
                h_val = sess.run(hypothesis, feed_dict={X: x_data})
                print(
                    f"{step} [{cost_val:.8f}, {h_val!r}]"
                )  # the notes' print(step, sess.run([cost, hypothesis]))

        # Accuracy report
        h, p, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        write_scalar(writer, "test/accuracy", a, args.steps)
        # the HParams tab's metrics: the last step's cost, the accuracy on the four rows
        write_scalar(writer, "final/cost", cost_val, args.steps)
        write_scalar(writer, "final/accuracy", a, args.steps)
        norm_values = sess.run(norms, feed_dict={X: x_data, Y: y_data})
        print(repr([h, p]))  # the notes' [array(hypothesis), array(predicted)]
        print("Accuracy:", a)
        for tag, value in norm_values.items():
            print(f"{tag}: {value:.3g}")
        writer.close()

    return finish(
        args,
        run_dir,
        accuracy=a,
        epoch_costs=costs[::PRINT_EVERY] + costs[-1:],
        extra={"hypothesis": h.ravel().tolist(), **{tag: float(value) for tag, value in norm_values.items()}},
    )


def main(argv=None):
    parser = cli.build_parser(
        "lab10-xor-deep",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=SUMMARY_EVERY,
        steps_help="full-batch steps per activation",
        data=None,
    )
    parser.add_argument(
        "--activation",
        choices=sorted(ACTIVATIONS),
        action="append",
        help="train only this one (repeat the flag for both; default: both)",
    )
    args = parser.parse_args(argv)
    return Cases({name: train_with(args, name) for name in args.activation or list(ACTIVATIONS)})


if __name__ == "__main__":
    main_guard(main)
