"""`make clean-logs`: delete the labs' runs, and nothing else.

``python -m tools.clean_logs [--dry-run] [FOLDER]`` (default: the project's ``logs/``). A run is
a folder ``<FOLDER>/<lab>/<run>/`` holding the ``run.json`` that every lab writes, naming that
lab. Only runs are deleted: any other file or folder stays, and so does a run whose lock another
process holds (a live run; its PID is named). A ``logs/`` that is a link to a bigger disk is
followed, and there too only runs are deleted; links inside it are never followed. A folder
other than the project's ``logs/`` must hold at least one run; an empty name, ``/``, the home
folder or the project itself are refused. Standard library only: it runs before ``make setup``.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

from common import run_lock

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_LOGS = PROJECT_ROOT / "logs"


class Refused(RuntimeError):
    pass


def is_run(folder, lab):
    """A lab's run: a real folder (not a link) whose ``run.json`` names ``lab``."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        settings = json.loads((folder / run_lock.RUN_MARKER).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(settings, dict) and settings.get("lab") == lab


def runs_in(root):
    """Every run folder two levels below ``root``, sorted; links are not followed."""
    return sorted(
        run
        for lab in root.iterdir()
        if lab.is_dir() and not lab.is_symlink()
        for run in lab.iterdir()
        if is_run(run, lab.name)
    )


def check_root(text):
    if not text.strip():
        raise Refused(
            "LOGDIR is empty; name the folder of lab runs to clean, "
            "or leave LOGDIR out to clean the project's logs/"
        )
    root = Path(text).expanduser()
    if not root.is_dir():
        raise Refused(f"{root} is not a folder")
    root = root.resolve()  # the project's logs/ may be a link to a bigger disk
    forbidden = {Path("/"), Path.home().resolve(), PROJECT_ROOT}
    if root in forbidden or root in PROJECT_ROOT.parents:
        raise Refused(f"refusing to clean {root}: not a folder of lab runs")
    return root


def delete_run(run, dry_run=False):
    """Delete ``run`` under its own lock, so no lab can start in it meanwhile; raises RunBusy.
    ``dry_run``: only check that the lock is free (without making a lock file)."""
    if dry_run and not run_lock.lock_path(run).exists():
        return
    handle = run_lock.take(run)
    try:
        if not dry_run:
            shutil.rmtree(run)
            run_lock.lock_path(run).unlink()
    finally:
        handle.close()
    if dry_run:
        return
    try:
        run.parent.rmdir()  # the lab's folder, once its last run is gone
    except OSError:
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.clean_logs", description=__doc__.split("\n")[0], allow_abbrev=False
    )
    parser.add_argument(
        "folder",
        nargs="?",
        default=str(PROJECT_LOGS),
        help="the --logdir the labs wrote to (default: the project's logs/)",
    )
    parser.add_argument("--dry-run", action="store_true", help="list the runs it would delete, delete none")
    args = parser.parse_args(argv)
    try:
        root = check_root(args.folder)
        runs = runs_in(root)
        if not runs and root != PROJECT_LOGS.resolve():
            raise Refused(f"{root} holds no lab runs (<lab>/<run>/run.json); not deleting anything there")
    except Refused as exc:
        print(f"clean-logs: {exc}", file=sys.stderr)
        return 2
    deleted, busy = [], []
    for run in runs:
        name = run.relative_to(root)
        try:
            delete_run(run, args.dry_run)
        except run_lock.RunBusy as exc:
            print(f"  kept {name}: in use by PID {exc.holder}")
            busy.append(run)
            continue
        print(f"  {'would delete' if args.dry_run else 'deleted'} {name}")
        deleted.append(run)
    verb = "would delete" if args.dry_run else "deleted"
    print(
        f"clean-logs: {verb} {len(deleted)} run(s) in {root}"
        + (f"; kept {len(busy)} in use" if busy else "")
        + "; nothing else is touched"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
