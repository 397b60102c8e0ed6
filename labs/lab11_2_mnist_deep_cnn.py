"""Lab 11-2: MNIST with a deep CNN, in raw ops.

Three conv blocks (3x3 filters, 32 / 64 / 128, SAME, ReLU, 2x2 max pool, dropout keep_prob 0.7
in training and 1.0 at test), then FC 2048 -> 625 ReLU (dropout) -> 10, Xavier for the FC
weights. Adam at 0.001, 15 epochs of batch 100: test accuracy 0.9931 (seed 003); 0.9938 in the
original series. Checkpoints every epoch: an interrupted run resumes when run again.
"""
from common.cnn import conv_relu_pool
from common.lab import main_guard, run_mnist
from common.tf1 import tf
from common.training import Model

LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
KEEP_PROB = 0.7
REPORTED = {(15, 0.001): 0.9931}


def deep_cnn(X_img, keep_prob):
    """The lecture's five layers; returns the logits and the layer outputs by name."""
    layers = {}
    L = X_img
    # (?, 28, 28, 1) -> (?, 14, 14, 32) -> (?, 7, 7, 64) -> (?, 4, 4, 128)
    for i, (fan_in, filters) in enumerate([(1, 32), (32, 64), (64, 128)], start=1):
        with tf.variable_scope(f"conv{i}"):
            W = tf.Variable(tf.random_normal([3, 3, fan_in, filters], stddev=0.01), name="W")
            L = tf.nn.dropout(conv_relu_pool(L, W), rate=1 - keep_prob)
            layers[f"conv{i}/output"] = L
    L3_flat = tf.reshape(L, [-1, 128 * 4 * 4])
    with tf.variable_scope("fc4"):  # 4x4x128 inputs -> 625 outputs
        W4 = tf.get_variable("W4", shape=[128 * 4 * 4, 625], initializer=tf.glorot_uniform_initializer())
        b4 = tf.Variable(tf.random_normal([625]), name="b4")
        L4 = tf.nn.dropout(tf.nn.relu(tf.matmul(L3_flat, W4) + b4), rate=1 - keep_prob)
        layers["fc4/output"] = L4
    with tf.variable_scope("fc5"):  # final FC 625 inputs -> 10 outputs
        W5 = tf.get_variable("W5", shape=[625, 10], initializer=tf.glorot_uniform_initializer())
        b5 = tf.Variable(tf.random_normal([10]), name="b5")
        logits = tf.matmul(L4, W5) + b5
    return logits, layers


def build(hp):
    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder_with_default(1.0, shape=[], name="keep_prob")
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    X_img = tf.reshape(X, [-1, 28, 28, 1])
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    logits, layers = deep_cnn(X_img, keep_prob)
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        optimizer = tf.train.AdamOptimizer(learning_rate=hp.learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=optimizer, hypothesis=logits, activations=layers,
                 train_feed={keep_prob: KEEP_PROB})


def main(argv=None):
    return run_mnist("lab11-mnist-deep-cnn", __doc__, build, argv, epochs=TRAINING_EPOCHS,
                     learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, reported=REPORTED,
                     resumable=True)


if __name__ == "__main__":
    main_guard(main)
