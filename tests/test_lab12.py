"""Lab 12: RNN basics, hello RNN, the character-sequence RNN and its softmax-only foil, the long
sentence in windows, and the stock LSTM on MSFT's daily prices."""

import io
import re
import subprocess
import sys
import zipfile
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from common import stock
from common.idx_data import DataError
from labs import (
    lab12_0_rnn_basics,
    lab12_1_hello_rnn,
    lab12_2_char_seq_rnn,
    lab12_3_char_seq_softmax_only,
    lab12_4_rnn_long_char,
    lab12_5_rnn_stock_prediction,
)
from tests.event_files import load_run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = " if you want you"
SENTENCE = (
    "if you want to build a ship, don't drum up people together to collect wood and don't assign "
    "them tasks and work, but rather teach them to long for the endless immensity of the sea."
)


def softmax_cross_entropy(logits, targets):
    """Each step's cross-entropy in NumPy (float64): log-sum-exp of the logits less the target's."""
    logits = np.asarray(logits, np.float64)
    top = logits.max(axis=-1, keepdims=True)
    log_sum = np.log(np.exp(logits - top).sum(axis=-1)) + top[..., 0]
    return log_sum - np.take_along_axis(logits, np.asarray(targets)[..., None], axis=-1)[..., 0]


# ---------------------------------------------------------------- the written-out sequence_loss

SEQUENCE_LOSS_LABS = [
    lab12_0_rnn_basics,
    lab12_1_hello_rnn,
    lab12_2_char_seq_rnn,
    lab12_3_char_seq_softmax_only,
    lab12_4_rnn_long_char,
]


@pytest.mark.parametrize("lab", SEQUENCE_LOSS_LABS, ids=lambda lab: lab.__name__.split(".")[-1])
def test_sequence_loss_is_the_weighted_mean_cross_entropy(lab):
    from common.tf1 import tf

    rng = np.random.default_rng(12)
    logits = rng.normal(scale=3.0, size=(4, 7, 6)).astype(np.float32)
    targets = rng.integers(0, 6, size=(4, 7)).astype(np.int32)
    weights = rng.uniform(0.0, 2.0, size=(4, 7)).astype(np.float32)
    weights[0, 3:] = 0.0  # a padded sequence: its last steps do not count
    graph = tf.Graph()
    with graph.as_default():
        loss = lab.sequence_loss(tf.constant(logits), tf.constant(targets), tf.constant(weights))
        with tf.Session(graph=graph) as sess:
            value = sess.run(loss)
    expected = np.sum(softmax_cross_entropy(logits, targets) * weights) / np.sum(weights)
    assert value == pytest.approx(expected, rel=1e-5)


# ---------------------------------------------------------------- 12-0: RNN basics


@pytest.fixture(scope="module")
def basics(logdir):
    return lab12_0_rnn_basics.main(["--logdir", str(logdir), "--run-name", "basics"])


def test_basics_print_the_notebooks_sequence_losses(basics):
    # the notebook's printed figures: Loss 0.596759; Loss1 0.513015, Loss2 0.371101, Loss3 1.31326
    for name, printed in [("sequence_loss", 0.596759), ("loss1", 0.513015), ("loss2", 0.371101)]:
        assert basics.figures[name] == pytest.approx(printed, abs=1e-6)
    assert basics.figures["loss3"] == pytest.approx(1.31326, abs=1e-5)
    # prediction4 [[0, 1], [1, 0], [0, 1]] against targets 1: two steps of log(1 + 1/e), one of log(1 + e)
    assert basics.extra["loss4"] == pytest.approx((2 * np.log1p(np.exp(-1)) + np.log1p(np.e)) / 3, abs=1e-6)


