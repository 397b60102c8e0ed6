"""The command line every lab shares; each lab passes its own values as the defaults."""

import argparse
import itertools
import math
import os
import re
import sys
from pathlib import Path

DEFAULT_SEED = 777  # the course's tf.set_random_seed(777)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOGDIR = PROJECT_ROOT / "logs"
MAX_SEED = 2**32 - 1  # numpy's seeds are 32-bit
MNIST_TRAIN_IMAGES = 55_000  # the course's split: 5,000 of the 60,000 are held out for validation
FLOAT32_MAX = 3.4028234663852886e38  # a learning rate above it is inf inside the graph
INVOCATIONS = itertools.count(1)  # each parse is one invocation of a lab, its cases included
NEGATIVE_NUMBER = re.compile(r"^-(\d|\.\d)")


def joined_negative_values(argv):
    """``--flag -1e-3`` as ``--flag=-1e-3``: argparse takes ``-1e-3`` for an option and says
    "expected one argument", where the flag's own check should say what is wrong."""
    joined = []
    for token in argv:
        if joined and joined[-1].startswith("--") and "=" not in joined[-1] and NEGATIVE_NUMBER.match(token):
            joined[-1] = f"{joined[-1]}={token}"
        else:
            joined.append(token)
    return joined


class LabParser(argparse.ArgumentParser):
    """Checks what one flag's type cannot see, before any data loads or any file is written, and
    names the run: ``--run-name``, or the settings (``run_folder.default_run_name``) and
    ``run_name_suffix(args)`` where a lab sets one (a cluster's ``-workers2``)."""

    run_name_suffix = None

    def parse_args(self, args=None, namespace=None):
        args = joined_negative_values(sys.argv[1:] if args is None else list(args))
        parsed = super().parse_args(args, namespace)
        available = getattr(parsed, "train_set_size", None)
        if available and getattr(parsed, "train_images", None) and parsed.train_images > available:
            self.error(
                f"argument --train-images: {parsed.train_images} is more than the "
                f"{available:,} training images"
            )
        used = getattr(parsed, "train_images", None) or available
        if used and getattr(parsed, "batch_size", None) and parsed.batch_size > used:
            self.error(
                f"argument --batch-size: {parsed.batch_size} is more than the {used:,} "
                "training images, so no training step would run"
            )
        if hasattr(parsed, "logdir"):
            problem = unwritable(parsed.logdir)
            if problem:
                self.error(f"argument --logdir: {problem}")
        parsed.invocation = next(INVOCATIONS)
        if getattr(parsed, "run_name", "") is None:  # one name for every case of this invocation
            from common.run_folder import default_run_name  # which loads TensorFlow's proxy only

            suffix = self.run_name_suffix(parsed) if self.run_name_suffix else ""
            parsed.run_name = default_run_name(parsed) + suffix
        global _unannounced
        _unannounced = parsed
        return parsed


# --------------------------------------------------------------------------- the first line

_unannounced = None  # the last parsed invocation, until its first line is printed
_announced = set()  # invocations whose first line is out


def plural(count, noun):
    """``1 epoch``, ``15 epochs``, ``2,000 images``."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def settings_text(args):
    """``15 epochs, learning rate 0.1, batch 100, seed 777``: the settings a run is known by."""
    parts = []
    for name, noun in (("epochs", "epoch"), ("steps", "step")):
        if getattr(args, name, None):
            parts.append(plural(getattr(args, name), noun))
    if getattr(args, "learning_rate", None):
        parts.append(f"learning rate {args.learning_rate:g}")
    if getattr(args, "batch_size", None):
        parts.append(f"batch {args.batch_size}")
    if getattr(args, "train_images", None):
        parts.append(f"the first {plural(args.train_images, 'training image')}")
    parts.append(f"seed {args.seed}")
    return ", ".join(parts)


def announce(args=None):
    """A run's first line, once per invocation, flushed so that a pipe or ``tee`` shows it at
    once: the lab, its settings, its run folder, the TensorBoard command, and "loading
    TensorFlow..." where the 5-10 s load is still to come. The labs' first use of data, of the
    run folder or of TensorFlow calls it, after their own checks of the flags."""
    global _unannounced
    args = args or _unannounced
    if args is None or getattr(args, "invocation", None) in _announced or not hasattr(args, "logdir"):
        return
    _announced.add(args.invocation)
    _unannounced = None
    from common.run_folder import run_path  # the one rule for a run's folder

    folder = run_path(args)
    loading = "" if "tensorflow" in sys.modules else "; loading TensorFlow..."
    print(f"{args.lab}: {settings_text(args)}; run folder {folder}{loading}", flush=True)
    print(f"  (watch it: tensorboard --logdir {args.logdir}, or make tensorboard)", flush=True)


def with_settings(args, **changes):
    """A new namespace: ``args`` with a case's own settings; the parsed flags stay as they are."""
    return argparse.Namespace(**{**vars(args), **changes})


