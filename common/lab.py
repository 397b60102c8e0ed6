"""Infrastructure the lab files call from inside their own, visible TF1 program.

A lab reads like the lecture: placeholders, model, cost, optimizer, summaries, ``tf.Session``,
``FileWriter``, the initializer, the loop of ``next_batch`` and ``sess.run(..., feed_dict=...)``,
the accuracy and the "get one and predict" ending. What it calls from here is plumbing only:
data, the run folder, the session's thread settings, progress and timing, the divergence check,
finding the newest readable checkpoint, and the result file. Nothing here builds a model or
runs a training loop.
"""

import errno
import json
import os
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from common import environment, mnist
from common.cli import announce
from common.cluster import ClusterError
from common.figures import plain
from common.files import atomic_write
from common.run_folder import CheckpointsUnreadable, RunFolderError, RunMismatch, settings_of
from common.tf1 import session_config, tf

__all__ = [
    "Diverged",
    "EpochCurves",
    "Progress",
    "Result",
    "check_cost",
    "finish",
    "histogram",
    "main_guard",
    "load_data_sets",
    "mean_over_batches",
    "session_config",
    "show_prediction",
    "validation_line",
    "write_hparams",
    "write_images",
    "write_scalar",
]


class Diverged(RuntimeError):
    """The cost became nan or inf."""

    def __init__(self, step, cost):
        super().__init__(f"training diverged at step {step}: cost = {cost}")
        self.step = step
        self.cost = cost


# --------------------------------------------------------------------------- running a lab


DIVERGED_HINT = "Try a smaller --learning-rate (or normalize the inputs)."
FULL_DISK = re.compile(r"(\S+); No space left on device")


