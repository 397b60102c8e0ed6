"""Lab 10-7: the deep MNIST net in the higher-level API (hunkim lab-10-7).

784-512-512-512-512-10 built from layers, not from matmuls: ``tf.layers.dense`` with Xavier
weights and no bias, ``tf.layers.batch_normalization`` before each ReLU, ``tf.layers.dropout``
(keep 0.7) after it. One ``train_mode`` placeholder switches both: fed True in training (batch
statistics, units dropped), False otherwise (moving averages, every unit). Adam at 0.01, "we can
use large learning rate using Batch Normalization"; 15 epochs of batch 100: hunkim reports
0.9826.

The original wrote it with ``tf.contrib.layers`` (``fully_connected`` in an ``arg_scope``, with
``batch_norm`` and ``dropout``), gone from TensorFlow 2; ``tf.compat.v1.layers`` is what
remains. What carries over from contrib: batch norm's decay 0.9 (``momentum``), no scale
(``scale=False``: a ReLU follows) and the arg_scope's reach, which put batch norm on the logits
too: they have an offset (beta) but no scale, likely why the original's printed cost stays near
0.35 at 98% accuracy. contrib updated the moving averages in place (``updates_collections: None``);
here the UPDATE_OPS run with every training step, through a control dependency.

As in the original, the epoch's cost is the mean, over its batches, of the cost of the batch
just trained on, measured after the step in test mode (``train_mode`` False).
"""

import random

from common import cli
from common.figures import HUNKIM, Figure
from common.lab import (
    EpochCurves,
    Progress,
    check_cost,
    finish,
    histogram,
    load_data_sets,
    main_guard,
    session_config,
    show_prediction,
    write_hparams,
    write_scalar,
)
from common.run_folder import run_folder
from common.tf1 import tf

# parameters
LEARNING_RATE = 0.01  # batch norm allows a large learning rate
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
KEEP_PROB = 0.7  # dropout in training; every unit otherwise
BN_MOMENTUM = 0.9  # contrib's batch_norm decay
# layer output size
HIDDEN_OUTPUT_SIZE = 512
FINAL_OUTPUT_SIZE = 10
FIGURES = [
    Figure(
        "lab10-mnist-layers-api",
        "MNIST deep, tf.layers: batch norm + dropout, Adam 0.01",
        HUNKIM,
        0.9826,
        0.01,
        seeded=True,
    )
]


def parse_args(argv):
    return cli.build_parser(
        "lab10-mnist-layers-api",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
    ).parse_args(argv)


def documented(args):
    """The lecture's settings, whose figure the run can be held against."""
    return (args.epochs, args.learning_rate, args.batch_size, args.train_images) == (
        TRAINING_EPOCHS,
        LEARNING_RATE,
        BATCH_SIZE,
        None,
    )


def fully_connected(inputs, units, train_mode):
    """contrib's ``fully_connected`` in the original's arg_scope: Xavier weights, no bias, batch
    norm (which brings its own offset); the caller adds the activation."""
    layer = tf.layers.dense(inputs, units, kernel_initializer=tf.glorot_uniform_initializer(), use_bias=False)
    return tf.layers.batch_normalization(layer, momentum=BN_MOMENTUM, scale=False, training=train_mode)


def main(argv=None):
    args = parse_args(argv)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, FINAL_OUTPUT_SIZE], name="Y")
    # True in training: batch norm uses the batch's statistics and dropout drops units
    train_mode = tf.placeholder(tf.bool, name="train_mode")

    hidden, layer = [], X
    for i in range(1, 5):
        with tf.variable_scope(f"h{i}"):
            hidden_layer = tf.nn.relu(fully_connected(layer, HIDDEN_OUTPUT_SIZE, train_mode))
            layer = tf.layers.dropout(hidden_layer, rate=1 - KEEP_PROB, training=train_mode)
            hidden.append(hidden_layer)
    with tf.variable_scope("hypothesis"):
        # the arg_scope reached this layer too: batch norm, no activation
        hypothesis = fully_connected(layer, FINAL_OUTPUT_SIZE, train_mode)

    # define cost/loss & optimizer
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=hypothesis, labels=Y))
    with tf.name_scope("train"):
        # batch norm's moving mean and variance move with every training step
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    # Test model
    with tf.name_scope("accuracy"):
        correct_prediction = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy, every weight and batch-norm offset, each layer's ReLU output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
    for variable in tf.trainable_variables():
        histogram(variable.op.name, variable)
    for i, relu in enumerate(hidden, start=1):
        histogram(f"h{i}/relu", relu)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, hidden_layers=4, batch_norm=True, optimizer="adam", keep_prob=KEEP_PROB)
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        # initialize
        sess.run(tf.global_variables_initializer())

        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = [], 0
        # train my model
        for epoch in range(training_epochs):
            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):  # range(total_batch), with a progress bar
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict_train = {X: batch_xs, Y: batch_ys, train_mode: True}
                feed_dict_cost = {X: batch_xs, Y: batch_ys, train_mode: False}
                sess.run(optimizer, feed_dict=feed_dict_train)
                # the original's cost: this batch again, after the step, in test mode
                if global_step % args.summary_every == 0:
                    s, c, a = sess.run([summary, cost, accuracy], feed_dict=feed_dict_cost)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a = sess.run([cost, accuracy], feed_dict=feed_dict_cost)
                check_cost(c, global_step)  # stops on nan or inf
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch
                global_step += 1
            print("[Epoch: {:>4}] cost = {:>.9}".format(epoch + 1, avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            # the 5,000 held-out images, every epoch: the validation curve beside the training one
            val_cost, val_acc = sess.run(
                [cost, accuracy],
                feed_dict={X: mnist.validation.images, Y: mnist.validation.labels, train_mode: False},
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)
        print("Learning Finished!")

        # Test model and check accuracy
        test_accuracy = sess.run(
            accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels, train_mode: False}
        )
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        write_scalar(writer, "final/cost", avg_cost, global_step)

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(
            tf.argmax(hypothesis, 1), feed_dict={X: mnist.test.images[r : r + 1], train_mode: False}
        )
        print("Label:", label)
        print("Prediction:", prediction)
        show_prediction(
            writer, run_dir, mnist.test.images[r], label[0], prediction[0], global_step, show=args.show
        )
        writer.close()
        curves.close()

    return finish(
        args,
        run_dir,
        accuracy=test_accuracy,
        epoch_costs=epoch_costs,
        progress=progress,
        reported=FIGURES[0].reported if documented(args) else None,
        extra={"label": int(label[0]), "prediction": int(prediction[0]), "curves": curves.history},
    )


if __name__ == "__main__":
    main_guard(main)
