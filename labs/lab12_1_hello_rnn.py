"""Lab 12-1: hello RNN, an LSTM taught to answer "hihell" with "ihello".

Each letter of "hihell" is a one-hot row of 5 (h, i, e, l, o); an LSTM of 5 units reads the
sequence, a fully connected layer turns each step's output into 5 logits, and the loss is the
sequence's mean softmax cross-entropy against "ihello". Adam at learning rate 0.1, 50 steps, as
the original. Each step prints the original's two lines: ``i loss: prediction: true Y:`` and
``Prediction str:``.

hunkim's lab-12-1 starts at loss 1.71584 predicting "eeelle", predicts "llllll" for steps 1-5 and
"ihello" from step 9 (loss 0.774338). The losses follow from its random start, which TensorFlow 2
draws otherwise, so the row is the behaviour: the prediction becomes "ihello". What differs:
``tf.contrib`` is gone, so the cell is ``tf.nn.rnn_cell.BasicLSTMCell``, the output layer
``tf.layers.dense`` (contrib's ``fully_connected`` without an activation: the same Glorot-uniform
weights and zero bias), and ``sequence_loss`` is written out.
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
        "lab12-hello-rnn",
        "hello RNN: hihell -> ihello",
        HUNKIM,
        "the prediction becomes 'ihello' (step 9 of 50)",
        measured="ihello",
    ),
]

idx2char = ["h", "i", "e", "l", "o"]
# Teach hello: hihell -> ihello
x_data = [[0, 1, 0, 2, 3, 3]]  # hihell
x_one_hot = [
    [
        [1, 0, 0, 0, 0],  # h 0
        [0, 1, 0, 0, 0],  # i 1
        [1, 0, 0, 0, 0],  # h 0
        [0, 0, 1, 0, 0],  # e 2
        [0, 0, 0, 1, 0],  # l 3
        [0, 0, 0, 1, 0],  # l 3
    ]
]
y_data = [[1, 0, 2, 3, 3, 4]]  # ihello

num_classes = 5
input_dim = 5  # one-hot size
hidden_size = 5  # output from the LSTM: 5, to predict the one-hot letter directly
batch_size = 1  # one sentence
sequence_length = 6  # |ihello| == 6


def sequence_loss(logits, targets, weights):
    """``tf.contrib.seq2seq.sequence_loss`` (gone with contrib), written out: each step's softmax
    cross-entropy, weighted, averaged over the steps and the batch as its defaults did."""
    with tf.name_scope("sequence_loss"):
        step_losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        return tf.reduce_sum(step_losses * weights) / tf.reduce_sum(weights)


def main(argv=None):
    parser = cli.build_parser(
        "lab12-hello-rnn", __doc__, steps=STEPS, learning_rate=LEARNING_RATE, summary_every=1, data=None
    )
    args = parser.parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    X = tf.placeholder(tf.float32, [None, sequence_length, input_dim], name="X")  # X one-hot
    Y = tf.placeholder(tf.int32, [None, sequence_length], name="Y")  # Y label

    # Glorot-uniform weights from the graph seed: the cell's default initializer draws a new seed each run
    with tf.variable_scope("lstm", initializer=tf.glorot_uniform_initializer()):
        cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=hidden_size, state_is_tuple=True)
        initial_state = cell.zero_state(batch_size, tf.float32)
        outputs, _states = tf.nn.dynamic_rnn(cell, X, initial_state=initial_state, dtype=tf.float32)

    with tf.variable_scope("fc"):
        # every step's output through one fully connected layer, then back to sequences
        X_for_fc = tf.reshape(outputs, [-1, hidden_size])
        outputs = tf.layers.dense(
            X_for_fc, num_classes, activation=None, kernel_initializer=tf.glorot_uniform_initializer()
        )
        outputs = tf.reshape(outputs, [batch_size, sequence_length, num_classes])

    with tf.name_scope("cost"):
        weights = tf.ones([batch_size, sequence_length])  # every step counts the same
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
            step_loss, s, _ = sess.run([loss, summary, train], feed_dict={X: x_one_hot, Y: y_data})
            check_cost(step_loss, i)
            losses.append(float(step_loss))
            if i % args.summary_every == 0:
                writer.add_summary(s, global_step=i)
            result = sess.run(prediction, feed_dict={X: x_one_hot})
            print(f"{i} loss: {step_loss:.6g} prediction:  {result} true Y:  {y_data}")

            # print char using dic
            predicted = "".join(idx2char[c] for c in np.squeeze(result))
            print(f"\tPrediction str:  {predicted}")
            if predicted == "ihello" and first_right is None:
                first_right = i

        # the trained net's logits and loss, for a check of the loss against them
        logits, final_loss, final_accuracy = sess.run(
            [outputs, loss, accuracy], feed_dict={X: x_one_hot, Y: y_data}
        )
        write_scalar(writer, "final/cost", final_loss, args.steps)
        write_scalar(writer, "final/accuracy", final_accuracy, args.steps)
        writer.close()

    return finish(
        args,
        run_dir,
        epoch_costs=losses,
        extra={
            "prediction": predicted,
            "first_right_step": first_right,
            "logits": logits.tolist(),
            "final_loss": float(final_loss),
        },
        figures={
            "ihello": Behaviour(
                f"'{predicted}' at step {args.steps - 1}"
                + ("" if first_right is None else f", first at step {first_right}"),
                predicted == "ihello",
            )
        },
    )


if __name__ == "__main__":
    main_guard(main)
