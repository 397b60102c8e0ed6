"""Lab 07: learning rates, input normalization and the first MNIST softmax."""

import math
import re

import numpy as np
import pytest

from labs import (
    lab07_1_learning_rate,
    lab07_2_linear_regression_without_min_max,
    lab07_3_linear_regression_min_max,
    lab07_4_mnist_introduction,
)
from tests.event_files import load_run


@pytest.fixture(scope="module")
def learning_rate_runs(logdir):
    runs = lab07_1_learning_rate.main(["--logdir", str(logdir), "--run-name", "rates"])
    return {run["learning_rate"]: run for run in runs}


# the lecture's 8 training rows and their classes (y_data's one-hot rows), and its three test
# rows, all of class 2 (y_test is [0, 0, 1] three times)
LECTURE_X_DATA = np.array(
    [[1, 2, 1], [1, 3, 2], [1, 3, 4], [1, 5, 5], [1, 7, 5], [1, 2, 5], [1, 6, 6], [1, 7, 7]], dtype=np.float32
)
LECTURE_Y_DATA = np.array([2, 2, 2, 1, 1, 1, 0, 0])
LECTURE_X_TEST = np.array([[2, 1, 1], [3, 1, 2], [3, 3, 4]], dtype=np.float32)
LECTURE_Y_TEST = np.array([2, 2, 2])


def initial_weights(run_dir):
    """W and b as the case started: the random ops its variables' initializers ran, evaluated
    afresh from the graph in the case's event file (the same seeds give the same first draw)."""
    from common.tf1 import tf

    graph_def = tf.GraphDef.FromString(load_run(run_dir).Graph().SerializeToString())  # TensorBoard's copy
    # each variable's initializer: an Assign (or AssignVariableOp) of its initial value
    initial = {
        node.input[0]: node.input[1].split(":")[0]
        for node in graph_def.node
        if node.op in ("Assign", "AssignVariableOp")
    }
    names = [initial["softmax/weight"], initial["softmax/bias"]]
    needed = tf.graph_util.extract_sub_graph(graph_def, names)
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(needed, name="")
        with tf.Session(graph=graph) as sess:
            return sess.run([f"{name}:0" for name in names])


def test_too_small_a_learning_rate_makes_no_progress(logdir, learning_rate_runs):
    """The lecture's 1e-10 run is stuck where its random start put it (its start predicted
    [0 0 0], accuracy 0.0): the weights never move, so the test accuracy is exactly that of the
    untrained weights, computed here with numpy."""
    run = learning_rate_runs[1e-10]
    assert run["diverged_at"] is None and len(run["costs"]) == 201
    assert max(run["costs"]) - min(run["costs"]) < 1e-6
    run_dir = logdir / "lab07-learning-rate" / "rates" / "1-lr1e-10"
    W, b = initial_weights(run_dir)
    assert W.shape == (3, 3) and b.shape == (3,)
    # these are the weights the run had, from its first histogram to its last: they never moved
    histograms = {tag: load_run(run_dir).Histograms(tag) for tag in ("softmax/weight", "softmax/bias")}
    for tag, start in (("softmax/weight", W), ("softmax/bias", b)):
        assert [event.step for event in histograms[tag]][:2] == [0, 10] and len(histograms[tag]) == 21
        for event in histograms[tag]:
            value = event.histogram_value
            assert value.num == start.size
            assert (value.min, value.max, value.sum) == pytest.approx(
                (start.min(), start.max(), start.sum()), abs=1e-6
            )
    # the cost stays the untrained weights' cross-entropy on the training rows
    logits = (LECTURE_X_DATA @ W + b).astype(np.float64)
    log_softmax = logits - logits.max(axis=1, keepdims=True)
    log_softmax -= np.log(np.exp(log_softmax).sum(axis=1, keepdims=True))
    untrained_cost = -log_softmax[np.arange(8), LECTURE_Y_DATA].mean()
    assert run["costs"] == pytest.approx([untrained_cost] * 201, rel=1e-5)
    # softmax is monotonic: the prediction is the argmax of the logits
    untrained = (LECTURE_X_TEST @ W + b).argmax(axis=1)
    assert run["prediction"] == untrained.tolist()
    assert run["accuracy"] == pytest.approx(np.mean(untrained == LECTURE_Y_TEST), abs=1e-6)


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


@pytest.fixture(scope="module")
def normalization_runs(logdir):
    [raw] = lab07_2_linear_regression_without_min_max.main(["--logdir", str(logdir)])
    return [raw, *lab07_3_linear_regression_min_max.main(["--logdir", str(logdir)])]  # min-max, standard


def test_raw_inputs_blow_up_and_scaled_inputs_descend(normalization_runs):
    raw, scaled = normalization_runs[:2]
    assert raw["diverged_at"] is not None and raw["diverged_at"] <= 5
    costs = scaled["costs"]
    assert scaled["diverged_at"] is None and len(costs) == 101
    assert all(math.isfinite(c) for c in costs)
    assert all(later < earlier for earlier, later in zip(costs, costs[1:]))


