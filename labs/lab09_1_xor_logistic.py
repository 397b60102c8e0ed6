"""Lab 09-1: XOR with logistic regression (one sigmoid unit, 2 -> 1).

A line cannot separate XOR: after 10,001 gradient-descent steps at learning rate 0.1 the cost
stays at 0.6931 (= ln 2), every output is 0.5 and the accuracy is 0.5 (seed 003).
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
    with tf.name_scope("logistic"):
        W = tf.Variable(tf.random_normal([2, 1]), name="weight")
        b = tf.Variable(tf.random_normal([1]), name="bias")
        hypothesis = tf.sigmoid(tf.matmul(X, W) + b)
    with tf.name_scope("cost"):
        cost = binary_cross_entropy(Y, hypothesis)
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=hp.learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis,
                 activations={"logistic/hypothesis": hypothesis})


def main(argv=None):
    return run_toy("lab09-xor-logistic", __doc__, build, x_data, y_data, argv, steps=STEPS,
                   learning_rate=LEARNING_RATE, print_every=PRINT_EVERY)


if __name__ == "__main__":
    main_guard(main)
