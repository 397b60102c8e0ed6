"""``make notebooks``: labs 01, 08, 10-6, 11-0 and 12-0 as Jupyter notebooks, generated from the lab files.

The original series kept these labs as notebooks. Here the lab file is the source and the
notebook is written from it, so the two never drift apart. A lab marks its cells with ``# %%``
comments (the "percent" format Jupyter, VS Code and jupytext read): the module docstring becomes
the first, markdown cell, each ``# %%`` section a code cell (``# %% [markdown]``: a markdown cell
of ``#`` comment lines), and the ``if __name__ == "__main__":`` block is left out (in a kernel
``__name__`` is "__main__" too). The notebook ends with cells of its own: ``ARGS``, the lab's flags
written out (a cell tagged ``parameters``, papermill's convention, which a test or a reader
changes), the call of the lab's ``main(ARGS)``, and the PNGs it wrote, shown inline.

``python -m tools.notebooks`` writes the notebooks that changed (each atomically: a temporary file
beside it, then renamed); ``--check`` writes nothing and exits 1 naming each committed notebook
that differs from what would be written. The notebooks are committed without outputs and are a
pure function of the lab files: fixed cell ids and metadata, so the output is the same on every
machine. A lab file without its docstring, cell markers or ``__main__`` block is an ``error:`` line
and exit code 2.
"""

import argparse
import ast
import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from common.files import atomic_write

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^# %%(?P<rest>.*)$")
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


class NotebookError(ValueError):
    """A lab file the generator cannot turn into a notebook."""


@dataclass(frozen=True)
class Notebook:
    """A lab's notebook: its file, the ``ARGS`` it runs the lab with, and the cells after the
    call that show what the run wrote (the call's result is ``result_name``)."""

    lab: str  # the module under labs/
    notebook: str  # the file under notebooks/
    args: tuple  # the lab's flags, written out
    args_comment: str
    result_name: str
    shown: str = ""  # code that displays the run's figures, after the call


NOTEBOOKS = (
    Notebook(
        lab="lab01_basics",
        notebook="lab01_basics.ipynb",
        args=("--seed", "777"),
        args_comment="nothing here is random: the seed only names the run",
        result_name="values, directory",
        shown='values["node3"], values["add_and_triple"]  # 7.0 and 22.5, as the notebook prints\n',
    ),
    Notebook(
        lab="lab08_tensor_manipulation",
        notebook="lab08_tensor_manipulation.ipynb",
        args=("--seed", "777"),
        args_comment="the graph seed: it fixes the three random cells and names the run",
        result_name="values",
        shown='values["tf.matmul(matrix1, matrix2)"]  # every value, by its expression\n',
    ),
    Notebook(
        lab="lab10_6_mnist_nn_batchnorm",
        notebook="lab10_6_batch_norm.ipynb",
        args=("--epochs", "10", "--learning-rate", "0.01", "--batch-size", "32", "--seed", "777"),
        args_comment='the documented settings; ["--epochs", "1", "--train-images", "2000"]: a quick look',
        result_name="results",
        shown=(
            "from pathlib import Path\n"
            "\n"
            "from IPython.display import Image, display\n"
            "\n"
            "# the notebook's four panels: training and validation loss and accuracy, with and without\n"
            'run_dir = Path(results["batch_norm"].run_dir).parent  # the run: a folder per net in it\n'
            'display(Image(filename=str(run_dir / "batch_norm_curves.png")))\n'
            "for case, result in results.items():  # each net's test accuracy and its one prediction\n"
            '    print(f"{case}: accuracy {result.accuracy:.4f}")\n'
            '    display(Image(filename=str(Path(result.run_dir) / "prediction.png")))\n'
        ),
    ),
    Notebook(
        lab="lab11_0_cnn_basics",
        notebook="lab11_0_conv_basics.ipynb",
        args=("--seed", "777"),
        args_comment="the seed draws the MNIST image's five random filters",
        result_name="values, directory",
        shown=(
            "from IPython.display import Image, display\n"
            "\n"
            "# the 3x3 image, then the feature maps of each convolution and pool, in the run's order\n"
            'for name in ["image", *values]:\n'
            '    display(Image(filename=str(directory / f"{name}.png")))\n'
        ),
    ),
    Notebook(
        lab="lab12_0_rnn_basics",
        notebook="lab12_0_rnn_basics.ipynb",
        args=("--seed", "777"),
        args_comment="the graph seed: it draws the cells' weights and names the run",
        result_name="result",
        shown="result.figures  # the notebook's sequence losses, and the zeros past each length\n",
    ),
)


