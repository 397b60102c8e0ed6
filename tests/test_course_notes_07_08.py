"""Issue #13, notes-07-08 (labs 07-08) and keras-tips's examples 1 and 2.

Lec 07-1's standardization and L2 regularization, the pp.pprint output of lab 08, and the Keras
document's ex.1/ex.2 run its way (``--init keras``: Dense's glorot_uniform W and zero b;
``--scaler-epsilon 1e-5``), compared with the numbers it printed.
"""

import math
import re
from pathlib import Path

import numpy as np
import pytest

from labs import (
    lab07_1_learning_rate,
    lab07_2_linear_regression_without_min_max,
    lab07_3_linear_regression_min_max,
    lab07_4_mnist_introduction,
    lab08_tensor_manipulation,
)

KERAS_EX1 = ["--learning-rate", "0.1", "--steps", "200", "--init", "keras"]
KERAS_EX2 = ["--learning-rate", "0.01", "--steps", "10", "--init", "keras", "--scaler-epsilon", "1e-5"]


def same_text(printed, document):
    """Equal up to numpy's column padding: the document's numpy (1.13) pads ``[ 2.  3.]`` where
    today's prints ``[2. 3.]``; runs of whitespace count as one, none after ``[``/``(`` or
    before ``]``."""

    def normal(text):
        text = " ".join(text.split())
        return re.sub(r"\s+\]", "]", re.sub(r"([\[(])\s+", r"\1", text))

    return normal(printed) == normal(document)


def predictions_after_costs(output):
    """The rows printed after each ``Prediction:``, as floats (one list per case)."""
    blocks = []
    for block in output.split("Prediction:\n")[1:]:
        rows = block.splitlines()[:8]
        blocks.append([float(re.sub(r"[\[\]\s]", "", row)) for row in rows])
    return blocks


# ----------------------------------------------------------------- Lec 07-1: standardization


def test_standardize_gives_every_column_mean_0_and_std_1():
    data = lab07_2_linear_regression_without_min_max.xy
    scaled = lab07_3_linear_regression_min_max.standardize(data)
    assert scaled.shape == data.shape
    np.testing.assert_allclose(scaled.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(axis=0), 1.0, atol=1e-12)  # numpy's .std(), as written
    # a per-column affine map with a positive scale keeps each column's order
    np.testing.assert_array_equal(np.argsort(scaled, axis=0), np.argsort(data, axis=0))


def test_standardized_rows_descend_beside_raw_and_min_max(logdir, capsys):
    flags = ["--logdir", str(logdir), "--run-name", "notes-07-08-standard"]
    runs = [
        *lab07_2_linear_regression_without_min_max.main(flags),
        *lab07_3_linear_regression_min_max.main(flags),
    ]
    assert [run["inputs"] for run in runs] == ["raw", "minmax", "standard"]
    raw, minmax, standard = runs
    assert raw["diverged_at"] is not None and minmax["diverged_at"] is None
    costs = standard["costs"]
    assert standard["diverged_at"] is None and len(costs) == 101
    assert all(math.isfinite(c) for c in costs)
    assert all(later < earlier for earlier, later in zip(costs, costs[1:]))  # like min-max
    assert (logdir / "lab07-min-max" / "notes-07-08-standard" / "2-standard").is_dir()
    # notes-07-08 prints the Prediction column of the 8 rows after the cost lines, for each input
    predictions = predictions_after_costs(capsys.readouterr().out)
    assert len(predictions) == 3 and all(len(rows) == 8 for rows in predictions)
    assert all(math.isfinite(v) for v in predictions[1] + predictions[2])


# ----------------------------------------------------------------- Lec 07-1: L2 regularization


def run_mnist(logdir, name, *flags):
    return lab07_4_mnist_introduction.main([*flags, "--logdir", str(logdir), "--run-name", name])


def test_l2_penalty_keeps_the_weights_smaller_at_a_short_setting(logdir):
    short = ["--epochs", "1", "--train-images", "5000"]
    plain = run_mnist(logdir, "notes-07-08-plain", *short)
    l2 = run_mnist(logdir, "notes-07-08-l2", *short, "--l2", "0.001")
    assert plain.lab == "lab07-mnist" and l2.lab == "lab07-mnist-l2"
    assert l2.settings["l2"] == 0.001 and plain.settings["l2"] == 0.0
    assert l2.extra["weight_l2_norm"] < plain.extra["weight_l2_norm"]  # same seed, same start
    assert abs(l2.accuracy - plain.accuracy) <= 0.01
    # the printed cost is the lecture's cost + l2reg: 0.001 * sum(W**2) of ~7,840 N(0, 1) weights
    penalty = l2.epoch_costs[0] - plain.epoch_costs[0]
    assert penalty == pytest.approx(0.001 * l2.extra["weight_l2_norm"] ** 2, rel=0.03)
    assert l2.extra["reported"] is None  # the lecture gives no figure for it


