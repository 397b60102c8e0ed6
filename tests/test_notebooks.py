"""The notebooks of labs 01, 08, 10-6, 11-0 and 12-0 (``make notebooks``, tools/notebooks.py): the committed
ones are exactly what the generator writes from the lab files, and each runs top to bottom on a
real ipykernel kernel, at small settings, with the lab's printed values and figures in its
outputs."""

import base64
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tools import notebooks

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n"


def test_the_committed_notebooks_are_what_the_generator_writes():
    command = [sys.executable, "-m", "tools.notebooks", "--check"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    for spec in notebooks.NOTEBOOKS:
        notebook = nbformat.read(ROOT / "notebooks" / spec.notebook, as_version=4)
        nbformat.validate(notebook)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        # committed without outputs; the lab's code without its `__main__` block
        assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
        assert not any("__main__" in cell.source for cell in code)
        assert [cell.id for cell in notebook.cells] == [f"cell-{i:02d}" for i in range(len(notebook.cells))]
        assert notebook.metadata.kernelspec.name == "python3"


def project_copy(tmp_path):
    """The lab files the generator reads, under a project folder of their own."""
    (tmp_path / "labs").mkdir()
    for spec in notebooks.NOTEBOOKS:
        shutil.copy(ROOT / "labs" / f"{spec.lab}.py", tmp_path / "labs")
    return tmp_path


def test_check_names_the_notebook_that_drifted_and_writing_is_repeatable(tmp_path, capsys):
    root = project_copy(tmp_path)
    assert notebooks.main(["--root", str(root), "--check"]) == 1  # none written yet
    assert notebooks.main(["--root", str(root)]) == 0
    written = {path.name: path.read_bytes() for path in (root / "notebooks").iterdir()}
    assert sorted(written) == sorted(spec.notebook for spec in notebooks.NOTEBOOKS)
    for name, text in written.items():  # the same bytes as the committed ones: nothing varies
        assert text == (ROOT / "notebooks" / name).read_bytes(), name
    capsys.readouterr()

    lab = root / "labs" / "lab11_0_cnn_basics.py"
    lab.write_text(lab.read_text().replace("dpi=80", "dpi=90"))
    assert notebooks.main(["--root", str(root), "--check"]) == 1
    err = capsys.readouterr().err
    assert "notebooks/lab11_0_conv_basics.ipynb differs from labs/lab11_0_cnn_basics.py" in err
    assert "lab08" not in err and "lab10_6" not in err
    notebook = root / "notebooks" / "lab11_0_conv_basics.ipynb"
    assert notebook.read_bytes() == written[notebook.name]  # --check writes nothing

    assert notebooks.main(["--root", str(root)]) == 0
    assert notebooks.main(["--root", str(root), "--check"]) == 0
    assert sorted(p.name for p in (root / "notebooks").iterdir()) == sorted(written)  # no temporary file left


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.replace("# %%\n", ""), "no `# %%` cell markers"),
        (
            lambda s: s.replace("\n    reset(args.seed", "\n# %%\n    reset(args.seed"),
            "not whole Python code",
        ),
        (
            lambda s: s.replace('if __name__ == "__main__":\n    main_guard', "if True:\n    main_guard"),
            "__main__",
        ),
        (lambda s: s.replace("# %%\nimport pprint", "import pprint\n# %%"), "code before the first"),
    ],
    ids=["no markers", "marker inside a function", "no main block", "code before the markers"],
)
def test_a_lab_the_generator_cannot_read_is_one_error_line_and_exit_2(tmp_path, capsys, change, message):
    root = project_copy(tmp_path)
    lab = root / "labs" / "lab08_tensor_manipulation.py"
    lab.write_text(change(lab.read_text()))
    assert notebooks.main(["--root", str(root)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error: labs/lab08_tensor_manipulation.py: line") or err.startswith(
        "error: labs/lab08_tensor_manipulation.py: no"
    )
    assert message in err and err.count("\n") == 1, err
    assert not (root / "notebooks").exists()  # every lab is read before anything is written


# --------------------------------------------------------------------------- running them


@pytest.fixture(scope="module")
def kernel_dirs(tmp_path_factory):
    """A python3 kernelspec that runs this interpreter (the venv's), whatever else is installed."""
    from ipykernel.kernelspec import write_kernel_spec

    folder = tmp_path_factory.mktemp("kernels")
    write_kernel_spec(folder / "python3")
    return [str(folder)]


def execute(spec, args, kernel_dirs, workdir):
    """Run the committed notebook with ``ARGS`` set to ``args`` (its parameters cell's only line)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "notebooks" / spec.notebook, as_version=4)
    [index] = [i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", [])]
    assert notebook.cells[index].source.splitlines()[-1].startswith("ARGS = [")
    assert notebook.cells[index + 1].source == f"{spec.result_name} = main(ARGS)"
    notebook.cells[index].source = f"ARGS = {json.dumps(args)}"
    specs = KernelSpecManager(kernel_dirs=kernel_dirs)
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    assert manager.kernel_spec.argv[0] == sys.executable
    resources = {"metadata": {"path": str(workdir)}}  # the kernel's working folder
    NotebookClient(notebook, km=manager, timeout=600, resources=resources).execute()
    return notebook


def printed(notebook):
    return "".join(
        output.text
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


def pngs(notebook):
    return [
        base64.b64decode(output.data["image/png"])
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "display_data" and "image/png" in output.data
    ]


SPECS = {spec.lab: spec for spec in notebooks.NOTEBOOKS}


def test_lab01_notebook_prints_the_originals_outputs(tmp_path, kernel_dirs):
    notebook = execute(SPECS["lab01_basics"], ["--logdir", str(tmp_path)], kernel_dirs, tmp_path)
    out = printed(notebook)
    # the original notebook's outputs
    for line in (
        "b'Hello, TensorFlow!'",
        "sess.run(node1, node2):  [3.0, 4.0]",
        "sess.run(node3):  7.0",
        "7.5",
        "[3. 7.]",
    ):
        assert f"{line}\n" in out, line
    [result] = notebook.cells[-1].outputs
    assert result.data["text/plain"] == "(np.float32(7.0), np.float32(22.5))"


def test_lab12_0_notebook_prints_the_originals_sequence_losses(tmp_path, kernel_dirs):
    notebook = execute(SPECS["lab12_0_rnn_basics"], ["--logdir", str(tmp_path)], kernel_dirs, tmp_path)
    out = printed(notebook)
    # the original notebook's outputs
    assert "Loss: 0.596759\n" in out
    assert "Loss1: 0.513015 Loss2: 0.371101 Loss3: 1.31326 " in out
    assert list((tmp_path / "lab12-rnn-basics").glob("*/events.out.tfevents.*"))


def test_lab08_notebook_prints_the_lectures_values(tmp_path, kernel_dirs):
    notebook = execute(SPECS["lab08_tensor_manipulation"], ["--logdir", str(tmp_path)], kernel_dirs, tmp_path)
    out = printed(notebook)
    # the values worked out here with numpy, printed as the lecture's print() shows them
    matrix1, matrix2, x = np.array([[3.0, 3.0]]), np.array([[2.0], [2.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])
    for expression, value in [
        ("tf.matmul(matrix1, matrix2)", matrix1 @ matrix2),  # [[12.]]
        ("matrix1 + matrix2", matrix1 + matrix2),  # broadcast: [[5. 5.] [5. 5.]]
        ("tf.reduce_mean(x, axis=0)", x.mean(axis=0)),  # [2. 3.]
        ("tf.argmax(x, axis=1)", np.argmax([[0, 1, 2], [2, 1, 0]], axis=1)),  # [2 0]
    ]:
        assert f">>> {expression}\n{value}\n" in out, expression
    [result] = notebook.cells[-1].outputs  # the last cell shows a returned value
    assert result.output_type == "execute_result" and "12." in result.data["text/plain"]
    assert list((tmp_path / "lab08-tensor-manipulation").glob("*/events.out.tfevents.*"))


def test_lab10_6_notebook_trains_both_nets_and_shows_the_curves(tmp_path, kernel_dirs):
    args = ["--epochs", "1", "--train-images", "2000", "--logdir", str(tmp_path), "--run-name", "nb"]
    notebook = execute(SPECS["lab10_6_mnist_nn_batchnorm"], args, kernel_dirs, tmp_path)
    out = printed(notebook)
    assert len(re.findall(r"^Epoch: 0001 cost = \d+\.\d{9}\b", out, re.M)) == 2, out
    accuracies = [float(a) for a in re.findall(r"^Accuracy: (0\.\d{4})$", out, re.M)]
    assert len(accuracies) == 2 and min(accuracies) > 0.5, out
    assert re.search(r"^batch_norm: accuracy 0\.\d{4}$", out, re.M)
    images = pngs(notebook)  # the four panels, then each net's digit
    assert len(images) == 3 and all(image.startswith(PNG) for image in images)
    assert images[0] == (tmp_path / "lab10-batch-norm" / "nb" / "batch_norm_curves.png").read_bytes()


def test_lab11_0_notebook_shows_its_feature_maps_inline(tmp_path, kernel_dirs):
    notebook = execute(SPECS["lab11_0_cnn_basics"], ["--logdir", str(tmp_path)], kernel_dirs, tmp_path)
    out = printed(notebook)
    image = np.arange(1, 10, dtype=np.float32).reshape(3, 3)
    valid = np.array([[image[i : i + 2, j : j + 2].sum() for j in range(2)] for i in range(2)])
    assert f"{valid}\n" in out  # [[12. 16.] [24. 28.]], the 2x2 filter of ones, VALID
    assert "conv_valid: image.shape (1, 3, 3, 1), weight.shape (2, 2, 1, 1)" in out
    images = pngs(notebook)  # the 3x3 image, then each convolution's and pool's feature maps
    assert len(images) == 8 and all(image.startswith(PNG) for image in images)