def test_basics_shapes_zeros_and_flat_softmax(basics):
    shapes = {name: np.shape(basics.extra[name]) for name in basics.extra if name != "reported"}
    assert shapes["one_cell"] == (1, 1, 2) and shapes["two_sequences"] == (1, 5, 2)
    for name in ("3_batches", "3_batches_dynamic_length", "initial_state"):
        assert shapes[name] == (3, 5, 2)
    for name in ("generated_data", "MultiRNNCell", "dynamic_rnn", "bi-directional_forward"):
        assert shapes[name] == (3, 5, 5)
    for name, lengths in [("3_batches_dynamic_length", [5, 3, 4]), ("dynamic_rnn", [1, 3, 2])]:
        outputs = np.array(basics.extra[name])
        for row, length in enumerate(lengths):
            assert not outputs[row, length:].any() and np.all(np.abs(outputs[row, :length]).sum(axis=1) > 0)
    # both directions stop at each sequence's length, [2, 3, 1]
    backward = np.array(basics.extra["bi-directional_backward"])
    assert not backward[0, 2:].any() and not backward[2, 1:].any() and backward[1, 2].any()
    flat = np.array(basics.extra["flat_softmax"])
    # the notebook's printed first and last rows
    np.testing.assert_array_equal(flat[0, 0], [25, 28, 31, 34, 37])
    np.testing.assert_array_equal(flat[2, 4], [655, 784, 913, 1042, 1171])
    assert basics.figures["zeros_past_length"].holds


def test_basics_graph_is_in_the_event_file(basics):
    run = load_run(basics.run_dir)
    scopes = {node.name.split("/")[0] for node in run.Graph().node}
    assert {"one_cell", "3_batches_dynamic_length", "MultiRNNCell", "bi-directional"} <= scopes


# ---------------------------------------------------------------- 12-1: hello RNN


@pytest.fixture(scope="module")
def hello(logdir):
    """The run, and what it printed."""
    printed = io.StringIO()
    with redirect_stdout(printed):
        result = lab12_1_hello_rnn.main(["--logdir", str(logdir), "--run-name", "hello"])
    return result, printed.getvalue()


def test_hello_rnn_learns_ihello(hello):
    result, _ = hello
    assert result.extra["prediction"] == "ihello"  # the original: from step 9 of 50
    assert result.figures["ihello"].holds
    assert result.extra["first_right_step"] is not None and result.extra["first_right_step"] < 40
    # the trained net's loss is the mean cross-entropy of its own logits against "ihello"
    expected = softmax_cross_entropy(result.extra["logits"], [[1, 0, 2, 3, 3, 4]]).mean()
    assert result.extra["final_loss"] == pytest.approx(expected, rel=1e-4)
    assert result.epoch_costs[0] > 1.0 > 0.1 > result.epoch_costs[-1]


def test_hello_rnn_same_seed_same_run(tmp_path):
    """The cells' weights come from the graph seed (their default initializer draws its own)."""
    runs = [
        # a run folder each: two runs within one second would share a time-stamped name
        lab12_1_hello_rnn.main(
            ["--steps", "3", "--seed", seed, "--logdir", str(tmp_path), "--run-name", name]
        )
        for name, seed in (("a", "5"), ("b", "5"), ("c", "6"))
    ]
    assert runs[0].epoch_costs == runs[1].epoch_costs != runs[2].epoch_costs


def test_hello_rnn_prints_the_originals_lines(hello):
    _, out = hello
    # "0 loss: 1.71584 prediction:  [[2 2 2 3 3 2]] true Y:  [[1, 0, 2, 3, 3, 4]]"
    lines = re.findall(
        r"^(\d+) loss: [\d.e-]+ prediction:  \[\[([0-4 ]+)\]\] true Y:  \[\[1, 0, 2, 3, 3, 4\]\]\n"
        r"\tPrediction str:  ([hielo]{6})$",
        out,
        re.M,
    )
    assert [int(step) for step, _, _ in lines] == list(range(50))
    step, indices, text = lines[-1]
    assert indices.split() == ["1", "0", "2", "3", "3", "4"] and text == "ihello"


