"""Lab 12-0: RNN basics, the cells' outputs and shapes on one-hot "hello".

The letters h, e, l, o as one-hot rows of 4, fed to cells of 2 or 5 units through ``dynamic_rnn``,
in the notebook's order:

- one ``BasicRNNCell(2)`` on "h": output (1, 1, 2) (batch, sequence, hidden);
- the same cell on the sequence "hello": (1, 5, 2);
- a ``BasicLSTMCell(2)`` on a batch of three, "hello", "eolll", "lleel": (3, 5, 2);
- the same with ``sequence_length=[5, 3, 4]``: the outputs past each sequence's length are 0;
- the same with the cell's ``zero_state(3)`` as the initial state;
- ``np.arange(45)`` as a batch (3, 5, 3) through an LSTM of 5, on its own, stacked three deep in a
  ``MultiRNNCell``, with ``sequence_length=[1, 3, 2]``, and forward and backward
  (``bidirectional_dynamic_rnn``, lengths [2, 3, 1]);
- the softmax over a sequence done flat: (3, 5, 3) reshaped to (15, 3), times a (3, 5) weight,
  back to (3, 5, 5);
- ``sequence_loss``, the mean cross-entropy over the sequence: the notebook prints 0.596759 for
  logits [[0.2, 0.7], [0.6, 0.2], [0.2, 0.9]] against targets [1, 1, 1], and Loss1 0.513015,
  Loss2 0.371101, Loss3 1.31326 for three steps of [0.3, 0.7], [0.1, 0.9] and [1, 0]. Its Loss4
  line evaluates prediction3 again (1.31326); this lab gives prediction4's own, [[0, 1], [1, 0],
  [0, 1]].

The cells' numbers come from their random weights, which TensorFlow 2 draws otherwise: the shapes,
the zeros and the losses are the notebook's, the other values are not. What differs: the
notebook's first cells use Keras's ``SimpleRNNCell`` and later ones ``LSTMCell``; here the
lecture's ``tf.nn.rnn_cell.BasicRNNCell`` and ``BasicLSTMCell`` (``tf.contrib.rnn`` is gone). Its
``MultiRNNCell([cell] * 3)`` shares one cell between the layers, which TensorFlow refuses now
(the first layer's input is 3 wide, the others' 5): three cells here. ``tf.contrib.seq2seq``'s
``sequence_loss`` is gone too: it is written out below.
"""

# %%
import pprint

import numpy as np

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import finish, main_guard
from common.run_folder import run_folder
from common.tf1 import reset, tf

# %%
FIGURES = [
    Figure(
        "lab12-rnn-basics",
        "sequence_loss, logits [[0.2,0.7],[0.6,0.2],[0.2,0.9]], targets [1,1,1]",
        HUNKIM,
        0.596759,
        1e-6,
        measured="sequence_loss",
    ),
    Figure(
        "lab12-rnn-basics",
        "sequence_loss of [0.3, 0.7] x 3 (Loss1)",
        HUNKIM,
        0.513015,
        1e-6,
        measured="loss1",
    ),
    Figure(
        "lab12-rnn-basics",
        "sequence_loss of [0.1, 0.9] x 3 (Loss2)",
        HUNKIM,
        0.371101,
        1e-6,
        measured="loss2",
    ),
    Figure(
        "lab12-rnn-basics", "sequence_loss of [1, 0] x 3 (Loss3)", HUNKIM, 1.31326, 1e-5, measured="loss3"
    ),
    Figure(
        "lab12-rnn-basics",
        "dynamic_rnn with sequence_length",
        HUNKIM,
        "outputs past each sequence's length are 0",
        measured="zeros_past_length",
    ),
]
pp = pprint.PrettyPrinter(indent=4)

# %%
# One hot encoding for each char in 'hello'
h = [1, 0, 0, 0]
e = [0, 1, 0, 0]
l = [0, 0, 1, 0]  # noqa: E741 (the notebook's letter)
o = [0, 0, 0, 1]
hello_batch = np.array([[h, e, l, l, o], [e, o, l, l, l], [l, l, e, e, l]], dtype=np.float32)
# batch 3, sequence 5, input 3: the numbers 0 to 44
generated = np.arange(45, dtype=np.float32).reshape(3, 5, 3)


# %%
def seeded():
    """Glorot-uniform weights drawn from the graph seed (the cells' default initializer draws a new
    seed each run)."""
    return tf.glorot_uniform_initializer()


