"""The training loop, evaluation and TensorBoard summaries the labs share."""
import sys
import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from common.tf1 import tf


class Diverged(RuntimeError):
    """The cost became nan or inf."""

    def __init__(self, step, cost):
        super().__init__(f"training diverged at step {step}: cost = {cost}")
        self.step = step
        self.cost = cost


@dataclass
class Model:
    """What a lab's graph hands to the shared loop.

    ``train_feed``/``eval_feed`` are extra feeds such as ``{keep_prob: 0.7}`` / ``{keep_prob: 1.0}``;
    ``activations`` maps a readable name to a layer output to histogram in TensorBoard.
    """
    x: tf.Tensor
    y: tf.Tensor
    cost: tf.Tensor
    train_op: tf.Operation
    hypothesis: tf.Tensor
    accuracy: Optional[tf.Tensor] = None
    train_feed: dict = field(default_factory=dict)
    eval_feed: dict = field(default_factory=dict)
    activations: dict = field(default_factory=dict)
    classifier: bool = True  # False for regression: no accuracy op
    summary_op: Optional[tf.Tensor] = None  # a lab that writes its own summaries sets this
    metrics: dict = field(default_factory=dict)  # named scalars reported after training
    session: Optional[tf.Session] = None  # a lab that opened its session itself (Model(sess, name))

    def feed(self, xs, ys):
        """A batch's feed; ``x``/``y`` may be lists (ensemble members trained on one batch)."""
        xs_for = self.x if isinstance(self.x, (list, tuple)) else [self.x]
        ys_for = self.y if isinstance(self.y, (list, tuple)) else [self.y]
        feed = {x: xs for x in xs_for}
        if ys is not None:
            feed.update({y: ys for y in ys_for})
        return feed


@dataclass
class Result:
    """What a run measured, as data (also written to ``result.json`` in the run folder)."""
    lab: str
    run_dir: str
    settings: dict
    epoch_costs: list = field(default_factory=list)
    accuracy: Optional[float] = None
    seconds: float = 0.0
    images_per_second: Optional[float] = None
    extra: dict = field(default_factory=dict)


def add_accuracy(model):
    """The course's ``is_correct``/``accuracy`` ops, unless the lab defined its own."""
    if model.accuracy is None and model.classifier:
        with tf.name_scope("accuracy"):
            if model.hypothesis.shape[-1] == 1:  # one sigmoid output: threshold at 0.5
                predicted = tf.cast(model.hypothesis > 0.5, tf.float32)
                is_correct = tf.equal(predicted, model.y)
            else:
                is_correct = tf.equal(tf.argmax(model.hypothesis, 1), tf.argmax(model.y, 1))
            model.accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32), name="accuracy")
    return model


def add_summaries(model, scope=None):
    """Scalars of cost and accuracy; histograms of every trainable variable and activation.

    With ``scope`` (an ensemble member's variable scope) only that scope's variables are
    histogrammed and the scalars are tagged ``<scope>/summaries/...``.
    """
    with tf.name_scope(f"{scope}/summaries" if scope else "summaries"):
        ops = [tf.summary.scalar("cost", model.cost)]
        if model.accuracy is not None:
            ops.append(tf.summary.scalar("accuracy", model.accuracy))
        ops += [tf.summary.scalar(name, tensor) for name, tensor in model.metrics.items()]
        ops += [histogram(variable.op.name, variable) for variable in tf.trainable_variables(scope)]
        ops += [histogram(name, tensor) for name, tensor in model.activations.items()]
    return tf.summary.merge(ops)


def histogram(tag, values):
    """A histogram summary tagged exactly ``tag`` (e.g. ``layer1/weight``, the variable's name).

    ``tf.summary.histogram`` derives the tag from a fresh op name, which turns into
    ``layer1/weight_1`` when the variable already holds that name.
    """
    op = tf.raw_ops.HistogramSummary(tag=tag, values=values, name="histogram")
    tf.add_to_collection(tf.GraphKeys.SUMMARIES, op)
    return op


