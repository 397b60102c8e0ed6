"""Layer stacks more than one lab writes the same way."""
from common.tf1 import tf


def sigmoid_stack(inputs, widths):
    """Sigmoid layers ``layer1..n`` with random_normal weights and biases, as lab 09 builds them.

    ``widths`` lists the input width then each layer's; returns the last output and every
    layer's output by name (for histograms).
    """
    layer, activations = inputs, {}
    for i, (fan_in, fan_out) in enumerate(zip(widths, widths[1:]), start=1):
        with tf.name_scope(f"layer{i}"):
            W = tf.Variable(tf.random_normal([fan_in, fan_out]), name=f"weight{i}")
            b = tf.Variable(tf.random_normal([fan_out]), name=f"bias{i}")
            layer = tf.sigmoid(tf.matmul(layer, W) + b)
            activations[f"layer{i}/output"] = layer
    return layer, activations
