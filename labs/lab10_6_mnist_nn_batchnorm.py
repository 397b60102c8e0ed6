"""Lab 10-6: batch normalization in a small MLP (the original's notebook, as a program).

784-32-32-10 built with ``tf.compat.v1.layers.dense``, ReLU, Adam at 0.01, 10 epochs of batch 32,
once with ``tf.compat.v1.layers.batch_normalization`` before each ReLU and once without. Batch
norm normalizes with the batch's statistics in training (``training`` fed True) and with its
moving averages at test; those averages are updated by the UPDATE_OPS, which the train op
depends on. hunkim reports test accuracy 0.9737 with batch norm vs 0.9513 without.

Both nets train in one run, as sub-runs ``batch_norm`` and ``plain``, on the same batches.

The notebook's figure (lab-10-6, where 0.9737 and 0.9513 come from): after every epoch, each net
is scored on the whole training set and on the 5,000 validation images, with batch norm's moving
averages (``training`` fed False), as the notebook's ``Solver.evaluate`` did; these are not the
running means of the batch costs (those are the printed epoch costs). The curves go to
TensorBoard as the sibling runs ``<case>/train`` and ``<case>/validation`` (tags ``epoch/loss``
and ``epoch/accuracy``, so the four runs overlay) and to ``batch_norm_curves.png`` in the run
folder: the notebook's four panels, training and validation loss and accuracy, with and without
batch norm. Scoring reads the nets only, so the training is the same as without it.
"""

# %%
import random

from matplotlib.ticker import MaxNLocator

from common import cli
from common.figures import HUNKIM, Cases, Figure
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
from common.plots import plt, save, show
from common.run_folder import run_folder
from common.tf1 import tf

# %%
LEARNING_RATE = 0.01
TRAINING_EPOCHS = 10
BATCH_SIZE = 32
NB_CLASSES = 10
CHECK_IMAGES = 500  # test images predicted one at a time and as one batch
FIGURES = [
    Figure(
        "lab10-batch-norm",
        "784-32-32-10 with batch norm",
        HUNKIM,
        0.9737,
        0.01,
        "batch_norm/accuracy",
        seeded=True,
    ),
    Figure(
        "lab10-batch-norm",
        "784-32-32-10 without batch norm",
        HUNKIM,
        0.9513,
        0.015,
        "plain/accuracy",
        seeded=True,
    ),
    Figure(
        "lab10-batch-norm",
        "curves: last validation accuracy, with batch norm",
        HUNKIM,
        0.9766,
        0.01,
        "batch_norm/last validation accuracy",
        seeded=True,
    ),
    Figure(
        "lab10-batch-norm",
        "curves: last validation accuracy, without",
        HUNKIM,
        0.9574,
        0.015,
        "plain/last validation accuracy",
        seeded=True,
    ),
]
REPORTED = {"batch_norm": FIGURES[0].reported, "plain": FIGURES[1].reported}
LEGEND = {"batch_norm": "With BN", "plain": "Without BN"}  # the notebook's names


# %%
def main(argv=None):
    args = cli.build_parser(
        "lab10-batch-norm",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
    ).parse_args(argv)
    documented = (args.epochs, args.learning_rate, args.batch_size, args.train_images) == (
        TRAINING_EPOCHS,
        LEARNING_RATE,
        BATCH_SIZE,
        None,
    )
    results = Cases(
        {
            case: train_and_test(args, case, REPORTED[case] if documented else None)
            for case in ("batch_norm", "plain")
        }
    )
    path = plot_curves(results, run_folder(args) / "batch_norm_curves.png")
    print(f"the curves: {path} (and TensorBoard's epoch/loss and epoch/accuracy)")
    if args.show:
        show([path])
    return results


# %%
def plot_curves(results, path):
    """The notebook's ``plot_compare`` figures: training and validation loss and accuracy per
    epoch, with and without batch norm, as four panels of one PNG."""
    figure, axes = plt.subplots(2, 2, figsize=(12, 8))
    for row, (split, name) in enumerate([("train", "Training"), ("validation", "Validation")]):
        for column, (metric, short) in enumerate([("loss", "Loss"), ("accuracy", "Acc")]):
            axis = axes[row, column]
            for case, result in results.items():
                values = result.extra["curves"][split][metric]
                axis.plot(range(1, len(values) + 1), values, marker="o", label=LEGEND[case])
            axis.set_title(f"{name} {short} at Epoch")
            axis.set_xlabel("epoch")
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))
            axis.grid(True)
            axis.legend()
    figure.tight_layout()
    return save(figure, path)


