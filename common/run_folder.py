"""A run's folder, ``<logdir>/<lab>/<run>[/<case>]``: its name, its lock, its settings in
``run.json``, its checkpoints and the resume.

One process per run folder (a lock beside it). A resumable lab's folder is named by its settings
alone, so the same command finds its checkpoints: the labs save with their own
``tf.train.Saver`` every epoch, as ``model-<epochs done>`` (weights and Adam's moments); the
batch order follows from the seed and the epoch, and ``resume`` restores the newest checkpoint
that loads. A resumed run must have the settings of the run that made the folder.
"""

import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from common import cli, run_lock
from common.files import atomic_write
from common.tf1 import tf


class RunFolderError(RuntimeError):
    """The run folder cannot be made or used."""


class RunMismatch(RuntimeError):
    """A run folder holds a checkpoint made with other settings."""


class CheckpointsUnreadable(RuntimeError):
    """A run folder holds checkpoints and none of them loads."""


# --------------------------------------------------------------------------- the name and the folder


def default_run_name(args):
    """The settings in a fixed order, numbers zero-padded so the run list sorts by them:
    ``lr0.001-ep0015-n05000-seed0777-20261124-101500``. A resumable run keeps its name (no time
    stamp), so the same command finds its checkpoints."""
    learning_rate = getattr(args, "learning_rate", None)
    epochs, steps = getattr(args, "epochs", None), getattr(args, "steps", None)
    train_images = getattr(args, "train_images", None)
    parts = [
        f"lr{learning_rate:g}" if learning_rate else None,
        f"ep{epochs:04d}" if epochs else None,
        f"steps{steps:05d}" if steps else None,
        f"n{train_images:05d}" if train_images else None,
        f"seed{args.seed:04d}",
        None if args.resumable else time.strftime("%Y%m%d-%H%M%S"),
    ]
    return "-".join(part for part in parts if part)


def run_path(args, case=None):
    """``<logdir>/<lab>/<run>[/<case>]``: where this run's TensorBoard files go. The parser has
    named the run (``--run-name``, or ``default_run_name``), once for all of its cases.

    Labs that compare cases (learning rates, raw vs scaled) write one sub-run per case, so
    TensorBoard overlays them.
    """
    directory = Path(args.logdir) / args.lab / args.run_name
    return directory / case if case else directory


def run_folder(args, case=None):
    """``<logdir>/<lab>/<run>[/<case>]``, created: where this run's event files, PNGs and
    ``result.json`` go. Every run folder keeps its settings in ``run.json``, which also marks it
    as a lab's run (``make clean-logs`` deletes only such folders). A resumed run must use the
    same settings, and ``--fresh`` empties its folder first; a lab that does not resume never
    writes into an earlier run's folder."""
    directory, run_dir = run_path(args, case), run_path(args)
    cli.announce(args)
    try:
        # once per invocation: its cases share the run folder and its run.json
        if (run_dir, args.invocation) not in _prepared:
            lock_run(run_dir)  # before --fresh deletes anything
            prepare_run_dir(run_dir, settings_of(args), getattr(args, "fresh", False), args.resumable)
            _prepared.add((run_dir, args.invocation))
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunFolderError(
            f"cannot write the run folder {directory} ({exc.strerror}); choose another --logdir"
        ) from None
    return directory


_prepared = set()  # (run folder, invocation) pairs locked and checked in this process
_held_locks = {}  # run folder -> open lock file, held until this process ends


def lock_run(run_dir):
    """One process per run folder (``common.run_lock``), held until this process ends."""
    if run_dir in _held_locks:
        return
    try:
        _held_locks[run_dir] = run_lock.take(run_dir)
    except run_lock.RunBusy as exc:
        raise RunFolderError(f"{exc}; wait for it to end, or pass --run-name for a run of your own") from None


def settings_of(args):
    return {key: (str(value) if isinstance(value, Path) else value) for key, value in vars(args).items()}


# settings that may change between a run and its resumption
VOLATILE_SETTINGS = {
    "fresh",
    "invocation",
    "logdir",
    "data_dir",
    "run_name",
    "summary_every",
    "show",
    "train_set_size",
    # a cluster restarted on other ports or hosts is the same run
    "ps_hosts",
    "worker_hosts",
    "job_name",
    "task_index",
    "startup_timeout",
    "step_timeout",
    "cluster",
}


def fingerprint(values):
    """A digest of variable values (name -> array), to check a restore is exact."""
    digest = hashlib.sha256()
    for name in sorted(values):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(values[name]).tobytes())
    return digest.hexdigest()


def checkpoint_fingerprint(path):
    reader = tf.train.load_checkpoint(path)
    return fingerprint({name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()})