def test_hello_rnn_event_file_holds_the_graph_and_scalars(hello):
    result, _ = hello
    run = load_run(result.run_dir)
    tags = run.Tags()
    assert tags["graph"]
    assert {"loss", "letters_right", "final/cost", "final/accuracy"} <= set(tags["scalars"])
    loss = run.Scalars("loss")
    assert [event.step for event in loss] == list(range(50))
    assert loss[0].value == pytest.approx(result.epoch_costs[0], rel=1e-6)
    assert run.Scalars("final/accuracy")[-1].value == 1.0
    scopes = {node.name.split("/")[0] for node in run.Graph().node}
    assert {"X", "Y", "lstm", "fc", "cost", "train", "accuracy"} <= scopes


# ---------------------------------------------------------------- 12-2 and 12-3: " if you want you"


def test_char_seq_rnn_predicts_the_sequence(logdir):
    result = lab12_2_char_seq_rnn.main(["--logdir", str(logdir)])
    assert result.extra["prediction"] == "if you want you"  # the original: from step 11 of 50
    assert result.figures["predicts"].holds


def best_without_memory(text):
    """The likeliest follower of each character (from the sample's own pairs), and the lowest
    mean cross-entropy any per-character guess reaches: the empirical follower frequencies'."""
    pairs = Counter(zip(text[:-1], text[1:]))
    seen = Counter(text[:-1])
    best = {c: max((n, f) for (a, f), n in pairs.items() if a == c)[1] for c in seen}
    floor = -sum(n * np.log(n / seen[a]) for (a, _), n in pairs.items()) / (len(text) - 1)
    return "".join(best[c] for c in text[:-1]), floor


def test_softmax_only_stops_at_the_best_guess_without_memory(logdir):
    result = lab12_3_char_seq_softmax_only.main(["--logdir", str(logdir), "--print-every", "1000"])
    guess, floor = best_without_memory(SAMPLE)
    assert guess == "yf you yant you" == result.extra["prediction"]  # the original's last line
    assert floor == pytest.approx(6 * np.log(2) / 15)
    # the original's 2999th loss, 0.277323, just above the floor 0.277259
    assert floor < result.figures["final_loss"] < floor + 1e-3
    assert result.figures["final_loss"] == pytest.approx(0.277323, abs=1e-3)
    assert result.extra["letters_right"] == 13


# ---------------------------------------------------------------- 12-4: the long sentence


def test_long_sentence_windows_and_reconstruction(logdir):
    result = lab12_4_rnn_long_char.main(["--logdir", str(logdir)])
    dataX, dataY = lab12_4_rnn_long_char.windows(SENTENCE, 10)
    assert len(dataX) == 170 and np.array_equal(np.array(dataX)[:, 1:], np.array(dataY)[:, :-1])
    # every character after the first predicted one comes back (the original's misses the first)
    rebuilt = result.extra["sentence"]
    assert len(rebuilt) == len(SENTENCE) - 1 and rebuilt[1:] == SENTENCE[2:]
    assert result.figures["sentence"].holds and result.figures["loss_falls"].holds
    # the original: 3.23111 -> 0.229616; the loss of the returned logits, in NumPy
    assert result.epoch_costs[0] == pytest.approx(np.log(25), abs=0.1)
    assert softmax_cross_entropy(result.extra["logits"], dataY).mean() == pytest.approx(
        result.extra["final_loss"], rel=1e-4
    )
    assert result.extra["final_loss"] < 0.3


# ---------------------------------------------------------------- 12-5: stock prices


def test_windowing_and_min_max_against_numpy():
    series = np.arange(40, dtype=np.float64).reshape(10, 4) ** 1.5
    dataX, dataY = lab12_5_rnn_stock_prediction.build_dataset(series, 3)
    windows = np.lib.stride_tricks.sliding_window_view(series, (3, 4))[:, 0]
    np.testing.assert_array_equal(dataX, windows[:-1])
    np.testing.assert_array_equal(dataY, series[3:, [-1]])
    scaled = lab12_5_rnn_stock_prediction.min_max_scaler(series)
    column_min, column_max = series.min(axis=0), series.max(axis=0)
    np.testing.assert_allclose(scaled, (series - column_min) / (column_max - column_min), atol=1e-7)
    assert scaled.min() == 0.0 and scaled.max() < 1.0


