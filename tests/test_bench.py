"""`make bench` runs end to end (a tiny run: the figures themselves are printed, not asserted)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_writes_its_table_and_json(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "common.bench",
            "--models",
            "mlp,ensemble",
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
    assert "| mlp | Keras 3 fit |" in result.stdout and "| ensemble | a run per member |" in result.stdout
    assert "GFLOP/s" in result.stdout
    bench = json.loads(out.read_text())
    assert set(bench["ceiling_gflops"]) == {"tensorflow", "numpy", "used"}
    mlp, ensemble = bench["rows"]
    for row, peers in (
        (mlp, ("graph_before", "keras3", "keras3_onednn")),
        (ensemble, ("graph_in_turn", "graph_before")),
    ):
        for side in ("graph", *peers):
            assert len(row[side]["runs"]) == 1 and row[side]["median"] > 0
            assert row[side]["peak_rss_mib"] > 100  # a TensorFlow process, measured
        assert row["ratios"] == {peer: row["graph"]["median"] / row[peer]["median"] for peer in peers}
    assert mlp["training_mflop_per_image"] == round(3 * 2 * (784 * 512 + 3 * 512 * 512 + 512 * 10) / 1e6, 1)
    assert ensemble["training_mflop_per_image"] == 2 * 52.4  # two deep CNNs per image


def test_bench_refuses_an_unknown_model():
    result = subprocess.run(
        [sys.executable, "-m", "common.bench", "--models", "resnet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "--models takes" in result.stderr