# %%
def sequence_loss(logits, targets, weights):
    """``tf.contrib.seq2seq.sequence_loss`` (gone with contrib), written out: each step's softmax
    cross-entropy, weighted, averaged over the steps and the batch as its defaults did."""
    with tf.name_scope("sequence_loss"):
        step_losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        return tf.reduce_sum(step_losses * weights) / tf.reduce_sum(weights)


# %%
def evaluated(sess, name, tensor, log):
    """The notebook's ``sess.run(tf.global_variables_initializer())`` and ``pp.pprint(outputs.eval())``."""
    sess.run(tf.global_variables_initializer())
    value = sess.run(tensor)
    log(f"{name}:\n{pp.pformat(value)}")
    return value


# %%
def cells(sess, log):
    """One cell, a sequence, a batch, lengths and a zero initial state: the outputs by name."""
    values = {}
    with tf.variable_scope("one_cell", initializer=seeded()):
        # One cell RNN input_dim (4) -> output_dim (2)
        cell = tf.nn.rnn_cell.BasicRNNCell(num_units=2)
        log(f"cell.output_size {cell.output_size}, cell.state_size {cell.state_size}")
        x_data = np.array([[h]], dtype=np.float32)
        log(pp.pformat(x_data))
        outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)
        values["one_cell"] = evaluated(sess, "one_cell", outputs, log)

    with tf.variable_scope("two_sequences", initializer=seeded()):
        # One cell RNN input_dim (4) -> output_dim (2), sequence 5
        cell = tf.nn.rnn_cell.BasicRNNCell(num_units=2)
        x_data = np.array([[h, e, l, l, o]], dtype=np.float32)
        log(f"x_data.shape {x_data.shape}")
        outputs, _states = tf.nn.dynamic_rnn(cell, x_data, dtype=tf.float32)
        values["two_sequences"] = evaluated(sess, "two_sequences", outputs, log)

    log(f"3 batches 'hello', 'eolll', 'lleel', x_data.shape {hello_batch.shape}:\n{pp.pformat(hello_batch)}")
    with tf.variable_scope("3_batches", initializer=seeded()):
        cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=2, state_is_tuple=True)
        outputs, _states = tf.nn.dynamic_rnn(cell, hello_batch, dtype=tf.float32)
        values["3_batches"] = evaluated(sess, "3_batches", outputs, log)

    with tf.variable_scope("3_batches_dynamic_length", initializer=seeded()):
        cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=2, state_is_tuple=True)
        outputs, _states = tf.nn.dynamic_rnn(cell, hello_batch, sequence_length=[5, 3, 4], dtype=tf.float32)
        values["3_batches_dynamic_length"] = evaluated(sess, "3_batches_dynamic_length", outputs, log)

    with tf.variable_scope("initial_state", initializer=seeded()):
        cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=2, state_is_tuple=True)
        initial_state = cell.zero_state(3, tf.float32)  # batch 3
        outputs, _states = tf.nn.dynamic_rnn(cell, hello_batch, initial_state=initial_state, dtype=tf.float32)
        values["initial_state"] = evaluated(sess, "initial_state", outputs, log)
    return values


# %%
def deeper(sess, log):
    """The generated (3, 5, 3) batch: an LSTM of 5, three stacked, lengths, both directions."""
    values = {}
    log(f"generated data, batch, sequence_length, input_dim {generated.shape}:\n{pp.pformat(generated)}")
    with tf.variable_scope("generated_data", initializer=seeded()):
        cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=5, state_is_tuple=True)
        initial_state = cell.zero_state(3, tf.float32)
        outputs, _states = tf.nn.dynamic_rnn(cell, generated, initial_state=initial_state, dtype=tf.float32)
        values["generated_data"] = evaluated(sess, "generated_data", outputs, log)

    with tf.variable_scope("MultiRNNCell", initializer=seeded()):
        # three layers, a cell each (the first reads 3 numbers a step, the others 5)
        layers = [tf.nn.rnn_cell.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]
        cell = tf.nn.rnn_cell.MultiRNNCell(layers, state_is_tuple=True)
        outputs, _states = tf.nn.dynamic_rnn(cell, generated, dtype=tf.float32)
        log(f"dynamic rnn: {outputs}")  # batch size, unrolling (time), hidden_size
        values["MultiRNNCell"] = evaluated(sess, "MultiRNNCell", outputs, log)

    with tf.variable_scope("dynamic_rnn", initializer=seeded()):
        cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=5, state_is_tuple=True)
        # length 1 for the first sequence, 3 for the second, 2 for the third
        outputs, _states = tf.nn.dynamic_rnn(cell, generated, sequence_length=[1, 3, 2], dtype=tf.float32)
        log(f"dynamic rnn: {outputs}")
        values["dynamic_rnn"] = evaluated(sess, "dynamic_rnn", outputs, log)

    with tf.variable_scope("bi-directional", initializer=seeded()):
        cell_fw = tf.nn.rnn_cell.BasicLSTMCell(num_units=5, state_is_tuple=True)
        cell_bw = tf.nn.rnn_cell.BasicLSTMCell(num_units=5, state_is_tuple=True)
        outputs, states = tf.nn.bidirectional_dynamic_rnn(
            cell_fw, cell_bw, generated, sequence_length=[2, 3, 1], dtype=tf.float32
        )
        forward, backward = evaluated(sess, "bi-directional outputs (forward, backward)", outputs, log)
        evaluated(sess, "bi-directional states (forward, backward)", states, log)
        values["bi-directional_forward"], values["bi-directional_backward"] = forward, backward
    return values


