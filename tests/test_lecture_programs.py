"""Each lab is the lecture's program: its file holds the TF1 session, loop and summaries, it runs
as a plain script from the project's root, and an MNIST lab ends with the lecture's "get one and
predict": ``Label: [d]`` / ``Prediction: [d]`` and the digit as a PNG and a TensorBoard image."""

import ast
import io
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from tests.event_files import load_run

ROOT = Path(__file__).resolve().parent.parent
# the lecture labs that train: all but lab 01 (basics), 03-1 (the cost curve), 08 (tensors), 09-8
# (XOR by hand), 11-0 (convolution by hand) and 12-0 (RNN cells by hand), and the cluster files
# 11-6 and 11-7, which run lab 11-2's and 11-5's programs
NOT_TRAINING = {"lab01", "lab03_1", "lab08", "lab09_8", "lab11_0", "lab12_0", "lab11_6", "lab11_7"}
# the originals that feed nothing: their rows are constants in the graph
NO_PLACEHOLDERS = {"lab02_1", "lab03_3", "lab03_x"}
TRAINING_LABS = sorted(
    path.name for path in (ROOT / "labs").glob("lab*_*.py") if not path.name.startswith(tuple(NOT_TRAINING))
)


def test_the_training_labs_are_the_lectures_52():
    assert len(TRAINING_LABS) == 52, TRAINING_LABS


def calls_in(source):
    """Every called name in the source, dotted (``tf.summary.FileWriter``, ``sess.run``)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            parts, target = [], node.func
            while isinstance(target, ast.Attribute):
                parts.append(target.attr)
                target = target.value
            if isinstance(target, ast.Name):
                parts.append(target.id)
            names.append(".".join(reversed(parts)))
    return names


@pytest.mark.parametrize("lab", TRAINING_LABS)
def test_the_lab_file_holds_the_lectures_program(lab):
    source = (ROOT / "labs" / lab).read_text()
    calls = calls_in(source)
    for needed in (
        "tf.set_random_seed",
        "tf.Session",
        "tf.summary.FileWriter",
        "writer.add_graph",
        "tf.global_variables_initializer",
        "tf.summary.merge_all",
        "writer.add_summary",
    ):
        assert needed in calls, f"{lab} does not call {needed}"
    if not lab.startswith(tuple(NO_PLACEHOLDERS)):
        assert re.search(r"\.run\([^)]*feed_dict=", source, re.S), (
            f"{lab} has no sess.run(..., feed_dict=...)"
        )
    assert re.search(r"^\s*for .+ in .+:", source, re.M), f"{lab} has no loop"


MNIST_LABS = [  # (file, flags, run folder under the logdir)
    ("lab07_4_mnist_introduction.py", [], "lab07-mnist/p"),
    ("lab09_9_mnist_sigmoid_deep_wide.py", [], "lab09-mnist-deep-wide/p"),
    ("lab10_2_mnist_nn.py", [], "lab10-mnist-relu/p"),
    ("lab10_5_mnist_nn_dropout.py", [], "lab10-mnist-dropout/p"),
    ("lab10_1_mnist_softmax.py", [], "lab10-mnist-softmax-adam/p"),
    ("lab10_6_mnist_nn_batchnorm.py", [], "lab10-batch-norm/p/batch_norm"),
    ("lab10_10_mnist_initializers.py", [], "lab10-mnist-init/p/normal"),
    ("lab11_1_mnist_cnn.py", [], "lab11-mnist-cnn/p"),
    ("lab11_2_mnist_deep_cnn.py", ["--train-images", "2000"], "lab11-mnist-deep-cnn/p"),
    ("lab11_3_mnist_cnn_class.py", [], "lab11-mnist-cnn-class/p"),
    ("lab11_4_mnist_cnn_layers.py", [], "lab11-mnist-cnn-layers/p"),
    ("lab11_5_mnist_cnn_ensemble_layers.py", [], "lab11-ensemble/p"),
    ("lab13_1_mnist_using_scope.py", [], "lab13-mnist-scope/p"),
    ("lab13_3_mnist_save_restore.py", [], "lab13-mnist-save-restore/p"),
]


@pytest.fixture(scope="module")
def test_set():
    from common import mnist

    data = mnist.read_data_sets()
    return np.rint(data.test.images * 255).astype(np.uint8), data.test.labels.argmax(axis=1)


@pytest.mark.parametrize(
    "lab, flags, folder", MNIST_LABS, ids=[f"{lab}{''.join(flags)}" for lab, flags, _ in MNIST_LABS]
)
def test_mnist_lab_runs_as_a_plain_file_and_gets_one_and_predicts(tmp_path, test_set, lab, flags, folder):
    """``python labs/<lab>.py`` from the root; the printed label is the true label of the test
    digit the run drew, found again by its pixels in the TensorBoard image."""
    flags = ["--epochs", "1", "--train-images", "1000", *flags, "--logdir", str(tmp_path), "--run-name", "p"]
    run = subprocess.run(
        [sys.executable, f"labs/{lab}", *flags], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    # first the run's line (its folder, the TensorBoard command), then the lecture's lines; every
    # epoch's validation accuracy on a line of its own
    first, hint = run.stdout.splitlines()[:2]
    lab_name, run_name = folder.split("/")[:2]
    assert first.startswith(f"{lab_name}: 1 epoch, ") and f"{tmp_path / lab_name / run_name}" in first, first
    assert f"tensorboard --logdir {tmp_path}" in hint
    assert re.search(r"^  validation: accuracy \[?0\.\d{4}", run.stdout, re.M), run.stdout
    labels = re.findall(r"^Label: \[(\d)\]$", run.stdout, re.M)
    predictions = re.findall(r"^Prediction: \[(\d)\]$", run.stdout, re.M)
    assert labels and len(labels) == len(predictions), run.stdout
    run_dir = tmp_path / folder
    png = (run_dir / "prediction.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    # the Images tab's picture is prediction.png, whose title the lab drew from its printed lines
    [titled] = load_run(run_dir).Images("prediction/image/0")
    assert titled.encoded_image_string == png and (titled.width, titled.height) != (28, 28)
    [event] = load_run(run_dir).Images("prediction/pixels/image/0")
    shown = matplotlib.image.imread(io.BytesIO(event.encoded_image_string))[..., 0]
    assert shown.shape == (28, 28)
    images, true_labels = test_set
    # the PNG's grey levels may be one step off the original bytes (colour-map rounding)
    gap = np.abs(images.reshape(-1, 28, 28).astype(int) - np.rint(shown * 255).astype(int)).max(axis=(1, 2))
    found = int(gap.argmin())
    assert gap[found] <= 1 and np.sort(gap)[1] > 50, "the logged digit is not one test image"
    assert int(labels[0]) == true_labels[found]  # the first case's digit (every case draws the same)