def unwritable(folder):
    """Why run folders cannot be made under ``folder``, or None."""
    folder = Path(folder).expanduser()
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def whole_number(text, minimum):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{value} must be {'positive' if minimum == 1 else '0 or more'}")
    return value


def positive_int(text):
    return whole_number(text, 1)


def seed_number(text):
    value = whole_number(text, 0)
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(f"{value} is above the largest seed, 2**32 - 1 = {MAX_SEED}")
    return value


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be a finite number above 0")
    return value


def learning_rate_value(text):
    value = positive_float(text)
    if value > FLOAT32_MAX:
        raise argparse.ArgumentTypeError(f"{text} is above float32's largest number, {FLOAT32_MAX:.4g}")
    return value


def run_name_text(text):
    if not text or "/" in text or text in (".", ".."):
        raise argparse.ArgumentTypeError(f"{text!r} is not a usable folder name")
    return text


def build_parser(
    lab,
    description,
    *,
    epochs=None,
    steps=None,
    learning_rate=None,
    batch_size=None,
    summary_every=50,
    epochs_help="training epochs",
    steps_help="full-batch training steps",
    learning_rate_help=None,
    resumable=False,
    train_set_size=MNIST_TRAIN_IMAGES,
    data="MNIST",
    seed_help=None,
    figures=True,
):
    """A parser with the shared flags; labs may add their own before parsing.

    A lab that does not train (neither ``epochs`` nor ``steps``) gets no training flags; a
    full-batch lab (``steps``) gets ``--steps`` where a mini-batch lab gets ``--epochs``; a lab with
    a training set (``batch_size`` given) gets ``--train-images``; a ``resumable`` lab checkpoints
    every epoch into a run folder named by its settings, so the same command resumes, and gets
    ``--fresh``. Only a lab that reads a data set (``data``: its name, or None) gets ``--data-dir``.
    """
    parser = LabParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False
    )
    if epochs is not None:
        parser.add_argument(
            "--epochs", type=positive_int, default=epochs, help=f"{epochs_help} (default {epochs})"
        )
    if steps is not None:
        parser.add_argument(
            "--steps", type=positive_int, default=steps, help=f"{steps_help} (default {steps})"
        )
    if epochs is not None or steps is not None:
        default = "the case's own" if learning_rate is None else learning_rate
        parser.add_argument(
            "--learning-rate",
            type=learning_rate_value,
            default=learning_rate,
            help=learning_rate_help or f"optimizer learning rate (default {default})",
        )
    if batch_size is not None:
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=batch_size,
            help=f"images per training step (default {batch_size})",
        )
        parser.add_argument(
            "--train-images",
            type=positive_int,
            default=None,
            help=f"train on the first N of the {train_set_size:,} training images (quick runs)",
        )
        if figures:
            parser.add_argument(
                "--show",
                action="store_true",
                help="open the PNG figures (in the run folder) where a screen exists",
            )
    if resumable:
        parser.add_argument(
            "--fresh", action="store_true", help="delete this run's checkpoints and logs and start over"
        )
    seed_help = seed_help or (
        "graph (tf.set_random_seed), numpy and batch-order seed"
        if batch_size
        else "graph seed, tf.set_random_seed"
    )
    parser.add_argument(
        "--seed", type=seed_number, default=DEFAULT_SEED, help=f"{seed_help} (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--logdir",
        type=Path,
        default=DEFAULT_LOGDIR,
        help="TensorBoard root; this run writes to <logdir>/<lab>/<run-name>/ (default: the project's logs/)",
    )
    parser.add_argument(
        "--run-name",
        type=run_name_text,
        default=None,
        help="run folder name (default: settings and a time stamp)",
    )
    if data == "MNIST":
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="folder with the MNIST IDX files (default: $MNIST_DATA_DIR or data/mnist)",
        )
    elif data:
        parser.add_argument("--data-dir", type=Path, default=None, help=f"folder with the {data} files")
    if epochs is not None or steps is not None:
        parser.add_argument(
            "--summary-every",
            type=positive_int,
            default=summary_every,
            help=f"write TensorBoard summaries every N training steps (default {summary_every})",
        )
    parser.set_defaults(
        lab=lab, resumable=resumable, train_set_size=train_set_size if batch_size is not None else None
    )
    return parser
