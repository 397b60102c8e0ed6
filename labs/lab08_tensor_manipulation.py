"""Lab 08: tensor manipulation, evaluated in graph mode with an interactive session.

Every expression of notes-07-08's "Lab 08 Tensor Manipulation" section, in its order, printed with
its value; the arrays are first shown with ``pp.pprint(t)``, as the lecture does. The seed notes
that the original prints a wrong ``t.ndim`` for the 1-D array: it is 1. The broadcasting
examples, only named in the notes, are the original series' ones, as are the notebook's cells
the notes leave out: ``tf.shape``, ``random_normal``/``random_uniform``, ``[[3, 3]] + [[2], [2]]``
and ``transpose``.
"""

# %%
import pprint

import numpy as np

from common import cli
from common.lab import main_guard
from common.run_folder import run_folder
from common.tf1 import reset, tf

# %%
pp = pprint.PrettyPrinter(indent=4)
PPRINT = "pp.pprint(t)"  # shows the array itself; not one of the values run() returns


# %%
def examples():
    """Yield ``(expression, value)`` pairs; tensors are evaluated in the default session."""
    # 1-D array
    t = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    yield PPRINT, t
    yield "t.ndim", t.ndim  # rank
    yield "t.shape", t.shape
    yield "t[0], t[1], t[-1]", (t[0], t[1], t[-1])
    yield "t[2:5], t[4:-1]", (t[2:5], t[4:-1])
    yield "t[:2], t[3:]", (t[:2], t[3:])

    # 2-D array
    t = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]])
    yield PPRINT, t
    yield "t2.ndim", t.ndim
    yield "t2.shape", t.shape

    # tf.shape: the shape as a tensor (the original notebook's cells)
    yield "tf.shape(tf.constant([1, 2, 3, 4]))", tf.shape(tf.constant([1, 2, 3, 4])).eval()
    yield "tf.shape(tf.constant([[1, 2], [3, 4]]))", tf.shape(tf.constant([[1, 2], [3, 4]])).eval()
    t4 = tf.constant(
        [
            [
                [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]],
                [[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]],
            ]
        ]
    )
    yield "tf.shape(t4)", tf.shape(t4).eval()

    # matmul vs multiply
    matrix1 = tf.constant([[3.0, 3.0]])
    matrix2 = tf.constant([[2.0], [2.0]])
    yield "tf.matmul(matrix1, matrix2)", tf.matmul(matrix1, matrix2).eval()
    yield "matrix1 * matrix2", (matrix1 * matrix2).eval()

    # watch out: broadcasting
    yield "matrix1 + matrix2", (matrix1 + matrix2).eval()  # [[3., 3.]] + [[2.], [2.]]
    yield "[[3., 3.]] + [[2., 2.]]", (tf.constant([[3.0, 3.0]]) + tf.constant([[2.0, 2.0]])).eval()
    yield "[[1., 2.]] + 3.", (tf.constant([[1.0, 2.0]]) + tf.constant(3.0)).eval()
    yield "[[1., 2.]] + [3., 4.]", (tf.constant([[1.0, 2.0]]) + tf.constant([3.0, 4.0])).eval()
    yield "[[1., 2.]] + [[3.], [4.]]", (tf.constant([[1.0, 2.0]]) + tf.constant([[3.0], [4.0]])).eval()

    # random values (the notebook's cells; the graph seed fixes them)
    yield "tf.random_normal([3])", tf.random_normal([3]).eval()
    yield "tf.random_uniform([2])", tf.random_uniform([2]).eval()
    yield "tf.random_uniform([2, 3])", tf.random_uniform([2, 3]).eval()

    # reduce_mean
    yield "tf.reduce_mean([1, 2], axis=0)", tf.reduce_mean([1, 2], axis=0).eval()
    x = [[1.0, 2.0], [3.0, 4.0]]
    yield "tf.reduce_mean(x)", tf.reduce_mean(x).eval()
    yield "tf.reduce_mean(x, axis=0)", tf.reduce_mean(x, axis=0).eval()
    yield "tf.reduce_mean(x, axis=1)", tf.reduce_mean(x, axis=1).eval()
    yield "tf.reduce_mean(x, axis=-1)", tf.reduce_mean(x, axis=-1).eval()

    # reduce_sum
    yield "tf.reduce_sum(x)", tf.reduce_sum(x).eval()
    yield "tf.reduce_sum(x, axis=0)", tf.reduce_sum(x, axis=0).eval()
    yield "tf.reduce_sum(x, axis=-1)", tf.reduce_sum(x, axis=-1).eval()
    yield "tf.reduce_mean(tf.reduce_sum(x, axis=-1))", tf.reduce_mean(tf.reduce_sum(x, axis=-1)).eval()

    # argmax: where is the largest value?
    x = [[0, 1, 2], [2, 1, 0]]
    yield "tf.argmax(x, axis=0)", tf.argmax(x, axis=0).eval()
    yield "tf.argmax(x, axis=1)", tf.argmax(x, axis=1).eval()
    yield "tf.argmax(x, axis=-1)", tf.argmax(x, axis=-1).eval()

    # reshape, squeeze, expand_dims
    t = np.array([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]])
    yield "t3.shape", t.shape
    yield "tf.reshape(t, shape=[-1, 3])", tf.reshape(t, shape=[-1, 3]).eval()
    yield "tf.reshape(t, shape=[-1, 1, 3])", tf.reshape(t, shape=[-1, 1, 3]).eval()
    yield "tf.squeeze([[0], [1], [2]])", tf.squeeze([[0], [1], [2]]).eval()
    yield "tf.expand_dims([0, 1, 2], 1)", tf.expand_dims([0, 1, 2], 1).eval()

    # one_hot
    yield "tf.one_hot([[0], [1], [2], [0]], depth=3)", tf.one_hot([[0], [1], [2], [0]], depth=3).eval()
    t = tf.one_hot([[0], [1], [2], [0]], depth=3)
    yield "tf.reshape(one_hot, shape=[-1, 3])", tf.reshape(t, shape=[-1, 3]).eval()

    # cast
    yield "tf.cast([1.8, 2.2, 3.3, 4.9], tf.int32)", tf.cast([1.8, 2.2, 3.3, 4.9], tf.int32).eval()
    yield (
        "tf.cast([True, False, 1 == 1, 0 == 1], tf.int32)",
        tf.cast([True, False, 1 == 1, 0 == 1], tf.int32).eval(),
    )

    # stack: pack along the first dimension, or along axis 1
    x = [1, 4]
    y = [2, 5]
    z = [3, 6]
    yield "tf.stack([x, y, z])", tf.stack([x, y, z]).eval()
    yield "tf.stack([x, y, z], axis=1)", tf.stack([x, y, z], axis=1).eval()

    # ones_like, zeros_like
    x = [[0, 1, 2], [2, 1, 0]]
    yield "tf.ones_like(x)", tf.ones_like(x).eval()
    yield "tf.zeros_like(x)", tf.zeros_like(x).eval()

    # zip
    yield "zip([1, 2, 3], [4, 5, 6])", list(zip([1, 2, 3], [4, 5, 6]))
    yield "zip([1, 2, 3], [4, 5, 6], [7, 8, 9])", list(zip([1, 2, 3], [4, 5, 6], [7, 8, 9]))

    # transpose: permute the axes of t3 and back (the notebook's last cells)
    t = np.array([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]])
    t1 = tf.transpose(t, [1, 0, 2])
    yield "t1 = tf.transpose(t, [1, 0, 2])", t1.eval()
    yield "tf.transpose(t1, [1, 0, 2])", tf.transpose(t1, [1, 0, 2]).eval()
    t2 = tf.transpose(t, [1, 2, 0])
    yield "t2 = tf.transpose(t, [1, 2, 0])", t2.eval()
    yield "tf.transpose(t2, [2, 0, 1])", tf.transpose(t2, [2, 0, 1]).eval()


