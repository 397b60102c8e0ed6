"""Lab 11-5 (notes 11-3): an ensemble of tf.layers CNNs (``make lab11-ensemble``).

N models of the lecture's ``Model`` class (2 by default, ``--models N``), each in its own
variable scope, train on the same batches: Adam at 0.001, 20 epochs of batch 100. The ensemble's
prediction is the sum of the members' logits. notes-09-11 reports model 0: 0.9945, model 1: 0.9928,
ensemble: 0.9947; the original's output is a run of 7 models (``--models 7``, over an hour on two
cores): members 0.9933 to 0.9949, ensemble 0.9952. By default one ``sess.run`` steps every member
at once (they run side by side, a core each); ``--train-in-turn`` calls each member's
``m.train()`` as the lecture does. TensorBoard shows one scope per model (cost, accuracy, weight
histograms), a few misclassified test digits, and after every epoch each member's training and
validation curves (sub-runs ``model0/train``, ``model0/validation``, ...) with the ensemble's
validation accuracy (``ensemble/validation``). A checkpoint every epoch: an interrupted run
resumes when the same command runs again. Lab 11-7 trains the members on TensorFlow's cluster runtime.
"""

import random

import numpy as np

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
    session_config,
    show_prediction,
    write_hparams,
    write_images,
    write_scalar,
)
from common.run_folder import checkpoint_prefix, resume, run_folder, save_costs
from common.tf1 import tf

# hyper parameters
LEARNING_RATE = 0.001
TRAINING_EPOCHS = 20
BATCH_SIZE = 100
NUM_MODELS = 2
ORIGINALS_MODELS = 7  # the original's printed run
TEST_BATCH = 1000  # the whole test set in one feed would need about 2 GB of activations
MISCLASSIFIED_SHOWN = 10
FIGURES = [
    Figure(
        "lab11-ensemble", "ensemble: model 0", NOTES_09_11, 0.9945, 0.003, "model 0/accuracy", seeded=True
    ),
    Figure(
        "lab11-ensemble", "ensemble: model 1", NOTES_09_11, 0.9928, 0.003, "model 1/accuracy", seeded=True
    ),
    Figure("lab11-ensemble", "ensemble: summed logits", NOTES_09_11, 0.9947, 0.003, seeded=True),
    # one seed: seven members take over an hour
    Figure(
        "lab11-ensemble",
        "ensemble of 7: summed logits",
        HUNKIM,
        0.9952,
        0.003,
        argv=("--models", str(ORIGINALS_MODELS)),
    ),
]
REPORTED = {"members": [figure.reported for figure in FIGURES[:2]], "ensemble": FIGURES[2].reported}
REPORTED_OF_7 = FIGURES[3].reported


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


def feed_all(models, xs, ys, training):
    """One feed for every model: the same images, dropout on or off."""
    feed_dict = {}
    for m in models:
        feed_dict.update({m.X: xs, m.Y: ys, m.training: training})
    return feed_dict


def build_ensemble(sess, num_models, learning_rate, member_device=None):
    """The lecture's ``models = [Model(sess, "model" + str(m)) for m in range(num_models)]``, each
    on its worker's device on a cluster, the ensemble's accuracy (the members' logits summed) and
    the TensorBoard summaries: each model's cost, accuracy and weights, under the model's name."""
    models = []
    for m in range(num_models):
        with tf.device(member_device(m) if member_device else None):
            models.append(Model(sess, "model" + str(m), learning_rate))

    with tf.name_scope("ensemble"):
        logits_sum = tf.add_n([m.logits for m in models])
        ensemble_correct_prediction = tf.equal(tf.argmax(logits_sum, 1), tf.argmax(models[0].Y, 1))
        ensemble_accuracy = tf.reduce_mean(tf.cast(ensemble_correct_prediction, tf.float32))

    for m in models:
        with tf.name_scope(m.name + "/summaries"):
            tf.summary.scalar("cost", m.cost)
            tf.summary.scalar("accuracy", m.accuracy)
            for variable in tf.trainable_variables(m.name + "/"):
                histogram(variable.op.name, variable)
    return models, ensemble_accuracy, tf.summary.merge_all()


def in_thousands(sess, models, tensors, data):
    """``tensors`` over the whole of ``data``, a thousand images at a time, without dropout."""
    return [
        sess.run(
            tensors,
            feed_dict=feed_all(
                models,
                data.images[start : start + TEST_BATCH],
                data.labels[start : start + TEST_BATCH],
                False,
            ),
        )
        for start in range(0, data.num_examples, TEST_BATCH)
    ]


