"""Lab 12-2: a character-sequence RNN learns " if you want you", one letter ahead.

The sample's characters are numbered (its 10 distinct ones); the input is the sample without its
last character, the target the sample without its first, so each step learns the next
character. The indices are made one-hot inside the graph (``tf.one_hot``), an LSTM with one unit
per character reads them, a fully connected layer gives each step's logits, and the loss is the
sequence's mean softmax cross-entropy. Adam at learning rate 0.1, 50 steps, as the original;
each step prints ``i loss: Prediction:`` as the original does.

hunkim's lab-12-2 starts at loss 2.35377 predicting "uuuuuuuuuuuuuuu" and predicts the whole
sequence, "if you want you", from step 11 (loss 0.282956). The losses follow from its random
start, so the row is the behaviour: the prediction becomes "if you want you". What differs:
the original numbers the characters in ``set`` order, which changes from one Python process to the
next (string hashing is salted), so its runs differ even at one seed; here they are numbered in
sorted order. ``tf.contrib`` is gone: ``tf.nn.rnn_cell.BasicLSTMCell``, ``tf.layers.dense`` for
``fully_connected``, and ``sequence_loss`` written out.
"""

import numpy as np

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 50
FIGURES = [
    Figure(
        "lab12-char-seq-rnn",
        "char-seq RNN on ' if you want you'",
        HUNKIM,
        "the prediction becomes 'if you want you' (step 11 of 50)",
        measured="predicts",
    ),
]

sample = " if you want you"
idx2char = sorted(set(sample))  # index -> char, the same order in every process
char2idx = {c: i for i, c in enumerate(idx2char)}  # char -> index

# hyper parameters
dic_size = len(char2idx)  # RNN input size (one hot size)
hidden_size = len(char2idx)  # RNN output size
num_classes = len(char2idx)  # final output size (RNN or softmax, etc.)
batch_size = 1  # one sample data, one batch
sequence_length = len(sample) - 1  # number of lstm rollings (unit #)

sample_idx = [char2idx[c] for c in sample]  # char to index
x_data = [sample_idx[:-1]]  # X data sample (0 ~ n-1) hello: hell
y_data = [sample_idx[1:]]  # Y label sample (1 ~ n) hello: ello


def sequence_loss(logits, targets, weights):
    """``tf.contrib.seq2seq.sequence_loss`` (gone with contrib), written out: each step's softmax
    cross-entropy, weighted, averaged over the steps and the batch as its defaults did."""
    with tf.name_scope("sequence_loss"):
        step_losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        return tf.reduce_sum(step_losses * weights) / tf.reduce_sum(weights)


def main(argv=None):
    parser = cli.build_parser(
        "lab12-char-seq-rnn", __doc__, steps=STEPS, learning_rate=LEARNING_RATE, summary_every=1, data=None
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    X = tf.placeholder(tf.int32, [None, sequence_length], name="X")  # X data
    Y = tf.placeholder(tf.int32, [None, sequence_length], name="Y")  # Y label

    # Glorot-uniform weights from the graph seed: the cell's default initializer draws a new seed each run
    with tf.variable_scope("lstm", initializer=tf.glorot_uniform_initializer()):
        x_one_hot = tf.one_hot(X, num_classes)  # one hot: 1 -> 0 1 0 0 0 0 0 0 0 0
        cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=hidden_size, state_is_tuple=True)
        initial_state = cell.zero_state(batch_size, tf.float32)
        outputs, _states = tf.nn.dynamic_rnn(cell, x_one_hot, initial_state=initial_state, dtype=tf.float32)

    with tf.variable_scope("fc"):
        X_for_fc = tf.reshape(outputs, [-1, hidden_size])
        outputs = tf.layers.dense(
            X_for_fc, num_classes, activation=None, kernel_initializer=tf.glorot_uniform_initializer()
        )
        outputs = tf.reshape(outputs, [batch_size, sequence_length, num_classes])

    with tf.name_scope("cost"):
        weights = tf.ones([batch_size, sequence_length])
        loss = tf.reduce_mean(sequence_loss(outputs, Y, weights))
    with tf.name_scope("train"):
        train = tf.train.AdamOptimizer(learning_rate=args.learning_rate).minimize(loss)

    with tf.name_scope("accuracy"):
        prediction = tf.argmax(outputs, axis=2)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(prediction, tf.cast(Y, tf.int64)), tf.float32))

    tf.summary.scalar("loss", loss)
    tf.summary.scalar("letters_right", accuracy)  # the share of letters predicted right
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, cell="BasicLSTMCell", hidden_size=hidden_size)
        sess.run(tf.global_variables_initializer())

        losses, predicted, first_right = [], "", None
        for i in range(args.steps):
            step_loss, s, _ = sess.run([loss, summary, train], feed_dict={X: x_data, Y: y_data})
            check_cost(step_loss, i)
            losses.append(float(step_loss))
            if i % args.summary_every == 0:
                writer.add_summary(s, global_step=i)
            result = sess.run(prediction, feed_dict={X: x_data})

            # print char using dic
            predicted = "".join(idx2char[c] for c in np.squeeze(result))
            print(f"{i} loss: {step_loss:.6g} Prediction: {predicted}")
            if predicted == sample[1:] and first_right is None:
                first_right = i

        final_loss, final_accuracy = sess.run([loss, accuracy], feed_dict={X: x_data, Y: y_data})
        write_scalar(writer, "final/cost", final_loss, args.steps)
        write_scalar(writer, "final/accuracy", final_accuracy, args.steps)
        writer.close()

    return finish(
        args,
        run_dir,
        epoch_costs=losses,
        extra={"prediction": predicted, "first_right_step": first_right, "final_loss": float(final_loss)},
        figures={
            "predicts": Behaviour(
                f"'{predicted}' at step {args.steps - 1}"
                + ("" if first_right is None else f", first at step {first_right}"),
                predicted == sample[1:],
            )
        },
    )


if __name__ == "__main__":
    main_guard(main)