# %%
def as_printed(value):
    """The value the way the lecture's ``print`` shows it."""
    if isinstance(value, tuple) and value and not isinstance(value[0], (int, np.integer)):
        return " ".join(as_printed(part) for part in value)  # print(a, b)
    if isinstance(value, list):  # the zip loops print one tuple a line
        return "\n".join(" ".join(str(item) for item in row) for row in value)
    return str(value)


# %%
def run(args=None, log=print):
    """Evaluate every example; returns ``{expression: value}`` in the lecture's order."""
    reset(args.seed if args else 777)
    sess = tf.InteractiveSession()
    try:
        values = {}
        for expression, value in examples():
            log(f">>> {expression}")
            if expression == PPRINT:
                log(pp.pformat(value))  # the array's repr: array([...])
                continue
            values[expression] = value
            log(as_printed(value))
        if args is not None:
            # the graph of constants and ops, for a look in TensorBoard
            writer = tf.summary.FileWriter(str(run_folder(args)), sess.graph)
            writer.close()
        return values
    finally:
        sess.close()


# %%
def main(argv=None):
    parser = cli.build_parser(
        "lab08-tensor-manipulation",
        __doc__,
        data=None,
        seed_help="graph seed; nothing here is random, it only names the run",
    )
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    main_guard(main)
