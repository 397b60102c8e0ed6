"""Lab 11-2: MNIST with a deep CNN, in raw ops.

Three conv blocks (3x3 filters, 32 / 64 / 128, SAME, ReLU, 2x2 max pool, dropout keep_prob 0.7
in training and 1.0 at test), then FC 2048 -> 625 ReLU (dropout) -> 10, Xavier for the FC
weights. Adam at 0.001, 15 epochs of batch 100: test accuracy 0.9931 (notes-09-11); 0.9938 in the
original series. A checkpoint every epoch: an interrupted run resumes when run again. Lab 11-6
trains this network on TensorFlow's cluster runtime.
"""

import random

from common import cli
from common.figures import HUNKIM, NOTES_09_11, Figure
from common.lab import (
    EpochCurves,
    Progress,
    check_cost,
    finish,
    histogram,
    load_data_sets,
    main_guard,
    mean_over_batches,
    session_config,
    show_prediction,
    write_hparams,
    write_scalar,
)
from common.run_folder import checkpoint_prefix, resume, run_folder, save_costs
from common.tf1 import tf

# hyper parameters
LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
KEEP_PROB = 0.7
TEST_BATCH = 1000  # the whole test set in one feed would need about 2 GB of activations
# the notes' deep CNN, here in raw ops, in lab 11-3's class and with tf.layers in lab 11-4
DEEP_CNN = Figure("lab11-mnist-deep-cnn", "deep CNN, raw ops", NOTES_09_11, 0.9931, 0.003, seeded=True)
# and the original's own run of this program, which printed "Accuracy: 0.9938"
FIGURES = [
    DEEP_CNN,
    Figure(
        "lab11-mnist-deep-cnn", "deep CNN, raw ops: the original's run", HUNKIM, 0.9938, 0.003, seeded=True
    ),
]
REPORTED = {(15, 0.001): DEEP_CNN.reported}


