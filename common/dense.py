"""Keras's names and defaults in TF1 terms, for the Keras-document labs' graphs.

``kernel_initializer='random_uniform'`` / ``'glorot_uniform'``, ``activation='linear'`` /
``'relu'``, ``optimizer='adam'`` with Keras's epsilon, and ``regularizers.l1_l2``.
"""

from common.tf1 import tf

EPSILON = 1e-7  # Keras's fuzz factor; TF1's optimizers default to 1e-8
INITIALIZERS = {  # Keras's names -> TF1 initializers (the graph seed makes them repeatable)
    "random_uniform": lambda: tf.random_uniform_initializer(-0.05, 0.05),  # Keras 2's default range
    "glorot_uniform": lambda: tf.glorot_uniform_initializer(),
}
ACTIVATIONS = {"linear": None, "relu": lambda x: tf.nn.relu(x)}


def keras_adam(learning_rate):
    """``optimizer='adam'``: TF1's Adam with Keras's epsilon."""
    return tf.train.AdamOptimizer(learning_rate, epsilon=EPSILON)


def l1_l2(l1=0.01, l2=0.01):
    """``keras.regularizers.l1_l2(l1, l2)`` as a ``kernel_regularizer``: the penalty
    ``l1 * sum|W| + l2 * sum W**2``, added to the loss (``tf.losses.get_regularization_loss()``)."""
    return lambda W: l1 * tf.reduce_sum(tf.abs(W)) + l2 * tf.reduce_sum(tf.square(W))
