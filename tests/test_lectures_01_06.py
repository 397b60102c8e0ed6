"""Lectures 01-06: basics, linear regression, minimising cost, several variables, logistic
regression, softmax. The expected values are hunkim's printed outputs (copied here), NumPy
computations, or properties that can fail."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from labs import (
    lab01_basics,
    lab02_1_linear_regression,
    lab02_2_linear_regression_feed,
    lab02_3_linear_regression_tensorflow_org,
    lab03_1_minimizing_cost_show_graph,
    lab03_2_minimizing_cost_gradient_update,
    lab03_3_minimizing_cost_tf_optimizer,
    lab03_x_minimizing_cost_tf_gradient,
    lab04_2_multi_variable_matmul_linear_regression,
    lab04_3_file_input_linear_regression,
    lab04_4_tf_reader_linear_regression,
    lab05_1_logistic_regression,
    lab05_2_logistic_regression_diabetes,
    lab06_1_softmax_classifier,
    lab06_2_softmax_zoo_classifier,
)
from tests.event_files import load_run

ROOT = Path(__file__).resolve().parent.parent
# the lecture's five students: three quiz scores and the final score
SCORES = np.array(
    [[73, 80, 75, 152], [93, 88, 93, 185], [89, 91, 90, 180], [96, 98, 100, 196], [73, 66, 70, 142]], float
)
X_TOY, Y_TOY = np.array([1.0, 2, 3]), np.array([1.0, 2, 3])


def test_basics_prints_the_notebooks_values_and_writes_its_graph(logdir):
    values, directory = lab01_basics.main(["--logdir", str(logdir)])
    # the original notebook's outputs
    assert values["hello"] == b"Hello, TensorFlow!"
    assert values["node1, node2"] == [3.0, 4.0] and values["node3"] == 7.0
    assert values["a + b, scalars"] == 7.5 and values["a + b, vectors"].tolist() == [3.0, 7.0]
    assert values["add_and_triple"] == 22.5
    graph = load_run(directory).Graph()
    nodes = {node.name for node in graph.node}
    assert {"node1", "node2", "node3", "a", "b", "adder_node", "add_and_triple"} <= nodes


def test_linear_regression_learns_the_least_squares_line(logdir):
    result = lab02_1_linear_regression.main(["--logdir", str(logdir)])
    (w, b), *_ = np.linalg.lstsq(np.c_[X_TOY, np.ones(3)], Y_TOY, rcond=None)  # (1, 0)
    # hunkim: W 1.0040, b -0.0092 after 2,000 steps from its own random start
    assert abs(result.extra["W"] - w) < 0.01 and abs(result.extra["b"] - b) < 0.03
    assert result.extra["costs"][-1] < result.extra["costs"][0] / 1000
    run = load_run(result.run_dir)
    assert run.Graph() is not None and "summaries/cost" in run.Tags()["scalars"]


def test_fed_new_rows_the_same_graph_learns_the_new_line(logdir):
    result = lab02_2_linear_regression_feed.main(["--logdir", str(logdir)])
    first, second = result.extra["fits"]
    assert first["answers"][0][0] == pytest.approx(5.0, abs=0.05)  # hunkim: 5.0110054
    # the new rows lie on y = x + 1.1 exactly
    (w, b), *_ = np.linalg.lstsq(np.c_[np.arange(1, 6), np.ones(5)], np.arange(1, 6) + 1.1, rcond=None)
    assert (second["W"], second["b"]) == (pytest.approx(w, abs=0.002), pytest.approx(b, abs=0.005))
    # hunkim: [6.1004534], [3.5996385], [2.5993123 4.599964]
    np.testing.assert_allclose(
        [*second["answers"][0], *second["answers"][1], *second["answers"][2]],
        [6.1004534, 3.5996385, 2.5993123, 4.599964],
        atol=0.01,
    )


def test_getting_started_regression_matches_the_original_and_float64_descent(logdir):
    result = lab02_3_linear_regression_tensorflow_org.main(["--logdir", str(logdir)])
    # hunkim: W: [-0.9999969] b: [0.9999908] cost: 5.699973826267524e-11
    assert result.figures["W"] == pytest.approx(-0.9999969, abs=1e-6)
    assert result.figures["b"] == pytest.approx(0.9999908, abs=1e-6)
    # the same 1,000 steps of gradient descent on the summed squares, in float64
    x, y, w, b = np.arange(1.0, 5), -np.arange(0.0, 4), 0.3, -0.3
    for _ in range(1000):
        error = w * x + b - y
        w, b = w - 0.01 * 2 * np.sum(error * x), b - 0.01 * 2 * np.sum(error)
    assert result.figures["W"] == pytest.approx(w, abs=1e-5) and result.figures["b"] == pytest.approx(
        b, abs=1e-5
    )


def test_cost_curve_is_the_bowl_with_its_bottom_at_one(logdir):
    result = lab03_1_minimizing_cost_show_graph.main(["--logdir", str(logdir)])
    weights, costs = np.array(result.extra["W"]), np.array(result.extra["cost"])
    np.testing.assert_allclose(weights, np.arange(-30, 50) * 0.1, atol=1e-9)
    expected = [np.mean((w * X_TOY - Y_TOY) ** 2) for w in weights]
    np.testing.assert_allclose(costs, expected, rtol=1e-5, atol=1e-6)
    assert result.figures["minimum"].holds
    run = load_run(result.run_dir)
    assert len(run.Scalars("cost_by_W")) == 80
    [image] = run.Images("cost_by_W")
    assert image.encoded_image_string == (Path(result.run_dir) / "cost_by_W.png").read_bytes()


def test_gradient_by_hand_contracts_the_error_by_the_closed_form_factor(logdir):
    result = lab03_2_minimizing_cost_gradient_update.main(["--logdir", str(logdir)])
    errors = np.array(result.extra["W"]) - 1
    # W - lr * mean((W x - y) x) = W - 0.1 (W - 1) * 14/3: the error shrinks by 1 - 0.1 * 14/3
    ratios = errors[1:6] / errors[:5]
    np.testing.assert_allclose(ratios, 1 - 0.1 * 14 / 3, rtol=1e-3)
    assert abs(errors[-1]) < 1e-4  # hunkim: W 1.0000023 at step 20


def test_optimizer_steps_match_the_original(logdir):
    result = lab03_3_minimizing_cost_tf_optimizer.main(["--logdir", str(logdir)])
    # hunkim: 0 5.0, 1 1.2666664, 2 1.0177778, 3 1.0011852, 4 1.000079, ..., 100 1.0
    np.testing.assert_allclose(
        result.extra["W"][:5], [5.0, 1.2666664, 1.0177778, 1.0011852, 1.000079], atol=2e-6
    )
    assert result.extra["W"][100] == pytest.approx(1.0, abs=1e-6)


def test_compute_gradients_equal_the_closed_form_and_the_original(logdir):
    result = lab03_x_minimizing_cost_tf_gradient.main(["--logdir", str(logdir)])
    weights = np.array(result.extra["W"])
    closed_form = 2 * (weights - 1) * np.mean(X_TOY**2)  # d/dW mean((W x - x)^2)
    np.testing.assert_allclose(result.extra["compute_gradients"], closed_form, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(result.extra["manual"], closed_form, rtol=1e-4, atol=1e-6)
    # hunkim: 0 37.333332 [(37.333336, 5.0)] ... 100 0.0020739238 [(0.0020739238, 1.0002222)]
    assert result.extra["manual"][0] == pytest.approx(37.333332, abs=1e-4)
    assert weights[100] == pytest.approx(1.0002222, abs=1e-6)
    assert result.extra["manual"][100] == pytest.approx(0.0020739238, rel=1e-3)


def test_clipped_gradients_move_w_by_the_learning_rate_at_most(logdir):
    result = lab03_x_minimizing_cost_tf_gradient.main(["--logdir", str(logdir), "--clip", "--steps", "5"])
    assert np.diff(result.extra["W"]) == pytest.approx([-0.01] * 4, abs=1e-6)


def test_matmul_regression_fits_the_scores_no_better_than_least_squares(logdir):
    result = lab04_2_multi_variable_matmul_linear_regression.main(["--logdir", str(logdir)])
    predictions = np.array(result.extra["prediction"])
    assert np.all(np.abs(predictions - SCORES[:, 3]) / SCORES[:, 3] < 0.05)
    # the least-squares fit's mean squared error bounds any W, b from below
    design = np.c_[SCORES[:, :3], np.ones(5)]
    coefficients, *_ = np.linalg.lstsq(design, SCORES[:, 3], rcond=None)
    lowest = np.mean((design @ coefficients - SCORES[:, 3]) ** 2)
    assert (
        lowest - 1e-3
        <= np.mean((predictions - SCORES[:, 3]) ** 2)
        == pytest.approx(result.epoch_costs[-1], rel=0.05)
    )


@pytest.fixture(scope="module")
def file_and_queue(logdir):
    """Labs 04-3 and 04-4 on the same file and seed, 201 steps each."""
    flags = ["--steps", "201", "--logdir", str(logdir)]
    return (
        lab04_3_file_input_linear_regression.main(flags),
        lab04_4_tf_reader_linear_regression.main(flags),
    )


def test_the_queue_reader_feeds_the_files_rows_in_order(file_and_queue):
    from_file, from_queue = file_and_queue
    # a batch of 10 is the five rows twice, in the file's order: the same mean gradient as the
    # five rows fed at once, so the two labs learn the same W and b
    assert from_queue.extra["last_batch"] == [*SCORES[:, 3], *SCORES[:, 3]]
    np.testing.assert_allclose(from_queue.extra["asked"], from_file.extra["asked"], rtol=1e-4)
    assert from_queue.epoch_costs[-1] < from_queue.epoch_costs[0] / 100


def test_file_input_reads_another_table(tmp_path):
    # rows on an exact plane: the regression gets near it from any start
    rng = np.random.default_rng(0)
    x = rng.uniform(60, 100, size=(25, 3))
    y = x @ [0.5, 0.3, 0.2]
    np.savetxt(tmp_path / "scores.csv", np.c_[x, y], delimiter=",", fmt="%.4f")
    result = lab04_3_file_input_linear_regression.main(
        ["--data-file", str(tmp_path / "scores.csv"), "--logdir", str(tmp_path)]
    )
    assert np.max(np.abs(np.array(result.extra["prediction"]) - y) / y) < 0.05


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "file is missing"),
        ("73,80,75\n", "expected rows of 4"),
        ("73,80,x,152\n", "not a table of numbers"),
    ],
)
def test_a_bad_score_file_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "scores.csv"
    if content is not None:
        path.write_text(content)
    for lab in ("lab04_3_file_input_linear_regression.py", "lab04_4_tf_reader_linear_regression.py"):
        run = subprocess.run(
            [sys.executable, f"labs/{lab}", "--data-file", str(path), "--logdir", str(tmp_path / "logs")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 2 and run.stderr.startswith("error: ") and message in run.stderr, run.stderr
        assert len(run.stderr.splitlines()) == 1 and not (tmp_path / "logs").exists()


def test_logistic_regression_classifies_the_six_rows(logdir):
    result = lab05_1_logistic_regression.main(["--logdir", str(logdir)])
    assert result.accuracy == 1.0  # hunkim: Accuracy: 1.0
    hypothesis = np.array(result.extra["hypothesis"])
    assert np.all(np.diff(hypothesis) > 0)  # the rows go from surely 0 to surely 1, as printed
    assert result.epoch_costs[-1] < 0.2 < result.epoch_costs[0]


def test_diabetes_rows_are_the_course_files():
    from common import mlbench

    x, y = mlbench.read_diabetes()
    assert x.shape == (759, 8) and y.shape == (759, 1)
    # the first three rows of hunkim's data-03-diabetes.csv
    course = [
        [-0.294118, 0.487437, 0.180328, -0.292929, 0, 0.00149028, -0.53117, -0.0333333, 0],
        [-0.882353, -0.145729, 0.0819672, -0.414141, 0, -0.207153, -0.766866, -0.666667, 1],
        [-0.0588235, 0.839196, 0.0491803, 0, 0, -0.305514, -0.492741, -0.633333, 0],
    ]
    np.testing.assert_allclose(np.c_[x, y][:3], course, atol=1e-6)
    # UCI: 500 of the 768 women tested negative; the course's file lacks 9 rows, 4 of them negative
    assert int(y.sum()) == 496 and mlbench.read_diabetes(course_rows=False)[0].shape == (768, 8)


def test_diabetes_at_the_originals_settings(logdir):
    result = lab05_2_logistic_regression_diabetes.main(["--logdir", str(logdir)])
    assert result.accuracy == pytest.approx(0.762846, abs=0.01)  # hunkim: Accuracy: 0.762846
    assert result.epoch_costs[-1] < result.epoch_costs[0]


def test_softmax_classifies_the_three_new_rows_as_the_original(logdir):
    result = lab06_1_softmax_classifier.main(["--logdir", str(logdir)])
    assert result.extra["answers"] == [1, 0, 2]  # hunkim: [1 0 2]
    probabilities = np.array(result.extra["probabilities"])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_zoo_softmax_gets_every_animal_right(logdir, capsys):
    from common import mlbench

    result = lab06_2_softmax_zoo_classifier.main(["--logdir", str(logdir)])
    printed = capsys.readouterr().out
    assert "shape=(None, 1, 7)" in printed and "shape=(None, 7)" in printed  # one_hot, then reshape
    _, labels, _ = mlbench.read_zoo()
    assert result.extra["prediction"] == labels.ravel().tolist()  # hunkim: Acc: 100.00%
    assert result.accuracy == 1.0 and result.epoch_costs[-1] < 0.1
