"""Issue #13, notes-09-11 (labs 09-11): XOR by hand, He initialization, hunkim's Adam softmax and
the batch-norm notebook's curves."""

import math
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from labs import (
    lab09_8_xor_by_hand,
    lab10_1_mnist_softmax,
    lab10_6_mnist_nn_batchnorm,
    lab10_10_mnist_initializers,
)
from tests.event_files import load_run
from tests.test_lecture_programs import calls_in

ROOT = Path(__file__).resolve().parent.parent
LN10 = math.log(10)  # the cost of giving each of the 10 digits probability 1/10

# --------------------------------------------------------------------------- lec 09-1, XOR by hand

# notes-09-11's weights and its table (x1, x2, y1, y2, y-hat, XOR), as the notes print them
W1, B1 = np.array([[5, -7], [5, -7]]), np.array([-8, 3])
W2, B2 = np.array([[-11], [-11]]), np.array([6])
NOTES_TABLE = [[0, 0, 0, 1, 0, 0], [0, 1, 1, 0, 1, 1], [1, 0, 0, 0, 1, 1], [1, 1, 0, 0, 0, 0]]
COLUMNS = ["x1", "x2", "y1", "y2", "y-hat", "XOR"]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_xor_by_hand_is_the_lectures_forward_pass_and_gives_xor(tmp_path):
    result = lab09_8_xor_by_hand.main(["--logdir", str(tmp_path)])
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = sigmoid(x @ W1 + B1)
    y_hat = sigmoid(y @ W2 + B2).ravel()
    np.testing.assert_allclose(result.extra["layer1"], y, atol=1e-6)
    np.testing.assert_allclose(result.extra["hypothesis"], y_hat, atol=1e-6)
    xor = x[:, 0] ^ x[:, 1]
    table = np.array(result.extra["table"])
    np.testing.assert_array_equal(table[:, :2], x)
    np.testing.assert_array_equal(table[:, 2:4], np.rint(y))
    np.testing.assert_array_equal(table[:, 4], xor)  # y-hat is XOR ...
    np.testing.assert_array_equal(table[:, 5], xor)  # ... in the XOR column
    assert result.accuracy == 1.0
    # the notes' table swaps y1 between (0, 1) and (1, 1); every other entry agrees
    unlike = {
        f"({a}, {b})": [name for name, mine, theirs in zip(COLUMNS, row, notes) if mine != theirs]
        for (a, b), row, notes in zip(x, table.tolist(), NOTES_TABLE)
        if row != notes
    }
    assert unlike == {"(0, 1)": ["y1"], "(1, 1)": ["y1"]}
    assert result.extra["rows_unlike_the_notes"] == unlike
    run = load_run(result.run_dir)
    assert run.Tags()["graph"]
    assert {"layer1/weight1", "layer2/bias2", "layer1/K"} <= set(run.Tags()["histograms"])
    assert run.Scalars("final/accuracy")[-1].value == 1.0  # the HParams tab's metric
    assert "_hparams_/session_start_info" in run.Tags()["tensors"]


def test_xor_by_hand_help_offers_only_the_flags_it_uses(capsys):
    with pytest.raises(SystemExit) as exit_info:
        lab09_8_xor_by_hand.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    flags = set(re.findall(r"^  (--[a-z][a-z-]*)", text.split("\noptions:\n")[1], re.M))
    # the weights are set by hand: no training flags; the four rows are in the file: no data folder
    assert flags == {"--seed", "--logdir", "--run-name"}
    assert "(default None)" not in text


