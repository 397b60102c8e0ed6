"""Lab 09-1 exercise: MNIST deeper and wider, 784-256-256-256-10 sigmoid.

random_normal weights and biases, softmax with the hand-written cross-entropy, gradient descent
at 0.1, 15 epochs of batch 100: test accuracy 0.8887 (seed 003).
"""
from common.lab import main_guard, run_mnist
from common.layers import sigmoid_stack
from common.tf1 import tf
from common.training import Model

LEARNING_RATE = 0.1
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
WIDTHS = [784, 256, 256, 256]  # input and three hidden layers
NB_CLASSES = 10
REPORTED = {(15, 0.1): 0.8887}


def build(hp):
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")
    layer, activations = sigmoid_stack(X, WIDTHS)
    with tf.name_scope("softmax"):
        W = tf.Variable(tf.random_normal([WIDTHS[-1], NB_CLASSES]), name="weight4")
        b = tf.Variable(tf.random_normal([NB_CLASSES]), name="bias4")
        hypothesis = tf.nn.softmax(tf.matmul(layer, W) + b)
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=hp.learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis, activations=activations)


def main(argv=None):
    return run_mnist("lab09-mnist-deep-wide", __doc__, build, argv, epochs=TRAINING_EPOCHS,
                     learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, reported=REPORTED)


if __name__ == "__main__":
    main_guard(main)
