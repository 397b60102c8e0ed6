"""Lab 12-4: a long sentence, learnt in windows of 10 characters by two stacked LSTM cells.

The sentence (180 characters, 25 distinct) is cut into every window of 10 characters, each with
the window one character later as its target: 170 sequences, trained together as one batch.
The characters are one-hot inside the graph, two ``BasicLSTMCell``s of 25 units are stacked in a
``MultiRNNCell``, a fully connected layer gives each step's logits, and the loss is the mean
softmax cross-entropy over all steps of all windows. Adam at learning rate 0.1, 500 steps, as
the original. Its lines: the windows (``i x_str -> y_str``; the first three and the last here),
``i j prediction loss`` per window (the first and the last three windows every
``--print-every`` steps, default 100, where the original prints all 170 every step), and at the
end the sentence put back together: the first window's prediction, then the last character
predicted by each following window.

hunkim's lab-12-4 starts at loss 3.23111 ("tttttttttt" for every window) and ends at 0.229616
with the sentence back, all but its first character: "g you want to build a ship, don't drum up
people together to collect wood and don't assign them tasks and work, but rather teach them to
long for the endless immensity of the sea." (the first window's first step has seen only "i",
which the sentence follows with "f", "l", "p", "g", "m" and "t"). Its losses follow from its random
start, so the rows are behaviours: the sentence comes back but for that first character, and the
loss falls as it does there. What differs: the characters are numbered in sorted order (the
original's ``set`` order changes between processes), ``tf.contrib`` is gone
(``tf.nn.rnn_cell``, ``tf.layers.dense``, ``sequence_loss`` written out).
"""

import numpy as np

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 500
FIGURES = [
    Figure(
        "lab12-long-char",
        "long sentence, 2 stacked LSTMs: the sentence put back together",
        HUNKIM,
        "the sentence, all but its first character ('g you want to build a ship, ...')",
        measured="sentence",
    ),
    Figure(
        "lab12-long-char",
        "long sentence, 2 stacked LSTMs: the loss",
        HUNKIM,
        "the loss falls from 3.23111 to 0.229616",
        measured="loss_falls",
    ),
]

sentence = (
    "if you want to build a ship, don't drum up people together to "
    "collect wood and don't assign them tasks and work, but rather "
    "teach them to long for the endless immensity of the sea."
)
char_set = sorted(set(sentence))  # the same order in every process
char_dic = {w: i for i, w in enumerate(char_set)}

data_dim = len(char_set)
hidden_size = len(char_set)
num_classes = len(char_set)
sequence_length = 10  # Any arbitrary number
num_layers = 2


def windows(text, length):
    """Every window of ``length`` characters and the window one character later, as indices."""
    dataX, dataY = [], []
    for i in range(len(text) - length):
        x_str = text[i : i + length]
        y_str = text[i + 1 : i + length + 1]
        dataX.append([char_dic[c] for c in x_str])  # x str to index
        dataY.append([char_dic[c] for c in y_str])  # y str to index
    return dataX, dataY


def sequence_loss(logits, targets, weights):
    """``tf.contrib.seq2seq.sequence_loss`` (gone with contrib), written out: each step's softmax
    cross-entropy, weighted, averaged over the steps and the batch as its defaults did."""
    with tf.name_scope("sequence_loss"):
        step_losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        return tf.reduce_sum(step_losses * weights) / tf.reduce_sum(weights)


def as_text(logits):
    """One window's logits as the characters they pick."""
    return "".join(char_set[t] for t in np.argmax(logits, axis=1))


def put_together(results):
    """The first window's prediction, then the last character each later window predicts."""
    return as_text(results[0]) + "".join(as_text(result)[-1] for result in results[1:])