def main_guard(main):
    """Run a lab's ``main`` as a command: clear one-line errors and exit codes, no tracebacks.

    A kill (SIGTERM) is handled like Ctrl-C, so event files are flushed; a resumable lab's last
    finished epoch is on disk either way.
    """
    threading.excepthook = quiet_expected_thread_errors
    sys.stdout.reconfigure(line_buffering=True)  # each epoch's line through a pipe or tee, at once
    try:
        with interruptible():
            main()
    except (mnist.DataError, RunMismatch, CheckpointsUnreadable, RunFolderError, ClusterError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except Diverged as exc:
        print(f"error: {exc}. {DIVERGED_HINT}", file=sys.stderr)
        sys.exit(3)
    except KeyboardInterrupt:
        print(
            "\ninterrupted; a resumable lab continues from its last finished epoch when the "
            "same command runs again",
            file=sys.stderr,
        )
        sys.exit(130)
    except Exception as exc:
        if is_tf_error(exc, "InvalidArgumentError") and "in summary histogram" in exc.message:
            # the summary op met the nan or inf before check_cost could see the cost
            print(
                f"error: training diverged: a histogram summary met nan or inf. {DIVERGED_HINT}",
                file=sys.stderr,
            )
            sys.exit(3)
        full = full_disk(exc)
        if full is None:
            raise
        print(
            f"error: no space left on the disk of {full}; free some space or choose another --logdir",
            file=sys.stderr,
        )
        sys.exit(2)


def is_tf_error(exc, name):
    """``exc`` is TensorFlow's error ``name``; never loads TensorFlow to find out."""
    return "tensorflow" in sys.modules and isinstance(exc, getattr(tf.errors, name))


def full_disk(exc):
    """The folder whose disk is full, when ``exc`` says so (Python's ENOSPC or TensorFlow's
    "No space left on device"), else None."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return Path(exc.filename).parent if exc.filename else "the run folder"
    text = getattr(exc, "message", None) or str(exc)
    if "No space left on device" not in text:
        return None
    found = FULL_DISK.search(text)
    return Path(found.group(1)).parent if found else "the run folder"


def quiet_expected_thread_errors(hook_args):
    """No traceback from a thread for what is not a fault: the event writer's thread dies on a
    full disk, and the main thread raises the same error at its next write (main_guard says it
    in one line); a cluster's queue runner has its step cancelled when its session closes."""
    exc = hook_args.exc_value
    if full_disk(exc) is not None:
        return
    if is_tf_error(exc, "CancelledError") and hook_args.thread.name.startswith("QueueRunnerThread"):
        return
    threading.__excepthook__(hook_args)


@contextmanager
def interruptible():
    """Ctrl-C or a kill (SIGTERM) raises KeyboardInterrupt, even in a process started with SIGINT
    ignored (`make lab11-ensemble &`); the previous handlers come back afterwards."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, signal.default_int_handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def load_data_sets(args, log=print, read=mnist.read_data_sets):
    """The course's ``input_data.read_data_sets("MNIST_data/", one_hot=True)``: train 55,000,
    validation 5,000, test 10,000, with ``next_batch``; ``--train-images`` keeps the first N."""
    announce(args)
    data = read(args.data_dir, seed=args.seed, log=log)
    if getattr(args, "train_images", None):
        train = data.train
        data.train = mnist.DataSet(
            train.images[: args.train_images], train.labels[: args.train_images], seed=args.seed
        )
    return data


# --------------------------------------------------------------------------- inside the loop


def check_cost(cost, step):
    """Stop at the first nan/inf cost (``cost`` may hold one value per ensemble member)."""
    if not np.all(np.isfinite(cost)):
        raise Diverged(step, cost)


def mean_over_batches(evaluate, data, size):
    """``evaluate(images, labels)`` over ``data`` ``size`` images at a time, averaged (every batch
    the same size): the lecture feeds the whole test set at once, whose CNN activations would
    not fit a small machine's memory."""
    values = [
        evaluate(data.images[start : start + size], data.labels[start : start + size])
        for start in range(0, data.num_examples, size)
    ]
    return np.mean(values, axis=0)


def histogram(tag, values):
    """``tf.summary.histogram`` tagged exactly ``tag`` (e.g. ``layer1/weight1``, the variable's
    own name); the stock op would make it ``layer1/weight1_1``, since the name is taken."""
    op = tf.raw_ops.HistogramSummary(tag=tag, values=values, name="histogram")
    tf.add_to_collection(tf.GraphKeys.SUMMARIES, op)
    return op


class Progress:
    """Times the training and shows it: ``for i in progress.batches(epoch):`` is the lecture's
    ``for i in range(total_batch):`` with a live bar on a terminal or in Jupyter (``tqdm.auto``:
    epoch i/N, images, img/s, the epoch's elapsed time and ETA, and the whole run's, updated as
    the epoch goes). ``progress.timing()`` is the text the lab appends to its per-epoch print: the
    epoch's seconds, the run's elapsed time and ETA, and the speed. Off a terminal (a pipe, ``tee``,
    Colab's ``!make``) there is no bar, so the output is that one line per epoch, without carriage
    returns.
    """

    CLOCK_EVERY = 0.5  # seconds between updates of the run's clock on the bar

    def __init__(self, training_epochs, total_batch, batch_size, stream=None):
        self.training_epochs = training_epochs
        self.total_batch = total_batch
        self.batch_size = batch_size
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() or in_jupyter()
        self.epoch_seconds = []
        self.last_epoch = -1
        self.first_step_after = None  # seconds from the process's start to the first step

    def batches(self, epoch):
        if self.first_step_after is None:
            self.first_step_after = seconds_since_process_start()
        start = time.perf_counter()
        bar = self._bar(epoch) if self.live else None
        shown = start
        try:
            for i in range(self.total_batch):
                yield i
                if bar is not None:
                    bar.update(self.batch_size)
                    now = time.perf_counter()
                    if now - shown >= self.CLOCK_EVERY:
                        shown = now
                        bar.set_postfix_str(self._run_clock(epoch, now - start, (i + 1) / self.total_batch))
        finally:
            if bar is not None:
                bar.close()
        self.epoch_seconds.append(time.perf_counter() - start)
        self.last_epoch = epoch

    def _bar(self, epoch):
        from tqdm.auto import tqdm  # only a live display pays for the import

        return tqdm(
            total=self.total_batch * self.batch_size,
            file=self.stream,
            leave=False,
            desc=f"Epoch {epoch + 1}/{self.training_epochs}",
            unit="img",
            dynamic_ncols=True,
            mininterval=0.1,
        )

    def _run_clock(self, epoch, epoch_elapsed=0.0, epoch_done=1.0):
        """The whole run's elapsed time and ETA: the epochs timed so far and, within an epoch, its
        pace so far, so the ETA falls as the epoch goes (the last one's included)."""
        this_epoch = epoch_elapsed / epoch_done if epoch_done < 1 else epoch_elapsed
        timed = [*self.epoch_seconds, this_epoch] if epoch_done < 1 else self.epoch_seconds
        per_epoch = sum(timed) / len(timed)
        remaining = (1 - epoch_done) * this_epoch + max(0, self.training_epochs - epoch - 1) * per_epoch
        elapsed = self.seconds + (epoch_elapsed if epoch_done < 1 else 0.0)
        return f"run: {clock(elapsed)} elapsed, ETA {clock(remaining)}"

    def timing(self):
        """``(41.3 s; run: 0:02:04 elapsed, ETA 0:11:40; 1,331 img/s)`` for the epoch just done."""
        if not self.epoch_seconds:
            return ""
        seconds = self.epoch_seconds[-1]
        rate = self.total_batch * self.batch_size / max(seconds, 1e-9)
        return f"({seconds:.1f} s; {self._run_clock(self.last_epoch)}; {rate:,.0f} img/s)"

    @property
    def seconds(self):
        return sum(self.epoch_seconds)

    @property
    def images_per_second(self):
        images = len(self.epoch_seconds) * self.total_batch * self.batch_size
        return images / self.seconds if images else None


def in_jupyter():
    """Running in a Jupyter kernel, where tqdm.auto draws the bar as a widget."""
    return "ipykernel" in sys.modules


def seconds_since_process_start():
    """How long this process has run (Linux's /proc), or None where that is unknown."""
    try:
        started_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def clock(seconds):
    """``h:mm:ss``."""
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


# --------------------------------------------------------------------------- TensorBoard extras


def write_scalar(writer, tag, value, step):
    """A scalar computed outside the graph (e.g. the test accuracy) as a TensorBoard summary."""
    summary = tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=float(value))])
    writer.add_summary(summary, step)


