"""One process per run folder: an exclusive ``flock`` on ``.<run>.lock`` beside the folder.

The kernel drops the lock when its holder exits or is killed, so a killed run never blocks its
resume. The labs take it for their whole run; ``make clean-logs`` takes it before deleting a run,
so it never deletes a live one. Standard library only: clean-logs runs before ``make setup``.
"""

import fcntl
import os
from pathlib import Path

RUN_MARKER = "run.json"  # every lab writes its settings here: the folder is a lab's run


def lock_path(run_dir):
    run_dir = Path(run_dir)
    return run_dir.parent / f".{run_dir.name}.lock"


class RunBusy(RuntimeError):
    """Another process holds the run folder's lock."""

    def __init__(self, run_dir, holder):
        super().__init__(f"{run_dir} is in use by another run (PID {holder})")
        self.holder = holder


def take(run_dir):
    """The open lock file of ``run_dir``, locked by this process and holding its PID; raises
    RunBusy, with the holder's PID, when another process has it."""
    path = lock_path(run_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise RunBusy(run_dir, holder) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