def test_the_lectures_min_max_cost_comes_from_a_rare_random_start(normalization_runs):
    """notes-07-08 prints cost 0.0137 at step 100 on the min-max rows. At learning rate 1e-5 the
    steps hardly move the cost, so it is the random start's. NumPy counts, apart from the lab, how
    often standard-normal W and b (the lecture's random_normal) end that low after the same steps."""
    costs = normalization_runs[1]["costs"]
    assert costs[-1] < costs[0] and costs[-1] > 0.99 * costs[0]  # under 1 % of fall: the start rules

    rows = lab07_2_linear_regression_without_min_max.xy
    rows = (rows - rows.min(0)) / (rows.max(0) - rows.min(0) + 1e-7)
    x, y = rows[:, :4], rows[:, 4:]
    starts = np.random.default_rng(4).standard_normal((20_000, 5, 1))
    weights, bias = starts[:, :4], starts[:, 4:]
    for _ in range(100):  # gradient descent on the mean squared error, as the lab's optimizer does
        error = x @ weights + bias - y
        weights = weights - 1e-5 * 2 * x.T @ error / len(x)
        bias = bias - 1e-5 * 2 * error.mean(axis=1, keepdims=True)
    step_100_costs = ((x @ weights + bias - y) ** 2).mean(axis=(1, 2))
    assert np.mean(step_100_costs <= 0.0137) < 0.01  # the lecture's start: rarer than 1 in 100
    low, high = np.percentile(step_100_costs, [5, 95])
    assert low < costs[-1] < high  # this lab's seed-777 start: an ordinary one


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
    [
        (lab07_1_learning_rate, {"--init", "--print-every"}),
        (lab07_2_linear_regression_without_min_max, {"--init"}),
        (lab07_3_linear_regression_min_max, {"--init", "--scaler-epsilon"}),
    ],
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
    if lab is lab07_1_learning_rate:  # no single default rate: the help says what happens
        assert "default: the lecture's three" in " ".join(text.split())


def test_min_max_scaler_matches_the_lecture():
    scaled = lab07_3_linear_regression_min_max.min_max_scaler(lab07_2_linear_regression_without_min_max.xy)
    # keras-tips prints the scaled rows (with 1e-5 in the denominator; 1e-7 here)
    assert scaled[1].tolist() == pytest.approx(
        [0.70548455, 0.70439514, 1.0, 0.71881752, 0.83755754], abs=1e-6
    )
    assert scaled.min() == 0.0 and scaled.max() == pytest.approx(1.0, abs=1e-6)


def test_mnist_softmax_15_epochs_reaches_the_reported_accuracy(lab07_mnist_run):
    assert len(lab07_mnist_run.epoch_costs) == 15
    assert lab07_mnist_run.accuracy == pytest.approx(0.8951, abs=0.01)
    costs = lab07_mnist_run.epoch_costs
    assert costs[-1] < costs[0] and costs[-1] == pytest.approx(0.4587, abs=0.05)  # notes-07-08


@pytest.mark.slow
def test_mnist_softmax_100_epochs_at_lr_0_4(logdir):
    result = lab07_4_mnist_introduction.main(
        ["--epochs", "100", "--learning-rate", "0.4", "--logdir", str(logdir)]
    )
    assert result.accuracy == pytest.approx(0.9225, abs=0.01)


def test_learning_rate_lab_prints_step_cost_and_w_every_step(logdir, capsys):
    """The original's ``print(step, cost_val, W_val)``, every step; a diverging rate stops at the
    first nan, printed."""
    lab07_1_learning_rate.main(["--logdir", str(logdir), "--run-name", "printed", "--steps", "4"])
    out = capsys.readouterr().out
    sections = re.split(r"^--- learning rate .*$", out, flags=re.M)[1:]
    assert len(sections) == 3
    step_lines = [re.findall(r"^(\d+) (\S+) \[\[", section, re.M) for section in sections]
    assert [int(step) for step, _ in step_lines[0]] == [0, 1, 2, 3]  # 1e-10
    assert [int(step) for step, _ in step_lines[2]] == [0, 1, 2, 3]  # 0.1
    # 1.5 diverges: the last step printed is the first non-finite cost, and W goes with it
    assert not np.isfinite(float(step_lines[1][-1][1])) and "-> diverged at step" in sections[1]
    # each W is the 3x3 matrix: three rows of three numbers after each step line
    matrix = re.search(r"^0 \S+ (\[\[[^\]]*\]\n \[[^\]]*\]\n \[[^\]]*\]\])", sections[2], re.M).group(1)
    assert len(re.findall(r"-?\d+\.\d*(?:e[-+]\d+)?", matrix)) == 9


def test_mnist_softmax_prints_either_notes_epoch_line(logdir, capsys):
    """notes-07-08 prints "Epoch: 0001 cost = 2.826302660", notes-09-11's panel of the same
    program "Epoch: 0001, Cost: 2.826302660"."""
    short = ["--epochs", "2", "--train-images", "1000", "--logdir", str(logdir)]
    first = lab07_4_mnist_introduction.main([*short, "--run-name", "line-07-08"])
    again = lab07_4_mnist_introduction.main(
        [*short, "--run-name", "line-09-11", "--epoch-line", "notes-09-11"]
    )
    out = capsys.readouterr().out
    old = [float(c) for c in re.findall(r"^Epoch: 000[12] cost = (\d+\.\d{9})\b", out, re.M)]
    new = [float(c) for c in re.findall(r"^Epoch: 000[12], Cost: (\d+\.\d{9})\b", out, re.M)]
    assert old == pytest.approx(first.epoch_costs, abs=1e-9) and new == pytest.approx(
        again.epoch_costs, abs=1e-9
    )
