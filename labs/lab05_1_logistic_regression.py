"""Lab 05-1: logistic regression, H(X) = sigmoid(X W + b), on six inline rows.

Two features per row and a 0/1 label; the cost is the cross-entropy
-mean(y log H + (1 - y) log(1 - H)); W and b start from ``random_normal``; 10,001 steps of
gradient descent at 0.01 print ``step cost`` every 200th step; then the hypothesis, the
predictions (H > 0.5) and the accuracy, as the original.

hunkim's lab-05-1 ends at cost 0.1495 with accuracy 1.0 (hypothesis [0.03 0.16 0.30 0.78 0.94
0.98]). The accuracy is a number row (within 0: every row right). The cost depends on the
random start, so it is a behaviour row: it falls below 0.2, from 1.73 at step 0 in the
original.
"""

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.01
STEPS = 10001
FIGURES = [
    Figure("lab05-logistic", "logistic regression, 6 rows: accuracy", HUNKIM, 1.0, 0.0),
    Figure(
        "lab05-logistic",
        "logistic regression, 6 rows: cost",
        HUNKIM,
        "cost falls below 0.2 (0.1495)",
        measured="cost",
    ),
]

x_data = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]]
y_data = [[0], [0], [0], [1], [1], [1]]


def main(argv=None):
    parser = cli.build_parser(
        "lab05-logistic", __doc__, steps=STEPS, learning_rate=LEARNING_RATE, summary_every=100, data=None
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=200, help="print a line every N steps (default 200)"
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # placeholders for a tensor that will be always fed.
    X = tf.placeholder(tf.float32, shape=[None, 2], name="X")
    Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")

    with tf.name_scope("model"):
        W = tf.Variable(tf.random_normal([2, 1]), name="weight")
        b = tf.Variable(tf.random_normal([1]), name="bias")
        # Hypothesis using sigmoid: tf.div(1., 1. + tf.exp(-tf.matmul(X, W) - b))
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

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        histogram("model/weight", W)
        histogram("model/hypothesis", hypothesis)
    summary = tf.summary.merge_all()

    # Launch graph
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args)
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        costs = []
        for step in range(args.steps):
            feed_dict = {X: x_data, Y: y_data}
            if step % args.summary_every == 0:
                writer.add_summary(sess.run(summary, feed_dict=feed_dict), global_step=step)
            cost_val, _ = sess.run([cost, train], feed_dict=feed_dict)
            check_cost(cost_val, step)
            costs.append(float(cost_val))
            if step % args.print_every == 0 or step == args.steps - 1:
                print(step, cost_val)

        # Accuracy report
        h, c, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        print("\nHypothesis: ", h, "\nCorrect (Y): ", c, "\nAccuracy: ", a)
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        write_scalar(writer, "final/accuracy", a, args.steps)
        writer.close()

    return finish(
        args,
        run_dir,
        accuracy=a,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={"hypothesis": h.ravel().tolist(), "predicted": c.ravel().tolist()},
        figures={"cost": Behaviour(f"cost {costs[-1]:.4f}", costs[-1] < 0.2)},
    )


if __name__ == "__main__":
    main_guard(main)
