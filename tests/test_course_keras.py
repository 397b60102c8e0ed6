"""Issue #13 for the Keras documents (tf2-quickstart, keras-mlp, keras-tips): what they print and compare.

Expected values come from the documents (795,010 parameters, the rows 7 2 1 0 4, Keras's decay
formula, -ln(1/10)), from computations here (numpy softmax, numpy gradient descent, counts of
wrong labels against the IDX files read here), or from properties that can fail.
"""

import io
import json
import math
import re
import shutil

import matplotlib.image
import numpy as np
import pytest

from common import mnist
from labs import (
    keras00_1_quickstart,
    keras01_mnist_mlp1000,
    keras02_3_mnist_early_stopping,
    keras02_5_optimizers,
    keras02_6_weight_regularization,
    keras02_8_sgd_decay_dense64,
)
from tests.event_files import load_run
from tests.test_keras_docs import check_png, hparams_of

SHORT = ["--epochs", "1", "--train-images", "2000"]


@pytest.fixture(scope="module")
def idx_files():
    """(train labels, test images, test labels), read here from the IDX files."""
    _, train_labels, test_images, test_labels = mnist.MNIST.load_arrays(log=lambda *_: None)
    return train_labels.astype(int), test_images, test_labels.astype(int)


def logged_test_image(run_dir, test_images):
    """The index of the test image that the run logged as ``prediction/image/0``, found by its
    pixels (the PNG's grey levels may be one step off the original bytes)."""
    [event] = load_run(run_dir).Images("prediction/pixels/image/0")
    shown = matplotlib.image.imread(io.BytesIO(event.encoded_image_string))[..., 0]
    gap = np.abs(test_images.astype(int) - np.rint(shown * 255).astype(int)).max(axis=(1, 2))
    found = int(gap.argmin())
    assert gap[found] <= 1 and np.sort(gap)[1] > 50, "the logged digit is not one test image"
    return found


# --------------------------------------------------------------------------- keras-tips, example 3


def test_early_stopping_prints_the_history_table_and_predicts_a_test_image(tmp_path, capsys, idx_files):
    result = keras02_3_mnist_early_stopping.main(
        ["--epochs", "3", "--train-images", "2000", "--logdir", str(tmp_path), "--run-name", "t"]
    )
    out = capsys.readouterr().out
    history = result.extra["history"]

    # the table as the notes print it: val_loss, val_accuracy, loss, accuracy, rows from 0
    names = ["val_loss", "val_acc", "loss", "acc"]
    header = re.search(r"^\s+val_loss\s+val_accuracy\s+loss\s+accuracy$", out, re.M)
    assert header, out
    rows = re.findall(r"^(\d+)((?: +\d+\.\d{6}){4})$", out[header.end() :], re.M)
    assert len(rows) == len(history["loss"]) == 3
    for epoch, (number, values) in enumerate(rows):
        assert int(number) == epoch
        assert [float(v) for v in values.split()] == pytest.approx(
            [history[name][epoch] for name in names], abs=5e-7
        )

    # ex.3's look at the data: the shapes (of the 2,000 images this run trains on),
    # X_train[0][6][8] = 30 and Y_train[0] = 5, as the notes show them
    for line in (
        "X_train.shape : (2000, 28, 28) Y_train.shape : (2000,)",
        "X_validation.shape : (10000, 28, 28) Y_validation.shape : (10000,)",
        "X_train[0][0][0] = 0 X_train[0][6][7] = 0 X_train[0][6][8] = 30",
        "Y_train[0] : 5",
        "Y_train_ohe[0] = [0. 0. 0. 0. 0. 1. 0. 0. 0. 0.]",
    ):
        assert line in out, line
    assert (tmp_path / "keras02-early-stopping" / "t" / "X_train_0.png").read_bytes().startswith(b"\x89PNG")

    # label / y_hat of a random test image, with the image itself in TensorBoard
    printed = re.search(r"^label : \[(\d)\]    y_hat : (\d)$", out, re.M)
    assert printed, out
    preds = np.array(result.extra["preds"])
    assert preds.shape == (10,) and preds.sum() == pytest.approx(1, abs=1e-5)
    assert int(printed.group(2)) == result.extra["prediction"] == int(preds.argmax())
    _, test_images, test_labels = idx_files
    found = logged_test_image(tmp_path / "keras02-early-stopping" / "t", test_images)
    assert int(printed.group(1)) == result.extra["label"] == test_labels[found]
    assert (tmp_path / "keras02-early-stopping" / "t" / "prediction.png").exists()