def prepare_run_dir(directory, settings, fresh, resumable):
    """Start over (``fresh``), start new, or check that a resumed run has the same settings. A
    lab that does not resume gets a new folder only: another run's events and result would mix
    with its own."""
    settings_file = directory / run_lock.RUN_MARKER
    if fresh and directory.exists():
        shutil.rmtree(directory)
    kept = {key: value for key, value in settings.items() if key not in VOLATILE_SETTINGS}
    if not resumable and directory.exists() and any(directory.iterdir()):
        raise RunMismatch(
            f"{directory} holds an earlier run; pass another --run-name, or delete that run "
            "(make clean-logs deletes every run)"
        )
    if settings_file.exists():
        try:
            before = json.loads(settings_file.read_text())
        except ValueError:
            raise RunMismatch(
                f"{settings_file} is damaged; pass --fresh to start the run over, or --run-name for a new run"
            ) from None
        changed = {key: (before.get(key), value) for key, value in kept.items() if before.get(key) != value}
        if changed:
            details = ", ".join(f"{key} {old} -> {new}" for key, (old, new) in changed.items())
            raise RunMismatch(
                f"{directory} was started with other settings ({details}); "
                "pass --fresh to start it over, or --run-name for a new run"
            )
        return
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write(settings_file, json.dumps(kept, indent=2, sort_keys=True))


# --------------------------------------------------------------------------- checkpoints and resume

CHECKPOINT_NAME = re.compile(r"^model-(\d+)\.index$")
CHECKPOINT_DATA = re.compile(r"^model-\d+\.data-\d+-of-\d+$")


def checkpoint_prefix(run_dir):
    """Where ``saver.save(sess, prefix, global_step=epochs_done)`` writes: ``model-<epochs>``."""
    return str(Path(run_dir) / "checkpoints" / "model")


def checkpoints_on_disk(run_dir):
    """Every ``model-<epochs>`` checkpoint in the run folder, newest first (found by scanning
    the folder, so saves from earlier processes are known too)."""
    folder = Path(run_dir) / "checkpoints"
    found = [
        (int(match.group(1)), folder / f"model-{match.group(1)}")
        for match in map(CHECKPOINT_NAME.match, os.listdir(folder) if folder.is_dir() else [])
        if match
    ]
    return sorted(found, reverse=True)


@dataclass
class Resumed:
    """Where a run starts: ``epoch`` epochs are done, with these costs."""

    epoch: int = 0
    epoch_costs: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def resume(saver, sess, run_dir, train, batch_size, writer, log=print):
    """Restore the newest readable checkpoint of ``run_dir`` (older ones when the newest is
    damaged) and move ``train``'s batch order to the epoch after it. Without checkpoints, the
    run starts at epoch 0; with checkpoints of which none loads, it stops with a message."""
    candidates = checkpoints_on_disk(run_dir)
    for epochs_done, path in candidates:
        try:
            saver.restore(sess, str(path))
        except (tf.errors.OpError, ValueError) as exc:
            log(f"checkpoint {path} is unreadable ({type(exc).__name__}); trying an older one")
            continue
        # the saver then prunes the older processes' checkpoints too (max_to_keep)
        saver.recover_last_checkpoints([str(older) for _, older in reversed(candidates)])
        costs = read_costs(run_dir)[:epochs_done]
        if len(costs) < epochs_done:
            raise CheckpointsUnreadable(
                f"{Path(run_dir) / 'epoch_costs.json'} lacks the costs of the {epochs_done} epochs "
                "its checkpoint holds; pass --fresh to start this run over"
            )
        train.seek_epoch(epochs_done)
        # TensorBoard drops what a killed run logged after the restored step
        writer.add_session_log(
            tf.SessionLog(status=tf.SessionLog.START), epochs_done * (train.num_examples // batch_size)
        )
        variables = tf.global_variables()
        restored = fingerprint(dict(zip([v.op.name for v in variables], sess.run(variables))))
        log(f"resuming {run_dir} after epoch {epochs_done} (--fresh starts over)")
        return Resumed(
            epochs_done, costs, {"resumed_from_epoch": epochs_done, "restored_fingerprint": restored}
        )
    if candidates:
        names = ", ".join(path.name for _, path in candidates)
        raise CheckpointsUnreadable(
            f"no checkpoint in {Path(run_dir) / 'checkpoints'} loads "
            f"({names}); pass --fresh to start this run over"
        )
    folder = Path(run_dir) / "checkpoints"
    if folder.is_dir() and any(map(CHECKPOINT_DATA.match, os.listdir(folder))):
        # saved weights without an index: never start over silently on top of them (a save
        # killed midway leaves only its temporary files, and the run starts at epoch 0)
        raise CheckpointsUnreadable(
            f"{folder} holds checkpoint data but no readable index; pass --fresh to start this run over"
        )
    return Resumed()


def read_costs(run_dir):
    costs_file = Path(run_dir) / "epoch_costs.json"
    if not costs_file.exists():
        return []
    try:
        return json.loads(costs_file.read_text())
    except ValueError:
        raise CheckpointsUnreadable(f"{costs_file} is damaged; pass --fresh to start this run over") from None


def save_costs(run_dir, epoch_costs):
    """The finished epochs' costs beside the checkpoints (a resumed run reports them all).
    Written before the epoch's checkpoint, so a checkpoint never lacks its cost."""
    atomic_write(
        Path(run_dir) / "epoch_costs.json",
        json.dumps([np.asarray(c).tolist() for c in epoch_costs], indent=2),
    )