def evaluate_members(models, test):
    """Each member's test accuracy (printed, as the lecture does) and the members' predictions
    summed, a thousand test images at a time."""
    batches = range(0, test.num_examples, TEST_BATCH)
    predictions = np.zeros([test.num_examples, 10])
    member_accuracies = []
    for m_idx, m in enumerate(models):
        accuracy = np.mean(
            [
                m.get_accuracy(test.images[i : i + TEST_BATCH], test.labels[i : i + TEST_BATCH])
                for i in batches
            ]
        )
        print(m_idx, "Accuracy:", "{:.4f}".format(accuracy))
        member_accuracies.append(float(accuracy))
        predictions += np.concatenate([m.predict(test.images[i : i + TEST_BATCH]) for i in batches])
    return member_accuracies, predictions


def show_misclassified(writer, images, labels, predicted, step):
    """The first test digits the ensemble gets wrong, as TensorBoard images; all their indices."""
    wrong = np.flatnonzero(predicted != labels)
    write_images(writer, "misclassified", images[wrong[:MISCLASSIFIED_SHOWN]], step)
    print(
        f"misclassified test digits: {len(wrong)} (the first {MISCLASSIFIED_SHOWN} are in "
        "TensorBoard's Images tab); label -> prediction: "
        + ", ".join(f"{labels[i]}->{predicted[i]}" for i in wrong[:MISCLASSIFIED_SHOWN])
    )
    return wrong


def print_reported(member_accuracies, test_accuracy):
    print(
        "reported:    "
        + ", ".join(f"model {i} {figure:.4f}" for i, figure in enumerate(REPORTED["members"]))
        + f", ensemble {REPORTED['ensemble']:.4f}"
    )
    print(
        "reproduced:  "
        + ", ".join(f"model {i} {figure:.4f}" for i, figure in enumerate(member_accuracies))
        + f", ensemble {test_accuracy:.4f}"
    )


def build_parser():
    parser = cli.build_parser(
        "lab11-ensemble",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        resumable=True,
    )
    parser.add_argument(
        "--models",
        type=cli.positive_int,
        default=NUM_MODELS,
        help=f"how many models to train (default {NUM_MODELS})",
    )
    parser.add_argument(
        "--train-in-turn",
        action="store_true",
        help="train each member with its own m.train() call, as the lecture does; slower",
    )
    # another number of models is another run: its own folder, beside the lecture's 2 models
    parser.run_name_suffix = lambda args: "" if args.models == NUM_MODELS else f"-models{args.models}"
    return parser


def main(argv=None):
    return train(build_parser().parse_args(argv))


