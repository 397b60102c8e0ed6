"""The Keras documents (tf2-quickstart, keras-mlp, keras-tips) in graph mode: figures, accuracies."""

import json
import re
import struct
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from common import mnist
from labs import (
    keras00_1_quickstart,
    keras00_2_fashion_mnist,
    keras01_mnist_mlp1000,
    keras02_3_mnist_early_stopping,
    keras02_4_mnist_tips,
    keras02_5_optimizers,
    keras02_6_weight_regularization,
    keras02_7_batch_norm,
    lab07_1_learning_rate,
    lab07_2_linear_regression_without_min_max,
    lab07_3_linear_regression_min_max,
)
from tests.event_files import load_run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def check_png(path, width, height):
    """A real PNG of the figure's size (figsize x 100 dpi) with something drawn on it."""
    raw = path.read_bytes()
    assert raw[:8] == PNG_MAGIC and raw[12:16] == b"IHDR", f"{path} is not a PNG"
    assert struct.unpack(">II", raw[16:24]) == (width, height), path
    pixels = matplotlib.image.imread(path)[..., :3]
    assert pixels.std() > 0.05, f"{path} is blank"
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20, f"{path} is (nearly) blank"


def test_keras_settings_of_the_lab07_toys(logdir):
    """keras-tips ex.1/ex.2 are lab 07's data with Keras's settings (the make targets' flags)."""
    [run] = lab07_1_learning_rate.main(["--learning-rate", "0.1", "--steps", "200", "--logdir", str(logdir)])
    assert run["diverged_at"] is None and run["accuracy"] == 1.0
    flags = ["--learning-rate", "0.01", "--steps", "10", "--logdir", str(logdir)]
    [raw] = lab07_2_linear_regression_without_min_max.main(flags)
    scaled = lab07_3_linear_regression_min_max.main(flags)[0]
    assert raw["diverged_at"] is not None and raw["diverged_at"] <= 5
    assert scaled["diverged_at"] is None and scaled["costs"][-1] < 0.6 * scaled["costs"][0]


def test_early_stopping_restores_the_best_epoch_at_documented_settings(logdir):
    result = keras02_3_mnist_early_stopping.main(["--logdir", str(logdir), "--run-name", "doc"])
    history = result.extra["history"]
    best = int(np.argmin(history["val_loss"])) + 1
    assert result.extra["best_epoch"] == best
    assert result.extra["best_val_loss"] == pytest.approx(min(history["val_loss"]))
    # validation data = test set, so the restored weights give exactly the best epoch's val_acc
    assert result.accuracy == pytest.approx(history["val_acc"][best - 1], abs=1e-6)
    assert result.accuracy == pytest.approx(0.9266, abs=0.01)
    assert result.extra["best_val_loss"] == pytest.approx(0.2612, abs=0.01)
    # val_loss is the validation run's epoch/loss, beside the train run's on the same chart
    run = load_run(logdir / "keras02-early-stopping" / "doc" / "validation")
    logged = [event.value for event in run.Scalars("epoch/loss")]
    assert logged == pytest.approx(history["val_loss"]) and len(logged) == len(result.epoch_costs)


def test_early_stopping_stops_after_patience(logdir):
    result = keras02_3_mnist_early_stopping.main(
        [
            "--train-images",
            "1000",
            "--epochs",
            "40",
            "--patience",
            "3",
            "--learning-rate",
            "0.01",
            "--logdir",
            str(logdir),
        ]
    )
    stopped, best = result.extra["stopped_after"], result.extra["best_epoch"]
    assert stopped is not None and stopped - best == 3 and len(result.epoch_costs) == stopped < 40
    assert min(result.extra["history"]["val_loss"][best:]) >= result.extra["best_val_loss"]


# keras-tips, example 4 ("application tips"): the "Accuracy" the document prints after each model.
# softmax-sgd is its softmax row (0.8947, the figure of SGD at 0.01, not of the Adam it names:
# see test_tips_softmax_with_adam_beats_the_documents_figure).
TIPS_DOCUMENTED = {
    "softmax-sgd": 0.8947,
    "linear2": 0.9267,
    "relu2": 0.9806,
    "relu2-glorot": 0.9817,
    "relu5-glorot": 0.9798,
    "dropout0.1": 0.9803,
    "dropout0.2": 0.9840,
    "dropout0.3": 0.9819,
    "activity-l1": 0.9815,
}


def test_tips_lab_runs_every_documented_row():
    assert set(keras02_4_mnist_tips.ROW_SETTINGS) == {*TIPS_DOCUMENTED, "softmax"}