# --------------------------------------------------------------------------- keras-tips, section 4


def test_clipnorm_and_clipvalue_at_the_documents_values(tmp_path):
    """SGD(lr=0.01, clipnorm=1.) and SGD(lr=0.01, clipvalue=0.5) beside plain SGD, in one figure.
    MNIST's gradients stay under both limits (global norm < 1, elements < 0.5), so no step is
    clipped and the three runs coincide."""
    results = keras02_5_optimizers.main(
        [
            "--optimizer",
            "sgd",
            "--optimizer",
            "sgd-clipnorm",
            "--optimizer",
            "sgd-clipvalue",
            *SHORT,
            "--logdir",
            str(tmp_path),
            "--run-name",
            "clip",
        ]
    )
    check_png(tmp_path / "keras02-optimizers" / "clip" / "optimizers.png", 1200, 500)
    clipnorm, clipvalue = results["sgd-clipnorm"].extra, results["sgd-clipvalue"].extra
    assert clipnorm["options"] == {"clipnorm": 1.0} and clipvalue["options"] == {"clipvalue": 0.5}
    assert clipnorm["clipped_norm"] <= 1.0 and clipvalue["clipped_element"] <= 0.5
    for result in results.values():
        assert result.extra["clipped_steps"] == 0 and result.extra["steps"] == 3
        assert result.extra["history"]["loss"] == pytest.approx(
            results["sgd"].extra["history"]["loss"], rel=1e-6
        )


@pytest.mark.parametrize("flag, limit", [("--clipnorm", 0.2), ("--clipvalue", 0.005)])
def test_clipping_bounds_every_applied_gradient(tmp_path, flag, limit):
    """Limits the gradients do exceed: every step is clipped, and the applied gradients keep to
    the limit: the global norm of all of them (Keras 2's clipnorm; clipping each tensor to the
    norm would leave the six together above it), or every element (clipvalue)."""
    [result] = keras02_5_optimizers.main(
        ["--optimizer", "sgd", flag, str(limit), *SHORT, "--logdir", str(tmp_path)]
    ).values()
    e = result.extra
    if flag == "--clipnorm":
        assert e["norm"] > 2 * limit
        assert e["clipped_norm"] == pytest.approx(limit, rel=1e-6)  # scaled down to the limit
        assert e["clipped_element"] < e["element"]
    else:
        assert e["element"] > 2 * limit
        assert e["clipped_element"] == pytest.approx(limit, rel=1e-6)  # cut at the limit
        assert e["clipped_norm"] < e["norm"]
    assert e["clipped_steps"] == e["steps"] == 3


def test_sgd_decay_lowers_the_rate_by_kerass_formula(tmp_path):
    """SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True): the rate at step k (k steps taken)
    is 0.01 / (1 + 1e-6 k), Keras 2's decay. float32 rounding stays below 3e-7 relative, while a
    constant rate would be 1e-6 k off."""
    [result] = keras02_5_optimizers.main(
        [
            "--optimizer",
            "sgd-decay",
            "--epochs",
            "1",
            "--train-images",
            "2000",
            "--batch-size",
            "100",
            "--summary-every",
            "1",
            "--logdir",
            str(tmp_path),
            "--run-name",
            "decay",
        ]
    ).values()
    logged = load_run(tmp_path / "keras02-optimizers" / "decay" / "sgd-decay").Scalars("train/learning_rate")
    assert [event.step for event in logged] == list(range(20))
    for event in logged:
        assert event.value == pytest.approx(0.01 / (1 + 1e-6 * event.step), rel=3e-7, abs=0)
    assert result.extra["learning_rate"] == pytest.approx(0.01 / (1 + 1e-6 * 20), rel=3e-7, abs=0)


