"""Lab 10: MNIST with Adam, ReLU, Xavier initialization, a deeper net and dropout.

One network, five lecture steps (``--experiment``), each with the settings of the two sources
(``--source``):

| experiment | notes-09-11 | hunkim (original series) |
|---|---|---|
| softmax | - | 784-10 (no hidden layer), Adam 1e-3, **50 epochs**: 0.9194 |
| relu    | 784-256-256-256-10 ReLU, random_normal, Adam 0.01: **0.955** | 784-256-256-10, Adam 1e-3: 0.9455 |
| xavier  | same with Xavier weights, Adam 0.01: **0.971** | 784-256-256-10 Xavier, Adam 1e-3: 0.9783 |
| deep    | - | 784-512x4-10 Xavier, Adam 1e-3: 0.9742 |
| dropout | - | the deep net, keep_prob 0.7 in training, 1.0 at test: **0.9804** |

15 epochs of batch 100 (softmax: 50, as hunkim's lab-10-1 has it); biases are random_normal;
the cost is ``softmax_cross_entropy_with_logits``. "Xavier" is ``glorot_uniform`` (the old
default). The softmax step is lab 07's classifier with Adam and the logits' cost in place of
gradient descent and the hand-written cross-entropy (lab 07: 0.8951 after 15 epochs).
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
    main_guard,
    read_data_sets,
    run_folder,
    session_config,
    show_prediction,
    write_hparams,
    write_scalar,
)
from common.tf1 import tf

TRAINING_EPOCHS = 15
BATCH_SIZE = 100
NB_CLASSES = 10

EXPERIMENTS = {  # "epochs" where it is not TRAINING_EPOCHS
    ("softmax", HUNKIM): dict(
        hidden=[],
        init="normal",
        optimizer="adam",
        learning_rate=0.001,
        keep_prob=1.0,
        epochs=50,
    ),
    ("relu", NOTES_09_11): dict(
        hidden=[256, 256, 256],
        init="normal",
        optimizer="adam",
        learning_rate=0.01,
        keep_prob=1.0,
    ),
    ("relu", HUNKIM): dict(
        hidden=[256, 256],
        init="normal",
        optimizer="adam",
        learning_rate=0.001,
        keep_prob=1.0,
    ),
    ("xavier", NOTES_09_11): dict(
        hidden=[256, 256, 256],
        init="xavier",
        optimizer="adam",
        learning_rate=0.01,
        keep_prob=1.0,
    ),
    ("xavier", HUNKIM): dict(
        hidden=[256, 256],
        init="xavier",
        optimizer="adam",
        learning_rate=0.001,
        keep_prob=1.0,
    ),
    ("deep", HUNKIM): dict(
        hidden=[512] * 4,
        init="xavier",
        optimizer="adam",
        learning_rate=0.001,
        keep_prob=1.0,
    ),
    ("dropout", HUNKIM): dict(
        hidden=[512] * 4,
        init="xavier",
        optimizer="adam",
        learning_rate=0.001,
        keep_prob=0.7,
    ),
}
DEFAULT_SOURCE = {
    "softmax": HUNKIM,
    "relu": NOTES_09_11,
    "xavier": NOTES_09_11,
    "deep": HUNKIM,
    "dropout": HUNKIM,
}


def figure(target, experiment, source, reported, name):
    flags = ("--experiment", experiment) + (
        () if DEFAULT_SOURCE[experiment] == source else ("--source", source)
    )
    return Figure(target, name, source, reported, 0.01, argv=flags, seeded=True)


FIGURE_OF = {  # (experiment, source) -> its reported figure
    ("relu", NOTES_09_11): figure(
        "lab10-mnist-relu", "relu", NOTES_09_11, 0.955, "MNIST ReLU 784-256x3-10, Adam 0.01"
    ),
    ("relu", HUNKIM): figure(
        "lab10-mnist-relu", "relu", HUNKIM, 0.9455, "MNIST ReLU 784-256x2-10, Adam 1e-3"
    ),
    ("xavier", NOTES_09_11): figure(
        "lab10-mnist-xavier", "xavier", NOTES_09_11, 0.971, "MNIST Xavier 784-256x3-10, Adam 0.01"
    ),
    ("xavier", HUNKIM): figure(
        "lab10-mnist-xavier", "xavier", HUNKIM, 0.9783, "MNIST Xavier 784-256x2-10, Adam 1e-3"
    ),
    ("deep", HUNKIM): figure("lab10-mnist-deep", "deep", HUNKIM, 0.9742, "MNIST 784-512x4-10 Xavier"),
    ("dropout", HUNKIM): figure("lab10-mnist-dropout", "dropout", HUNKIM, 0.9804, "MNIST deep + dropout 0.7"),
    ("softmax", HUNKIM): figure(
        "lab10-mnist-softmax-adam", "softmax", HUNKIM, 0.9194, "MNIST softmax, Adam 1e-3, 50 epochs"
    ),
}
FIGURES = list(FIGURE_OF.values())
MAKE_TARGET = {"softmax": "lab10-mnist-softmax-adam"}  # lab10-mnist-softmax is lab 07's run


def main(argv=None):
    parser = cli.build_parser(
        "lab10-mnist-nn",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=None,
        batch_size=BATCH_SIZE,
        epochs_help="training epochs (--experiment softmax: 50)",
    )
    parser.set_defaults(epochs=None)  # the experiment's own, unless --epochs is given
    parser.add_argument("--experiment", choices=sorted(DEFAULT_SOURCE), default="relu")
    parser.add_argument(
        "--source",
        choices=[NOTES_09_11, HUNKIM],
        default=None,
        help=f"whose settings (default: {NOTES_09_11} where it has the experiment)",
    )
    args = parser.parse_args(argv)
    args.source = args.source or DEFAULT_SOURCE[args.experiment]
    if (args.experiment, args.source) not in EXPERIMENTS:
        parser.error(f"--source {args.source} has no '{args.experiment}' experiment")
    settings = {"epochs": TRAINING_EPOCHS, **EXPERIMENTS[args.experiment, args.source]}
    reported = FIGURE_OF[args.experiment, args.source].reported
    documented = args.train_images is None and all(
        getattr(args, key) in (None, settings[key]) for key in ("epochs", "learning_rate")
    )
    for key, value in settings.items():  # a flag given on the command line wins
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    args.lab = MAKE_TARGET.get(args.experiment, f"lab10-mnist-{args.experiment}")
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = read_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")
    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    # the lecture's W1/b1/L1, W2/b2/L2, ...: as many ReLU layers as the experiment has
    L, relus = X, []
    widths = [784] + args.hidden
    for i, (fan_in, fan_out) in enumerate(zip(widths, widths[1:]), start=1):
        with tf.variable_scope(f"layer{i}"):
            if args.init == "xavier":
                W = tf.get_variable(
                    "weight", shape=[fan_in, fan_out], initializer=tf.glorot_uniform_initializer()
                )
            else:
                W = tf.Variable(tf.random_normal([fan_in, fan_out]), name="weight")
            b = tf.Variable(tf.random_normal([fan_out]), name="bias")
            L = tf.nn.relu(tf.matmul(L, W) + b)
            relus.append(L)
            if args.keep_prob < 1.0:  # only the dropout experiment drops units
                L = tf.nn.dropout(L, rate=1 - keep_prob)

    with tf.variable_scope("logits"):
        if args.init == "xavier":
            W = tf.get_variable(
                "weight", shape=[widths[-1], NB_CLASSES], initializer=tf.glorot_uniform_initializer()
            )
        else:
            W = tf.Variable(tf.random_normal([widths[-1], NB_CLASSES]), name="weight")
        b = tf.Variable(tf.random_normal([NB_CLASSES]), name="bias")
        hypothesis = tf.matmul(L, W) + b

    # define cost/loss & optimizer
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=hypothesis, labels=Y))
    with tf.name_scope("train"):
        if args.optimizer == "adam":
            optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)
        else:
            optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)

    # Test model
    with tf.name_scope("accuracy"):
        is_correct = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
        # Calculate accuracy
        accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy, every weight and bias, each layer's ReLU output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
    for variable in tf.trainable_variables():
        histogram(variable.op.name, variable)
    for i, relu in enumerate(relus, start=1):
        histogram(f"layer{i}/relu", relu)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(
            writer,
            args,
            experiment=args.experiment,
            source=args.source,
            hidden_layers=len(args.hidden),
            init=args.init,
            optimizer=args.optimizer,
            keep_prob=args.keep_prob,
        )
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        print(
            f"{args.lab}: {training_epochs} epochs, learning rate {learning_rate:g}, batch "
            f"{batch_size}, seed {args.seed}; TensorBoard run {run_dir}"
        )
        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = [], 0
        # train my model
        for epoch in range(training_epochs):
            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):  # range(total_batch), with a progress bar
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys, keep_prob: args.keep_prob}
                if global_step % args.summary_every == 0:
                    s, c, a, _ = sess.run([summary, cost, accuracy, optimizer], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a, _ = sess.run([cost, accuracy, optimizer], feed_dict=feed_dict)
                check_cost(c, global_step)  # stops on nan or inf
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch
                global_step += 1
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            # the 5,000 held-out images, every epoch: the validation curve beside the training one
            val_cost, val_acc = sess.run(
                [cost, accuracy],
                feed_dict={X: mnist.validation.images, Y: mnist.validation.labels, keep_prob: 1},
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)
        print("Learning finished")

        # Test model and check accuracy
        test_accuracy = sess.run(
            accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels, keep_prob: 1}
        )
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        write_scalar(writer, "final/cost", avg_cost, global_step)

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(
            tf.argmax(hypothesis, 1), feed_dict={X: mnist.test.images[r : r + 1], keep_prob: 1}
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
        reported=reported if documented else None,
        extra={"label": int(label[0]), "prediction": int(prediction[0]), "curves": curves.history},
    )


if __name__ == "__main__":
    main_guard(main)