# %%
def flat_softmax(log):
    """The softmax of every step at once: (batch, sequence, hidden) flattened to rows, one matmul,
    reshaped back to (batch, sequence, classes)."""
    hidden_size, sequence_length, num_classes = 3, 5, 5
    x_data = generated.reshape(-1, hidden_size)
    log(f"x_data.reshape(-1, hidden_size), {x_data.shape}:\n{pp.pformat(x_data)}")
    softmax_w = np.arange(15, dtype=np.float32).reshape(hidden_size, num_classes)
    outputs = np.matmul(x_data, softmax_w).reshape(-1, sequence_length, num_classes)  # batch, seq, class
    log(f"outputs, {outputs.shape}:\n{pp.pformat(outputs)}")
    return outputs


# %%
def losses(sess, log):
    """The notebook's sequence losses: one batch of three steps, every target 1, equal weights."""
    y_data = tf.constant([[1, 1, 1]])  # [batch_size, sequence_length]
    weights = tf.constant([[1, 1, 1]], dtype=tf.float32)
    # [batch_size, sequence_length, emb_dim]
    prediction = tf.constant([[[0.2, 0.7], [0.6, 0.2], [0.2, 0.9]]], dtype=tf.float32)
    value = sess.run(sequence_loss(prediction, y_data, weights))
    log(f"Loss: {value:.6g}")

    predictions = {
        "loss1": [[[0.3, 0.7], [0.3, 0.7], [0.3, 0.7]]],
        "loss2": [[[0.1, 0.9], [0.1, 0.9], [0.1, 0.9]]],
        "loss3": [[[1, 0], [1, 0], [1, 0]]],
        "loss4": [[[0, 1], [1, 0], [0, 1]]],
    }
    found = {"sequence_loss": float(value)}
    for name, logits in predictions.items():
        loss = sequence_loss(tf.constant(logits, dtype=tf.float32), y_data, weights)
        found[name] = float(sess.run(loss))
    log(" ".join(f"Loss{name[-1]}: {found[name]:.6g}" for name in predictions))
    log("  (Loss4 is prediction4's own; the notebook's Loss4 line evaluates prediction3 again: 1.31326)")
    return found


# %%
def zeros_past_lengths(outputs, lengths):
    """Every output step at or after its sequence's length is 0, and none before it is."""
    return all(
        not outputs[row, length:].any() and outputs[row, :length].any() for row, length in enumerate(lengths)
    )


# %%
def run(args, log=print):
    reset(args.seed)
    sess = tf.InteractiveSession()
    try:
        values = cells(sess, log)
        values.update(deeper(sess, log))
        values["flat_softmax"] = flat_softmax(log)
        found = losses(sess, log)
        directory = run_folder(args)
        directory.mkdir(parents=True, exist_ok=True)
        # the graph of every cell above, under its notebook name, for a look in TensorBoard
        writer = tf.summary.FileWriter(str(directory), sess.graph)
        writer.close()
    finally:
        sess.close()
    for name, value in values.items():
        log(f"{name}: shape {value.shape}")
    zeros = zeros_past_lengths(values["3_batches_dynamic_length"], [5, 3, 4]) and zeros_past_lengths(
        values["dynamic_rnn"], [1, 3, 2]
    )
    return finish(
        args,
        directory,
        extra={name: value.tolist() for name, value in values.items()} | found,
        figures={
            **{name: found[name] for name in ("sequence_loss", "loss1", "loss2", "loss3")},
            "zeros_past_length": Behaviour("lengths [5, 3, 4] and [1, 3, 2]: zeros past each", zeros),
        },
    )


# %%
def main(argv=None):
    parser = cli.build_parser(
        "lab12-rnn-basics", __doc__, data=None, seed_help="graph seed: the cells' weights"
    )
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    main_guard(main)