def test_adam_decay_on_the_documents_dropout_model(tmp_path):
    """The document's 5 x Dense(256, relu) + Dropout(0.2) with Adam(lr=0.01, decay): the rate
    follows lr / (1 + decay k) (decay 0.01 here, to see it move) and the model learns."""
    [result] = keras02_5_optimizers.main(
        [
            "--optimizer",
            "adam-decay",
            "--model",
            "dropout5",
            "--decay",
            "0.01",
            "--epochs",
            "2",
            "--train-images",
            "2000",
            "--batch-size",
            "100",
            "--logdir",
            str(tmp_path),
            "--run-name",
            "adam",
        ]
    ).values()
    run_dir = tmp_path / "keras02-optimizers" / "adam" / "adam-decay"
    histograms = load_run(run_dir).Tags()["histograms"]
    assert {f"dense{i}/kernel" for i in range(1, 6)} | {"output/kernel"} <= set(histograms)
    assert "dense6/kernel" not in histograms
    assert result.extra["options"] == {"decay": 0.01} and result.settings["learning_rate"] == 0.01
    assert result.extra["learning_rate"] == pytest.approx(0.01 / (1 + 0.01 * 40), rel=3e-7)
    history = result.extra["history"]
    assert history["val_loss"][-1] < history["val_loss"][0] and result.accuracy > 0.5


