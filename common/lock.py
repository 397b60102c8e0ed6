"""``requirements.lock``: every package of the tested set-up, pinned, and whether this Python
has exactly those.

``requirements.txt`` pins what the project imports; pip resolves the rest (protobuf, grpcio,
keras, ...) to whatever is newest that day. The lock is the set-up frozen after installing
``requirements.txt`` on the tested platform (Linux x86-64), so two set-ups a month apart train
with the same libraries. ``make setup`` installs it with ``--no-deps`` (tf-keras's metadata names
the ``tensorflow`` wheel, which would replace the CPU build) and then removes what it does not
list; ``make lock`` writes it anew.

    python -m common.lock write          this Python's packages -> requirements.lock
    python -m common.lock sync           uninstall what the lock does not list; say what differs
"""

import hashlib
import platform
import re
import subprocess
import sys
from importlib import metadata

from common.cli import PROJECT_ROOT
from common.files import atomic_write

LOCK_PATH = PROJECT_ROOT / "requirements.lock"
PROJECT = "deep-learning-zero-to-all-tf1"  # the project itself, installed editable: not a pin
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def canonical(name):
    """PEP 503's normalized name: ``tf_keras`` and ``TF-Keras`` are ``tf-keras``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def digest(path=LOCK_PATH):
    """The lock's SHA-256 (first 16 hex digits), or None where there is none."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except FileNotFoundError:
        return None


def read(path=LOCK_PATH):
    """``{name: version}`` from the lock's ``name==version`` lines."""
    pins = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        if not match:
            raise ValueError(f"{path}:{number}: {line!r} is not a name==version pin")
        pins[canonical(match.group(1))] = match.group(2)
    return pins


def installed():
    """``{name: version}`` of every package in this Python, the project itself left out."""
    found = {canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}
    found.pop(PROJECT, None)
    return found


def differences(pins, present):
    """What keeps ``present`` from being exactly ``pins``: missing, other versions, extras."""
    return {
        "missing": sorted(name for name in pins if name not in present),
        "other_version": sorted(
            f"{name} {present[name]} (lock: {pins[name]})"
            for name in pins
            if name in present and present[name] != pins[name]
        ),
        "extra": sorted(name for name in present if name not in pins),
    }


def matches(path=LOCK_PATH):
    """Whether this Python has exactly the lock's packages (None where there is no lock)."""
    if not path.exists():
        return None
    return not any(differences(read(path), installed()).values())


def write(path=LOCK_PATH):
    header = (
        "# Every package of the tested set-up, pinned: requirements.txt installed on "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}.\n"
        "# `make setup` installs it with --no-deps; `make lock` writes it anew. Other platforms:\n"
        "# requirements.txt.\n"
    )
    pins = "".join(f"{name}=={version}\n" for name, version in sorted(installed().items()))
    atomic_write(path, header + pins)
    print(f"{path}: {len(installed())} packages pinned")


def sync(path=LOCK_PATH):
    """Uninstall what the lock does not list, then report; exit 2 if the set still differs."""
    diff = differences(read(path), installed())
    if diff["extra"]:
        print(f"removing what {path.name} does not list: {', '.join(diff['extra'])}")
        subprocess.run(
            [sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", *diff["extra"]], check=True
        )
        diff = differences(read(path), installed())
    if any(diff.values()):
        problems = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in diff.items() if names)
        print(
            f"error: this Python differs from {path.name} ({problems}); run `make setup` again",
            file=sys.stderr,
        )
        return 2
    print(f"{path.name}: exactly its {len(read(path))} packages are installed")
    return 0


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["write"]:
        write()
    elif command == ["sync"]:
        sys.exit(sync())
    else:
        print("usage: python -m common.lock write|sync", file=sys.stderr)
        sys.exit(2)
