"""Lab 09-x (notes 09-2): back-propagation written by hand for the 2-2-1 XOR net.

The chain rule from the lecture, layer by layer, gives the gradients of the logistic cost; they
update the weights with plain gradient descent. A twin net starting from the same weights is
trained by TensorFlow's automatic differentiation; the original series shows the two agree to
~1e-7. This lab reports the largest gap between the hand-written and automatic gradients, and
between the two nets' outputs after training.
"""

import numpy as np

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 10001
PRINT_EVERY = 1000
SUMMARY_EVERY = 100
FIGURES = [
    Figure(
        "lab09-xor-backprop", "backprop by hand = autodiff", HUNKIM, "outputs agree ~1e-7", measured="agree"
    )
]

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


def main(argv=None):
    args = cli.build_parser(
        "lab09-xor-backprop",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=SUMMARY_EVERY,
        data=None,
    ).parse_args(argv)
    learning_rate = args.learning_rate
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")

    with tf.name_scope("by_hand"):
        W1 = tf.Variable(tf.random_normal([2, 2]), name="weight1")
        b1 = tf.Variable(tf.random_normal([2]), name="bias1")
        W2 = tf.Variable(tf.random_normal([2, 1]), name="weight2")
        b2 = tf.Variable(tf.random_normal([1]), name="bias2")

        # Forward prop:  X -> (*W1 +b1) = a1 -> sigmoid = layer1 -> (*W2 +b2) = a2 -> sigmoid
        layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)
        hypothesis = tf.sigmoid(tf.matmul(layer1, W2) + b2)
        # cost/loss function
        cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))

        # Back prop (chain rule), from the cost back to each weight
        n = tf.cast(tf.shape(X)[0], tf.float32)
        # d cost / d hypothesis, for the mean over the n rows
        d_hypothesis = (hypothesis - Y) / (hypothesis * (1 - hypothesis)) / n
        # Layer 2: hypothesis = sigmoid(a2), sigmoid' = h (1 - h); a2 = layer1 W2 + b2
        d_a2 = d_hypothesis * hypothesis * (1 - hypothesis)
        d_W2 = tf.matmul(tf.transpose(layer1), d_a2)
        d_b2 = tf.reduce_sum(d_a2, axis=0)
        # Layer 1: back through W2 into layer1 = sigmoid(a1); a1 = X W1 + b1
        d_layer1 = tf.matmul(d_a2, tf.transpose(W2))
        d_a1 = d_layer1 * layer1 * (1 - layer1)
        d_W1 = tf.matmul(tf.transpose(X), d_a1)
        d_b1 = tf.reduce_sum(d_a1, axis=0)

        # Weight update: every gradient (and the cost) is computed before any weight changes
        gradients = [d_W1, d_b1, d_W2, d_b2]
        with tf.control_dependencies(gradients + [cost]):
            hand_step = [
                W1.assign_sub(learning_rate * d_W1),
                b1.assign_sub(learning_rate * d_b1),
                W2.assign_sub(learning_rate * d_W2),
                b2.assign_sub(learning_rate * d_b2),
            ]

    with tf.name_scope("autodiff"):
        # the twin starts from the same values: its initializers read the same random draws
        W1_auto = tf.Variable(W1.initial_value, name="weight1")
        b1_auto = tf.Variable(b1.initial_value, name="bias1")
        W2_auto = tf.Variable(W2.initial_value, name="weight2")
        b2_auto = tf.Variable(b2.initial_value, name="bias2")
        layer1_auto = tf.sigmoid(tf.matmul(X, W1_auto) + b1_auto)
        hypothesis_auto = tf.sigmoid(tf.matmul(layer1_auto, W2_auto) + b2_auto)
        cost_auto = -tf.reduce_mean(Y * tf.log(hypothesis_auto) + (1 - Y) * tf.log(1 - hypothesis_auto))
        auto_step = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost_auto)

    with tf.name_scope("compare"):
        # TensorFlow's gradients of the hand net's cost, beside the hand-written ones
        autodiff_of_hand_net = tf.gradients(cost, [W1, b1, W2, b2])
        gradient_gap = tf.reduce_max(
            [tf.reduce_max(tf.abs(mine - theirs)) for mine, theirs in zip(gradients, autodiff_of_hand_net)]
        )
        output_gap = tf.reduce_max(tf.abs(hypothesis - hypothesis_auto))

    # one training step moves both nets
    train = tf.group(hand_step, auto_step)

    # Accuracy computation (of the hand net): True if hypothesis > 0.5 else False
    with tf.name_scope("accuracy"):
        predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

    # TensorBoard: cost, accuracy and both gaps, the weights of both nets and layer1
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        tf.summary.scalar("gradient_gap", gradient_gap)
        tf.summary.scalar("output_gap", output_gap)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
        histogram("by_hand/layer1", layer1)
    summary = tf.summary.merge_all()

    # Launch graph
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, net="2-2-1", optimizer="gradient_descent", gradients="by hand")
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

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
                print(step, cost_val)

        # Accuracy report
        h, p, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        write_scalar(writer, "test/accuracy", a, args.steps)
        # the HParams tab's metrics: the last step's cost, the accuracy on the four rows
        write_scalar(writer, "final/cost", cost_val, args.steps)
        write_scalar(writer, "final/accuracy", a, args.steps)
        gaps = sess.run(
            {"gradient_gap": gradient_gap, "output_gap": output_gap}, feed_dict={X: x_data, Y: y_data}
        )
        print("\nHypothesis:\n{}\nPredicted:\n{}\nAccuracy:\n{}".format(h, p, a))
        # by hand = autodiff: both gaps are float32 rounding (~1e-7)
        print("gradient_gap: {:.3g}".format(gaps["gradient_gap"]))
        print("output_gap: {:.3g}".format(gaps["output_gap"]))
        writer.close()

    return finish(
        args,
        run_dir,
        accuracy=a,
        epoch_costs=costs[::PRINT_EVERY] + costs[-1:],
        extra={"hypothesis": h.ravel().tolist(), **{name: float(value) for name, value in gaps.items()}},
        figures={
            "agree": Behaviour(f"outputs agree to {gaps['output_gap']:.1e}", float(gaps["output_gap"]) < 1e-5)
        },
    )


if __name__ == "__main__":
    main_guard(main)
