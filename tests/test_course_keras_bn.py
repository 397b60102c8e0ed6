"""keras-tips, section 5: batch normalization in the document's MLP, CNN and LSTM examples."""

import struct

import pytest

from labs import keras02_7_batch_norm
from tests.event_files import load_run

CASES = ["mlp-keras", "mlp-hunkim", "mlp-none", "cnn-keras", "cnn-none", "lstm-keras", "lstm-none"]
MOMENTUM = 0.99  # Keras's and tf.layers' BatchNormalization default
SHORT = ["--train-images", "2000", "--epochs", "1"]
SHORT_STEPS = 2000 // 512  # training steps of the short run


@pytest.fixture(scope="module")
def short_run(logdir):
    results = keras02_7_batch_norm.main(SHORT + ["--logdir", str(logdir), "--run-name", "short"])
    return results, logdir / "keras02-batch-norm" / "short"


def test_every_case_is_a_sibling_run_with_the_same_tags(short_run):
    results, folder = short_run
    assert list(results) == CASES
    tags = {case: set(load_run(folder / case).Tags()["scalars"]) for case in CASES}
    assert {"summaries/cost", "summaries/accuracy", "test/accuracy", "final/cost"} <= tags["mlp-keras"]
    assert all(found == tags["mlp-keras"] for found in tags.values()), tags
    # the History as overlaid curves: the same tags in each case's train and validation runs
    for case in CASES:
        for split in ("train", "validation"):
            run = load_run(folder / case / split)
            assert set(run.Tags()["scalars"]) == {"epoch/loss", "epoch/accuracy"}, (case, split)
    for model in ("mlp", "cnn", "lstm"):  # one figure of the validation curves per model
        raw = (folder / f"{model}.png").read_bytes()
        assert raw[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", raw[16:24])[0] > 1000


def test_moving_averages_moved_once_per_training_step(short_run):
    """They start at mean 0, variance 1; each training step moves them by (1 - momentum) toward
    the batch's statistics and nothing else moves them. A variance is never negative, so after
    n steps every moving variance is at least momentum**n (and below it only if more updates
    ran, e.g. while evaluating)."""
    results, _ = short_run
    for case in ("mlp-keras", "mlp-hunkim", "cnn-keras", "lstm-keras"):
        moving = results[case].extra["moving"]
        [mean] = [values for name, values in moving.items() if name.endswith("moving_mean")]
        [variance] = [values for name, values in moving.items() if name.endswith("moving_variance")]
        assert max(abs(m) for m in mean) > 1e-4, case
        assert min(variance) < 1 - 1e-3, case
        assert min(variance) >= MOMENTUM**SHORT_STEPS - 1e-6, case
    for case in ("mlp-none", "cnn-none", "lstm-none"):
        assert results[case].extra["moving"] == {}


def test_placement_after_or_before_the_relu(short_run):
    """After the ReLU (Keras's placement) batch norm sees only values >= 0, so its moving means
    are >= 0; before it (lab 10's) it sees pre-activations of both signs."""
    results, _ = short_run

    def means(case):
        moving = results[case].extra["moving"]
        return next(values for name, values in moving.items() if name.endswith("moving_mean"))

    assert min(means("mlp-keras")) >= 0 and max(means("mlp-keras")) > 0
    assert min(means("cnn-keras")) >= 0
    assert min(means("mlp-hunkim")) < 0 < max(means("mlp-hunkim"))


def test_test_time_prediction_does_not_depend_on_the_batch(short_run):
    """With the moving averages, an image predicted alone gets the probabilities it gets inside
    the 10,000-image test set (with the batch's own statistics, an image alone would be
    normalized to the layer's beta, whatever it shows)."""
    results, _ = short_run
    for case, result in results.items():
        assert result.extra["single_vs_batch_gap"] < 1e-4, case


@pytest.mark.slow
@pytest.mark.parametrize("model", ["mlp", "cnn", "lstm"])
def test_batch_norm_at_the_assumed_settings(logdir, model):
    """Adam 0.001, 20 epochs of batch 512 (the section gives none; example 4's): batch norm fits
    the training images faster, the document's "빠른 학습" (faster learning)."""
    results = keras02_7_batch_norm.main(
        ["--model", model, "--logdir", str(logdir), "--run-name", f"assumed-{model}"]
    )
    none = results[f"{model}-none"]
    for case, result in results.items():
        assert result.settings["epochs"] == 20 and result.settings["batch_size"] == 512
        assert result.accuracy > 0.95, case
        if case != f"{model}-none":
            assert result.epoch_costs[-1] < 0.8 * none.epoch_costs[-1], case


@pytest.mark.slow
def test_batch_norm_allows_a_larger_learning_rate(logdir):
    """The section's claim: with batch norm "learning rate를 크게 잡을 수 있게 되고" (the
    learning rate can be set high). At 50 times Adam's default, the MLP without batch norm
    stalls higher and tests worse; with it, in either place, it still learns."""
    results = keras02_7_batch_norm.main(
        ["--model", "mlp", "--learning-rate", "0.05", "--logdir", str(logdir), "--run-name", "high-lr"]
    )
    none = results["mlp-none"]
    for case in ("mlp-keras", "mlp-hunkim"):
        assert results[case].accuracy > none.accuracy + 0.005, case
        assert results[case].epoch_costs[-1] < 0.5 * none.epoch_costs[-1], case