# %%
def train_and_test(args, case, reported):
    """The lab's program for one net: ``case`` is "batch_norm" or "plain"."""
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    # read afresh: both nets see the same batches in the same order
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args, case)

    tf.reset_default_graph()  # a new graph for each net
    tf.set_random_seed(args.seed)  # both nets start from the same draws

    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")
    # batch norm: True in training (the batch's statistics), False at test (moving averages)
    training = tf.placeholder(tf.bool, name="training")

    with tf.variable_scope("layer1"):
        L1 = tf.layers.dense(X, 32, kernel_initializer=tf.glorot_uniform_initializer())
        if case == "batch_norm":
            L1 = tf.layers.batch_normalization(L1, training=training)
        L1 = tf.nn.relu(L1)

    with tf.variable_scope("layer2"):
        L2 = tf.layers.dense(L1, 32, kernel_initializer=tf.glorot_uniform_initializer())
        if case == "batch_norm":
            L2 = tf.layers.batch_normalization(L2, training=training)
        L2 = tf.nn.relu(L2)

    with tf.variable_scope("logits"):
        logits = tf.layers.dense(L2, NB_CLASSES, kernel_initializer=tf.glorot_uniform_initializer())

    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        # batch norm's moving mean and variance are updated with every training step
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    with tf.name_scope("accuracy"):
        is_correct = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy, every trainable variable, each layer's ReLU output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
    for variable in tf.trainable_variables():
        histogram(variable.op.name, variable)
    histogram("layer1/relu", L1)
    histogram("layer2/relu", L2)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, batch_norm=case == "batch_norm")  # an HParams row per net
        # the notebook's curves: one run per split, the same tags, so TensorBoard overlays them
        curves = EpochCurves(run_dir)
        sess.run(tf.global_variables_initializer())

        print(f"{args.lab} {case}: TensorBoard run {run_dir}")
        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = [], 0
        for epoch in range(training_epochs):
            avg_cost = 0
            for i in progress.batches(epoch):  # range(total_batch), with a progress bar
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys, training: True}
                if global_step % args.summary_every == 0:
                    s, c, _ = sess.run([summary, cost, optimizer], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, _ = sess.run([cost, optimizer], feed_dict=feed_dict)
                check_cost(c, global_step)  # stops on nan or inf
                avg_cost += float(c) / total_batch
                global_step += 1
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)

            # the notebook's evaluate(): the whole split, batch norm with its moving averages
            for split, name, data in (
                ("train", "TRAIN", mnist.train),
                ("validation", "VALID", mnist.validation),
            ):
                loss, acc = sess.run(
                    [cost, accuracy], feed_dict={X: data.images, Y: data.labels, training: False}
                )
                curves.add(split, epoch, loss, acc)
                print(f"[Epoch {epoch + 1}-{name}] Loss(Acc): {loss:.5f}({acc:.2%})")
        print("Learning finished")

        # Test the model using test sets
        test_accuracy = sess.run(
            accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels, training: False}
        )
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        write_scalar(writer, "final/cost", avg_cost, global_step)

        # At test time batch norm must not depend on the batch: one image at a time gives the
        # same predictions as a batch of CHECK_IMAGES
        predict = tf.argmax(logits, 1)
        images = mnist.test.images[:CHECK_IMAGES]
        batched = sess.run(predict, feed_dict={X: images, training: False})
        one_by_one = [
            sess.run(predict, feed_dict={X: images[i : i + 1], training: False})[0]
            for i in range(CHECK_IMAGES)
        ]
        agreement = float((batched == one_by_one).mean())
        print(f"predictions one image at a time vs in a batch of {CHECK_IMAGES}: {agreement:.2%} agree")

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(predict, feed_dict={X: mnist.test.images[r : r + 1], training: False})
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
        reported=reported,
        extra={
            "single_vs_batch_agreement": agreement,
            "label": int(label[0]),
            "prediction": int(prediction[0]),
            "curves": curves.history,
        },
        figures={"last validation accuracy": curves.history["validation"]["accuracy"][-1]},
    )


if __name__ == "__main__":
    main_guard(main)
