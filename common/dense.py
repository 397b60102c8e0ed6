"""The Keras documents' ``Sequential`` stacks of ``Dense`` layers, built in graph mode.

``dense_classifier`` is ``Dense(units, activation, kernel_initializer)`` (+ ``Dropout``) per hidden
layer, a 10-way softmax output, categorical cross-entropy and an optimizer (Keras's Adam by
default) with optional activity/weight regularization and gradient clipping.
"""
from common.tf1 import tf
from common.training import Model

IMAGE_PIXELS, NUM_CLASSES = 784, 10
INITIALIZERS = {  # Keras's names -> TF1 initializers (the graph seed makes them repeatable)
    "random_uniform": lambda: tf.random_uniform_initializer(-0.05, 0.05),  # Keras 2's default range
    "glorot_uniform": tf.glorot_uniform_initializer,
}
ACTIVATIONS = {"linear": None, "relu": tf.nn.relu}


def keras_adam(learning_rate):
    return tf.train.AdamOptimizer(learning_rate, epsilon=1e-7)  # Keras's epsilon, not TF1's 1e-8


def dense_classifier(hp, hidden, *, activation="relu", initializer="glorot_uniform", dropout=0.0,
                     activity_l1=0.0, weight_l1=0.0, weight_l2=0.0, clipnorm=None, optimizer=None):
    """784 -> ``hidden`` widths -> 10 softmax.

    ``optimizer(learning_rate)`` makes the optimizer (default: Keras's Adam) at ``hp.learning_rate``.
    """
    X = tf.placeholder(tf.float32, [None, IMAGE_PIXELS], name="X")
    Y = tf.placeholder(tf.float32, [None, NUM_CLASSES], name="Y")
    training = tf.placeholder_with_default(False, shape=[], name="training")
    batch = tf.cast(tf.shape(X)[0], tf.float32)
    layer, activations, penalties = X, {}, []

    def regularize(output):  # Keras: l1 * sum |activity|, divided by the batch size
        if activity_l1:
            penalties.append(activity_l1 * tf.reduce_sum(tf.abs(output)) / batch)

    for i, units in enumerate(hidden, start=1):
        layer = tf.layers.dense(layer, units, activation=ACTIVATIONS[activation],
                                kernel_initializer=INITIALIZERS[initializer](), name=f"dense{i}")
        activations[f"dense{i}/output"] = layer
        regularize(layer)
        if dropout:
            layer = tf.layers.dropout(layer, rate=dropout, training=training, name=f"dropout{i}")
    logits = tf.layers.dense(layer, NUM_CLASSES, kernel_initializer=INITIALIZERS[initializer](),
                             name="output")
    regularize(tf.nn.softmax(logits))
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
        kernels = [v for v in tf.trainable_variables() if v.op.name.endswith("kernel")]
        if weight_l1:
            penalties += [weight_l1 * tf.reduce_sum(tf.abs(w)) for w in kernels]
        if weight_l2:
            penalties += [weight_l2 * tf.reduce_sum(tf.square(w)) for w in kernels]
        if penalties:
            cost = cost + tf.add_n(penalties)
    with tf.name_scope("train"):
        optimizer = (optimizer or keras_adam)(hp.learning_rate)
        gradients = optimizer.compute_gradients(cost)
        if clipnorm:  # Keras's clipnorm: each gradient tensor to at most this norm
            gradients = [(tf.clip_by_norm(g, clipnorm), v) for g, v in gradients]
        train = optimizer.apply_gradients(gradients)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=logits, activations=activations,
                 train_feed={training: True})
