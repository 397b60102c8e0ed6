"""Lab 07: learning rates, input normalization and the first MNIST softmax."""

import math
import re
from pathlib import Path

import pytest

from labs import lab07_1_learning_rate, lab07_2_normalization, lab07_3_mnist_softmax
from tests.event_files import load_run


@pytest.fixture(scope="module")
def learning_rate_runs(logdir):
    runs = lab07_1_learning_rate.main(["--logdir", str(logdir), "--run-name", "rates"])
    return {run["learning_rate"]: run for run in runs}


def test_too_small_a_learning_rate_makes_no_progress(learning_rate_runs):
    run = learning_rate_runs[1e-10]
    assert run["diverged_at"] is None and len(run["costs"]) == 201
    assert max(run["costs"]) - min(run["costs"]) < 1e-6
    assert run["accuracy"] < 1.0  # whatever the random start predicts, it never learns


def test_too_large_a_learning_rate_diverges(learning_rate_runs):
    run = learning_rate_runs[1.5]
    assert run["diverged_at"] is not None and run["diverged_at"] < 201
    assert run["prediction"] == [0, 0, 0] and run["accuracy"] == 0.0  # argmax of nan weights


def test_a_proper_learning_rate_learns(learning_rate_runs):
    run = learning_rate_runs[0.1]
    costs = run["costs"]
    assert run["diverged_at"] is None
    assert costs[-1] < 0.8 * costs[0] and costs[-1] < 0.8  # reported: 0.67 at step 200
    assert all(later <= earlier for earlier, later in zip(costs, costs[1:]))
    assert run["prediction"] == [2, 2, 2] and run["accuracy"] == 1.0


def test_raw_inputs_blow_up_and_scaled_inputs_descend(logdir):
    raw, scaled = lab07_2_normalization.main(["--logdir", str(logdir)])[:2]  # + standard
    assert raw["diverged_at"] is not None and raw["diverged_at"] <= 5
    costs = scaled["costs"]
    assert scaled["diverged_at"] is None and len(costs) == 101
    assert all(math.isfinite(c) for c in costs)
    assert all(later < earlier for earlier, later in zip(costs, costs[1:]))


def test_each_case_folder_has_its_hparams_and_final_figures(logdir, learning_rate_runs):
    from tensorboard.plugins.hparams import plugin_data_pb2

    run_dir = logdir / "lab07-learning-rate" / "rates"
    for case, rate in (("1-lr1e-10", 1e-10), ("2-lr1.5", 1.5), ("3-lr0.1", 0.1)):
        run = load_run(run_dir / case)
        assert {"final/cost", "final/accuracy", "test/accuracy"} <= set(run.Tags()["scalars"])
        content = run.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
        hparams = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info.hparams
        assert hparams["case"].string_value == case and hparams["steps"].number_value == 201
        assert hparams["learning_rate"].number_value == pytest.approx(rate)
        test_accuracy = run.Scalars("test/accuracy")[-1].value
        assert test_accuracy == pytest.approx(learning_rate_runs[rate]["accuracy"])
    assert math.isnan(load_run(run_dir / "2-lr1.5").Scalars("final/cost")[-1].value)  # diverged


def toy_help(lab, capsys):
    """The flags ``lab --help`` lists under options, and the whole text."""
    with pytest.raises(SystemExit) as exit_info:
        lab.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    return set(re.findall(r"^  (--[a-z][a-z-]*)", text.split("\noptions:\n")[1], re.M)), text


@pytest.mark.parametrize(
    "lab, own_flags",
    [(lab07_1_learning_rate, {"--init"}), (lab07_2_normalization, {"--init", "--scaler-epsilon"})],
)
def test_toy_lab_help_offers_exactly_the_flags_it_uses(capsys, lab, own_flags):
    flags, text = toy_help(lab, capsys)
    # full-batch steps, not epochs; no data folder: the rows are in the file
    assert (
        flags
        == {"--steps", "--learning-rate", "--seed", "--logdir", "--run-name", "--summary-every"} | own_flags
    )
    assert "--epochs" not in flags and "--data-dir" not in flags
    assert "(default None)" not in text
    source = Path(lab.__file__).read_text()
    for flag in flags - {"--logdir", "--run-name"}:  # those two name the run folder
        assert f"args.{flag[2:].replace('-', '_')}" in source, f"{flag} is offered but not read"
    if lab is lab07_1_learning_rate:  # no single default rate: the help says what happens
        assert "default: the lecture's three" in " ".join(text.split())


def test_min_max_scaler_matches_the_lecture():
    scaled = lab07_2_normalization.min_max_scaler(lab07_2_normalization.xy)
    # seed 002 prints the scaled rows (with 1e-5 in the denominator; 1e-7 here)
    assert scaled[1].tolist() == pytest.approx(
        [0.70548455, 0.70439514, 1.0, 0.71881752, 0.83755754], abs=1e-6
    )
    assert scaled.min() == 0.0 and scaled.max() == pytest.approx(1.0, abs=1e-6)


def test_mnist_softmax_15_epochs_reaches_the_reported_accuracy(lab07_mnist_run):
    assert len(lab07_mnist_run.epoch_costs) == 15
    assert lab07_mnist_run.accuracy == pytest.approx(0.8951, abs=0.01)
    costs = lab07_mnist_run.epoch_costs
    assert costs[-1] < costs[0] and costs[-1] == pytest.approx(0.4587, abs=0.05)  # seed 004


@pytest.mark.slow
def test_mnist_softmax_100_epochs_at_lr_0_4(logdir):
    result = lab07_3_mnist_softmax.main(
        ["--epochs", "100", "--learning-rate", "0.4", "--logdir", str(logdir)]
    )
    assert result.accuracy == pytest.approx(0.9225, abs=0.01)
