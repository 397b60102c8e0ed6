"""Lab 09-8 (notes 09-1; not in the original): XOR by hand, with the lecture's weights.

No training: the lecture sets the weights by hand and works the four inputs through

    K = sigmoid(X W1 + b1),          W1 = [[5, -7], [5, -7]], b1 = [-8, 3]
    hypothesis = sigmoid(K W2 + b2), W2 = [[-11], [-11]],     b2 = [6]

and fills in the table x1, x2 | y1, y2 | y-hat | XOR: y-hat is XOR in every row.

The notes' own table does not all follow from these weights. From W1's first column,
y1 = sigmoid(5 x1 + 5 x2 - 8) is sigmoid(-3) = 0.05 for (0, 1) and sigmoid(2) = 0.88 for
(1, 1), but the notes write y1 = 1 for (0, 1) and y1 = 0 for (1, 1): the two rows' y1 are
swapped. Their y-hat column is right, but does not follow from their y1 (it would give
sigmoid(-5) = 0 for (0, 1) and sigmoid(6) = 1 for (1, 1)).
The notes' second sum also writes W1's second column as [-1, -1]; it is [-7, -7] (for the
input (0, 0) that sum works out, both give 3). The lab prints the table the weights give and
names the rows where the notes differ.
"""

import numpy as np

from common import cli
from common.figures import NOTES_09_11, Behaviour, Figure
from common.lab import finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)

COLUMNS = ["x1", "x2", "y1", "y2", "y-hat", "XOR"]
NOTES_TABLE = [[0, 0, 0, 1, 0, 0], [0, 1, 1, 0, 1, 1], [1, 0, 0, 0, 1, 1], [1, 1, 0, 0, 0, 0]]
XOR = [0, 1, 1, 0]
FIGURES = [
    Figure(
        "lab09-xor-by-hand",
        "XOR by hand: the lecture's weights",
        NOTES_09_11,
        "y-hat = XOR",
        measured="y-hat",
    )
]


def main(argv=None):
    args = cli.build_parser(
        "lab09-xor-by-hand",
        __doc__,
        data=None,
        seed_help="graph seed; nothing here is random, it only names the run",
    ).parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # nothing is drawn here; every lab starts this way

    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")

    # the lecture's weights, set by hand
    with tf.name_scope("layer1"):
        W1 = tf.Variable([[5.0, -7.0], [5.0, -7.0]], name="weight1")
        b1 = tf.Variable([-8.0, 3.0], name="bias1")
        K = tf.sigmoid(tf.matmul(X, W1) + b1)
    with tf.name_scope("layer2"):
        W2 = tf.Variable([[-11.0], [-11.0]], name="weight2")
        b2 = tf.Variable([6.0], name="bias2")
        hypothesis = tf.sigmoid(tf.matmul(K, W2) + b2)

    # Accuracy computation: True if hypothesis > 0.5 else False
    with tf.name_scope("accuracy"):
        predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

    # TensorBoard: the graph, the hand-set weights and each layer's output
    with tf.name_scope("summaries"):
        tf.summary.scalar("accuracy", accuracy)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
        histogram("layer1/K", K)
        histogram("layer2/hypothesis", hypothesis)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, net="2-2-1", weights="by hand")  # no training: no cost
        sess.run(tf.global_variables_initializer())

        print(f"{args.lab}: the lecture's weights, no training; TensorBoard run {run_dir}")
        # Forward propagation: the four inputs at once
        s, k, h, p, a = sess.run(
            [summary, K, hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data}
        )
        writer.add_summary(s, global_step=0)
        write_scalar(writer, "test/accuracy", a, 0)
        write_scalar(writer, "final/accuracy", a, 0)  # the four rows are all the data there is
        writer.close()

    # the lecture's table: each unit's output read as 0 or 1 (the sigmoid in brackets)
    table = [
        [int(x1), int(x2), int(round(y1)), int(round(y2)), int(round(y_hat)), int(xor)]
        for (x1, x2), (y1, y2), (y_hat,), (xor,) in zip(x_data, k, h, y_data)
    ]
    print("\n{:>3} {:>3} {:>10} {:>10} {:>10} {:>4}".format(*COLUMNS))
    for row, (y1, y2), (y_hat,) in zip(table, k, h):
        x1, x2, r1, r2, r_hat, xor = row
        print(f"{x1:>3} {x2:>3} {r1:>2} ({y1:.3f}) {r2:>2} ({y2:.3f}) {r_hat:>2} ({y_hat:.3f}) {xor:>4}")
    print("\nHypothesis:\n{}\nPredicted:\n{}\nAccuracy:\n{}".format(h, p, a))
    # where the notes' table says otherwise: {"(x1, x2)": [columns]}
    differ = {
        f"({row[0]}, {row[1]})": [name for name, mine, theirs in zip(COLUMNS, row, notes) if mine != theirs]
        for row, notes in zip(table, NOTES_TABLE)
        if row != notes
    }
    for inputs, columns in differ.items():
        print(f"the notes' table differs for {inputs}: {', '.join(columns)}")

    return finish(
        args,
        run_dir,
        accuracy=a,
        extra={
            "table": table,
            "layer1": k.tolist(),
            "hypothesis": h.ravel().tolist(),
            "rows_unlike_the_notes": differ,
        },
        figures={
            "y-hat": Behaviour(
                f"y-hat {[row[4] for row in table]}; notes' table differs: {differ}",
                [row[4] for row in table] == XOR,
            )
        },
    )


if __name__ == "__main__":
    main_guard(main)
