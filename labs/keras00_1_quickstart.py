"""Seed 000, weeks 1-2: the TensorFlow 2 quickstart on MNIST, and the notes' goal of 99%.

``--model quickstart`` (default): Flatten -> Dense(128, relu) -> Dropout(0.2) -> Dense(10),
sparse softmax cross-entropy from logits, Adam, 5 epochs of Keras's default batch 32 on all 60,000
training images: test accuracy 0.9758 in the notes.

``--model stretch``: the notes ask to raise the accuracy to 99% ("more epochs, dropout, ...");
an MLP stalls near 98.5%, so the stretch run puts two small convolution blocks in front of the
same Dense(128)-Dropout-Dense(10) head, 10 epochs of batch 32.
"""
from common.dense import NUM_CLASSES, dense_classifier, keras_adam
from common.keras_docs import build_parser, run_keras_doc
from common.lab import main_guard
from common.tf1 import tf
from common.training import Model

LEARNING_RATE = 0.001  # Keras's Adam default
BATCH_SIZE = 32  # model.fit's default
EPOCHS = {"quickstart": 5, "stretch": 10}
REPORTED = {"quickstart": 0.9758, "stretch": 0.99}  # stretch: the notes' goal


def quickstart(hp):
    return dense_classifier(hp, hidden=[128], dropout=0.2)


def stretch(hp):
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NUM_CLASSES], name="Y")
    training = tf.placeholder_with_default(False, shape=[], name="training")
    glorot = tf.glorot_uniform_initializer
    layer = tf.reshape(X, [-1, 28, 28, 1])
    activations = {}
    for i, filters in enumerate([32, 64], start=1):  # 28x28 -> 14x14 -> 7x7
        layer = tf.layers.conv2d(layer, filters, 3, padding="same", activation=tf.nn.relu,
                                 kernel_initializer=glorot(), name=f"conv{i}")
        layer = tf.layers.max_pooling2d(layer, 2, 2, name=f"pool{i}")
        activations[f"conv{i}/output"] = layer
    layer = tf.layers.dense(tf.layers.flatten(layer), 128, activation=tf.nn.relu,
                            kernel_initializer=glorot(), name="dense1")
    activations["dense1/output"] = layer
    layer = tf.layers.dropout(layer, rate=0.2, training=training, name="dropout1")
    logits = tf.layers.dense(layer, NUM_CLASSES, kernel_initializer=glorot(), name="output")
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        train = keras_adam(hp.learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=logits, activations=activations,
                 train_feed={training: True})


MODELS = {"quickstart": quickstart, "stretch": stretch}


def main(argv=None):
    parser = build_parser("keras00-quickstart", __doc__, epochs=EPOCHS["quickstart"],
                          learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE)
    parser.add_argument("--model", choices=list(MODELS), default="quickstart",
                        help="the quickstart's MLP, or the stretch run for 99%% (default quickstart; "
                             f"its default epochs: {EPOCHS['stretch']})")
    epochs = EPOCHS[parser.parse_known_args(argv)[0].model]
    parser.set_defaults(epochs=epochs, documented_settings=(epochs, LEARNING_RATE, BATCH_SIZE))
    args = parser.parse_args(argv)
    return run_keras_doc(args, MODELS[args.model], reported=REPORTED[args.model], case=args.model)


if __name__ == "__main__":
    main_guard(main)
