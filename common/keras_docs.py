"""The Keras documents' ``model.fit`` (tf2-quickstart, keras-mlp, keras-tips), emulated on a TF1 session.

A Keras lab builds its own graph (one ``tf.layers`` line per Keras layer, the loss and the
optimizer) and hands it over as a ``KerasGraph``. ``FitSession`` then does what the documents'
``model.fit(x, y, validation_data=..., epochs=, batch_size=, callbacks=[...])``,
``model.evaluate`` and ``model.predict`` did: the epoch loop over ``next_batch``, the History
(printed, and TensorBoard's overlaid training and validation curves: the sibling runs
``<run>/train`` and ``<run>/validation``, tags ``epoch/loss`` and ``epoch/accuracy``), the run's
settings for the HParams tab, the callbacks (``BestCheckpoint`` is
ModelCheckpoint with save_best_only plus EarlyStopping), the step summaries, and evaluation and
prediction a thousand images at a time. ``summary`` prints ``model.summary()`` and
``history_table`` the documents' ``pd.DataFrame(history.history)``.
"""

from __future__ import annotations  # the dataclass fields name tf types before TensorFlow loads

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from common import cli, plots
from common.lab import (
    EpochCurves,
    Progress,
    check_cost,
    histogram,
    session_config,
    write_hparams,
    write_scalar,
)
from common.tf1 import tf

EVAL_BATCH = 1000  # images per sess.run when evaluating or predicting
TRAIN_SET_SIZE = 60_000  # the documents train on all of load_data()'s training images


@dataclass
class KerasGraph:
    """What a Keras lab's ``model.compile`` amounts to in its TF1 graph.

    ``logits`` are the last Dense layer's outputs before its softmax (the cost, the accuracy and
    the predictions start from them); ``train_feed`` is fed on training steps only (e.g.
    ``{training: True}`` turns Dropout on); ``activations`` name layer outputs to histogram;
    ``layers`` lists ``(scope, Keras type, output)`` for ``summary``.
    """

    x: tf.Tensor
    y: tf.Tensor
    logits: tf.Tensor
    cost: tf.Tensor
    train_op: tf.Operation
    train_feed: dict = field(default_factory=dict)
    activations: dict = field(default_factory=dict)
    layers: list = field(default_factory=list)


def build_parser(lab, description, *, epochs, learning_rate, batch_size, figures=True, **options):
    """The shared command line (``options`` go to ``cli.build_parser``, e.g. ``data=``); remembers
    the document's settings for ``reported_if_documented``. A lab that draws no figure
    (``figures=False``) offers no ``--show``."""
    parser = cli.build_parser(
        lab,
        description,
        epochs=epochs,
        learning_rate=learning_rate,
        batch_size=batch_size,
        train_set_size=TRAIN_SET_SIZE,
        figures=figures,
        **options,
    )
    parser.set_defaults(documented_settings=(epochs, learning_rate, batch_size))
    return parser


def reported_if_documented(args, figure):
    """The document's figure for a run made the document's way; None for any other run."""
    settings = (args.epochs, args.learning_rate, args.batch_size)
    documented = settings == tuple(args.documented_settings) and not args.train_images
    return figure if documented else None


