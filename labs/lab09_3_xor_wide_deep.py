"""Lab 09-1: XOR wide and deep, 2-10-10-10-1 sigmoid.

Wider and deeper than the 2-2-1 net, trained the same way (GD 0.1, 10,001 steps): accuracy 1.0
with outputs closer to 0 and 1 (seed 003: [0.0019 .. 0.9988]).
"""
from common.lab import main_guard, run_toy
from common.layers import sigmoid_stack
from common.tf1 import tf
from common.training import Model
from common.xor import binary_cross_entropy, x_data, y_data

LEARNING_RATE = 0.1
STEPS = 10001
PRINT_EVERY = 1000
WIDTHS = [2, 10, 10, 10, 1]  # input, three hidden layers, output


def build(hp):
    X = tf.placeholder(tf.float32, [None, WIDTHS[0]], name="X")
    Y = tf.placeholder(tf.float32, [None, WIDTHS[-1]], name="Y")
    hypothesis, activations = sigmoid_stack(X, WIDTHS)
    with tf.name_scope("cost"):
        cost = binary_cross_entropy(Y, hypothesis)
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=hp.learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis, activations=activations)


def main(argv=None):
    return run_toy("lab09-xor-wide-deep", __doc__, build, x_data, y_data, argv, steps=STEPS,
                   learning_rate=LEARNING_RATE, print_every=PRINT_EVERY)


if __name__ == "__main__":
    main_guard(main)
