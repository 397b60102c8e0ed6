"""What a lab leaves for TensorBoard, and how the shared command line treats bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.event_files import load_run

ROOT = Path(__file__).resolve().parent.parent


def test_mnist_run_holds_graph_histograms_and_scalars(lab07_mnist_run):
    run = load_run(lab07_mnist_run.run_dir)
    tags = run.Tags()
    assert tags["graph"]
    assert {"softmax/weight", "softmax/bias", "softmax/hypothesis"} <= set(tags["histograms"])
    assert {"summaries/cost", "summaries/accuracy", "test/accuracy"} <= set(tags["scalars"])
    graph_nodes = {node.name for node in run.Graph().node}
    assert {"X", "Y", "softmax/weight", "cost/Mean"} <= graph_nodes
    cost = run.Scalars("summaries/cost")
    assert len(cost) == 15 * 550 // 50  # every 50 steps, with the global step as x
    assert [event.step for event in cost[:3]] == [0, 50, 100]
    assert cost[-1].value < cost[0].value
    test_accuracy = run.Scalars("test/accuracy")
    assert test_accuracy[-1].value == pytest.approx(lab07_mnist_run.accuracy)
    assert Path(lab07_mnist_run.run_dir, "result.json").is_file()


def test_toy_lab_writes_one_sub_run_per_case(logdir):
    from labs import lab07_1_learning_rate

    lab07_1_learning_rate.main(["--logdir", str(logdir), "--run-name", "cases", "--steps", "30"])
    cases = sorted(p.name for p in (logdir / "lab07-learning-rate" / "cases").iterdir() if p.is_dir())
    assert cases == ["1-lr1e-10", "2-lr1.5", "3-lr0.1"]  # sorted = the lecture's order
    # the run's settings, once for all its cases: what marks the folder as a lab's run
    settings = json.loads((logdir / "lab07-learning-rate" / "cases" / "run.json").read_text())
    assert settings["lab"] == "lab07-learning-rate" and settings["steps"] == 30
    run = load_run(logdir / "lab07-learning-rate" / "cases" / "3-lr0.1")
    assert len(run.Scalars("summaries/cost")) == 3  # steps 0, 10, 20


def run_lab(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "labs.lab07_4_mnist_introduction", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--epochs", "0"], "--epochs: 0 must be positive"),
        (["--epochs", "two"], "'two' is not a whole number"),
        (["--learning-rate", "-0.1"], "must be a finite number above 0"),
        (["--learning-rate", "nan"], "must be a finite number above 0"),
        (["--batch-size", "1.5"], "not a whole number"),
        (["--seed", "-1"], "must be 0 or more"),
        (["--run-name", "a/b"], "not a usable folder name"),
        (["--no-such-flag"], "unrecognized arguments"),
    ],
)
def test_bad_flags_give_argparse_errors(flags, message):
    result = run_lab(*flags)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_missing_data_folder_is_one_clear_error(tmp_path):
    result = run_lab("--data-dir", str(tmp_path / "nowhere"), "--logdir", str(tmp_path))
    assert result.returncode == 2
    assert "nowhere does not exist" in result.stderr and "Traceback" not in result.stderr


def test_a_diverging_run_is_reported_as_such(tmp_path):
    result = run_lab("--epochs", "1", "--learning-rate", "1000", "--logdir", str(tmp_path))
    assert result.returncode == 3
    assert "diverged" in result.stderr and "cost = nan" in result.stderr
    assert "Traceback" not in result.stderr


def test_make_runs_a_lab_and_leaves_a_tensorboard_run(tmp_path):
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "lab07-mnist",
            f"ARGS=--epochs 2 --logdir {tmp_path} --run-name viamake",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Epoch: 0001 cost = " in result.stdout and "Epoch: 0002 cost = " in result.stdout
    assert "Accuracy: 0." in result.stdout
    run = load_run(tmp_path / "lab07-mnist" / "viamake")
    assert run.Tags()["graph"] and "summaries/cost" in run.Tags()["scalars"]


def test_make_help_lists_every_lab():
    result = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "warning" not in result.stderr  # e.g. a target defined twice
    for target in (
        "setup",
        "test",
        "test-full",
        "reproduce",
        "bench",
        "tensorboard",
        "lab07-mnist",
        "lab07-learning-rate",
        "lab09-xor-tensorboard",
        "keras02-tips",
        "keras00-fashion",
        "lab07-normalization",
        "lab07-mnist-long",
        "lab08-tensor-manipulation",
        "lab09-xor-tensorboard",
        "lab10-xor-deep",
        "lab10-batch-norm",
        "lab11-ensemble",
    ):
        assert f"  {target} " in result.stdout


@pytest.mark.parametrize(
    "cores, models, intra, inter",
    [
        # one model: every core for each op, one op at a time
        (1, 1, 1, 1),
        (2, 1, 2, 1),
        (8, 1, 8, 1),
        # models side by side: one inter-op thread per model, as far as the cores go
        (1, 2, 1, 1),
        (2, 2, 1, 2),
        (2, 5, 1, 2),
        (4, 2, 2, 2),
        (4, 3, 1, 3),
        (8, 3, 2, 3),
    ],
)
def test_session_threads_never_exceed_the_cores(monkeypatch, cores, models, intra, inter):
    from common.tf1 import session_config

    monkeypatch.delenv("LAB_INTRA_OP_THREADS", raising=False)
    monkeypatch.delenv("LAB_INTER_OP_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    config = session_config(parallel_models=models)
    found = (config.intra_op_parallelism_threads, config.inter_op_parallelism_threads)
    assert found == (intra, inter)
    assert intra * inter <= cores and inter == min(models, cores)


def test_session_threads_from_the_environment_win(monkeypatch):
    from common.tf1 import session_config

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("LAB_INTRA_OP_THREADS", "3")
    monkeypatch.delenv("LAB_INTER_OP_THREADS", raising=False)
    config = session_config(parallel_models=2)
    assert (config.intra_op_parallelism_threads, config.inter_op_parallelism_threads) == (3, 2)
    monkeypatch.setenv("LAB_INTER_OP_THREADS", "5")
    config = session_config()
    assert (config.intra_op_parallelism_threads, config.inter_op_parallelism_threads) == (3, 5)


def test_sessions_use_onednn_kernels():
    import numpy as np

    from common.tf1 import new_session, reset, tf
    from tools.bench import kernel_of

    reset()
    images = tf.placeholder(tf.float32, [1, 8, 8, 1])  # fed, so the conv isn't folded away
    conv = tf.nn.conv2d(images, tf.ones([3, 3, 1, 2]), strides=1, padding="SAME")
    metadata = tf.RunMetadata()
    with new_session() as sess:
        sess.run(
            conv,
            {images: np.ones([1, 8, 8, 1])},
            options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
            run_metadata=metadata,
        )
    kernels = {kernel_of(node) for device in metadata.step_stats.dev_stats for node in device.node_stats}
    assert any(kernel.startswith("_Mkl") for kernel in kernels), kernels  # oneDNN's conv