class EpochCurves:
    """Per-epoch loss and accuracy as two sibling runs, ``<run>/train`` and ``<run>/validation``,
    with the same tags (``epoch/loss``, ``epoch/accuracy``), so TensorBoard draws the training and
    validation curves on one chart: the gap between them is the overfitting that dropout and
    batch norm address. ``history`` keeps the values for ``result.json``. The validation figures
    are printed too, on a line of their own under the lecture's epoch line (``show=False`` where
    the lab prints them itself)."""

    SPLITS = ("train", "validation")

    def __init__(self, run_dir, show=True, log=print):
        self.writers = {split: tf.summary.FileWriter(str(Path(run_dir) / split)) for split in self.SPLITS}
        self.history = {split: {"loss": [], "accuracy": []} for split in self.SPLITS}
        self.show, self.log = show, log

    def add(self, split, epoch, loss, accuracy):
        """The figures of epoch ``epoch`` (0-based; logged at step ``epoch + 1``)."""
        for name, value in (("loss", loss), ("accuracy", accuracy)):
            write_scalar(self.writers[split], f"epoch/{name}", value, epoch + 1)
            self.history[split][name].append(float(value))
        if split == "validation" and self.show:
            self.log(validation_line(accuracy, loss))

    def close(self):
        for writer in self.writers.values():
            writer.close()


def validation_line(accuracy, cost=None):
    """``  validation: accuracy 0.9712, cost 0.0951`` (the 5,000 held-out images)."""
    return f"  validation: accuracy {float(accuracy):.4f}" + (
        "" if cost is None else f", cost {float(cost):.4f}"
    )


