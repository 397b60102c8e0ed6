"""Lab 10: MNIST with ReLU, Xavier initialization, a deeper net, dropout and Adam.

One network, four lecture steps (``--experiment``), each with the settings of the two sources
(``--source``; TARGETS.md lists both):

| experiment | seed 003 | hunkim (original series) |
|---|---|---|
| relu    | 784-256-256-256-10 ReLU, random_normal, GD 0.1: **0.955** | 784-256-256-10, Adam 1e-3: 0.9455 |
| xavier  | same with Xavier weights, Adam 0.01: **0.971** | 784-256-256-10 Xavier, Adam 1e-3: 0.9783 |
| deep    | - | 784-512x4-10 Xavier, Adam 1e-3: 0.9742 |
| dropout | - | the deep net, keep_prob 0.7 in training, 1.0 at test: **0.9804** |

15 epochs of batch 100 throughout; biases are random_normal; the cost is
``softmax_cross_entropy_with_logits``. "Xavier" is ``glorot_uniform`` (the old default).
"""
from common import cli
from common.lab import main_guard, run_mnist_args
from common.tf1 import tf
from common.training import Model

TRAINING_EPOCHS = 15
BATCH_SIZE = 100
NB_CLASSES = 10

EXPERIMENTS = {
    ("relu", "seed003"): dict(hidden=[256, 256, 256], init="normal", optimizer="adam",
                              learning_rate=0.01, keep_prob=1.0, reported=0.955),
    ("relu", "hunkim"): dict(hidden=[256, 256], init="normal", optimizer="adam",
                             learning_rate=0.001, keep_prob=1.0, reported=0.9455),
    ("xavier", "seed003"): dict(hidden=[256, 256, 256], init="xavier", optimizer="adam",
                                learning_rate=0.01, keep_prob=1.0, reported=0.971),
    ("xavier", "hunkim"): dict(hidden=[256, 256], init="xavier", optimizer="adam",
                               learning_rate=0.001, keep_prob=1.0, reported=0.9783),
    ("deep", "hunkim"): dict(hidden=[512] * 4, init="xavier", optimizer="adam",
                             learning_rate=0.001, keep_prob=1.0, reported=0.9742),
    ("dropout", "hunkim"): dict(hidden=[512] * 4, init="xavier", optimizer="adam",
                                learning_rate=0.001, keep_prob=0.7, reported=0.9804),
}
DEFAULT_SOURCE = {"relu": "seed003", "xavier": "seed003", "deep": "hunkim", "dropout": "hunkim"}


def weight(name, shape, init):
    if init == "xavier":
        return tf.get_variable(name, shape=shape, initializer=tf.glorot_uniform_initializer())
    return tf.Variable(tf.random_normal(shape), name=name)


def build(hp):
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")
    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder_with_default(1.0, shape=[], name="keep_prob")

    layer, activations = X, {}
    widths = [784] + hp.hidden
    for i, (fan_in, fan_out) in enumerate(zip(widths, widths[1:]), start=1):
        with tf.variable_scope(f"layer{i}"):
            W = weight("weight", [fan_in, fan_out], hp.init)
            b = tf.Variable(tf.random_normal([fan_out]), name="bias")
            layer = tf.nn.relu(tf.matmul(layer, W) + b)
            activations[f"layer{i}/relu"] = layer
            if hp.keep_prob < 1.0:
                layer = tf.nn.dropout(layer, rate=1 - keep_prob)
    with tf.variable_scope("logits"):
        W = weight("weight", [widths[-1], NB_CLASSES], hp.init)
        b = tf.Variable(tf.random_normal([NB_CLASSES]), name="bias")
        hypothesis = tf.matmul(layer, W) + b

    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=hypothesis, labels=Y))
    with tf.name_scope("train"):
        if hp.optimizer == "adam":
            optimizer = tf.train.AdamOptimizer(learning_rate=hp.learning_rate)
        else:
            optimizer = tf.train.GradientDescentOptimizer(learning_rate=hp.learning_rate)
        train = optimizer.minimize(cost)
    return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis,
                 activations=activations, train_feed={keep_prob: hp.keep_prob})


def main(argv=None):
    parser = cli.build_parser("lab10-mnist-nn", __doc__, epochs=TRAINING_EPOCHS, learning_rate=None,
                              batch_size=BATCH_SIZE)
    parser.add_argument("--experiment", choices=sorted(DEFAULT_SOURCE), default="relu")
    parser.add_argument("--source", choices=["seed003", "hunkim"], default=None,
                        help="whose settings (default: seed003 where it has the experiment)")
    args = parser.parse_args(argv)
    args.source = args.source or DEFAULT_SOURCE[args.experiment]
    if (args.experiment, args.source) not in EXPERIMENTS:
        parser.error(f"--source {args.source} has no '{args.experiment}' experiment")
    settings = dict(EXPERIMENTS[args.experiment, args.source])
    reported = settings.pop("reported")
    documented = args.epochs == TRAINING_EPOCHS and args.learning_rate in (None, settings["learning_rate"])
    for key, value in settings.items():  # a flag given on the command line wins
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    args.lab = f"lab10-mnist-{args.experiment}"
    return run_mnist_args(args, build, reported_figure=reported if documented else None)


if __name__ == "__main__":
    main_guard(main)