def is_main_guard(node):
    """``if __name__ == "__main__":``"""
    test = node.test if isinstance(node, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def split_lab(source, name):
    """``(docstring, [(kind, source), ...])``: the module docstring and the ``# %%`` cells, without
    the ``__main__`` block; ``kind`` is "code" or "markdown"."""
    try:
        tree = ast.parse(source, filename=name)
    except SyntaxError as exc:
        raise NotebookError(f"{name}: line {exc.lineno}: {exc.msg}") from None
    docstring = ast.get_docstring(tree, clean=True)
    if not docstring:
        raise NotebookError(f"{name}: no module docstring (it becomes the notebook's first cell)")
    lines = source.splitlines()
    start = tree.body[0].end_lineno  # the line after the docstring, 0-based
    guards = [node for node in tree.body if is_main_guard(node)]
    if not guards:
        raise NotebookError(f'{name}: no `if __name__ == "__main__":` block (the notebook leaves it out)')
    if guards[-1] is not tree.body[-1]:
        raise NotebookError(f"{name}: line {tree.body[-1].lineno}: code after the `__main__` block")
    end = guards[-1].lineno - 1

    if not any(MARKER.match(line) for line in lines[start:end]):
        raise NotebookError(f"{name}: no `# %%` cell markers (mark each cell of the notebook with one)")
    cells, current = [], None
    for number, line in enumerate(lines[start:end], start + 1):
        marker = MARKER.match(line)
        if marker:
            rest = marker.group("rest").strip()
            if rest not in ("", "[markdown]"):
                raise NotebookError(
                    f"{name}: line {number}: {line!r}: a cell marker is `# %%` or `# %% [markdown]`"
                )
            current = ("markdown" if rest else "code", number, [])
            cells.append(current)
        elif current is not None:
            current[2].append(line)
        elif line.strip():
            raise NotebookError(f"{name}: line {number}: code before the first `# %%` cell marker")

    result = []
    for kind, number, body in cells:
        text = "\n".join(body).strip("\n")
        if not text.strip():
            raise NotebookError(f"{name}: line {number}: an empty cell")
        if kind == "markdown":
            if any(line and not line.startswith("#") for line in body):
                raise NotebookError(f"{name}: line {number}: a markdown cell holds `#` comment lines only")
            text = "\n".join(re.sub(r"^# ?", "", line) for line in text.splitlines())
        else:
            try:
                ast.parse(text)
            except SyntaxError:
                raise NotebookError(
                    f"{name}: line {number}: the cell is not whole Python code on its own "
                    "(a `# %%` marker inside a statement?)"
                ) from None
        result.append((kind, text))
    return docstring, result


def markdown_of(docstring, spec):
    """The docstring as the notebook's title and text: its first line the heading, ``x`` for ``x``."""
    title, _, rest = inspect.cleandoc(docstring).partition("\n")
    text = f"# {title}\n\n{rest.strip()}".replace("``", "`")
    return (
        f"{text}\n\n"
        f"*Generated from [`labs/{spec.lab}.py`](../labs/{spec.lab}.py) by `make notebooks`: edit the "
        "lab, not this notebook. Run it on the project's kernel (the `.venv` that `make setup` "
        "makes); the last cells run the lab with the flags in `ARGS`.*"
    )


def build(spec, source, name):
    """The notebook of ``spec``'s lab, from the lab's ``source``, as a ``NotebookNode``."""
    import nbformat  # not for --help

    docstring, cells = split_lab(source, name)
    args = ", ".join(f'"{arg}"' for arg in spec.args)
    parameters = f"# {spec.args_comment}\nARGS = [{args}]"
    call = f"{spec.result_name} = main(ARGS)"
    sources = [
        ("markdown", markdown_of(docstring, spec)),
        *cells,
        ("parameters", parameters),
        ("code", call),
        *([("code", spec.shown.rstrip("\n"))] if spec.shown else []),
    ]
    v4 = nbformat.v4
    notebook = v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}})
    for index, (kind, text) in enumerate(sources):
        cell_id = f"cell-{index:02d}"  # stable: the same notebook, byte for byte, every time
        if kind == "markdown":
            notebook.cells.append(v4.new_markdown_cell(text, id=cell_id))
        elif kind == "parameters":
            notebook.cells.append(v4.new_code_cell(text, id=cell_id, metadata={"tags": ["parameters"]}))
        else:
            notebook.cells.append(v4.new_code_cell(text, id=cell_id))
    nbformat.validate(notebook)
    return notebook


def render(spec, root=PROJECT_ROOT):
    """The text of ``spec``'s notebook, from the lab file under ``root``."""
    import nbformat

    name = f"labs/{spec.lab}.py"
    try:
        source = (Path(root) / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise NotebookError(f"{name}: cannot be read ({exc.strerror})") from None
    text = nbformat.writes(build(spec, source, name))
    return text if text.endswith("\n") else text + "\n"


def current_text(path):
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.notebooks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each notebook that differs from its lab file",
    )
    parser.add_argument(
        "--root", type=Path, default=PROJECT_ROOT, help="the project folder (default: this project's)"
    )
    args = parser.parse_args(argv)
    folder = args.root / "notebooks"
    try:
        wanted = {spec: render(spec, args.root) for spec in NOTEBOOKS}  # every lab read before a write
        differ = []
        for spec, text in wanted.items():
            path = folder / spec.notebook
            shown = f"notebooks/{spec.notebook}"
            committed = current_text(path)
            if committed == text:
                if not args.check:
                    print(f"{shown}: up to date")
                continue
            if args.check:
                state = "is missing" if committed is None else f"differs from labs/{spec.lab}.py"
                differ.append(f"{shown} {state}")
                continue
            folder.mkdir(exist_ok=True)
            atomic_write(path, text)
            print(f"{shown}: written from labs/{spec.lab}.py")
    except NotebookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write {exc.filename or folder}: {exc.strerror}", file=sys.stderr)
        return 2
    if differ:
        for line in differ:
            print(line, file=sys.stderr)
        print("run `make notebooks` to write them anew from the labs", file=sys.stderr)
        return 1
    if args.check:
        print(f"the {len(wanted)} notebooks match their labs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
