"""Lab 09-2: XOR for TensorBoard, the 2-2-1 net with the five steps of using TensorBoard.

1. decide which tensors to log: histograms of every weight, bias and layer output, scalars of
   cost and accuracy, each under its layer's name scope;
2. merge all summaries;
3. create a FileWriter on the run folder and add the graph;
4. run the merged summary with the train op and add it with the step counter as global step;
5. launch TensorBoard: ``make tensorboard``.
Trained with Adam at 0.01 as in the original series; accuracy 1.0.
"""
from common.lab import main_guard, run_toy
from common.tf1 import tf
from common.training import Model
from common.xor import binary_cross_entropy, x_data, y_data

LEARNING_RATE = 0.01
STEPS = 10001
PRINT_EVERY = 1000
SUMMARY_EVERY = 10


def build(hp):
    X = tf.placeholder(tf.float32, [None, 2], name="x-input")
    Y = tf.placeholder(tf.float32, [None, 1], name="y-input")

    # step 1: the tensors to log, layer by layer
    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_normal([2, 2]), name="weight1")
        b1 = tf.Variable(tf.random_normal([2]), name="bias1")
        layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)
        tf.summary.histogram("weights1", W1)
        tf.summary.histogram("biases1", b1)
        tf.summary.histogram("layer1", layer1)

    with tf.name_scope("layer2"):
        W2 = tf.Variable(tf.random_normal([2, 1]), name="weight2")
        b2 = tf.Variable(tf.random_normal([1]), name="bias2")
        hypothesis = tf.sigmoid(tf.matmul(layer1, W2) + b2)
        tf.summary.histogram("weights2", W2)
        tf.summary.histogram("biases2", b2)
        tf.summary.histogram("hypothesis", hypothesis)

    with tf.name_scope("cost"):
        cost = binary_cross_entropy(Y, hypothesis)
        tf.summary.scalar("cost", cost)

    with tf.name_scope("train"):
        train = tf.train.AdamOptimizer(learning_rate=hp.learning_rate).minimize(cost)

    with tf.name_scope("accuracy"):
        predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))
        tf.summary.scalar("accuracy", accuracy)

    # step 2: merge them; steps 3 and 4 (FileWriter, add_summary) run in common.lab
    merged_summary = tf.summary.merge_all()
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis, accuracy=accuracy,
                 summary_op=merged_summary)


def main(argv=None):
    return run_toy("lab09-xor-tensorboard", __doc__, build, x_data, y_data, argv, steps=STEPS,
                   learning_rate=LEARNING_RATE, print_every=PRINT_EVERY, summary_every=SUMMARY_EVERY)


if __name__ == "__main__":
    main_guard(main)
