"""Lab 09-1: XOR with a neural net, 2-2-1 sigmoid.

Two sigmoid units in a hidden layer solve XOR: after 10,001 steps of gradient descent at 0.1
the cost is 0.0169 and the outputs are [0.0137, 0.9817, 0.9817, 0.0168], accuracy 1.0 (seed 003).
"""
from common.lab import main_guard, run_toy
from common.tf1 import tf
from common.training import Model
from common.xor import binary_cross_entropy, x_data, y_data

LEARNING_RATE = 0.1
STEPS = 10001
PRINT_EVERY = 1000


def build(hp):
    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")
    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_normal([2, 2]), name="weight1")
        b1 = tf.Variable(tf.random_normal([2]), name="bias1")
        layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)
    with tf.name_scope("layer2"):
        W2 = tf.Variable(tf.random_normal([2, 1]), name="weight2")
        b2 = tf.Variable(tf.random_normal([1]), name="bias2")
        hypothesis = tf.sigmoid(tf.matmul(layer1, W2) + b2)
    with tf.name_scope("cost"):
        cost = binary_cross_entropy(Y, hypothesis)
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=hp.learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis,
                 activations={"layer1/output": layer1, "layer2/hypothesis": hypothesis})


def main(argv=None):
    return run_toy("lab09-xor-nn", __doc__, build, x_data, y_data, argv, steps=STEPS,
                   learning_rate=LEARNING_RATE, print_every=PRINT_EVERY)


if __name__ == "__main__":
    main_guard(main)
