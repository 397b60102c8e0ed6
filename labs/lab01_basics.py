"""Lab 01: TensorFlow basics, in graph mode: constants, a session, the computational graph,
placeholders.

The original series kept this lab as a notebook (after TensorFlow's old "Getting Started"
guide); its cells, in order:
- the version (the course ran 1.0.0; here 2.x, in its 1.x graph mode);
- a constant op run in a session: ``b'Hello, TensorFlow!'``;
- tensors of rank 0 to 3 (plain Python values; NumPy shows their shapes);
- two constants and their sum, printed as graph tensors (a name, a shape, a dtype: no value
  until a session runs them), then run: ``[3.0, 4.0]`` and ``7.0``;
- placeholders fed through ``feed_dict``: ``7.5`` for 3 + 4.5 and ``[3. 7.]`` for [1, 3] + [2, 4];
  ``add_and_triple`` gives ``22.5``.

The graph is written to the run folder, so TensorBoard's Graphs tab draws the adder the notebook
pictures: ``node1`` and ``node2`` into ``node3``, and ``a`` and ``b`` into ``adder_node``.
"""

# %%
import numpy as np

from common import cli
from common.lab import main_guard
from common.run_folder import run_folder
from common.tf1 import reset, session_config, tf


# %%
def run(args, log=print):
    """Every cell of the notebook, in order; the values by name."""
    reset(args.seed)
    values = {}
    log(f"tf.__version__: {tf.__version__}")

    # Hello TensorFlow: a constant op, added as a node to the default graph, run in a session
    hello = tf.constant("Hello, TensorFlow!")
    sess = tf.Session(config=session_config())
    values["hello"] = sess.run(hello)
    log(values["hello"])

    # tensors: a rank 0 tensor is a scalar with shape [], rank 1 a vector, rank 2 a matrix, ...
    for rank, tensor in enumerate(
        [3, [1.0, 2.0, 3.0], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[[1.0, 2.0, 3.0]], [[7.0, 8.0, 9.0]]]]
    ):
        log(f"rank {rank}: {tensor}, shape {list(np.shape(tensor))}")

    # the computational graph: nodes print as tensors until a session runs them
    node1 = tf.constant(3.0, tf.float32, name="node1")
    node2 = tf.constant(4.0, name="node2")  # also tf.float32 implicitly
    node3 = tf.add(node1, node2, name="node3")
    log(f"node1: {node1} node2: {node2}")
    log(f"node3:  {node3}")
    values["node1, node2"] = [float(v) for v in sess.run([node1, node2])]
    values["node3"] = sess.run(node3)
    log(f"sess.run(node1, node2):  {values['node1, node2']}")
    log(f"sess.run(node3):  {values['node3']}")

    # placeholders: the graph takes its inputs when it runs
    a = tf.placeholder(tf.float32, name="a")
    b = tf.placeholder(tf.float32, name="b")
    adder_node = tf.identity(a + b, name="adder_node")  # + provides a shortcut for tf.add(a, b)
    values["a + b, scalars"] = sess.run(adder_node, feed_dict={a: 3, b: 4.5})
    values["a + b, vectors"] = sess.run(adder_node, feed_dict={a: [1, 3], b: [2, 4]})
    log(values["a + b, scalars"])
    log(values["a + b, vectors"])

    add_and_triple = tf.identity(adder_node * 3.0, name="add_and_triple")
    values["add_and_triple"] = sess.run(add_and_triple, feed_dict={a: 3, b: 4.5})
    log(values["add_and_triple"])

    # the graph, for TensorBoard's Graphs tab
    directory = run_folder(args)
    directory.mkdir(parents=True, exist_ok=True)
    writer = tf.summary.FileWriter(str(directory), sess.graph)
    writer.close()
    sess.close()
    log(f"graph: {directory} (TensorBoard's Graphs tab)")
    return values, directory


# %%
def main(argv=None):
    parser = cli.build_parser(
        "lab01-basics",
        __doc__,
        data=None,
        seed_help="graph seed; nothing here is random, it only names the run",
    )
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    main_guard(main)
