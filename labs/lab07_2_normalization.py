"""Lab 07-1 (cont.): normalized inputs.

Linear regression on 8 rows of stock prices (open, high, volume, low -> close), gradient descent
at learning rate 1e-5, 101 steps (seed 004, hunkim lab-07-2):
- raw rows: the volume column (~1e6) makes the cost explode to inf and then nan in a few steps;
- the same rows through a min-max scaler (+1e-7 in the denominator): a finite, decreasing cost
  (0.0137 at step 100 in seed 004; 0.1523 -> 0.1523 in hunkim's run).

Seed 002 (Keras) runs the same rows with SGD at 0.01 for 10 epochs: loss inf at epoch 3 then nan
raw; 1.5456 -> 0.8204 scaled (``make keras02-normalization``; the start differs with the weights).
"""
import numpy as np

from common import cli
from common.lab import fit_full_batch, main_guard, tensorboard_session
from common.tf1 import reset, tf
from common.training import Diverged, Model

LEARNING_RATE = 1e-5
STEPS = 101
PRINT_EVERY = 10

xy = np.array([[828.659973, 833.450012, 908100, 828.349976, 831.659973],
               [823.02002, 828.070007, 1828100, 821.655029, 828.070007],
               [819.929993, 824.400024, 1438100, 818.97998, 824.159973],
               [816, 820.958984, 1008100, 815.48999, 819.23999],
               [819.359985, 823, 1188100, 818.469971, 818.97998],
               [819, 823, 1198100, 816, 820.450012],
               [811.700012, 815.25, 1098100, 809.780029, 813.669983],
               [809.51001, 816.659973, 1398100, 804.539978, 809.559998]])


def min_max_scaler(data):
    numerator = data - np.min(data, 0)
    denominator = np.max(data, 0) - np.min(data, 0)
    # noise term prevents the zero division
    return numerator / (denominator + 1e-7)


def build(learning_rate):
    X = tf.placeholder(tf.float32, shape=[None, 4], name="X")
    Y = tf.placeholder(tf.float32, shape=[None, 1], name="Y")
    with tf.name_scope("linear"):
        W = tf.Variable(tf.random_normal([4, 1]), name="weight")
        b = tf.Variable(tf.random_normal([1]), name="bias")
        hypothesis = tf.matmul(X, W) + b
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))
    with tf.name_scope("train"):
        train = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis, classifier=False)


def train_on(args, name, rows, log=print):
    """Train on ``rows``; returns the costs and the step where it diverged (or None)."""
    reset(args.seed)
    model = build(args.learning_rate)
    x_data, y_data = rows[:, 0:-1], rows[:, [-1]]
    with tensorboard_session(args, model, case=name) as (_, trainer, _dir):
        log(f"--- {name} inputs")
        costs = []
        try:
            costs = fit_full_batch(trainer, {model.x: x_data, model.y: y_data}, args.epochs,
                                   PRINT_EVERY, show=lambda step, cost: f"{step} Cost: {cost:.7g}",
                                   log=log)
            diverged_at = None
        except Diverged as exc:
            diverged_at = exc.step
            log(f"{exc.step} Cost: {exc.cost} -> diverged: unscaled inputs need a tiny learning rate")
    return {"inputs": name, "costs": costs, "diverged_at": diverged_at}


def main(argv=None):
    parser = cli.build_parser("lab07-normalization", __doc__, epochs=STEPS,
                              learning_rate=LEARNING_RATE, summary_every=5,
                              epochs_help="full-batch steps")
    args = parser.parse_args(argv)
    return [train_on(args, "raw", xy), train_on(args, "minmax", min_max_scaler(xy))]


if __name__ == "__main__":
    main_guard(main)
