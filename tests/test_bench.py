"""`make bench` runs end to end (a tiny run: the figures themselves are printed, not asserted)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


PEERS = {"mlp": ("graph_before", "keras3", "keras3_onednn"), "ensemble": ("graph_in_turn", "graph_before")}
TABLE_ROW = {"mlp": "| mlp | Keras 3 fit |", "ensemble": "| ensemble | a run per member |"}


# the MLP's row has the Keras 3 peers; the ensemble's (three more CNN processes) is in the slow tier
@pytest.mark.parametrize("model", ["mlp", pytest.param("ensemble", marks=pytest.mark.slow)])
def test_bench_writes_its_table_and_json(tmp_path, model):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.bench",
            "--models",
            model,
            "--steps",
            "3",
            "--rounds",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert TABLE_ROW[model] in result.stdout and "GFLOP/s" in result.stdout
    bench = json.loads(out.read_text())
    assert set(bench["ceiling_gflops"]) == {"tensorflow", "numpy", "used"}
    [row] = bench["rows"]
    for side in ("graph", *PEERS[model]):
        [measured] = row[side]["runs"]  # one round: one raw measurement, its own median
        assert measured > 0 and row[side]["median"] == pytest.approx(measured, abs=0.05)
        assert row[side]["peak_rss_mib"] > 100  # a TensorFlow process, measured
    # each printed ratio is graph mode's speed over the peer's, as measured in this run
    for peer in PEERS[model]:
        line = table_line(result.stdout, row["model"], row[peer]["label"])
        speed, ratio = re.fullmatch(r"([\d,]+) \([\d,]+-[\d,]+\) \| ([\d.]+)x", line).groups()
        assert int(speed.replace(",", "")) == pytest.approx(row[peer]["runs"][0], abs=0.51)
        assert float(ratio) == pytest.approx(row["graph"]["runs"][0] / row[peer]["runs"][0], abs=0.006)
    # FLOPs per training image: multiply-adds counted here from the models' own graphs, x2 for
    # FLOPs, x3 for forward + backward (the convention the bench's docstring states); the
    # ensemble trains two members on each image
    if model == "mlp":
        flops = 3 * 2 * forward_macs_of_lab10_deep()
    else:
        flops = 2 * 3 * 2 * forward_macs_of_ensemble_member()
    assert row["training_mflop_per_image"] == pytest.approx(flops / 1e6, abs=0.05)
    # the ceiling in images/s is the ceiling's GFLOP/s over those FLOPs
    ceiling = bench["ceiling_gflops"]["used"] * 1e9 / flops
    assert row["ceiling_images_per_second"] == pytest.approx(ceiling, rel=1e-6, abs=0.51)


def table_line(stdout, model, label):
    """The speed and ratio cells of the printed table's row for ``model``'s ``label``."""
    [line] = [row for row in stdout.splitlines() if row.startswith(f"| {model} | {label} | ")]
    return line.split(" | ", 2)[2].rsplit(" | ", 1)[0]


def forward_macs(ops):
    """Multiply-adds per image of a graph's forward Conv2D and MatMul ops, from their shapes:
    a conv does (kernel height x width x input channels) per output value; a matrix product
    (inputs x outputs) per image. The optimizer's gradient ops are left out."""
    macs = 0
    for op in ops:
        if "gradients" in op.name:
            continue
        if op.type == "Conv2D":
            _, height, width, channels_out = op.outputs[0].shape.as_list()
            kernel_height, kernel_width, channels_in, _ = op.inputs[1].shape.as_list()
            macs += height * width * channels_out * kernel_height * kernel_width * channels_in
        elif op.type == "MatMul":
            inputs, outputs = op.inputs[1].shape.as_list()
            macs += inputs * outputs
    return macs


def forward_macs_of_ensemble_member():
    """One member of lab 11-5's ensemble (the deep CNN), built here in a graph of its own."""
    from common.tf1 import tf
    from labs.lab11_5_mnist_cnn_ensemble_layers import Model

    with tf.Graph().as_default() as graph:
        Model(None, "member")
        macs = forward_macs(graph.get_operations())
    assert {op.type for op in graph.get_operations()} >= {"Conv2D", "MatMul"}
    return macs


def forward_macs_of_lab10_deep():
    """Lab 10's deep MLP, the graph its own one-step run writes for TensorBoard."""
    import tempfile

    from common.tf1 import tf
    from labs import lab10_4_mnist_nn_deep
    from tests.event_files import load_run

    with tempfile.TemporaryDirectory() as logdir:
        result = lab10_4_mnist_nn_deep.main(
            ["--epochs", "1", "--train-images", "100"] + ["--logdir", logdir, "--run-name", "flops"]
        )
        graph_def = tf.GraphDef.FromString(load_run(result.run_dir).Graph().SerializeToString())
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
        return forward_macs(graph.get_operations())


def test_bench_refuses_an_unknown_model():
    result = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--models", "resnet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "--models takes" in result.stderr