@pytest.mark.parametrize(
    "experiment, documented",
    [
        pytest.param("softmax-sgd", TIPS_DOCUMENTED["softmax-sgd"], id="softmax-sgd"),
        *[
            pytest.param(name, figure, marks=pytest.mark.slow, id=name)
            for name, figure in TIPS_DOCUMENTED.items()
            if name != "softmax-sgd"
        ],
    ],
)
def test_tips_table_rows(logdir, experiment, documented):
    [result] = keras02_4_mnist_tips.main(["--experiment", experiment, "--logdir", str(logdir)]).values()
    assert result.accuracy == pytest.approx(documented, abs=0.01)


@pytest.mark.slow
def test_tips_softmax_with_adam_beats_the_documents_figure(logdir):
    """The document's 0.8947 is SGD's figure: Adam, as written, does clearly better."""
    [result] = keras02_4_mnist_tips.main(["--experiment", "softmax", "--logdir", str(logdir)]).values()
    assert result.accuracy > 0.8947 + 0.02


def test_quickstart_at_documented_settings(logdir):
    result = keras00_1_quickstart.main(["--logdir", str(logdir)])
    assert result.settings["epochs"] == 5 and result.settings["batch_size"] == 32
    assert result.accuracy == pytest.approx(0.9758, abs=0.01)


@pytest.mark.slow
def test_quickstart_stretch_reaches_99_percent(logdir):
    assert keras00_1_quickstart.main(["--model", "stretch", "--logdir", str(logdir)]).accuracy >= 0.99


FASHION_FIGURES = {
    "first_image.png": (640, 480),
    "first_25.png": (1000, 1000),
    "prediction_0.png": (600, 300),
    "prediction_12.png": (600, 300),
    "predictions_5x3.png": (1200, 1000),
    "single_image_prediction.png": (640, 480),
}


def test_fashion_mnist_figures_on_a_short_run(logdir, capsys):
    result = keras00_2_fashion_mnist.main(
        ["--epochs", "2", "--train-images", "12000", "--logdir", str(logdir), "--run-name", "short"]
    )
    assert result.accuracy > 0.78  # two epochs on a fifth of the images already classify clothing
    out = capsys.readouterr().out
    # the notebook's look at the data and its last lines
    for line in (
        "train_images.shape (12000, 28, 28)",
        "len(train_labels) 12000",
        "test_images.shape (10000, 28, 28)",
    ):
        assert line in out
    assert f"\nTest accuracy: {result.accuracy}" in out and "np.argmax(predictions[0]) " in out
    # the single image through a batch of one: (28, 28), then (1, 28, 28), and the same
    # probabilities the whole test set's predict gave image 1
    assert "\n(28, 28)\n(1, 28, 28)\n" in out
    single = np.array(result.extra["single_prediction"])
    assert single.shape == (10,) and single.sum() == pytest.approx(1.0, abs=1e-5)
    np.testing.assert_allclose(single, result.extra["second_prediction"], atol=1e-6)
    folder = logdir / "keras00-fashion" / "short"
    assert sorted(path.name for path in folder.glob("*.png")) == sorted(FASHION_FIGURES)
    for name, (width, height) in FASHION_FIGURES.items():
        check_png(folder / name, width, height)


@pytest.mark.slow
def test_fashion_mnist_at_documented_settings(logdir):
    assert keras00_2_fashion_mnist.main(["--logdir", str(logdir)]).accuracy == pytest.approx(0.88, abs=0.01)


def test_mlp1000_figures_on_a_short_run(logdir, capsys):
    result = keras01_mnist_mlp1000.main(
        ["--epochs", "2", "--train-images", "6000", "--logdir", str(logdir), "--run-name", "short"]
    )
    folder = logdir / "keras01-mlp1000" / "short"
    for name in ("samples.png", "wrong_predictions.png", "learning_curves.png"):
        check_png(folder / name, 1200, 800)
    # the wrong predictions, counted here from the predicted labels against the IDX file's labels
    wrong = wrong_predictions(result)
    assert 0 < wrong < 2_000  # two short epochs: about 5% wrong
    assert result.extra["wrong"] == wrong
    assert result.accuracy == pytest.approx((10_000 - wrong) / 10_000, abs=1e-9)
    assert result.extra["reported"] is None  # not the documented settings: no reported figure

    # each epoch's line ends with its timing
    out = capsys.readouterr().out
    assert f"Wrong predictions: {wrong}  " in out
    timed = re.findall(r"^Epoch: 000[12] cost = \d+\.\d{9} \(.*ETA.*img/s\)$", out, re.M)
    assert len(timed) == 2, out
    # the History as two sibling runs with the same tags: train and validation overlay
    history = result.extra["history"]
    for split, loss, accuracy in (("train", "loss", "acc"), ("validation", "val_loss", "val_acc")):
        run = load_run(folder / split)
        assert set(run.Tags()["scalars"]) == {"epoch/loss", "epoch/accuracy"}
        for tag, name in (("epoch/loss", loss), ("epoch/accuracy", accuracy)):
            assert [event.step for event in run.Scalars(tag)] == [1, 2]
            assert [event.value for event in run.Scalars(tag)] == pytest.approx(history[name])
    # the run's own tags: its settings for the HParams tab, its test accuracy and final cost
    run = load_run(folder)
    assert run.Scalars("test/accuracy")[-1].value == pytest.approx(result.accuracy)
    assert run.Scalars("final/cost")[-1].value == pytest.approx(history["loss"][-1])
    assert hparams_of(run)["hidden_units"].number_value == 1000
    assert hparams_of(run)["train_images"].number_value == 6000


