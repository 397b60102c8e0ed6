"""``zero-to-all``: the course's make targets as a command, for a shell without make.

    zero-to-all list                                  the targets, each with what it runs
    zero-to-all run lab11-ensemble -- --epochs 1      a target, with extra flags for its labs

The targets are read from the project's Makefile, so each runs the same lab files with the same
flags as ``make <target> ARGS=...``; a lab's own name (``lab11_5_mnist_cnn_ensemble_layers``)
runs that file alone.
"""

import argparse
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass

from common.cli import PROJECT_ROOT

MAKEFILE = PROJECT_ROOT / "Makefile"
TARGET_LINE = re.compile(r"^([a-z0-9][a-z0-9-]*):[^=]*?## (.*)$")
LAB_CALL = re.compile(r"^\t\$\(call LAB,(\w+)(?:,([^)]*))?\)$")


@dataclass(frozen=True)
class Target:
    """A make target that runs lab files: its help text and its ``(module, flags)`` commands."""

    name: str
    text: str
    commands: tuple


class NoMakefile(Exception):
    pass


def lab_targets(makefile=MAKEFILE):
    """The Makefile's lab targets in their order: each rule whose recipe is ``$(call LAB,...)``."""
    try:
        lines = makefile.read_text().splitlines()
    except FileNotFoundError:
        raise NoMakefile(
            f"{makefile} is missing: zero-to-all reads its targets from the project's checkout "
            "(install it with `pip install -e .` from there)"
        ) from None
    targets, current = [], None
    for line in lines:
        if match := TARGET_LINE.match(line):
            current = Target(match.group(1), match.group(2), ())
            targets.append(current)
        elif current and (call := LAB_CALL.match(line)):
            module, flags = call.group(1), tuple(shlex.split(call.group(2) or ""))
            current = Target(current.name, current.text, (*current.commands, (module, flags)))
            targets[-1] = current
        elif not line.startswith("\t"):
            current = None
    return [target for target in targets if target.commands]


def find(name, targets):
    """The target called ``name``, or a lab file's module name as a target of its own."""
    for target in targets:
        if target.name == name:
            return target
    module = name.removesuffix(".py").removeprefix("labs/").removeprefix("labs.")
    if (PROJECT_ROOT / "labs" / f"{module}.py").is_file():
        return Target(module, "", ((module, ()),))
    return None


def list_targets(targets, out=sys.stdout):
    for target in targets:
        print(f"  {target.name:28} {target.text}", file=out)
    print("Run one with: zero-to-all run <target> [-- lab flags]", file=out)


def run_target(target, extra, dry_run=False):
    """Each of the target's lab files in turn, as ``make`` runs them; stops at the first failure
    and returns its exit code. ``dry_run`` prints the commands only."""
    for module, flags in target.commands:
        command = [sys.executable, "-m", f"labs.{module}", *flags, *extra]
        print("+" if not dry_run else "", shlex.join(["python", *command[1:]]).strip(), flush=True)
        if dry_run:
            continue
        code = subprocess.call(command, cwd=PROJECT_ROOT)
        if code:
            return code
    return 0


def parse(argv):
    parser = argparse.ArgumentParser(prog="zero-to-all", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the lab targets, in the course's order")
    run = commands.add_parser("run", help="run a target (or a lab file by module name)")
    run.add_argument("target", help="a make target, e.g. lab11-ensemble, or a lab's module name")
    run.add_argument("-n", "--dry-run", action="store_true", help="print the commands, run nothing")
    run.add_argument("lab_flags", nargs=argparse.REMAINDER, help="after --: flags for the lab files")
    args = parser.parse_args(argv)
    if args.command == "run" and args.lab_flags[:1] == ["--"]:
        args.lab_flags = args.lab_flags[1:]
    return parser, args


def main(argv=None):
    parser, args = parse(argv)
    try:
        targets = lab_targets()
    except NoMakefile as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "list":
        try:
            list_targets(targets)
        except BrokenPipeError:  # `zero-to-all list | head`
            sys.stderr.close()
        return 0
    target = find(args.target, targets)
    if target is None:
        parser.error(f"no target or lab called {args.target!r}; `zero-to-all list` shows them")
    try:
        return run_target(target, args.lab_flags, args.dry_run)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
