"""A resumable run's folder: its settings (a resumed run must use the same ones) and the
digests that show a restore is exact.

The labs save with their own ``tf.train.Saver`` every epoch, as ``model-<epochs done>``:
weights and optimizer state (Adam's moments and step counts); the batch order follows from the
seed and the epoch. ``common.lab.resume`` finds the newest checkpoint that loads.
"""

import hashlib
import json
import os
import shutil

import numpy as np

from common.tf1 import tf

# settings that may change between a run and its resumption
VOLATILE_SETTINGS = {
    "fresh",
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


class RunMismatch(RuntimeError):
    """A run folder holds a checkpoint made with other settings."""


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


def prepare_run_dir(directory, settings, fresh):
    """Start over (``fresh``), start new, or check a resumed run has the same settings."""
    settings_file = directory / "run.json"
    if fresh and directory.exists():
        shutil.rmtree(directory)
    kept = {key: value for key, value in settings.items() if key not in VOLATILE_SETTINGS}
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
    tmp = settings_file.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(kept, indent=2, sort_keys=True))
    os.replace(tmp, settings_file)