def hparam_value(value):
    """What TensorBoard's HParams plugin accepts: bool, int, float or str."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return "none" if value is None else str(value)


# the HParams table's metrics, in its column order: each a scalar tag in the run (group None) or
# in one of its sibling runs (``validation``: EpochCurves' last epoch)
HPARAMS_METRICS = (
    ("test/accuracy", None, "test accuracy"),
    ("final/cost", None, "final cost"),
    ("epoch/accuracy", "validation", "validation accuracy"),
    ("final/accuracy", None, "final accuracy (full-batch labs)"),
)


def write_hparams(writer, args, **settings):
    """This run's settings for TensorBoard's HParams tab (one session per run folder), so runs
    can be listed, sorted and filtered by them. Shared flags come from ``args``; ``settings`` adds
    or overrides the case's own (optimizer, initializer, keep_prob, ...).

    The run also carries the experiment's config: these settings as its hparams and
    ``HPARAMS_METRICS`` as its metrics, test accuracy first (without one TensorBoard guesses a
    metric per scalar tag, in its own order). The trial is named by the run's folder
    (``lab07-mnist/<run>``), so the HParams table reads like the run list. TensorBoard takes one
    run's config for the whole log folder, so a lab's own columns show when its folder is opened
    (``tensorboard --logdir logs/<lab>``)."""
    from tensorboard.plugins.hparams import summary_v2 as hparams_summary

    shared = {
        name: getattr(args, name)
        for name in ("lab", "learning_rate", "epochs", "steps", "batch_size", "train_images", "seed")
        if hasattr(args, name)
    }
    if "train_images" in shared:
        shared["train_images"] = args.train_images or args.train_set_size or 0
    values = {name: hparam_value(value) for name, value in {**shared, **settings}.items()}
    config = hparams_summary.hparams_config_pb(
        hparams=[hparams_summary.HParam(name) for name in values],
        metrics=[
            hparams_summary.Metric(tag, group=group, display_name=name)
            for tag, group, name in HPARAMS_METRICS
        ],
    )
    shown_first(config, [name for name in values if name not in HPARAMS_HIDDEN])
    session = hparams_summary.hparams_pb(values, trial_id=trial_name(writer, args))
    for proto in (config, session):
        # TensorBoard's own Summary class: hand FileWriter TensorFlow's, with the same bytes
        writer.add_summary(tf.Summary.FromString(proto.SerializeToString()))
    writer.flush()


HPARAMS_HIDDEN = ("lab", "batch_size", "seed")  # columns the HParams table starts with unticked


def shown_first(config, names):
    """Mark ``names`` as the hparams that differ between runs: TensorBoard lists those first and
    ticks the first few (it cannot tell from one run's config which ones do)."""
    from tensorboard.plugins.hparams import plugin_data_pb2

    [value] = config.value
    data = plugin_data_pb2.HParamsPluginData.FromString(value.metadata.plugin_data.content)
    for info in data.experiment.hparam_infos:
        info.differs = info.name in names
    value.metadata.plugin_data.content = data.SerializeToString()


def trial_name(writer, args):
    """The run's folder under ``--logdir`` (``lab07-mnist/<run>[/<case>]``): TensorBoard's name
    for the run."""
    folder = Path(writer.get_logdir()).resolve()
    try:
        return folder.relative_to(Path(args.logdir).resolve()).as_posix()
    except (ValueError, AttributeError):
        return folder.name


def write_images(writer, tag, images, step, side=28):
    """Flattened grey images (values in [0, 1]) as a TensorBoard image summary, one per image."""
    import io

    import matplotlib.image  # only the labs that log images pay for loading matplotlib

    values = []
    for i, flat in enumerate(images):
        png = io.BytesIO()
        matplotlib.image.imsave(png, flat.reshape(side, side), cmap="gray", vmin=0.0, vmax=1.0, format="png")
        image = tf.Summary.Image(height=side, width=side, colorspace=4, encoded_image_string=png.getvalue())
        values.append(tf.Summary.Value(tag=f"{tag}/image/{i}", image=image))
    writer.add_summary(tf.Summary(value=values), step)


def write_png(writer, tag, png, step):
    """A PNG file's bytes as a TensorBoard image summary (its size read from its IHDR chunk)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{tag}: not a PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    image = tf.Summary.Image(height=height, width=width, colorspace=4, encoded_image_string=png)
    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag=tag, image=image)]), step)


def show_prediction(writer, run_dir, image, label, prediction, step, show=False, log=print):
    """The lecture's ``plt.imshow(mnist.test.images[r:r + 1].reshape(28, 28), cmap='Greys')``:
    the digit as ``prediction.png`` in the run folder and in TensorBoard's Images tab;
    ``show`` opens the PNG where there is a screen."""
    from common import plots

    path = plots.digit(
        image, Path(run_dir) / "prediction.png", title=f"Label: {label}  Prediction: {prediction}"
    )
    # TensorBoard's Images tab: the picture with its label and prediction drawn in, and the
    # digit's own 28 x 28 pixels
    write_png(writer, "prediction/image/0", Path(path).read_bytes(), step)
    write_images(writer, "prediction/pixels", [image], step)
    log(f"the digit: {path} (and TensorBoard's Images tab)")
    if show:
        plots.show([path], log)
    return path


# --------------------------------------------------------------------------- results


@dataclass
class Result:
    """What a run measured, as data (also written to ``result.json`` in the run folder)."""

    lab: str
    run_dir: str
    settings: dict
    epoch_costs: list = field(default_factory=list)
    accuracy: float | None = None
    seconds: float = 0.0
    images_per_second: float | None = None
    epoch_seconds: list = field(default_factory=list)
    seconds_to_first_step: float | None = None  # from the command's start (the process's) to it
    extra: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)  # what the lab's FIGURES rows read, by name
    environment: dict = field(default_factory=dict)


def write_json(path, value):
    """Write JSON atomically: a kill never leaves half a file."""
    atomic_write(path, json.dumps(value, indent=2))


def finish(
    args,
    run_dir,
    *,
    accuracy=None,
    epoch_costs=(),
    progress=None,
    seconds=None,
    reported=None,
    extra=None,
    figures=None,
    log=print,
):
    """Print the reported figure beside the reproduced one, write ``result.json``, return it.
    ``figures`` names what the lab's ``FIGURES`` rows read, beside the accuracy."""
    if reported is not None and accuracy is not None:
        log(f"reported: {reported:.4f}")
    result = Result(
        lab=args.lab,
        run_dir=str(run_dir),
        settings=settings_of(args),
        epoch_costs=[np.asarray(c).tolist() for c in epoch_costs],
        accuracy=None if accuracy is None else float(accuracy),
        seconds=progress.seconds if progress else (seconds or 0.0),
        images_per_second=progress.images_per_second if progress else None,
        epoch_seconds=list(progress.epoch_seconds) if progress else [],
        seconds_to_first_step=progress.first_step_after if progress else None,
        extra={"reported": reported, **(extra or {})},
        figures=plain({"accuracy": None if accuracy is None else float(accuracy), **(figures or {})}),
        environment=environment.record(),
    )
    write_json(Path(run_dir) / "result.json", asdict(result))
    return result
