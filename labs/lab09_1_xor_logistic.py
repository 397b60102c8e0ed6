"""Lab 09-1: XOR with logistic regression (one sigmoid unit, 2 -> 1).

A line cannot separate XOR: after 10,001 gradient-descent steps at learning rate 0.1 the cost
stays at 0.6931 (= ln 2), the weights shrink towards 0 (1.2e-7 in the lecture), every output is
0.5 and the accuracy is 0.5 (notes-09-11).
"""

import numpy as np

from common import cli
from common.figures import NOTES_09_11, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 10001
PRINT_EVERY = 1000
SUMMARY_EVERY = 100
FIGURES = [Figure("lab09-xor-logistic", "XOR logistic regression", NOTES_09_11, 0.5, 0.0)]

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


def main(argv=None):
    args = cli.build_parser(
        "lab09-xor-logistic",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=SUMMARY_EVERY,
        data=None,
    ).parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")

    with tf.name_scope("logistic"):
        W = tf.Variable(tf.random_normal([2, 1]), name="weight")
        b = tf.Variable(tf.random_normal([1]), name="bias")
        # Hypothesis using sigmoid: tf.div(1., 1. + tf.exp(tf.matmul(X, W)))
        hypothesis = tf.sigmoid(tf.matmul(X, W) + b)

    # cost/loss function
    with tf.name_scope("cost"):
        cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    # Accuracy computation: True if hypothesis > 0.5 else False
    with tf.name_scope("accuracy"):
        predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

    # TensorBoard: cost and accuracy, the weights and the output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
        histogram("logistic/hypothesis", hypothesis)
    summary = tf.summary.merge_all()

    # Launch graph
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, net="2-1", optimizer="gradient_descent")
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
                print(step, cost_val, sess.run(W))  # the weights fade towards 0

        # Accuracy report
        h, c, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        print("\nHypothesis: ", h, "\nCorrect: ", c, "\nAccuracy: ", a)
        write_scalar(writer, "test/accuracy", a, args.steps)
        # the HParams tab's metrics: the last step's cost, the accuracy on the four rows
        write_scalar(writer, "final/cost", cost_val, args.steps)
        write_scalar(writer, "final/accuracy", a, args.steps)
        writer.close()

    return finish(
        args,
        run_dir,
        accuracy=a,
        epoch_costs=costs[::PRINT_EVERY] + costs[-1:],
        extra={"hypothesis": h.ravel().tolist()},
    )


if __name__ == "__main__":
    main_guard(main)