def deep_cnn(X, keep_prob):
    """The lecture's layers, conv1 to fc5: the logits and the four hidden layers' outputs."""
    X_img = tf.reshape(X, [-1, 28, 28, 1])  # img 28x28x1 (black/white)

    with tf.variable_scope("conv1"):
        # L1 ImgIn shape=(?, 28, 28, 1)
        W1 = tf.Variable(tf.random_normal([3, 3, 1, 32], stddev=0.01), name="W")
        #    Conv     -> (?, 28, 28, 32)
        #    Pool     -> (?, 14, 14, 32)
        L1 = tf.nn.conv2d(X_img, W1, strides=[1, 1, 1, 1], padding="SAME")
        L1 = tf.nn.relu(L1)
        L1 = tf.nn.max_pool(L1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        L1 = tf.nn.dropout(L1, rate=1 - keep_prob)

    with tf.variable_scope("conv2"):
        # L2 ImgIn shape=(?, 14, 14, 32)
        W2 = tf.Variable(tf.random_normal([3, 3, 32, 64], stddev=0.01), name="W")
        #    Conv      ->(?, 14, 14, 64)
        #    Pool      ->(?, 7, 7, 64)
        L2 = tf.nn.conv2d(L1, W2, strides=[1, 1, 1, 1], padding="SAME")
        L2 = tf.nn.relu(L2)
        L2 = tf.nn.max_pool(L2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        L2 = tf.nn.dropout(L2, rate=1 - keep_prob)

    with tf.variable_scope("conv3"):
        # L3 ImgIn shape=(?, 7, 7, 64)
        W3 = tf.Variable(tf.random_normal([3, 3, 64, 128], stddev=0.01), name="W")
        #    Conv      ->(?, 7, 7, 128)
        #    Pool      ->(?, 4, 4, 128)
        #    Reshape   ->(?, 4 * 4 * 128) # Flatten them for FC
        L3 = tf.nn.conv2d(L2, W3, strides=[1, 1, 1, 1], padding="SAME")
        L3 = tf.nn.relu(L3)
        L3 = tf.nn.max_pool(L3, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        L3 = tf.nn.dropout(L3, rate=1 - keep_prob)
    L3_flat = tf.reshape(L3, [-1, 128 * 4 * 4])

    with tf.variable_scope("fc4"):
        # L4 FC 4x4x128 inputs -> 625 outputs
        W4 = tf.get_variable("W4", shape=[128 * 4 * 4, 625], initializer=tf.glorot_uniform_initializer())
        b4 = tf.Variable(tf.random_normal([625]), name="b4")
        L4 = tf.nn.relu(tf.matmul(L3_flat, W4) + b4)
        L4 = tf.nn.dropout(L4, rate=1 - keep_prob)

    with tf.variable_scope("fc5"):
        # L5 Final FC 625 inputs -> 10 outputs
        W5 = tf.get_variable("W5", shape=[625, 10], initializer=tf.glorot_uniform_initializer())
        b5 = tf.Variable(tf.random_normal([10]), name="b5")
        logits = tf.matmul(L4, W5) + b5
    return logits, (L1, L2, L3, L4)


def main(argv=None):
    parser = cli.build_parser(
        "lab11-mnist-deep-cnn",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        resumable=True,
    )
    args = parser.parse_args(argv)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")

    logits, (L1, L2, L3, L4) = deep_cnn(X, keep_prob)

    # define cost/loss & optimizer
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    with tf.name_scope("accuracy"):
        correct_prediction = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy, every weight and every layer's output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
        for name, layer in [("conv1", L1), ("conv2", L2), ("conv3", L3), ("fc4", L4)]:
            histogram(f"{name}/output", layer)
    summary = tf.summary.merge_all()

    # a checkpoint every epoch (weights and Adam's state), the last 3 kept
    saver = tf.train.Saver(max_to_keep=3, save_relative_paths=True)

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, keep_prob=KEEP_PROB)
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        sess.run(tf.global_variables_initializer())
        # an interrupted run goes on from its newest readable checkpoint
        resumed = resume(saver, sess, run_dir, mnist.train, batch_size, writer)

        # train my model
        print("Learning started. It takes sometime.")
        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = resumed.epoch_costs, resumed.epoch * total_batch
        for epoch in range(resumed.epoch, training_epochs):
            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys, keep_prob: KEEP_PROB}
                if global_step % args.summary_every == 0:
                    s, c, a, _ = sess.run([summary, cost, accuracy, optimizer], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a, _ = sess.run([cost, accuracy, optimizer], feed_dict=feed_dict)
                check_cost(c, global_step)
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch  # with dropout on, as the cost
                global_step += 1
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            # the 5,000 held-out images, every epoch, a thousand at a time, without dropout
            val_cost, val_acc = mean_over_batches(
                lambda x, y: sess.run([cost, accuracy], feed_dict={X: x, Y: y, keep_prob: 1}),
                mnist.validation,
                TEST_BATCH,
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)
            save_costs(run_dir, epoch_costs)
            saver.save(sess, checkpoint_prefix(run_dir), global_step=epoch + 1, write_meta_graph=False)
        print("Learning Finished!")

        # Test model and check accuracy, a thousand test images at a time
        test_accuracy = mean_over_batches(
            lambda x, y: sess.run(accuracy, feed_dict={X: x, Y: y, keep_prob: 1}), mnist.test, TEST_BATCH
        )
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        # the last epoch's cost, also when a resumed run had no epoch left to train
        write_scalar(writer, "final/cost", epoch_costs[-1], global_step)

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(tf.argmax(logits, 1), feed_dict={X: mnist.test.images[r : r + 1], keep_prob: 1})
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
        reported=REPORTED.get((training_epochs, learning_rate)),
        extra={
            **resumed.extra,
            "label": int(label[0]),
            "prediction": int(prediction[0]),
            "curves": curves.history,
        },
    )


if __name__ == "__main__":
    main_guard(main)