def msft_rows():
    """The CSV read apart from the lab: date strings and (open, high, low, volume, close)."""
    table = np.genfromtxt(stock.locate(), delimiter=",", names=True, dtype=None, encoding="ascii")
    return table["Date"], np.column_stack([table[c] for c in ("Open", "High", "Low", "Volume", "Close")])


@pytest.fixture(scope="module")
def stock_run(logdir):
    return lab12_5_rnn_stock_prediction.main(["--logdir", str(logdir)])  # 500 iterations, ~3 s


def test_stock_rmse_is_the_rmse_of_its_predictions(stock_run):
    dates, rows = msft_rows()
    assert len(rows) == 7983 and dates[0] == "1986-03-13" and dates[-1] == "2017-11-10"
    days = rows[-732:]
    split = int(732 * 0.7)
    test = days[split - 7 :]
    close = (test[:, -1] - test[:, -1].min()) / (test[:, -1].max() - test[:, -1].min())
    targets, today = close[7:], close[6:-1]
    predicted = np.array(stock_run.extra["test_predict"])
    assert len(predicted) == len(targets) == 732 - split
    assert stock_run.extra["first_test_day"] == str(dates[-732 + split])
    assert stock_run.figures["rmse"] == pytest.approx(np.sqrt(np.mean((predicted - targets) ** 2)), rel=1e-4)
    assert stock_run.extra["naive_rmse"] == pytest.approx(np.sqrt(np.mean((today - targets) ** 2)), rel=1e-4)
    # it follows the price: far better than holding the last training close
    held = np.sqrt(np.mean((close[6] - targets) ** 2))
    assert stock_run.extra["held_rmse"] == pytest.approx(held, rel=1e-4)
    assert stock_run.figures["rmse"] < held / 4
    assert stock_run.figures["follows"].holds


def test_stock_run_logs_the_plot_and_scalars(stock_run):
    png = (Path(stock_run.run_dir) / "prediction.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    run = load_run(stock_run.run_dir)
    tags = run.Tags()
    assert tags["graph"] and "prediction/image/0" in tags["images"]
    assert run.Images("prediction/image/0")[-1].encoded_image_string == png
    assert run.Scalars("test/rmse")[-1].value == pytest.approx(stock_run.figures["rmse"], rel=1e-6)
    assert len(run.Scalars("loss")) == 100  # every 5th of 500 iterations


def corrupt_wheel(path):
    """A zip laid out like pmdarima's wheel whose msft.tar.gz is not the real one."""
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(stock.MEMBER, b"\x1f\x8b" + b"\0" * 1000)
    return path


def test_stock_fetch_refuses_a_corrupt_wheel_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv(stock.WHEEL_URL_ENV, corrupt_wheel(tmp_path / "pmdarima.whl").as_uri())
    dest = tmp_path / "stock"
    with pytest.raises(DataError, match="msft.tar.gz is not the one expected"):
        stock.fetch(dest, log=lambda line: None)
    assert not dest.exists() or not any(dest.iterdir())
    (tmp_path / "not-a-wheel.whl").write_bytes(b"<html>not found</html>")
    monkeypatch.setenv(stock.WHEEL_URL_ENV, (tmp_path / "not-a-wheel.whl").as_uri())
    with pytest.raises(DataError, match="not a wheel"):
        stock.fetch(dest, log=lambda line: None)
    assert not dest.exists() or not any(dest.iterdir())


def test_stock_lab_refuses_a_corrupt_csv_in_one_line(tmp_path):
    good = stock.locate().read_bytes()
    (tmp_path / "msft.csv").write_bytes(good.replace(b"84.56", b"84.57", 1))
    run = subprocess.run(
        [sys.executable, "labs/lab12_5_rnn_stock_prediction.py", "--data-dir", str(tmp_path)]
        + ["--logdir", str(tmp_path / "logs")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("error: ") and "corrupt" in run.stderr and len(run.stderr.splitlines()) == 1
    assert not (tmp_path / "logs").exists()