def test_xor_by_hand_runs_as_a_plain_file_and_prints_the_table(tmp_path):
    run = subprocess.run(
        [sys.executable, "labs/lab09_8_xor_by_hand.py", "--logdir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    header = lines.index(next(line for line in lines if line.split() == COLUMNS))
    # "x1 x2 y1 (sigmoid) y2 (sigmoid) y-hat (sigmoid) XOR": the 0/1 entries
    rows = [
        [int(word) for word in line.split() if not word.startswith("(")]
        for line in lines[header + 1 : header + 5]
    ]
    assert [row[:2] for row in rows] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert [row[4] for row in rows] == [row[5] for row in rows] == [0, 1, 1, 0]
    assert "Accuracy:\n1.0" in run.stdout


@pytest.mark.parametrize("lab", ["lab09_8_xor_by_hand.py", "lab10_10_mnist_initializers.py"])
def test_the_new_labs_hold_the_lectures_program(lab):
    calls = calls_in((ROOT / "labs" / lab).read_text())
    for needed in (
        "tf.set_random_seed",
        "tf.placeholder",
        "tf.Session",
        "tf.summary.FileWriter",
        "writer.add_graph",
        "tf.global_variables_initializer",
        "tf.summary.merge_all",
        "writer.add_summary",
        "sess.run",
    ):
        assert needed in calls, f"{lab} does not call {needed}"


# --------------------------------------------------------------------------- lec 10-2, initializers


def check_initial_costs(results):
    """random_normal starts with a huge cost; Xavier and He near ln(10)."""
    normal, xavier, he = (results[case].extra["initial_cost"] for case in ("normal", "xavier", "he"))
    for cost in (xavier, he):
        assert 0.9 * LN10 < cost < 2 * LN10, (xavier, he)
    assert normal > 100 * max(xavier, he)


def test_initializers_start_where_the_lecture_says(tmp_path, capsys):
    results = lab10_10_mnist_initializers.main(
        ["--epochs", "1", "--train-images", "500", "--logdir", str(tmp_path), "--run-name", "short"]
    )
    assert list(results) == ["normal", "xavier", "he"]
    check_initial_costs(results)
    # each layer's spread: 1 (random_normal); sqrt(2 / (fan_in + fan_out)) (Glorot's uniform);
    # the lecture's randn / sqrt(fan_in / 2), i.e. sqrt(2 / fan_in) (He)
    fans = [(784, 256), (256, 256), (256, 256), (256, 10)]
    expected = {
        "normal": [1.0] * 4,
        "xavier": [math.sqrt(2 / (i + o)) for i, o in fans],
        "he": [math.sqrt(2 / i) for i, _ in fans],
    }
    for case, stds in expected.items():
        np.testing.assert_allclose(results[case].extra["initial_weight_std"], stds, rtol=0.05)
    for case, result in results.items():
        assert Path(result.run_dir) == tmp_path / "lab10-mnist-init" / "short" / case
        run = load_run(result.run_dir)
        [initial] = run.Scalars("initial/cost")
        assert initial.value == pytest.approx(result.extra["initial_cost"], rel=1e-6)
        assert {"summaries/cost", "test/accuracy"} <= set(run.Tags()["scalars"])
        assert 0 <= result.accuracy <= 1 and result.extra["reported"] is None
    table = capsys.readouterr().out.split("\nweights")[-1]
    for name in ("random_normal", "Xavier (glorot_uniform)", "He", "ln(10) = 2.3026"):
        assert name in table


@pytest.mark.slow
def test_initializers_at_the_lecture_settings(tmp_path):
    results = lab10_10_mnist_initializers.main(["--logdir", str(tmp_path)])
    check_initial_costs(results)
    assert results["normal"].accuracy == pytest.approx(0.955, abs=0.01)  # notes-09-11, ReLU
    assert results["xavier"].accuracy == pytest.approx(0.971, abs=0.01)  # notes-09-11, Xavier
    assert results["he"].accuracy >= results["xavier"].accuracy - 0.01  # no figure for He
    assert results["normal"].extra["reported"] == 0.955 and results["xavier"].extra["reported"] == 0.971


# --------------------------------------------------------------------------- hunkim's lab-10-1


def test_adam_softmax_runs_and_beats_chance(tmp_path):
    result = lab10_1_mnist_softmax.main(["--epochs", "1", "--logdir", str(tmp_path)])
    assert result.accuracy > 0.3  # chance is 0.1
    assert result.settings["learning_rate"] == 0.001
    weights = {tag for tag in load_run(result.run_dir).Tags()["histograms"] if tag.endswith("/weight")}
    assert weights == {"logits/weight"}  # no hidden layer
    assert Path(result.run_dir).parent.name == "lab10-mnist-softmax-adam"
    assert result.extra["reported"] is None  # one epoch is not the documented run


@pytest.mark.slow
def test_adam_softmax_at_fifty_epochs(tmp_path):
    result = lab10_1_mnist_softmax.main(["--logdir", str(tmp_path)])
    assert result.settings["epochs"] == 50 and len(result.epoch_costs) == 50
    assert result.accuracy == pytest.approx(0.9194, abs=0.01)
    assert result.extra["reported"] == 0.9194


# --------------------------------------------------------------------------- the batch-norm curves


def test_batch_norm_curves_overlay_in_tensorboard_and_in_a_png(tmp_path):
    epochs, train_images = 2, 1999  # 1,999 images: an accuracy over them all is k / 1999
    results = lab10_6_mnist_nn_batchnorm.main(
        [
            "--epochs",
            str(epochs),
            "--train-images",
            str(train_images),
            "--logdir",
            str(tmp_path),
            "--run-name",
            "curves",
        ]
    )
    run_dir = tmp_path / "lab10-batch-norm" / "curves"
    png = run_dir / "batch_norm_curves.png"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    image = matplotlib.image.imread(png)
    assert image.shape[0] > 300 and image.shape[1] > 300 and image[..., :3].std() > 0.05

    tags = {}
    for case, result in results.items():
        assert set(result.extra) >= {"single_vs_batch_agreement", "label", "prediction", "curves"}
        for split, size in (("train", train_images), ("validation", 5000)):
            run = load_run(run_dir / case / split)
            tags[case, split] = set(run.Tags()["scalars"])
            for tag, metric in (("epoch/loss", "loss"), ("epoch/accuracy", "accuracy")):
                events = run.Scalars(tag)
                assert [event.step for event in events] == list(range(1, epochs + 1))
                values = [event.value for event in events]
                np.testing.assert_allclose(values, result.extra["curves"][split][metric], rtol=1e-6)
            accuracies = np.array([event.value for event in run.Scalars("epoch/accuracy")])
            assert np.all((0 <= accuracies) & (accuracies <= 1))
            # scored on the whole split: a whole number of its images is right
            np.testing.assert_allclose(accuracies * size, np.rint(accuracies * size), atol=2e-3)
            assert all(event.value > 0 for event in run.Scalars("epoch/loss"))
        # the final validation accuracy and the test accuracy score the same net on unseen digits
        last_validation = result.extra["curves"]["validation"]["accuracy"][-1]
        assert last_validation == pytest.approx(result.accuracy, abs=0.03)
        # the training run keeps its own tags
        assert {"summaries/cost", "summaries/accuracy", "test/accuracy"} <= set(
            load_run(run_dir / case).Tags()["scalars"]
        )
    assert len(set(map(frozenset, tags.values()))) == 1  # the four runs overlay
    assert tags["plain", "train"] == {"epoch/loss", "epoch/accuracy"}
