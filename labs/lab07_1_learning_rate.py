"""Lab 07-1: training/test data and the learning rate.

A softmax classifier (3 features -> 3 classes) is trained on 8 rows and tested on 3 others,
201 full-batch gradient-descent steps at three learning rates (seed 004):
- 1e-10, too small: no progress (cost stuck at 5.73 in the lecture, prediction [0 0 0], 0.0);
- 1.5, too large: the cost diverges to nan (prediction [0 0 0], accuracy 0.0);
- 0.1, proper: cost 0.67 at step 200, prediction [2 2 2], accuracy 1.0.

Seed 002 (Keras) trains the same data with SGD at 0.1 for 200 epochs and evaluates on the same 3
rows: accuracy 1.0 (``make keras02-learning-rate``).
"""
import numpy as np

from common import cli
from common.lab import fit_full_batch, main_guard, tensorboard_session
from common.tf1 import reset, tf
from common.training import Diverged, Model

LEARNING_RATES = (1e-10, 1.5, 0.1)
STEPS = 201
PRINT_EVERY = 20

x_data = np.array([[1, 2, 1], [1, 3, 2], [1, 3, 4], [1, 5, 5],
                   [1, 7, 5], [1, 2, 5], [1, 6, 6], [1, 7, 7]], dtype=np.float32)
y_data = np.array([[0, 0, 1], [0, 0, 1], [0, 0, 1], [0, 1, 0],
                   [0, 1, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]], dtype=np.float32)
# Evaluation our model using this test dataset
x_test = np.array([[2, 1, 1], [3, 1, 2], [3, 3, 4]], dtype=np.float32)
y_test = np.array([[0, 0, 1], [0, 0, 1], [0, 0, 1]], dtype=np.float32)


def build(learning_rate):
    X = tf.placeholder(tf.float32, [None, 3], name="X")
    Y = tf.placeholder(tf.float32, [None, 3], name="Y")
    with tf.name_scope("softmax"):
        W = tf.Variable(tf.random_normal([3, 3]), name="weight")
        b = tf.Variable(tf.random_normal([3]), name="bias")
        hypothesis = tf.nn.softmax(tf.matmul(X, W) + b)
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
    with tf.name_scope("train"):
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=optimizer, hypothesis=hypothesis)


def train_at(args, learning_rate, log=print):
    """One learning rate: returns its costs, whether it diverged, prediction and accuracy."""
    reset(args.seed)
    model = build(learning_rate)
    prediction = tf.argmax(model.hypothesis, 1)
    with tensorboard_session(args, model, case=f"lr{learning_rate:g}") as (sess, trainer, _):
        log(f"--- learning rate {learning_rate:g}")
        try:
            costs = fit_full_batch(trainer, {model.x: x_data, model.y: y_data}, args.epochs,
                                   PRINT_EVERY, log=log)
            diverged_at = None
        except Diverged as exc:
            costs, diverged_at = None, exc.step
            log(f"{exc.step} cost: {exc.cost} -> diverged (the expected outcome of a too large rate)")
        feed = {model.x: x_test, model.y: y_test}
        predicted, accuracy = sess.run([prediction, model.accuracy], feed)
        log(f"Prediction: {predicted}")
        log(f"Accuracy:  {accuracy:.4f}")
    return {"learning_rate": learning_rate, "costs": costs, "diverged_at": diverged_at,
            "prediction": predicted.tolist(), "accuracy": float(accuracy)}


def main(argv=None):
    parser = cli.build_parser("lab07-learning-rate", __doc__, epochs=STEPS, learning_rate=None,
                              summary_every=10, epochs_help="full-batch steps per learning rate")
    args = parser.parse_args(argv)
    rates = [args.learning_rate] if args.learning_rate else LEARNING_RATES
    return [train_at(args, rate) for rate in rates]


if __name__ == "__main__":
    main_guard(main)
