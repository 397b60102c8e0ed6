"""Lab 07-2: meet MNIST. A softmax classifier, 784 -> 10, trained with plain gradient descent.

The lecture (seed 004) trains 15 epochs at learning rate 0.1 and reports test accuracy 0.8951;
with learning rate 0.4 and 100 epochs it reports 0.9225.
"""
from common.lab import main_guard, run_mnist
from common.tf1 import tf
from common.training import Model

LEARNING_RATE = 0.1
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
NB_CLASSES = 10
REPORTED = {(15, 0.1): 0.8951, (100, 0.4): 0.9225}


def build(hp):
    # MNIST data image of shape 28 * 28 = 784; 0 - 9 digits recognition = 10 classes
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")

    with tf.name_scope("softmax"):
        W = tf.Variable(tf.random_normal([784, NB_CLASSES]), name="weight")
        b = tf.Variable(tf.random_normal([NB_CLASSES]), name="bias")
        hypothesis = tf.nn.softmax(tf.matmul(X, W) + b)

    with tf.name_scope("cost"):
        cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=hp.learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis,
                 activations={"softmax/hypothesis": hypothesis})


def main(argv=None):
    return run_mnist("lab07-mnist", __doc__, build, argv, epochs=TRAINING_EPOCHS,
                     learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, reported=REPORTED)


if __name__ == "__main__":
    main_guard(main)
