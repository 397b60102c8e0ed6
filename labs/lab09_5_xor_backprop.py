"""Lab 09 (lecture 09-2): back-propagation written by hand for the 2-2-1 XOR net.

The chain rule from the lecture, layer by layer, gives the gradients of the logistic cost; they
update the weights with plain gradient descent. A twin net starting from the same weights is
trained by TensorFlow's automatic differentiation; the original series shows the two agree to
~1e-7. This lab reports the largest gap between the hand-written and automatic gradients, and
between the two nets' outputs after training.
"""
from common.lab import main_guard, run_toy
from common.tf1 import tf
from common.training import Model
from common.xor import binary_cross_entropy, x_data, y_data

LEARNING_RATE = 0.1
STEPS = 10001
PRINT_EVERY = 1000


def forward(X, W1, b1, W2, b2):
    layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)
    return layer1, tf.sigmoid(tf.matmul(layer1, W2) + b2)


def hand_gradients(X, Y, W2, layer1, hypothesis):
    """d cost / d (W1, b1, W2, b2) by the chain rule, for the mean logistic cost."""
    n = tf.cast(tf.shape(X)[0], tf.float32)
    # cost = -mean(Y log h + (1 - Y) log(1 - h))  =>  d cost / d h
    d_hypothesis = (hypothesis - Y) / (hypothesis * (1 - hypothesis)) / n
    # h = sigmoid(a2), sigmoid' = h (1 - h);  a2 = layer1 W2 + b2
    d_a2 = d_hypothesis * hypothesis * (1 - hypothesis)
    d_W2 = tf.matmul(tf.transpose(layer1), d_a2)
    d_b2 = tf.reduce_sum(d_a2, axis=0)
    # back through W2 into layer1 = sigmoid(a1);  a1 = X W1 + b1
    d_layer1 = tf.matmul(d_a2, tf.transpose(W2))
    d_a1 = d_layer1 * layer1 * (1 - layer1)
    d_W1 = tf.matmul(tf.transpose(X), d_a1)
    d_b1 = tf.reduce_sum(d_a1, axis=0)
    return [d_W1, d_b1, d_W2, d_b2]


def build(hp):
    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")
    with tf.name_scope("by_hand"):
        W1 = tf.Variable(tf.random_normal([2, 2]), name="weight1")
        b1 = tf.Variable(tf.random_normal([2]), name="bias1")
        W2 = tf.Variable(tf.random_normal([2, 1]), name="weight2")
        b2 = tf.Variable(tf.random_normal([1]), name="bias2")
        hand_params = [W1, b1, W2, b2]
        layer1, hypothesis = forward(X, *hand_params)
        cost = binary_cross_entropy(Y, hypothesis)
        gradients = hand_gradients(X, Y, W2, layer1, hypothesis)
        # every gradient (and the cost) is computed before any weight changes
        with tf.control_dependencies(gradients + [cost]):
            hand_step = [param.assign_sub(hp.learning_rate * grad)
                         for param, grad in zip(hand_params, gradients)]
    with tf.name_scope("autodiff"):
        # the twin starts from the same values: its initializers read the same random draws
        auto_params = [tf.Variable(param.initial_value, name=param.op.name.split("/")[-1])
                       for param in hand_params]
        _, auto_hypothesis = forward(X, *auto_params)
        auto_cost = binary_cross_entropy(Y, auto_hypothesis)
        auto_step = tf.train.GradientDescentOptimizer(hp.learning_rate).minimize(auto_cost)
    with tf.name_scope("compare"):
        autodiff_of_hand_net = tf.gradients(cost, hand_params)
        gradient_gap = tf.reduce_max([tf.reduce_max(tf.abs(mine - theirs))
                                      for mine, theirs in zip(gradients, autodiff_of_hand_net)])
        output_gap = tf.reduce_max(tf.abs(hypothesis - auto_hypothesis))
    return Model(x=X, y=Y, cost=cost, train_op=tf.group(hand_step, auto_step),
                 hypothesis=hypothesis, activations={"by_hand/layer1": layer1},
                 metrics={"gradient_gap": gradient_gap, "output_gap": output_gap})


def main(argv=None):
    return run_toy("lab09-xor-backprop", __doc__, build, x_data, y_data, argv, steps=STEPS,
                   learning_rate=LEARNING_RATE, print_every=PRINT_EVERY)


if __name__ == "__main__":
    main_guard(main)
