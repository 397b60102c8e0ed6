"""Lecture 10-1: a deep XOR net, sigmoid vs ReLU (the vanishing gradient).

2-5-5-5-5-5-5-5-5-5-5-1: eleven weight layers, random_uniform[-1, 1] weights, zero biases,
gradient descent. With sigmoid hidden layers the cost stays at 0.6931 and every output at 0.5,
accuracy 0.5: the gradient fades layer by layer on its way back. The same net with ReLU hidden
layers reaches cost ~2.6e-6, accuracy 1.0 (seed 003, ~200,000 steps).

Both nets are trained in one run, as sub-runs ``sigmoid`` and ``relu``; TensorBoard shows each
layer's gradient norm (``gradient_norm/layerN``) side by side.
"""
from common import cli
from common.lab import main_guard, train_toy
from common.tf1 import tf
from common.training import Model
from common.xor import binary_cross_entropy, x_data, y_data

LEARNING_RATE = 0.1
STEPS = 200001
PRINT_EVERY = 20000
WIDTHS = [2] + [5] * 10 + [1]  # eleven weight layers
ACTIVATIONS = {"sigmoid": tf.sigmoid, "relu": tf.nn.relu}


def build_with(activation):
    def build(hp):
        X = tf.placeholder(tf.float32, [None, 2], name="X")
        Y = tf.placeholder(tf.float32, [None, 1], name="Y")
        layer, weights = X, []
        last = len(WIDTHS) - 1
        for i, (fan_in, fan_out) in enumerate(zip(WIDTHS, WIDTHS[1:]), start=1):
            with tf.name_scope(f"layer{i}"):
                W = tf.Variable(tf.random_uniform([fan_in, fan_out], -1.0, 1.0), name=f"weight{i}")
                b = tf.Variable(tf.zeros([fan_out]), name=f"bias{i}")
                # hidden layers use the activation under study; the output is always a sigmoid
                layer = (tf.sigmoid if i == last else activation)(tf.matmul(layer, W) + b)
                weights.append(W)
        hypothesis = layer
        with tf.name_scope("cost"):
            cost = binary_cross_entropy(Y, hypothesis)
        with tf.name_scope("train"):
            optimizer = tf.train.GradientDescentOptimizer(learning_rate=hp.learning_rate)
            gradients = optimizer.compute_gradients(cost)
            train = optimizer.apply_gradients(gradients)
        with tf.name_scope("gradient_norm"):
            gradient_of = dict((var, grad) for grad, var in gradients)
            norms = {f"gradient_norm/layer{i}": tf.norm(gradient_of[W], name=f"layer{i}")
                     for i, W in enumerate(weights, start=1)}
        return Model(x=X, y=Y, cost=cost, train_op=train, hypothesis=hypothesis, metrics=norms)
    return build


def main(argv=None):
    parser = cli.build_parser("lab10-xor-deep", __doc__, epochs=STEPS, learning_rate=LEARNING_RATE,
                              summary_every=500, epochs_help="full-batch steps")
    parser.add_argument("--activation", choices=sorted(ACTIVATIONS), action="append",
                        help="train only these (default: both)")
    args = parser.parse_args(argv)
    chosen = args.activation or list(ACTIVATIONS)
    return {name: train_toy(args, build_with(ACTIVATIONS[name]), x_data, y_data, PRINT_EVERY,
                            case=name)
            for name in chosen}


if __name__ == "__main__":
    main_guard(main)
