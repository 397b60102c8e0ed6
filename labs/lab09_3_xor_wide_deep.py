"""Lab 09-3 (notes 09-1): XOR wide and deep, 2-10-10-10-1 sigmoid.

Wider and deeper than the 2-2-1 net, trained the same way (GD 0.1, 10,001 steps): accuracy 1.0
with outputs closer to 0 and 1 (notes-09-11: [0.0019 .. 0.9988]).
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
FIGURES = [Figure("lab09-xor-wide-deep", "XOR 2-10-10-10-1", NOTES_09_11, 1.0, 0.0)]

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


def main(argv=None):
    args = cli.build_parser(
        "lab09-xor-wide-deep",
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

    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_normal([2, 10]), name="weight1")
        b1 = tf.Variable(tf.random_normal([10]), name="bias1")
        layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)
    with tf.name_scope("layer2"):
        W2 = tf.Variable(tf.random_normal([10, 10]), name="weight2")
        b2 = tf.Variable(tf.random_normal([10]), name="bias2")
        layer2 = tf.sigmoid(tf.matmul(layer1, W2) + b2)
    with tf.name_scope("layer3"):
        W3 = tf.Variable(tf.random_normal([10, 10]), name="weight3")
        b3 = tf.Variable(tf.random_normal([10]), name="bias3")
        layer3 = tf.sigmoid(tf.matmul(layer2, W3) + b3)
    with tf.name_scope("layer4"):
        W4 = tf.Variable(tf.random_normal([10, 1]), name="weight4")
        b4 = tf.Variable(tf.random_normal([1]), name="bias4")
        hypothesis = tf.sigmoid(tf.matmul(layer3, W4) + b4)

    # cost/loss function
    with tf.name_scope("cost"):
        cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    # Accuracy computation: True if hypothesis > 0.5 else False
    with tf.name_scope("accuracy"):
        predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

    # TensorBoard: cost and accuracy, the weights and each layer's output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
        histogram("layer1/output", layer1)
        histogram("layer2/output", layer2)
        histogram("layer3/output", layer3)
        histogram("layer4/output", hypothesis)
    summary = tf.summary.merge_all()

    # Launch graph
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, net="2-10-10-10-1", optimizer="gradient_descent")
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
        h, c, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        print("\nHypothesis: ", h, "\nCorrect: ", c, "\nAccuracy: ", a)  # the notes' form
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