@pytest.mark.slow
def test_l2_penalty_at_the_documented_15_epochs(logdir, lab07_mnist_run):
    l2 = run_mnist(logdir, "notes-07-08-l2-documented", "--l2", "0.001")
    plain = lab07_mnist_run  # the same seed (777), without the penalty
    assert len(l2.epoch_costs) == 15
    assert all(later < earlier for earlier, later in zip(l2.epoch_costs, l2.epoch_costs[1:]))
    assert l2.extra["weight_l2_norm"] < 0.5 * plain.extra["weight_l2_norm"]
    # "not too big numbers in the weight" without losing accuracy (it gains some here)
    assert l2.accuracy >= plain.accuracy - 0.01


def test_l2_flag_refuses_a_negative_strength():
    with pytest.raises(SystemExit):
        lab07_4_mnist_introduction.main(["--l2", "-0.001"])


# ----------------------------------------------------------------- Lab 08: pp.pprint

# notes-07-08's printed text, section by section (its numpy pads columns; same_text allows for it)
SEED004_PRINTS = [
    # (first expression, its occurrence, how many expressions, what the notes print)
    (
        "pp.pprint(t)",
        0,
        6,
        """array([ 0.,  1.,  2.,  3.,  4.,  5.,  6.])
1
(7,)
0.0 1.0 6.0
[ 2.  3.  4.] [ 4.  5.]
[ 0.  1.] [ 3.  4.  5.  6.]""",
    ),
    (
        "pp.pprint(t)",
        1,
        3,
        """array([[  1.,   2.,   3.],
       [  4.,   5.,   6.],
       [  7.,   8.,   9.],
       [ 10.,  11.,  12.]])
2
(4, 3)""",
    ),
    (
        "tf.matmul(matrix1, matrix2)",
        0,
        2,
        """[[ 12.]]
[[ 6.  6.]
 [ 6.  6.]]""",
    ),
    (
        "tf.reduce_mean([1, 2], axis=0)",
        0,
        5,
        """1
2.5
[ 2.  3.]
[ 1.5  3.5]
[ 1.5  3.5]""",
    ),
    (
        "tf.reduce_sum(x)",
        0,
        4,
        """10.0
[ 4.  6.]
[ 3.  7.]
5.0""",
    ),
    (
        "tf.argmax(x, axis=0)",
        0,
        3,
        """[1 0 0]
[2 0]
[2 0]""",
    ),
    (
        "t3.shape",
        0,
        5,
        """(2, 2, 3)
[[ 0  1  2]
 [ 3  4  5]
 [ 6  7  8]
 [ 9 10 11]]
[[[ 0  1  2]]

 [[ 3  4  5]]

 [[ 6  7  8]]

 [[ 9 10 11]]]
[0 1 2]
[[0]
 [1]
 [2]]""",
    ),
    (
        "tf.one_hot([[0], [1], [2], [0]], depth=3)",
        0,
        2,
        """[[[ 1.  0.  0.]]
 [[ 0.  1.  0.]]
 [[ 0.  0.  1.]]
 [[ 1.  0.  0.]]]
[[ 1.  0.  0.]
 [ 0.  1.  0.]
 [ 0.  0.  1.]
 [ 1.  0.  0.]]""",
    ),
    (
        "tf.cast([1.8, 2.2, 3.3, 4.9], tf.int32)",
        0,
        8,
        """[1 2 3 4]
[1 0 1 0]
[[1 4]
 [2 5]
 [3 6]]
[[1 2 3]
 [4 5 6]]
[[1 1 1]
 [1 1 1]]
[[0 0 0]
 [0 0 0]]
1 4
2 5
3 6
1 4 7
2 5 8
3 6 9""",
    ),
]


@pytest.fixture(scope="module")
def lab08_printed():
    """What lab 08 prints, as ``[(expression, printed text), ...]`` in order."""
    lines = []
    values = lab08_tensor_manipulation.run(log=lines.append)
    entries = []
    for line in lines:
        if line.startswith(">>> "):
            entries.append([line[4:], []])
        else:
            entries[-1][1].append(line)
    return values, [(expression, "\n".join(text)) for expression, text in entries]


@pytest.mark.parametrize(
    "first, occurrence, count, document",
    SEED004_PRINTS,
    ids=[f"{first}#{n}" for first, n, _, _ in SEED004_PRINTS],
)
def test_lab08_prints_what_seed_004_prints(lab08_printed, first, occurrence, count, document):
    _, entries = lab08_printed
    starts = [i for i, (expression, _) in enumerate(entries) if expression == first]
    section = entries[starts[occurrence] : starts[occurrence] + count]
    assert same_text("\n".join(text for _, text in section), document)


def test_lab08_pprints_each_array_before_its_rank(lab08_printed):
    values, entries = lab08_printed
    expressions = [expression for expression, _ in entries]
    assert expressions[0] == "pp.pprint(t)" and expressions[1] == "t.ndim"
    second = expressions.index("pp.pprint(t)", 1)
    assert expressions[second + 1] == "t2.ndim"
    assert "pp.pprint(t)" not in values  # shown, not one of the returned values


# ----------------------------------------------------------------- keras-tips ex.1 and ex.2