def train(args, target="", config=None, member_device=None, finished=None):
    """The lecture's ensemble program. Lab 11-7 hands it a cluster: the session ``target`` and
    ``config``, each member's device (``member_device(m)``), and ``finished(sess)`` to run at
    the end; by default it all runs in this process."""
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    num_models = args.models
    lecture_settings = (training_epochs, learning_rate) == (TRAINING_EPOCHS, LEARNING_RATE)
    documented = lecture_settings and num_models == NUM_MODELS
    originals = lecture_settings and num_models == ORIGINALS_MODELS  # the original's printed run
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # one model per sess.run gets every core for each op; models in one sess.run get a core each
    if config is None:
        config = session_config() if args.train_in_turn else session_config(parallel_models=num_models)
    with tf.Session(target, config=config) as sess:
        models, ensemble_accuracy, summary = build_ensemble(sess, num_models, learning_rate, member_device)

        # a checkpoint every epoch (weights and Adam's state), the last 3 kept
        saver = tf.train.Saver(max_to_keep=3, save_relative_paths=True)

        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, models=num_models, train_in_turn=args.train_in_turn)
        # each member's curves in its own folder: <run>/model0/train, <run>/model0/validation, ...
        curves = {m.name: EpochCurves(run_dir / m.name, show=False) for m in models}
        # the ensemble's validation accuracy, on the members' epoch/accuracy chart
        ensemble_writer = tf.summary.FileWriter(str(run_dir / "ensemble" / "validation"))
        sess.run(tf.global_variables_initializer())
        # an interrupted run goes on from its newest readable checkpoint
        resumed = resume(saver, sess, run_dir, mnist.train, batch_size, writer)

        # train my model
        print("Learning Started!")
        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        costs, optimizers = [m.cost for m in models], [m.optimizer for m in models]
        accuracies = [m.accuracy for m in models]
        epoch_costs, global_step = resumed.epoch_costs, resumed.epoch * total_batch
        ensemble_validation = []
        for epoch in range(resumed.epoch, training_epochs):
            avg_cost_list = np.zeros(len(models))
            avg_acc_list = np.zeros(len(models))  # with dropout on, as the costs
            for i in progress.batches(epoch):
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                if args.train_in_turn:
                    # train each model
                    for m_idx, m in enumerate(models):
                        c, a, _ = m.train(batch_xs, batch_ys)
                        check_cost(c, global_step)
                        avg_cost_list[m_idx] += float(c) / total_batch
                        avg_acc_list[m_idx] += float(a) / total_batch
                    if global_step % args.summary_every == 0:
                        # without dropout: a run with it would draw extra masks and change training
                        s = sess.run(summary, feed_dict=feed_all(models, batch_xs, batch_ys, False))
                        writer.add_summary(s, global_step=global_step)
                else:
                    # all models in one sess.run, side by side: 1.46x a run per model (make bench)
                    feed_dict = feed_all(models, batch_xs, batch_ys, True)
                    if global_step % args.summary_every == 0:
                        s, c, a, _ = sess.run([summary, costs, accuracies, optimizers], feed_dict=feed_dict)
                        writer.add_summary(s, global_step=global_step)
                    else:
                        c, a, _ = sess.run([costs, accuracies, optimizers], feed_dict=feed_dict)
                    check_cost(c, global_step)
                    avg_cost_list += np.array(c, dtype=np.float64) / total_batch
                    avg_acc_list += np.array(a, dtype=np.float64) / total_batch
                global_step += 1
            print(
                "Epoch:",
                "%04d" % (epoch + 1),
                "cost =",
                "[" + " ".join("{:.8f}".format(cost) for cost in avg_cost_list) + "]",
                progress.timing(),
            )
            epoch_costs.append(avg_cost_list)
            # the 5,000 held-out images, every epoch, without dropout: every member's cost and
            # accuracy and the ensemble's accuracy
            validation = in_thousands(sess, models, [costs, accuracies, ensemble_accuracy], mnist.validation)
            val_costs = np.mean([v[0] for v in validation], axis=0)
            val_accs = np.mean([v[1] for v in validation], axis=0)
            for m_idx, m in enumerate(models):
                curves[m.name].add("train", epoch, avg_cost_list[m_idx], avg_acc_list[m_idx])
                curves[m.name].add("validation", epoch, val_costs[m_idx], val_accs[m_idx])
            ensemble_validation.append(float(np.mean([v[2] for v in validation])))
            print(
                "  validation: accuracy [" + " ".join(f"{a:.4f}" for a in val_accs) + "],",
                f"ensemble {ensemble_validation[-1]:.4f}",
            )
            write_scalar(ensemble_writer, "epoch/accuracy", ensemble_validation[-1], epoch + 1)
            save_costs(run_dir, epoch_costs)
            saver.save(sess, checkpoint_prefix(run_dir), global_step=epoch + 1, write_meta_graph=False)
        print("Learning Finished!")

        # Test model and check accuracy
        member_accuracies, predictions = evaluate_members(models, mnist.test)

        # the ensemble: the members' predictions summed
        predicted, labels = np.argmax(predictions, 1), np.argmax(mnist.test.labels, 1)
        ensemble_correct = predicted == labels
        print("Ensemble accuracy:", "{:.4f}".format(ensemble_correct.mean()))
        # the same from the graph's ensemble scope, for TensorBoard
        test_accuracy = np.mean(in_thousands(sess, models, ensemble_accuracy, mnist.test))
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        # the members' mean of their last epoch's cost (also when a resumed run had none to train)
        write_scalar(writer, "final/cost", np.mean(epoch_costs[-1]), global_step)

        # the digits the ensemble gets wrong, in TensorBoard's Images tab
        wrong = show_misclassified(writer, mnist.test.images, labels, predicted, global_step)

        # Get one and predict, with the ensemble
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(tf.argmax(predictions[r : r + 1], 1))
        print("Label:", label)
        print("Prediction:", prediction)
        show_prediction(
            writer, run_dir, mnist.test.images[r], label[0], prediction[0], global_step, show=args.show
        )
        writer.close()
        for member_curves in curves.values():
            member_curves.close()
        ensemble_writer.close()
        if finished:
            finished(sess)

    reported = REPORTED["ensemble"] if documented else REPORTED_OF_7 if originals else None
    if documented:
        print_reported(member_accuracies, test_accuracy)
    elif originals:
        print(f"reported:    ensemble {REPORTED_OF_7:.4f} (the original's {ORIGINALS_MODELS} models)")
        print(f"reproduced:  ensemble {test_accuracy:.4f}")
    # the reported figures are printed above, so not passed as finish(reported=...)
    return finish(
        args,
        run_dir,
        accuracy=test_accuracy,
        epoch_costs=epoch_costs,
        progress=progress,
        extra={
            **resumed.extra,
            "reported": reported,
            "member_accuracies": member_accuracies,
            "ensemble_accuracy": float(ensemble_correct.mean()),
            "misclassified": len(wrong),
            "label": int(label[0]),
            "prediction": int(prediction[0]),
            "curves": {name: c.history for name, c in curves.items()},
            "ensemble_validation_accuracy": ensemble_validation,
        },
        figures={f"model {i}/accuracy": accuracy for i, accuracy in enumerate(member_accuracies)},
    )


if __name__ == "__main__":
    main_guard(main)