def true_test_labels():
    """The 10,000 test digits' labels, read straight from the IDX file, not through the labs'
    loader: byte 8 on, one unsigned byte per digit."""
    raw = (mnist.MNIST.locate(log=lambda *_: None) / mnist.TEST_LABELS).read_bytes()
    assert int.from_bytes(raw[:4], "big") == 2049 and int.from_bytes(raw[4:8], "big") == 10_000
    return np.frombuffer(raw, dtype=np.uint8, offset=8)


def wrong_predictions(result):
    """keras01's wrong predictions, counted from the 10,000 labels it predicted."""
    predicted = np.array(json.loads((Path(result.run_dir) / "predicted_labels.json").read_text()))
    assert predicted.shape == (10_000,)
    return int(np.count_nonzero(predicted != true_test_labels()))


def hparams_of(run):
    """The settings a run wrote for TensorBoard's HParams tab."""
    from tensorboard.plugins.hparams import plugin_data_pb2

    content = run.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
    return plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info.hparams


KERAS_LABS = [
    keras00_1_quickstart,
    keras00_2_fashion_mnist,
    keras01_mnist_mlp1000,
    keras02_3_mnist_early_stopping,
    keras02_4_mnist_tips,
    keras02_5_optimizers,
    keras02_6_weight_regularization,
    keras02_7_batch_norm,
]


@pytest.mark.parametrize("lab", KERAS_LABS, ids=lambda lab: lab.__name__.split(".")[-1])
def test_help_texts_are_true_for_the_keras_lab(capsys, lab):
    """The Keras labs train on all 60,000 training images; every default is named; the Fashion
    lab reads Fashion-MNIST; a lab that draws no figure offers no --show, nor the full-batch
    regression the MNIST flags."""
    with pytest.raises(SystemExit) as exit_info:
        lab.main(["--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse's line breaks undone
    options = text.split(" options: ")[1]
    flags = set(re.findall(r"(?:^| )(--[a-z][a-z-]*)", options))
    assert "(default None)" not in text
    if lab is keras02_6_weight_regularization:  # 8 rows in the file, one full-batch step an epoch
        assert not flags & {"--train-images", "--batch-size", "--data-dir", "--show"}, flags
        return
    assert "--train-images TRAIN_IMAGES train on the first N of the 60,000 training images" in text
    data_dir = re.search(r"--data-dir DATA_DIR (.*?)(?: --|$)", options).group(1)
    if lab is keras00_2_fashion_mnist:
        assert "Fashion-MNIST" in data_dir and " MNIST " not in data_dir
        assert "$MNIST_DATA_DIR" not in data_dir and "data/mnist" not in data_dir
    else:
        assert "MNIST IDX" in data_dir and "Fashion" not in data_dir
    draws_figures = lab not in (keras00_1_quickstart, keras02_4_mnist_tips)
    assert ("--show" in flags) == draws_figures, flags


@pytest.mark.slow
def test_mlp1000_at_documented_settings(logdir):
    """keras-mlp prints "Test accuracy: 0.9855" and 145 wrong predictions."""
    result = keras01_mnist_mlp1000.main(["--logdir", str(logdir)])
    assert result.accuracy == pytest.approx(0.9855, abs=0.01)
    wrong = wrong_predictions(result)
    assert result.extra["wrong"] == wrong
    assert wrong == pytest.approx(145, abs=100)  # the accuracy's one point, in digits


def test_optimizer_comparison_sub_runs_and_figure(logdir):
    results = keras02_5_optimizers.main(
        [
            "--epochs",
            "1",
            "--train-images",
            "3000",
            "--clipnorm",
            "1",
            "--l2",
            "1e-4",
            "--logdir",
            str(logdir),
            "--run-name",
            "cmp",
        ]
    )
    assert list(results) == list(keras02_5_optimizers.OPTIMIZERS)
    folder = logdir / "keras02-optimizers" / "cmp"
    for name in results:
        assert load_run(folder / name / "validation").Scalars("epoch/accuracy")
    check_png(folder / "optimizers.png", 1200, 500)
    # at equal epochs, the adaptive optimizers are ahead of plain SGD
    assert results["adam"].accuracy > results["sgd"].accuracy + 0.1


@pytest.mark.slow
def test_optimizers_at_documented_settings(logdir):
    results = keras02_5_optimizers.main(["--logdir", str(logdir)])
    assert results["adam"].accuracy > 0.975 and results["sgd"].accuracy > 0.90
