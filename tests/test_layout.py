"""The project's layout: imports run one way, labs -> common, tools -> labs and common."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(path):
    """The top-level package of every module ``path`` imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def offenders(folder, forbidden):
    return {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & forbidden)
        for path in sorted((ROOT / folder).rglob("*.py"))
        if imported_packages(path) & forbidden
    }


def test_common_imports_neither_labs_nor_tools():
    assert offenders("common", {"labs", "tools"}) == {}


def test_labs_do_not_import_tools():
    assert offenders("labs", {"tools"}) == {}


def test_the_walk_sees_a_wrong_way_import(tmp_path):
    # the check itself can fail: a function-level import is found too
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from tools import reproduce\n    import labs.lab07_4_mnist_introduction\n"
    )
    assert imported_packages(module) == {"tools", "labs"}


def test_flags_are_answered_before_tensorflow_loads():
    """Every lab answers --help, and refuses a mistyped flag, with TensorFlow never imported: it
    loads at a lab's first ``tf.`` (common.tf1), after the flags are accepted."""
    probe = """
import contextlib, importlib, io, json, pathlib, sys
answered = []
for path in sorted(pathlib.Path("labs").glob("[lk]*_*.py")):
    lab = importlib.import_module(f"labs.{path.stem}")
    for flags in (["--help"], ["--no-such-flag"]):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                lab.main(flags)
            except SystemExit as exit:
                answered.append((path.stem, flags[0], exit.code))
print(json.dumps([len(answered), sorted({code for _, _, code in answered}), "tensorflow" in sys.modules]))
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    count, codes, loaded = json.loads(result.stdout)
    labs = len(list((ROOT / "labs").glob("[lk]*_*.py")))
    assert count == 2 * labs and codes == [0, 2] and not loaded, result.stdout