class Trainer:
    """Runs training steps, writes summaries every N steps, and catches a diverging cost."""

    def __init__(self, sess, model, writer=None, summary_op=None, summary_every=50):
        self.sess = sess
        self.model = model
        self.writer = writer
        self.summary_op = summary_op
        self.summary_every = summary_every
        self.global_step = 0
        self.batch_accuracies = None  # a list when a callback wants Keras's per-epoch "acc"

    def step(self, feed):
        feed = {**feed, **self.model.train_feed}
        fetches = [self.model.cost, self.model.train_op]
        if self.batch_accuracies is not None:
            fetches.append(self.model.accuracy)
        if self.writer is not None and self.summary_op is not None and \
                self.global_step % self.summary_every == 0:
            fetches.append(self.summary_op)
            *values, summary = self.sess.run(fetches, feed)
            self.writer.add_summary(summary, self.global_step)
        else:
            values = self.sess.run(fetches, feed)
        cost = values[0]
        if self.batch_accuracies is not None:
            self.batch_accuracies.append(float(values[2]))
        if not np.all(np.isfinite(cost)):
            raise Diverged(self.global_step, cost)
        self.global_step += 1
        return float(cost) if np.ndim(cost) == 0 else cost


class Progress:
    """A one-line progress bar on a terminal; silent when output is captured."""

    def __init__(self, total, label, stream=sys.stderr):
        self.total = total
        self.label = label
        self.stream = stream
        self.enabled = stream.isatty()
        self.every = max(1, total // 50)
        self.start = time.perf_counter()

    def update(self, done, images):
        if not self.enabled or (done % self.every and done != self.total):
            return
        width = 30
        filled = width * done // self.total
        rate = images / max(time.perf_counter() - self.start, 1e-9)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{done}/{self.total} {rate:,.0f} img/s")
        self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()


def fit_epochs(trainer, data, epochs, batch_size, first_epoch=0, log=print, on_epoch_end=None):
    """The course's loop: epochs x batches of ``next_batch``; prints its epoch lines.

    ``on_epoch_end(epoch, avg_cost)`` runs after each epoch (to keep the cost, save a checkpoint);
    training stops early when it returns True.
    """
    model = trainer.model
    total_batch = data.num_examples // batch_size
    for epoch in range(first_epoch, epochs):
        progress = Progress(total_batch, f"Epoch {epoch + 1:04d}")
        avg_cost = 0.0
        for i in range(total_batch):
            batch_xs, batch_ys = data.next_batch(batch_size)
            avg_cost = avg_cost + trainer.step(model.feed(batch_xs, batch_ys)) / total_batch
            progress.update(i + 1, (i + 1) * batch_size)
        progress.close()
        log(f"Epoch: {epoch + 1:04d} cost = {format_cost(avg_cost)}")
        if on_epoch_end is not None and on_epoch_end(epoch, avg_cost):
            return


def format_cost(cost):
    """``0.123456789``, or ``[0.28760711 0.27969753]`` for an ensemble, as the course prints."""
    if np.ndim(cost) == 0:
        return f"{cost:.9f}"
    return "[" + " ".join(f"{value:.8f}" for value in cost) + "]"


def evaluate(sess, model, images, labels, batch_size=1000, tensor=None):
    """Mean of ``tensor`` (default: the accuracy) over the whole set, fed in batches."""
    tensor = model.accuracy if tensor is None else tensor
    total = 0.0
    for start in range(0, len(images), batch_size):
        xs, ys = images[start:start + batch_size], labels[start:start + batch_size]
        total += float(sess.run(tensor, {**model.feed(xs, ys), **model.eval_feed})) * len(xs)
    return total / len(images)


def predict(sess, model, images, batch_size=1000, tensor=None):
    """``tensor`` (default: the hypothesis) for every image, fed in batches."""
    tensor = model.hypothesis if tensor is None else tensor
    outputs = [sess.run(tensor, {**model.feed(images[start:start + batch_size], None), **model.eval_feed})
               for start in range(0, len(images), batch_size)]
    return np.concatenate(outputs)


def write_images(writer, tag, images, step, side=28):
    """Flattened grey images (values in [0, 1]) as a TensorBoard image summary, one per image."""
    import io

    import matplotlib.image  # only the labs that log images pay for loading matplotlib
    values = []
    for i, flat in enumerate(images):
        png = io.BytesIO()
        matplotlib.image.imsave(png, flat.reshape(side, side), cmap="gray", vmin=0.0, vmax=1.0,
                                format="png")
        image = tf.Summary.Image(height=side, width=side, colorspace=4,
                                 encoded_image_string=png.getvalue())
        values.append(tf.Summary.Value(tag=f"{tag}/image/{i}", image=image))
    writer.add_summary(tf.Summary(value=values), step)


def write_scalar(writer, tag, value, step):
    """A scalar computed outside the graph (e.g. test accuracy) as a TensorBoard summary."""
    summary = tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=float(value))])
    writer.add_summary(summary, step)
