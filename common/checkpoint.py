"""Checkpoints each epoch, so a long run that is killed resumes where it stopped.

Everything the run needs is saved: weights, optimizer state (Adam's moments and step counts)
and the number of finished epochs; the batch order follows from the seed and the epoch. The
Saver writes each checkpoint under temporary names and replaces the ``checkpoint`` index
atomically, so a kill during a save leaves the previous checkpoint as the latest; if the newest
one still fails to load, the one before it is used.
"""
import hashlib
import json
import os
import shutil

import numpy as np

from common.tf1 import tf

# settings that may change between a run and its resumption
VOLATILE_SETTINGS = {"fresh", "logdir", "data_dir", "run_name", "summary_every"}


class RunMismatch(RuntimeError):
    """A run folder holds a checkpoint made with other settings."""


class Checkpoints:
    """Create after the graph is built, before the session initializes variables."""

    def __init__(self, directory, keep=3):
        self.directory = directory / "checkpoints"
        self.prefix = str(self.directory / "model")
        self.epochs_done = tf.Variable(0, dtype=tf.int64, trainable=False, name="epochs_done")
        self._epoch_value = tf.placeholder(tf.int64, shape=[], name="epochs_done_value")
        self._set_epochs = self.epochs_done.assign(self._epoch_value)
        self.saver = tf.train.Saver(max_to_keep=keep)

    def candidates(self):
        state = tf.train.get_checkpoint_state(str(self.directory))
        return list(reversed(state.all_model_checkpoint_paths)) if state else []

    def restore(self, sess, log=print):
        """Load the newest readable checkpoint; return the epochs it had finished (0: none)."""
        for path in self.candidates():
            try:
                self.saver.restore(sess, path)
            except (tf.errors.OpError, ValueError) as exc:
                log(f"checkpoint {path} is unreadable ({type(exc).__name__}); trying an older one")
                continue
            return int(sess.run(self.epochs_done))
        return 0

    def save(self, sess, epochs_done):
        sess.run(self._set_epochs, {self._epoch_value: epochs_done})
        self.saver.save(sess, self.prefix, global_step=epochs_done, write_meta_graph=False)


def fingerprint(values):
    """A digest of variable values (name -> array), to check a restore is exact."""
    digest = hashlib.sha256()
    for name in sorted(values):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(values[name]).tobytes())
    return digest.hexdigest()


def session_fingerprint(sess):
    variables = tf.global_variables()
    return fingerprint(dict(zip([v.op.name for v in variables], sess.run(variables))))


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
        before = json.loads(settings_file.read_text())
        changed = {key: (before.get(key), value) for key, value in kept.items()
                   if before.get(key) != value}
        if changed:
            details = ", ".join(f"{key} {old} -> {new}" for key, (old, new) in changed.items())
            raise RunMismatch(f"{directory} was started with other settings ({details}); "
                              "pass --fresh to start it over, or --run-name for a new run")
        return
    directory.mkdir(parents=True, exist_ok=True)
    tmp = settings_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(kept, indent=2, sort_keys=True))
    os.replace(tmp, settings_file)