def main(argv=None):
    parser = cli.build_parser(
        "lab12-long-char", __doc__, steps=STEPS, learning_rate=LEARNING_RATE, summary_every=5, data=None
    )
    parser.add_argument(
        "--print-every",
        type=cli.positive_int,
        default=100,
        help="print the windows every N steps (default 100)",
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    dataX, dataY = windows(sentence, sequence_length)
    for i in [0, 1, 2, len(dataX) - 1]:
        x_str, y_str = sentence[i : i + sequence_length], sentence[i + 1 : i + sequence_length + 1]
        print(i, x_str, "->", y_str)
    batch_size = len(dataX)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    X = tf.placeholder(tf.int32, [None, sequence_length], name="X")
    Y = tf.placeholder(tf.int32, [None, sequence_length], name="Y")

    # Glorot-uniform weights from the graph seed: the cell's default initializer draws a new seed each run
    with tf.variable_scope("lstm", initializer=tf.glorot_uniform_initializer()):
        # One-hot encoding
        X_one_hot = tf.one_hot(X, num_classes)
        print(X_one_hot)  # check out the shape
        # two LSTM cells stacked, each output hidden_size wide
        cells = [tf.nn.rnn_cell.BasicLSTMCell(hidden_size, state_is_tuple=True) for _ in range(num_layers)]
        multi_cells = tf.nn.rnn_cell.MultiRNNCell(cells, state_is_tuple=True)
        # outputs: unfolding size x hidden size, state = hidden size
        outputs, _states = tf.nn.dynamic_rnn(multi_cells, X_one_hot, dtype=tf.float32)

    with tf.variable_scope("fc"):
        X_for_fc = tf.reshape(outputs, [-1, hidden_size])
        outputs = tf.layers.dense(
            X_for_fc, num_classes, activation=None, kernel_initializer=tf.glorot_uniform_initializer()
        )
        outputs = tf.reshape(outputs, [batch_size, sequence_length, num_classes])

    with tf.name_scope("cost"):
        weights = tf.ones([batch_size, sequence_length])  # All weights are 1 (equal weights)
        mean_loss = tf.reduce_mean(sequence_loss(outputs, Y, weights))
    with tf.name_scope("train"):
        train_op = tf.train.AdamOptimizer(learning_rate=args.learning_rate).minimize(mean_loss)

    with tf.name_scope("accuracy"):
        prediction = tf.argmax(outputs, axis=2)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(prediction, tf.cast(Y, tf.int64)), tf.float32))

    tf.summary.scalar("loss", mean_loss)
    tf.summary.scalar("letters_right", accuracy)  # the share of letters predicted right
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, cells=f"{num_layers} x BasicLSTMCell({hidden_size})")
        sess.run(tf.global_variables_initializer())

        losses = []
        for i in range(args.steps):
            _, step_loss, results, s = sess.run(
                [train_op, mean_loss, outputs, summary], feed_dict={X: dataX, Y: dataY}
            )
            check_cost(step_loss, i)
            losses.append(float(step_loss))
            if i % args.summary_every == 0:
                writer.add_summary(s, global_step=i)
            if i % args.print_every == 0 or i == args.steps - 1:
                for j in [0, batch_size - 3, batch_size - 2, batch_size - 1]:
                    print(i, j, as_text(results[j]), f"{step_loss:.6g}")

        # Let's put the sentence back together to check it works
        results, final_loss, final_accuracy = sess.run(
            [outputs, mean_loss, accuracy], feed_dict={X: dataX, Y: dataY}
        )
        write_scalar(writer, "final/cost", final_loss, args.steps)
        write_scalar(writer, "final/accuracy", final_accuracy, args.steps)
        writer.close()

    rebuilt = put_together(results)
    print(rebuilt)
    wrong = [i for i, (got, want) in enumerate(zip(rebuilt, sentence[1:])) if got != want]
    print(f"{len(wrong)} of {len(rebuilt)} characters wrong (at {wrong}); loss {final_loss:.6g}")
    return finish(
        args,
        run_dir,
        epoch_costs=losses[:: args.print_every] + losses[-1:],
        extra={
            "sentence": rebuilt,
            "wrong_positions": wrong,
            "final_loss": float(final_loss),
            "final_accuracy": float(final_accuracy),
            "logits": results.tolist(),
        },
        figures={
            "sentence": Behaviour(
                f"{len(wrong)} wrong, at {wrong}: '{rebuilt[:24]}...'", not set(wrong) - {0}
            ),
            "loss_falls": Behaviour(
                f"{losses[0]:.5g} -> {final_loss:.5g}", final_loss < 0.3 and final_loss < losses[0] / 10
            ),
        },
    )


if __name__ == "__main__":
    main_guard(main)
