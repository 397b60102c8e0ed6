"""`make clean-logs`: delete the labs' TensorBoard runs, and nothing else.

``python -m tools.clean_logs [FOLDER]`` (default: the project's ``logs/``). Only lab folders
(``lab07-mnist``, ``keras02-tips``, ...: what the labs write under their ``--logdir``) are deleted.
A folder other than the project's ``logs/`` is cleaned only when it exists and holds nothing but
lab folders with TensorBoard runs in them; an empty name, ``/``, the home folder, or the project
itself are refused. Standard library only: it runs before ``make setup``.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_LOGS = PROJECT_ROOT / "logs"
LAB_FOLDER = re.compile(r"^(lab\d\d|keras\d\d)(-[a-z0-9.]+)+$")
KEEP = {".gitkeep"}


class Refused(RuntimeError):
    pass


def holds_runs(folder):
    """A lab folder: at least one TensorBoard event file somewhere below it."""
    return any(folder.rglob("events.out.tfevents.*"))


def lab_folders(root):
    """The lab folders directly in ``root``; raises Refused on anything else in a foreign root."""
    if root != PROJECT_LOGS.resolve():
        strangers = [
            entry.name
            for entry in root.iterdir()
            if entry.name not in KEEP
            and not (
                entry.is_dir()
                and not entry.is_symlink()
                and LAB_FOLDER.match(entry.name)
                and holds_runs(entry)
            )
        ]
        if strangers:
            shown = ", ".join(sorted(strangers)[:5])
            raise Refused(f"{root} holds more than lab runs ({shown}); not deleting anything there")
    return sorted(
        entry
        for entry in root.iterdir()
        if entry.is_dir() and not entry.is_symlink() and LAB_FOLDER.match(entry.name)
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
    root = root.resolve()
    forbidden = {Path("/"), Path.home().resolve(), PROJECT_ROOT}
    if root in forbidden or root in PROJECT_ROOT.parents:
        raise Refused(f"refusing to clean {root}: not a folder of lab runs")
    return root


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.clean_logs", description=__doc__.split("\n")[0])
    parser.add_argument(
        "folder",
        nargs="?",
        default=str(PROJECT_LOGS),
        help="the --logdir the labs wrote to (default: the project's logs/)",
    )
    args = parser.parse_args(argv)
    try:
        root = check_root(args.folder)
        folders = lab_folders(root)
    except Refused as exc:
        print(f"clean-logs: {exc}", file=sys.stderr)
        return 2
    for folder in folders:
        shutil.rmtree(folder)
    print(
        f"clean-logs: deleted {len(folders)} lab folder(s) in {root}"
        + (f": {', '.join(f.name for f in folders)}" if folders else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