def test_keras_ex1_learning_rate_as_the_document_ran_it(logdir, capsys):
    [run] = lab07_1_learning_rate.main([*KERAS_EX1, "--logdir", str(logdir)])
    out = capsys.readouterr().out
    # the document's lines: "Epoch 200/200" then "8/8 [=====] - 0s 499us/step - loss: 0.6094 -
    # acc: 0.7500 - val_loss: 0.0289 - val_acc: 1.0000", and "## Evaluation ##", "## Accuracy : 1.0"
    lines = re.findall(
        r"^Epoch (\d+)/200\n8/8 \[=+\] - loss: (\S+) - acc: (\S+) - val_loss: (\S+) - val_acc: (\S+)$",
        out,
        re.M,
    )
    assert [int(epoch) for epoch, *_ in lines] == list(range(1, 201))
    assert [float(loss) for _, loss, *_ in lines] == pytest.approx(run["costs"], abs=5e-5)
    assert float(lines[-1][4]) == 1.0 and "## Evaluation ##\n## Accuracy : 1.0\n" in out
    # ex.1's figure: the cost per step at each learning rate, a PNG beside the sub-runs
    png = Path(run["run_dir"]).parent / "learning_rates.png"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    # "## Accuracy : 1.0" on the 3 evaluation rows
    assert run["accuracy"] == 1.0 and run["prediction"] == [2, 2, 2]
    # Epoch 200/200 - loss: 0.6094. Tolerance 0.05: the loss after 199 steps still depends on
    # the random start; gradient descent on these rows (numpy) from 5,000 glorot_uniform draws
    # ends between 0.568 and 0.625 (1st-99th percentile), so 0.05 admits ~all of them
    costs = run["costs"]
    assert len(costs) == 200 and costs[-1] == pytest.approx(0.6094, abs=0.05)


def test_keras_ex2_normalization_as_the_document_ran_it(logdir, capsys):
    keras_raw = [flag for flag in KERAS_EX2 if flag not in ("--scaler-epsilon", "1e-5")]
    [raw] = lab07_2_linear_regression_without_min_max.main([*keras_raw, "--logdir", str(logdir)])
    minmax, standard = lab07_3_linear_regression_min_max.main([*KERAS_EX2, "--logdir", str(logdir)])
    out = capsys.readouterr().out
    # raw rows: "Epoch 3/10 - loss: inf" (epoch 3 = step index 2)
    assert raw["diverged_at"] == 2
    # the document's ten lines: two finite losses, inf at epochs 3 to 5, then nan to epoch 10
    losses = re.findall(r"^Epoch (\d+)/10\n8/8 \[=+\] - loss: (\S+)$", out.split("--- minmax")[0], re.M)
    assert [int(epoch) for epoch, _ in losses] == list(range(1, 11))
    assert [loss for _, loss in losses][2:] == ["inf"] * 3 + ["nan"] * 5
    assert all(float(loss) > 1e10 for _, loss in losses[:2])
    # print(XY): the document's scaled rows, with its 1e-5 in the denominator
    printed = out.split("in the denominator:\n")[1].split("--- minmax")[0]
    printed = printed.split("lab07-min-max: ")[0]  # the run's first line comes once TensorFlow is due
    assert same_text(
        printed,
        """[[0.99999948 0.99999945 0. 0.99999958 0.99999955]
[0.70548455 0.70439514 1. 0.71881752 0.83755754]
[0.54412521 0.50274796 0.57608696 0.60646775 0.6606328 ]
[0.33890335 0.31368006 0.10869565 0.45989115 0.43800899]
[0.51435973 0.42582366 0.30434783 0.58504781 0.42624382]
[0.49556153 0.42582366 0.31521739 0.48131114 0.49276115]
[0.11436058 0. 0.20652174 0.22007767 0.1859723 ]
[0. 0.07747095 0.5326087 0. 0. ]]""",
    )
    # min-max rows: loss 1.5456 -> 0.8204 over the 10 epochs. The start differs with the random
    # weights, so the relative fall is compared: 0.8204 / 1.5456 = 0.531, within 0.05. Why 0.05:
    # the rows fix a floor, (1 - 0.01 * 3.82)**18 = 0.496 (3.82 = the largest eigenvalue of the
    # MSE's Hessian), reached when the start's error lies along that fastest direction; a start
    # with more error elsewhere falls less. Over 20,000 glorot_uniform starts (numpy), starts as
    # large as ours (loss >= 0.3) fall to 0.538 (median), 78 % of them within 0.05 of 0.531; half
    # or twice the learning rate gives 0.75 or 0.35 from our start, far outside.
    costs = minmax["costs"]
    assert minmax["diverged_at"] is None and len(costs) == 10
    assert all(later < earlier for earlier, later in zip(costs, costs[1:]))
    assert costs[-1] / costs[0] == pytest.approx(0.8204 / 1.5456, abs=0.05)
    assert standard["diverged_at"] is None and standard["costs"][-1] < standard["costs"][0]


def test_the_new_flags_refuse_what_they_cannot_use():
    with pytest.raises(SystemExit):
        lab07_1_learning_rate.main(["--init", "he"])
    with pytest.raises(SystemExit):
        lab07_3_linear_regression_min_max.main(["--scaler-epsilon", "0"])
