"""TensorFlow prepared the way the course used it: 1.x graph mode through ``tf.compat.v1``.

Import ``tf`` from here, never ``tensorflow`` directly, so the legacy-Keras switch is set
before TensorFlow loads (``tf.compat.v1.layers`` needs it) and eager execution is off
(summaries, ``FileWriter`` and placeholders need graph mode).
"""
import os
import random
import warnings

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide C++ start-up chatter

import numpy as np  # noqa: E402
import tensorflow as tensorflow_v2  # noqa: E402

tf = tensorflow_v2.compat.v1
tf.disable_eager_execution()
tf.logging.set_verbosity(tf.logging.ERROR)
# the course's API is the point here: don't tell learners on every run that tf.layers is old
warnings.filterwarnings("ignore", message=r".*is deprecated and will be removed", category=UserWarning)

DEFAULT_SEED = 777  # the course's tf.set_random_seed(777)


def reset(seed=DEFAULT_SEED):
    """Start a fresh default graph with the graph seed and numpy/python seeds set."""
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def session_config():
    """Thread settings for small CPU machines: all cores inside an op, few ops at once."""
    cores = os.cpu_count() or 1
    return tf.ConfigProto(
        intra_op_parallelism_threads=cores,
        inter_op_parallelism_threads=min(2, cores),
        allow_soft_placement=True,
    )


def new_session(graph=None):
    return tf.Session(graph=graph, config=session_config())
