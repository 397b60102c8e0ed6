"""Lab 11-2 (original series lab-11-1): MNIST with a simple CNN, in raw ops.

conv 3x3x32 -> ReLU -> pool (14x14x32) -> conv 3x3x64 -> ReLU -> pool (7x7x64) -> fully connected
3136 -> 10 (Xavier). Adam at 0.001, 15 epochs of batch 100: test accuracy 0.9885 (hunkim).
Checkpoints every epoch: an interrupted run resumes when the same command runs again.
"""
from common.cnn import conv_relu_pool
from common.lab import main_guard, run_mnist
from common.tf1 import tf
from common.training import Model

LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
REPORTED = {(15, 0.001): 0.9885}


def build(hp):
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    X_img = tf.reshape(X, [-1, 28, 28, 1])  # img 28x28x1 (black/white)
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")

    with tf.name_scope("layer1"):  # (?, 28, 28, 1) -> conv (?, 28, 28, 32) -> pool (?, 14, 14, 32)
        W1 = tf.Variable(tf.random_normal([3, 3, 1, 32], stddev=0.01), name="W1")
        L1 = conv_relu_pool(X_img, W1)
    with tf.name_scope("layer2"):  # -> conv (?, 14, 14, 64) -> pool (?, 7, 7, 64)
        W2 = tf.Variable(tf.random_normal([3, 3, 32, 64], stddev=0.01), name="W2")
        L2 = conv_relu_pool(L1, W2)
        L2_flat = tf.reshape(L2, [-1, 7 * 7 * 64])
    with tf.variable_scope("fc"):  # final FC 7x7x64 inputs -> 10 outputs
        W3 = tf.get_variable("W3", shape=[7 * 7 * 64, 10], initializer=tf.glorot_uniform_initializer())
        b = tf.Variable(tf.random_normal([10]), name="b")
        logits = tf.matmul(L2_flat, W3) + b

    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        optimizer = tf.train.AdamOptimizer(learning_rate=hp.learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=optimizer, hypothesis=logits,
                 activations={"layer1/output": L1, "layer2/output": L2})


def main(argv=None):
    return run_mnist("lab11-mnist-cnn", __doc__, build, argv, epochs=TRAINING_EPOCHS,
                     learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, reported=REPORTED,
                     resumable=True)


if __name__ == "__main__":
    main_guard(main)