class FitSession:
    """A ``tf.Session`` with the run's FileWriter, used like the documents' compiled model:
    ``fit``, ``evaluate``, ``predict``. Use it in a ``with`` block (it closes both).

    ``hparams`` are the case's own settings for TensorBoard's HParams tab (optimizer, dropout,
    batch norm, ...); the shared flags (learning rate, epochs, batch size, ...) come from ``args``.
    """

    def __init__(self, args, graph, run_dir, case=None, hparams=None):
        self.args, self.graph, self.run_dir, self.case = args, graph, run_dir, case
        # metrics=['accuracy']
        with tf.name_scope("accuracy"):
            is_correct = tf.equal(tf.argmax(graph.logits, 1), tf.argmax(graph.y, 1))
            self.accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32), name="accuracy")
        self.probabilities = tf.nn.softmax(graph.logits)  # what model.predict returns

        # TensorBoard: the steps' cost and accuracy, every weight, the listed layer outputs
        with tf.name_scope("summaries"):
            tf.summary.scalar("cost", graph.cost)
            tf.summary.scalar("accuracy", self.accuracy)
            for variable in tf.trainable_variables():
                histogram(variable.op.name, variable)
            for name, tensor in graph.activations.items():
                histogram(name, tensor)
        self.summary = tf.summary.merge_all()

        self.sess = tf.Session(config=session_config())
        self.writer = tf.summary.FileWriter(str(run_dir))
        self.writer.add_graph(self.sess.graph)
        # the HParams tab lists, sorts and filters the runs by these settings
        settings = {"case": case} if case else {}
        write_hparams(self.writer, args, **settings, **(hparams or {}))
        # History's loss and accuracy as <run>/train and <run>/validation: one chart for both
        self.curves = EpochCurves(run_dir)
        self.sess.run(tf.global_variables_initializer())
        self.global_step = 0
        self.progress = None  # set by fit; finish() reads its timing

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.writer.close()
        self.curves.close()
        self.sess.close()

    def fit(self, train, validation_data, *, epochs, batch_size, callbacks=(), keras_lines=False):
        """``model.fit``: ``epochs`` passes over ``train`` in batches of ``batch_size``; after
        each, the loss and accuracy on ``validation_data`` go to the History and the callbacks
        (one returning True stops the training, as EarlyStopping does). The last epoch's average
        cost is the run's ``final/cost``. Returns the History. ``keras_lines`` prints Keras's own
        ``Epoch 1/5`` and ``1875/1875 [====] - 3s 2ms/step - loss: - accuracy:`` lines (a
        document that shows them) instead of the course's epoch line and the History's."""
        graph, args = self.graph, self.args
        history = History(printed=not keras_lines)
        callbacks = [history, *callbacks]
        for callback in callbacks:
            callback.on_train_begin(self)

        print(
            f"{args.lab}{' ' + self.case if self.case else ''}: {epochs} epochs, learning rate "
            f"{args.learning_rate:g}, batch {batch_size}, seed {args.seed}; "
            f"TensorBoard run {self.run_dir}"
        )
        total_batch = int(train.num_examples / batch_size)
        self.progress = Progress(epochs, total_batch, batch_size)
        for epoch in range(epochs):
            avg_cost, batch_accuracies = 0, []
            if keras_lines:
                print(f"Epoch {epoch + 1}/{epochs}")
            for i in self.progress.batches(epoch):
                batch_xs, batch_ys = train.next_batch(batch_size)
                feed_dict = {graph.x: batch_xs, graph.y: batch_ys, **graph.train_feed}
                fetches = [graph.cost, self.accuracy, graph.train_op]
                if self.global_step % args.summary_every == 0:
                    c, a, _, s = self.sess.run(fetches + [self.summary], feed_dict=feed_dict)
                    self.writer.add_summary(s, global_step=self.global_step)
                else:
                    c, a, _ = self.sess.run(fetches, feed_dict=feed_dict)
                check_cost(c, self.global_step)  # stops on nan or inf
                avg_cost += float(c) / total_batch
                batch_accuracies.append(float(a))
                self.global_step += 1
            self.print_epoch(epoch, avg_cost, statistics.fmean(batch_accuracies), keras_lines)

            val_loss, val_acc = self.evaluate(validation_data.images, validation_data.labels)
            # Keras reports the training accuracy as the mean over the epoch's batches
            logs = {
                "loss": avg_cost,
                "acc": statistics.fmean(batch_accuracies),
                "val_loss": val_loss,
                "val_acc": val_acc,
            }
            # the same tags in two sibling runs, so TensorBoard overlays the two curves
            self.curves.add("train", epoch, logs["loss"], logs["acc"])
            self.curves.add("validation", epoch, logs["val_loss"], logs["val_acc"])
            stops = [callback.on_epoch_end(epoch, logs) for callback in callbacks]
            if any(stops):
                break
        write_scalar(self.writer, "final/cost", avg_cost, self.global_step)
        return history

    def print_epoch(self, epoch, avg_cost, accuracy, keras_lines):
        """The course's ``Epoch: 0001 cost = ...`` (with the timing), or Keras's step line."""
        if not keras_lines:
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), self.progress.timing())
            return
        steps, seconds = self.progress.total_batch, self.progress.epoch_seconds[-1]
        print(
            f"{steps}/{steps} [{'=' * 30}] - {seconds:.0f}s {1000 * seconds / steps:.0f}ms/step - "
            f"loss: {avg_cost:.4f} - accuracy: {accuracy:.4f}"
        )

    def evaluate(self, images, labels):
        """``model.evaluate``: (loss, accuracy) over the whole set, a thousand images per run."""
        loss = accuracy = 0.0
        for start in range(0, len(images), EVAL_BATCH):
            xs, ys = images[start : start + EVAL_BATCH], labels[start : start + EVAL_BATCH]
            c, a = self.sess.run(
                [self.graph.cost, self.accuracy], feed_dict={self.graph.x: xs, self.graph.y: ys}
            )
            loss += float(c) * len(xs)
            accuracy += round(float(a) * len(xs))  # the batch's count of right answers
        return loss / len(images), accuracy / len(images)

    def evaluate_verbose(self, images, labels, batch_size=32):
        """``model.evaluate(x, y, verbose=2)``: the loss and accuracy, and Keras's line for them,
        ``313/313 - 0s - loss: 0.0748 - accuracy: 0.9758`` (steps of Keras's batch 32)."""
        started = time.perf_counter()
        loss, accuracy = self.evaluate(images, labels)
        steps = -(-len(images) // batch_size)
        seconds = time.perf_counter() - started
        print(f"{steps}/{steps} - {seconds:.0f}s - loss: {loss:.4f} - accuracy: {accuracy:.4f}")
        return loss, accuracy

    def predict(self, images):
        """``model.predict`` of a softmax output: the class probabilities of every image."""
        return np.concatenate(
            [
                self.sess.run(
                    self.probabilities, feed_dict={self.graph.x: images[start : start + EVAL_BATCH]}
                )
                for start in range(0, len(images), EVAL_BATCH)
            ]
        )


class History:
    """Keras's History: per epoch ``loss``, ``acc``, ``val_loss`` and ``val_acc``, in
    ``history``, and a Keras-like line printed (``fit`` logs the same values as TensorBoard
    curves)."""

    def __init__(self, printed=True):
        self.history = {"loss": [], "acc": [], "val_loss": [], "val_acc": []}
        self.printed = printed

    def on_train_begin(self, session):
        pass

    def on_epoch_end(self, epoch, logs):
        for name, value in logs.items():
            self.history[name].append(value)
        if self.printed:
            print(f"Epoch {epoch + 1:02d} - " + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        return False


class BestCheckpoint:
    """``ModelCheckpoint(monitor='val_loss', save_best_only=True)`` with
    ``EarlyStopping(monitor='val_loss', patience)``.

    Saves the weights whenever ``val_loss`` improves and stops the training after ``patience``
    epochs without improvement; ``restore()`` then loads the best epoch's weights (the
    document's ``load_model`` of its best file).
    """

    def __init__(self, run_dir, patience):
        self.path = str(Path(run_dir) / "best" / "model")
        self.patience = patience
        self.best_loss, self.best_epoch, self.stopped_after = float("inf"), None, None

    def on_train_begin(self, session):
        self.sess = session.sess
        self.saver = tf.train.Saver(max_to_keep=1)

    def on_epoch_end(self, epoch, logs):
        val_loss = logs["val_loss"]
        if val_loss < self.best_loss:
            print(
                f"Epoch {epoch + 1:05d}: val_loss improved from {self.best_loss:.5f} to "
                f"{val_loss:.5f}, saving model to {self.path}"
            )
            self.best_loss, self.best_epoch = val_loss, epoch + 1
            self.saver.save(self.sess, self.path, write_meta_graph=False)
            return False
        print(f"Epoch {epoch + 1:05d}: val_loss did not improve from {self.best_loss:.5f}")
        if epoch + 1 - self.best_epoch >= self.patience:
            self.stopped_after = epoch + 1
            print(f"Epoch {epoch + 1:05d}: early stopping ({self.patience} epochs without improvement)")
            return True
        return False

    def restore(self):
        self.saver.restore(self.sess, self.path)
        print(f"restored the best epoch, {self.best_epoch} (val_loss {self.best_loss:.4f})")


def history_table(history):
    """``print(pd.DataFrame(history.history))`` without pandas, as keras-tips prints it: the
    columns val_loss, val_accuracy, loss, accuracy, one row per epoch numbered from 0."""
    columns = {"val_loss": "val_loss", "val_accuracy": "val_acc", "loss": "loss", "accuracy": "acc"}
    epochs = len(history["loss"])
    index_width = len(str(epochs - 1))
    lines = [" " * index_width + "".join(f"{name:>14}" for name in columns)]
    for epoch in range(epochs):
        cells = "".join(f"{history[key][epoch]:>14.6f}" for key in columns.values())
        lines.append(f"{epoch:<{index_width}}" + cells)
    return "\n".join(lines)


def summary(layers):
    """``model.summary()``: each layer's output shape and parameter count, counted from the
    graph's variables in the layer's scope (optimizer slots, one scope deeper, are not the
    model's). Prints Keras's table; returns the total."""
    rule, columns = "_" * 65, (29, 26, 10)

    def row(*cells):
        return "".join(f"{cell:<{width}}" for cell, width in zip(cells, columns)).rstrip()

    lines, total, trainable = [rule, row("Layer (type)", "Output Shape", "Param #"), "=" * 65], 0, 0
    trainable_names = {variable.op.name for variable in tf.trainable_variables()}
    for n, (scope, kind, output) in enumerate(layers):
        variables = [v for v in tf.global_variables() if v.op.name.rpartition("/")[0] == scope]
        counts = {v.op.name: int(np.prod(v.shape.as_list())) for v in variables}
        params = sum(counts.values())
        total += params
        trainable += sum(c for name, c in counts.items() if name in trainable_names)
        shape = "(" + ", ".join(str(d) for d in output.shape.as_list()) + ")"
        lines += [row(f"{scope} ({kind})", shape, f"{params}"), "=" * 65 if n == len(layers) - 1 else rule]
    lines += [
        f"Total params: {total:,}",
        f"Trainable params: {trainable:,}",
        f"Non-trainable params: {total - trainable:,}",
        rule,
    ]
    print("\n".join(lines))
    return total


def report_figures(paths, show=False):
    """Say where the document's figures went (``--show`` opens them); their paths as text."""
    print("figures: " + ", ".join(str(path) for path in paths))
    if show:
        plots.show(paths)
    return [str(path) for path in paths]
