"""Lab 06-1: softmax classification of eight inline rows into three classes (one-hot labels).

Four features per row, labels one-hot over three classes; H(X) = softmax(X W + b), the cost the
cross-entropy mean(-sum(Y log H)); W and b start from ``random_normal``; 2,001 steps of
gradient descent at 0.1 print ``step cost`` every 200th. Then the lecture asks for three new
rows, one at a time and all together, and prints each probability row with its ``argmax``.

hunkim's lab-06-1 ends at cost 0.1522 and answers [1], [0], [2] for (1, 11, 7, 9), (1, 3, 4, 3)
and (1, 1, 0, 1), and [1 0 2] for the three at once. The answers are a behaviour row (the same
classes); the cost, which depends on the random start, another (below 0.2, from 6.93).
"""

import numpy as np

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 2001
FIGURES = [
    Figure(
        "lab06-softmax", "softmax, 8 rows: classes of the 3 new rows", HUNKIM, "[1 0 2]", measured="answers"
    ),
    Figure(
        "lab06-softmax", "softmax, 8 rows: cost", HUNKIM, "cost falls below 0.2 (0.1522)", measured="cost"
    ),
]

x_data = [
    [1, 2, 1, 1],
    [2, 1, 3, 2],
    [3, 1, 3, 4],
    [4, 1, 5, 5],
    [1, 7, 5, 5],
    [1, 2, 5, 6],
    [1, 6, 6, 6],
    [1, 7, 7, 7],
]
y_data = [[0, 0, 1], [0, 0, 1], [0, 0, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]]
nb_classes = 3
# the rows the lecture asks about, one at a time
QUESTIONS = ([[1, 11, 7, 9]], [[1, 3, 4, 3]], [[1, 1, 0, 1]])


def main(argv=None):
    parser = cli.build_parser(
        "lab06-softmax", __doc__, steps=STEPS, learning_rate=LEARNING_RATE, summary_every=20, data=None
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=200, help="print a line every N steps (default 200)"
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    X = tf.placeholder("float", [None, 4], name="X")
    Y = tf.placeholder("float", [None, nb_classes], name="Y")

    with tf.name_scope("softmax"):
        W = tf.Variable(tf.random_normal([4, nb_classes]), name="weight")
        b = tf.Variable(tf.random_normal([nb_classes]), name="bias")
        # tf.nn.softmax computes softmax activations: exp(logits) / reduce_sum(exp(logits), dim)
        hypothesis = tf.nn.softmax(tf.matmul(X, W) + b)

    # Cross entropy cost/loss
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
    with tf.name_scope("train"):
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        histogram("softmax/weight", W)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args)
        sess.run(tf.global_variables_initializer())

        costs = []
        for step in range(args.steps):
            feed_dict = {X: x_data, Y: y_data}
            if step % args.summary_every == 0:
                writer.add_summary(sess.run(summary, feed_dict=feed_dict), global_step=step)
            _, cost_val = sess.run([optimizer, cost], feed_dict=feed_dict)
            check_cost(cost_val, step)
            costs.append(float(cost_val))
            if step % args.print_every == 0 or step == args.steps - 1:
                print(step, cost_val)

        print("--------------")
        # Testing & One-hot encoding
        for question in QUESTIONS:
            a = sess.run(hypothesis, feed_dict={X: question})
            print(a, sess.run(tf.argmax(a, 1)))
            print("--------------")
        all_rows = sess.run(hypothesis, feed_dict={X: [row for question in QUESTIONS for row in question]})
        answers = sess.run(tf.argmax(all_rows, 1))
        print(all_rows, answers)
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        writer.close()

    shown = str(np.asarray(answers))
    return finish(
        args,
        run_dir,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={"probabilities": all_rows.tolist(), "answers": answers.tolist()},
        figures={
            "answers": Behaviour(shown, answers.tolist() == [1, 0, 2]),
            "cost": Behaviour(f"cost {costs[-1]:.4f}", costs[-1] < 0.2),
        },
    )


if __name__ == "__main__":
    main_guard(main)
