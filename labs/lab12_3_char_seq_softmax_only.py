"""Lab 12-3: the character sequence of lab 12-2 with a softmax only, no RNN: it cannot learn it.

The same sample, " if you want you", the same one letter ahead target, but each step's one-hot
character goes straight through one softmax layer (10 x 10 weights and a bias): each prediction
sees its own character only, never the ones before it. Adam at learning rate 0.1, 3,000 steps, as
the original; ``i loss: Prediction:`` lines as the original prints them, for the first and last
three steps and every ``--print-every`` (default 100) in between.

hunkim's lab-12-3 ends at loss 0.277323 predicting "yf you yant you". Without memory that is the
best there is: a space is followed by "i", "y", "w" and "y", so a space can only be answered with
its likeliest follower, "y", and the first and the eighth letters stay wrong (13 of 15 right).
The loss cannot go below that of the best per-character guess, (2 ln 4 + 2 ln 2) / 15 = 6 ln 2 /
15 = 0.27726 (the space's four follows at 1/4, 1/2, 1/4, 1/2; every other character has one
follower), whatever the random start: the final loss is a number row, the prediction a
behaviour row. What differs: the characters are numbered in sorted order (the original's ``set``
order changes between processes) and ``sequence_loss`` is written out (``tf.contrib`` is gone).
"""

import numpy as np

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 3000
FIGURES = [
    Figure(
        "lab12-char-seq-softmax",
        "softmax only (no RNN): final loss",
        HUNKIM,
        0.277323,
        0.001,
        measured="final_loss",
    ),
    Figure(
        "lab12-char-seq-softmax",
        "softmax only (no RNN): prediction",
        HUNKIM,
        "stuck at 'yf you yant you' (no memory: 13 of 15 letters)",
        measured="stuck",
    ),
]

sample = " if you want you"
idx2char = sorted(set(sample))  # index -> char, the same order in every process
char2idx = {c: i for i, c in enumerate(idx2char)}  # char -> index

# hyper parameters
dic_size = len(char2idx)  # one hot size
rnn_hidden_size = len(char2idx)  # the size an RNN's output would have (there is none here)
num_classes = len(char2idx)  # final output size
batch_size = 1  # one sample data, one batch
sequence_length = len(sample) - 1

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
        "lab12-char-seq-softmax",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=10,
        data=None,
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=100, help="print a line every N steps (default 100)"
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    X = tf.placeholder(tf.int32, [None, sequence_length], name="X")  # X data
    Y = tf.placeholder(tf.int32, [None, sequence_length], name="Y")  # Y label

    with tf.variable_scope("softmax"):
        # flatten the data (ignore batches for now): one row per character
        X_one_hot = tf.one_hot(X, num_classes)  # one hot: 1 -> 0 1 0 0 0 0 0 0 0 0
        X_for_softmax = tf.reshape(X_one_hot, [-1, rnn_hidden_size])
        # softmax layer (rnn_hidden_size -> num_classes)
        softmax_w = tf.get_variable("softmax_w", [rnn_hidden_size, num_classes])
        softmax_b = tf.get_variable("softmax_b", [num_classes])
        outputs = tf.matmul(X_for_softmax, softmax_w) + softmax_b
        # expand the data (revive the batches)
        outputs = tf.reshape(outputs, [batch_size, sequence_length, num_classes])

    with tf.name_scope("cost"):
        weights = tf.ones([batch_size, sequence_length])
        loss = tf.reduce_mean(sequence_loss(outputs, Y, weights))  # mean all sequence loss
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
        write_hparams(writer, args, model="softmax only")
        sess.run(tf.global_variables_initializer())

        losses, predicted = [], ""
        for i in range(args.steps):
            step_loss, s, _ = sess.run([loss, summary, train], feed_dict={X: x_data, Y: y_data})
            check_cost(step_loss, i)
            losses.append(float(step_loss))
            if i % args.summary_every == 0:
                writer.add_summary(s, global_step=i)
            shown = i < 3 or i % args.print_every == 0 or i >= args.steps - 3
            if shown or i == args.steps - 1:
                result = sess.run(prediction, feed_dict={X: x_data})
                # print char using dic
                predicted = "".join(idx2char[c] for c in np.squeeze(result))
                print(f"{i} loss: {step_loss:.6g} Prediction: {predicted}")

        final_loss, final_accuracy = sess.run([loss, accuracy], feed_dict={X: x_data, Y: y_data})
        write_scalar(writer, "final/cost", final_loss, args.steps)
        write_scalar(writer, "final/accuracy", final_accuracy, args.steps)
        writer.close()

    right = sum(p == t for p, t in zip(predicted, sample[1:]))
    print(f"{right} of {len(predicted)} letters right; loss {final_loss:.6f}")
    return finish(
        args,
        run_dir,
        epoch_costs=losses[:: args.print_every] + losses[-1:],
        extra={"prediction": predicted, "letters_right": right, "final_accuracy": float(final_accuracy)},
        figures={
            "final_loss": float(final_loss),
            "stuck": Behaviour(
                f"'{predicted}', {right} of {len(predicted)} letters", predicted == "yf you yant you"
            ),
        },
    )


if __name__ == "__main__":
    main_guard(main)
