"""Lab 11-4 (notes 11-3): the deep CNN rebuilt with ``tf.compat.v1.layers`` in the ``Model`` class.

conv2d / max_pooling2d / dropout / dense, one line each; dropout is given as the rate dropped
(0.3 after each conv block, 0.5 after the dense layer) and is active only when ``training`` is
fed True. Initializers are explicit so the graph seed fixes them. Same accuracy as lab 11-2
(0.9931 / 0.9938); this is the model the ensemble (lab 11-5) trains side by side. A checkpoint
every epoch: an interrupted run resumes when run again.
"""

import random
from dataclasses import replace

from common import cli
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
from labs.lab11_2_mnist_deep_cnn import DEEP_CNN

# hyper parameters
LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
TEST_BATCH = 1000  # the whole test set in one feed would need about 2 GB of activations
FIGURES = [
    replace(
        DEEP_CNN, target="lab11-mnist-cnn-layers", experiment="deep CNN with tf.layers, dropout rate 0.3/0.5"
    )
]
REPORTED = {(15, 0.001): DEEP_CNN.reported}


class Model:
    def __init__(self, sess, name, learning_rate=LEARNING_RATE):
        self.sess = sess
        self.name = name
        self.learning_rate = learning_rate
        self._build_net()

    def _build_net(self):
        with tf.variable_scope(self.name):
            # dropout only while training: train() feeds True, predict/get_accuracy False
            self.training = tf.placeholder(tf.bool, name="training")

            # input place holders
            self.X = tf.placeholder(tf.float32, [None, 784], name="X")
            # img 28x28x1 (black/white), Input Layer
            X_img = tf.reshape(self.X, [-1, 28, 28, 1])
            self.Y = tf.placeholder(tf.float32, [None, 10], name="Y")

            # Convolutional Layer #1
            conv1 = tf.layers.conv2d(
                inputs=X_img,
                filters=32,
                kernel_size=[3, 3],
                padding="SAME",
                activation=tf.nn.relu,
                kernel_initializer=tf.glorot_uniform_initializer(),
            )
            # Pooling Layer #1
            pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], padding="SAME", strides=2)
            dropout1 = tf.layers.dropout(inputs=pool1, rate=0.3, training=self.training)

            # Convolutional Layer #2 and Pooling Layer #2
            conv2 = tf.layers.conv2d(
                inputs=dropout1,
                filters=64,
                kernel_size=[3, 3],
                padding="SAME",
                activation=tf.nn.relu,
                kernel_initializer=tf.glorot_uniform_initializer(),
            )
            pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], padding="SAME", strides=2)
            dropout2 = tf.layers.dropout(inputs=pool2, rate=0.3, training=self.training)

            # Convolutional Layer #3 and Pooling Layer #3
            conv3 = tf.layers.conv2d(
                inputs=dropout2,
                filters=128,
                kernel_size=[3, 3],
                padding="SAME",
                activation=tf.nn.relu,
                kernel_initializer=tf.glorot_uniform_initializer(),
            )
            pool3 = tf.layers.max_pooling2d(inputs=conv3, pool_size=[2, 2], padding="SAME", strides=2)
            dropout3 = tf.layers.dropout(inputs=pool3, rate=0.3, training=self.training)

            # Dense Layer with Relu
            flat = tf.reshape(dropout3, [-1, 128 * 4 * 4])
            dense4 = tf.layers.dense(
                inputs=flat,
                units=625,
                activation=tf.nn.relu,
                kernel_initializer=tf.glorot_uniform_initializer(),
            )
            dropout4 = tf.layers.dropout(inputs=dense4, rate=0.5, training=self.training)

            # Logits (no activation) Layer: L5 Final FC 625 inputs -> 10 outputs
            self.logits = tf.layers.dense(
                inputs=dropout4, units=10, kernel_initializer=tf.glorot_uniform_initializer()
            )

            # define cost/loss & optimizer
            with tf.name_scope("cost"):
                self.cost = tf.reduce_mean(
                    tf.nn.softmax_cross_entropy_with_logits(logits=self.logits, labels=self.Y)
                )
            with tf.name_scope("train"):
                self.optimizer = tf.train.AdamOptimizer(learning_rate=self.learning_rate).minimize(self.cost)

            with tf.name_scope("accuracy"):
                correct_prediction = tf.equal(tf.argmax(self.logits, 1), tf.argmax(self.Y, 1))
                self.accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    def predict(self, x_test, training=False):
        return self.sess.run(self.logits, feed_dict={self.X: x_test, self.training: training})

    def get_accuracy(self, x_test, y_test, training=False):
        return self.sess.run(
            self.accuracy, feed_dict={self.X: x_test, self.Y: y_test, self.training: training}
        )

    def train(self, x_data, y_data, training=True):
        # the batch's accuracy comes with the step (no extra pass), for the training curve
        return self.sess.run(
            [self.cost, self.accuracy, self.optimizer],
            feed_dict={self.X: x_data, self.Y: y_data, self.training: training},
        )


def main(argv=None):
    args = cli.build_parser(
        "lab11-mnist-cnn-layers",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        resumable=True,
    ).parse_args(argv)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # initialize
    with tf.Session(config=session_config()) as sess:
        m1 = Model(sess, "m1", learning_rate)

        # TensorBoard: cost and accuracy, every weight
        with tf.name_scope("summaries"):
            tf.summary.scalar("cost", m1.cost)
            tf.summary.scalar("accuracy", m1.accuracy)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
        summary = tf.summary.merge_all()

        # a checkpoint every epoch (weights and Adam's state), the last 3 kept
        saver = tf.train.Saver(max_to_keep=3, save_relative_paths=True)

        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        # dropout rate 0.3 after the conv blocks, 0.5 after the dense layer
        write_hparams(writer, args, keep_prob=0.7, keep_prob_dense=0.5)
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        sess.run(tf.global_variables_initializer())
        # an interrupted run goes on from its newest readable checkpoint
        resumed = resume(saver, sess, run_dir, mnist.train, batch_size, writer)

        # train my model
        print("Learning Started!")
        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = resumed.epoch_costs, resumed.epoch * total_batch
        for epoch in range(resumed.epoch, training_epochs):
            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                if global_step % args.summary_every == 0:
                    # m1.train's step, with the summaries fetched in the same run
                    s, c, a, _ = sess.run(
                        [summary, m1.cost, m1.accuracy, m1.optimizer],
                        feed_dict={m1.X: batch_xs, m1.Y: batch_ys, m1.training: True},
                    )
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a, _ = m1.train(batch_xs, batch_ys)
                check_cost(c, global_step)
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch  # with dropout on, as the cost
                global_step += 1
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            # the 5,000 held-out images, every epoch, a thousand at a time, without dropout
            val_cost, val_acc = mean_over_batches(
                lambda x, y: sess.run(
                    [m1.cost, m1.accuracy], feed_dict={m1.X: x, m1.Y: y, m1.training: False}
                ),
                mnist.validation,
                TEST_BATCH,
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)
            save_costs(run_dir, epoch_costs)
            saver.save(sess, checkpoint_prefix(run_dir), global_step=epoch + 1, write_meta_graph=False)
        print("Learning Finished!")

        # Test model and check accuracy, a thousand test images at a time
        test_accuracy = mean_over_batches(m1.get_accuracy, mnist.test, TEST_BATCH)
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        # the last epoch's cost, also when a resumed run had no epoch left to train
        write_scalar(writer, "final/cost", epoch_costs[-1], global_step)

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(tf.argmax(m1.predict(mnist.test.images[r : r + 1]), 1))
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
