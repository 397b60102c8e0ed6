"""TensorFlow prepared the way the course used it: 1.x graph mode through ``tf.compat.v1``.

Import ``tf`` from here, never ``tensorflow`` directly, so the legacy-Keras switch is set
before TensorFlow loads (``tf.compat.v1.layers`` needs it) and eager execution is off
(summaries, ``FileWriter`` and placeholders need graph mode).
"""

import os
import random
import warnings
from contextlib import contextmanager

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide C++ start-up chatter
# TensorFlow turns its oneDNN kernels on only for CPUs with AVX-512-class features; its own
# (Eigen) kernels in the CPU wheel are built without FMA, so on an AVX2 machine oneDNN trains the
# CNNs 10-30 % faster (`make bench`). TF_ENABLE_ONEDNN_OPTS=0 brings the Eigen kernels back.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")

import numpy as np  # noqa: E402

from common.cli import DEFAULT_SEED, announce  # noqa: E402


@contextmanager
def native_stderr_silenced():
    """Discard what C++ code writes to stderr meanwhile: TensorFlow's absl logging prints its
    "oneDNN custom operations are on" notice before TF_CPP_MIN_LOG_LEVEL takes effect. A Python
    exception is still reported, after stderr is back."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def load_tensorflow():
    """``tensorflow.compat.v1`` in graph mode, loaded once."""
    with native_stderr_silenced():
        import tensorflow as tensorflow_v2

    v1 = tensorflow_v2.compat.v1
    v1.disable_eager_execution()
    v1.logging.set_verbosity(v1.logging.ERROR)
    # the course's API is the point here: don't tell learners on every run that tf.layers is old
    warnings.filterwarnings("ignore", message=r".*is deprecated and will be removed", category=UserWarning)
    return v1


class TensorFlowOnFirstUse:
    """``tf``, the way the course imports it, loaded at its first use rather than at import: a
    lab parses its flags (and answers ``--help`` or a mistyped flag) before TensorFlow's 5-10 s
    load, which starts with the first ``tf.`` the program runs."""

    def __init__(self):
        self._module = None

    def __getattr__(self, name):
        if self._module is None:
            announce()  # the run's first line, before the wait
            self._module = load_tensorflow()
        return getattr(self._module, name)

    def __repr__(self):
        return "<tensorflow.compat.v1, " + ("loaded>" if self._module else "loaded at first use>")


tf = TensorFlowOnFirstUse()


def reset(seed=DEFAULT_SEED):
    """Start a fresh default graph with the graph seed and numpy/python seeds set."""
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def session_config(parallel_models=1):
    """Thread settings for small CPU machines.

    One model is a chain of ops: all cores go to each op and one op runs at a time (a second
    inter-op thread makes oneDNN's threads fight over the cores). Models trained side by side (an
    ensemble in one ``session.run``) get a core each, as far as the cores go.
    """
    cores = os.cpu_count() or 1
    at_once = max(1, min(parallel_models, cores))
    # LAB_INTRA_OP_THREADS / LAB_INTER_OP_THREADS override both (e.g. `make bench`'s older peers)
    return tf.ConfigProto(
        intra_op_parallelism_threads=int(os.environ.get("LAB_INTRA_OP_THREADS") or max(1, cores // at_once)),
        inter_op_parallelism_threads=int(os.environ.get("LAB_INTER_OP_THREADS") or at_once),
        allow_soft_placement=True,
    )


def new_session(graph=None, parallel_models=1):
    return tf.Session(graph=graph, config=session_config(parallel_models))