@pytest.mark.slow
def test_clipping_and_decay_at_documented_settings(tmp_path):
    results = keras02_5_optimizers.main(
        [
            "--optimizer",
            "nesterov",
            "--optimizer",
            "sgd-decay",
            "--optimizer",
            "sgd-clipnorm",
            "--optimizer",
            "sgd-clipvalue",
            "--logdir",
            str(tmp_path),
        ]
    )
    steps = 10 * (60_000 // 512)
    decayed = results["sgd-decay"].extra
    assert decayed["steps"] == steps
    assert decayed["learning_rate"] == pytest.approx(0.01 / (1 + 1e-6 * steps), rel=3e-7)
    # 1e-6 x 1170 steps lowers the rate by 0.1 %: the same accuracy as without decay
    assert results["sgd-decay"].accuracy == pytest.approx(results["nesterov"].accuracy, abs=0.003)
    for name in ("sgd-clipnorm", "sgd-clipvalue"):
        assert results[name].extra["clipped_norm"] <= 1.0
        assert results[name].extra["clipped_element"] <= 0.5
        assert results[name].accuracy > 0.85  # SGD 0.01's 10 epochs (0.9017 in the README)


@pytest.mark.slow
def test_adam_decay_dropout_model_at_documented_settings(tmp_path):
    """Example 4's fit for this model (20 epochs of 512). The document gives no figure for this
    optimizer: the model must do at least as well as the weakest one with hidden layers in the
    document's tips table (linear2, 0.9267)."""
    [result] = keras02_5_optimizers.main(
        ["--optimizer", "adam-decay", "--model", "dropout5", "--epochs", "20", "--logdir", str(tmp_path)]
    ).values()
    assert result.accuracy > 0.9267
    assert result.extra["learning_rate"] == pytest.approx(0.01 / (1 + 1e-6 * 20 * (60_000 // 512)), rel=3e-7)


# --------------------------------------------------------------------------- keras-tips, section 3


def test_l1_l2_keeps_the_regression_weights_small(tmp_path):
    """The documented setting (1000 full-batch epochs of example 2's 8 rows) takes a few
    seconds. Both cases start from the same W; the same steps in numpy, with Keras's loss
    mse + l1 sum|W| + l2 sum W^2, end at the weights the lab reports."""
    results = keras02_6_weight_regularization.main(["--logdir", str(tmp_path), "--run-name", "r"])
    plain, penalized = results["plain"].extra, results["l1_l2"].extra
    assert plain["initial_weight"] == penalized["initial_weight"]
    assert penalized["weight_norm"] < 0.9 * plain["weight_norm"]  # "W becomes small value"
    check_png(tmp_path / "keras02-regularization" / "r" / "weight_norm.png", 1200, 500)
    for case, penalty in (("plain", 0.0), ("l1_l2", 0.01)):  # each case's HParams and final cost
        run = load_run(tmp_path / "keras02-regularization" / "r" / case)
        assert hparams_of(run)["l2"].number_value == penalty

    # example 2's rows and the document's MinMaxScaler, then SGD(lr=0.01) on the mse
    xy = np.array(
        [
            [828.659973, 833.450012, 908100, 828.349976, 831.659973],
            [823.02002, 828.070007, 1828100, 821.655029, 828.070007],
            [819.929993, 824.400024, 1438100, 818.97998, 824.159973],
            [816, 820.958984, 1008100, 815.48999, 819.23999],
            [819.359985, 823, 1188100, 818.469971, 818.97998],
            [819, 823, 1198100, 816, 820.450012],
            [811.700012, 815.25, 1098100, 809.780029, 813.669983],
            [809.51001, 816.659973, 1398100, 804.539978, 809.559998],
        ]
    )
    xy = (xy - xy.min(0)) / (xy.max(0) - xy.min(0) + 1e-5)
    x, y = xy[:, :4], xy[:, 4:]
    # the two cases, and the slide's lambda 0, 0.001 and 1 on the L2 penalty alone
    cases = [((0, 0), "plain"), ((0.01, 0.01), "l1_l2")]
    cases += [((0, strength), f"lambda{strength:g}") for strength in (0, 0.001, 1)]
    for (l1, l2), name in cases:
        case = results[name].extra
        W, b = np.array(case["initial_weight"]).reshape(4, 1), 0.0  # Keras's bias starts at 0
        for _ in range(1000):
            error = x @ W + b - y
            loss = np.mean(error**2) + l1 * np.abs(W).sum() + l2 * np.square(W).sum()  # before the step
            grad_W = 2 * x.T @ error / len(x) + l1 * np.sign(W) + 2 * l2 * W
            W, b = W - 0.01 * grad_W, b - 0.01 * 2 * error.mean()
        assert case["weight"] == pytest.approx(W.ravel(), abs=1e-4)
        assert case["weight_norm"] == pytest.approx(np.linalg.norm(W), abs=1e-4)
        # the HParams tab's final/cost: the last step's loss
        final = load_run(tmp_path / "keras02-regularization" / "r" / name).Scalars("final/cost")[-1].value
        assert final == pytest.approx(loss, abs=1e-4)
    # "W becomes small value": the larger lambda, the smaller W
    norms = [results[f"lambda{strength:g}"].extra["weight_norm"] for strength in (0, 0.001, 1)]
    assert norms[0] > norms[1] > norms[2] and results.figures["shrinks with lambda"].holds
    check_png(tmp_path / "keras02-regularization" / "r" / "lambda_sweep.png", 1200, 500)


def test_sgd_decay_on_the_documents_dense64_model(tmp_path, capsys):
    """SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True) on Dense(64) + softmax with the
    squared error: 200 epochs of 32 batches (1,024 rows, the last batch full) is 6,400 steps, after
    which Keras's rate is 0.01 / (1 + 1e-6 * 6400)."""
    result = keras02_8_sgd_decay_dense64.main(["--logdir", str(tmp_path)])
    out = capsys.readouterr().out
    lines = re.findall(r"^Epoch (\d+)/200\n32/32 \[=+\] - loss: (\d\.\d{4}) - lr: (0\.\d{10})$", out, re.M)
    assert [int(epoch) for epoch, _, _ in lines] == list(range(1, 201))
    assert result.extra["steps"] == 6400
    assert float(lines[-1][2]) == pytest.approx(0.01 / (1 + 1e-6 * 6400), rel=1e-6)
    assert float(lines[-1][1]) == pytest.approx(result.epoch_costs[-1], abs=5e-5)
    # it learns the teacher's labels, slowly: beyond always answering the commonest class
    x, y = keras02_8_sgd_decay_dense64.rows_and_labels(1024, 777)
    commonest = np.bincount(y.argmax(axis=1)).max() / len(y)
    assert result.epoch_costs[-1] < result.epoch_costs[0] and result.accuracy > commonest
    assert result.figures["decays"].holds


# --------------------------------------------------------------------------- keras-mlp


def test_mlp1000_summary_test_loss_and_wrong_predictions(tmp_path, capsys, idx_files):
    result = keras01_mnist_mlp1000.main([*SHORT, "--logdir", str(tmp_path), "--run-name", "s"])
    out = capsys.readouterr().out
    # the document's layers: 784 inputs -> Dense(1000) -> Dense(10), each weights and biases
    hidden, output = 784 * 1000 + 1000, 1000 * 10 + 10
    assert re.search(rf"^dense1 \(Dense\)\s+\(None, 1000\)\s+{hidden}$", out, re.M), out
    assert re.search(rf"^output \(Dense\)\s+\(None, 10\)\s+{output}$", out, re.M), out
    assert (
        f"Total params: {hidden + output:,}\nTrainable params: {hidden + output:,}\n"
        "Non-trainable params: 0\n" in out
    )
    assert result.extra["params"] == hidden + output == 795_010

    # print('Test loss:', score[0]); print('Test accuracy:', score[1])
    test_loss = re.search(r"^Test loss: (\S+)$", out, re.M)
    assert test_loss and float(test_loss.group(1)) == result.extra["test_loss"]
    assert re.search(rf"^Test accuracy: {result.accuracy}$", out, re.M)

    # len(wrong_result): counted here from the saved predictions and the labels read here
    saved = json.loads((tmp_path / "keras01-mlp1000" / "s" / "predicted_labels.json").read_text())
    _, _, test_labels = idx_files
    wrong = int(np.sum(np.array(saved) != test_labels))
    assert result.extra["wrong"] == wrong > 0 and f"Wrong predictions: {wrong} " in out
    assert wrong == round((1 - result.accuracy) * 10_000)  # the graph's accuracy agrees

    # the notebook's prints: the versions, the label arrays as numpy shows them, and "The
    # Answer is [7]" for X_test[0], whose label is 7
    import tensorflow

    assert f"TensorFlow version :  {tensorflow.__version__}\n" in out and "Numpy version :  " in out
    assert re.search(r"^predicted_labels array\(\[\d, \d, \d, \.\.\., \d, \d, \d\]\)$", out, re.M)
    assert "test_labels array([7, 2, 1, ..., 4, 5, 6])" in out  # as the notes print it
    assert test_labels[0] == 7 and result.extra["answer"] == saved[0]
    assert f"The Answer is  [{saved[0]}]" in out
    # Keras's own diagram of the two Dense layers, drawn by Graphviz (`make setup` installs it
    # where apt runs as root; elsewhere the lab says it skipped the drawing)
    if shutil.which("dot"):
        svg = (tmp_path / "keras01-mlp1000" / "s" / "model.svg").read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg and svg.count("Dense") >= 2
    else:
        assert "model diagram skipped" in out


def test_mlp1000_model_diagram_says_so_without_graphviz(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` to run
    assert keras01_mnist_mlp1000.model_diagram(tmp_path / "model.svg") is None
    assert "model diagram skipped" in capsys.readouterr().out and not list(tmp_path.iterdir())


@pytest.mark.slow
def test_mlp1000_wrong_predictions_and_test_loss_at_documented_settings(tmp_path, idx_files):
    result = keras01_mnist_mlp1000.main(["--logdir", str(tmp_path), "--run-name", "doc"])
    saved = json.loads((tmp_path / "keras01-mlp1000" / "doc" / "predicted_labels.json").read_text())
    wrong = int(np.sum(np.array(saved) != idx_files[2]))
    # the document: 145 wrong (accuracy 0.9855), test loss 0.0611; the accuracy's 0.01 is 100
    assert result.extra["wrong"] == wrong == pytest.approx(145, abs=100)
    assert result.extra["test_loss"] == pytest.approx(0.0611, abs=0.03)


# --------------------------------------------------------------------------- tf2-quickstart


def test_quickstart_untrained_prediction_loss_and_probability_model(tmp_path, capsys, idx_files):
    result = keras00_1_quickstart.main(["--epochs", "1", "--train-images", "5000", "--logdir", str(tmp_path)])
    out = capsys.readouterr().out
    e = result.extra
    train_labels, _, test_labels = idx_files

    # predictions = model(x_train[:1]); tf.nn.softmax(predictions); loss_fn(y_train[:1], ...)
    logits = np.array(e["initial_logits"], dtype=np.float64)
    softmax = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    assert logits.shape == (10,) and e["initial_probabilities"] == pytest.approx(softmax, rel=1e-5)
    assert e["initial_loss"] == pytest.approx(-math.log(softmax[train_labels[0]]), rel=1e-5)
    for line in ("predictions: [[", "tf.nn.softmax(predictions): [[", "loss_fn(y_train[:1], predictions): "):
        assert line in out
    # untrained, every class gets about 1/10: the loss starts near -ln(1/10) = 2.3026. The
    # spread s of Glorot-initialised logits (about 0.5 here) adds about s**2 / 2 on average.
    assert e["untrained_loss"] == pytest.approx(-math.log(1 / 10), abs=0.25)

    # probability_model(x_test[:5]) after training: probabilities, picking the true digits
    probabilities = np.array(e["test_probabilities"])
    assert probabilities.shape == (5, 10) and "probability_model(x_test[:5]):" in out
    assert probabilities.sum(axis=1) == pytest.approx(np.ones(5), abs=1e-5)
    assert list(probabilities.argmax(axis=1)) == list(test_labels[:5]) == [7, 2, 1, 0, 4]

    # Keras's own lines, as the notes print them: "Epoch 1/5", "1875/1875 [===...] - 3s
    # 2ms/step - loss: 0.4813 - accuracy: 0.8565" (5,000 images: 156 steps of 32), and
    # evaluate's "313/313 - 0s - loss: 0.0748 - accuracy: 0.9758" with the test loss
    assert re.search(
        r"^Epoch 1/1\n156/156 \[=+\] - \d+s \d+ms/step - loss: \d\.\d{4} - accuracy: 0\.\d{4}$", out, re.M
    )
    evaluated = re.search(r"^313/313 - \d+s - loss: (\d\.\d{4}) - accuracy: (0\.\d{4})$", out, re.M)
    assert evaluated and float(evaluated.group(2)) == pytest.approx(result.accuracy, abs=5e-5)
    assert float(evaluated.group(1)) == pytest.approx(result.figures["test loss"], abs=5e-5)


@pytest.mark.slow
def test_quickstart_probability_model_at_documented_settings(tmp_path):
    """The notes' rows pick 7, 2, 1, 0, 4, each at more than 0.996."""
    result = keras00_1_quickstart.main(["--logdir", str(tmp_path)])
    probabilities = np.array(result.extra["test_probabilities"])
    assert list(probabilities.argmax(axis=1)) == [7, 2, 1, 0, 4]
    assert probabilities.max(axis=1).min() > 0.95
