"""`make bench` runs end to end (a tiny run: the figures themselves are printed, not asserted)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_writes_its_table_and_json(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "common.bench", "--models", "mlp", "--steps", "5",
                             "--repeats", "2", "--out", str(out)], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "| mlp |" in result.stdout and "GFLOP/s" in result.stdout
    [row] = json.loads(out.read_text())["rows"]
    for side in ("graph", "keras3"):
        assert len(row[side]["runs"]) == 2 and row[side]["median"] > 0
        assert row[f"{side}_peak_rss_mib"] > 100  # a TensorFlow process, measured
    assert row["ratio_to_keras3"] == row["graph"]["median"] / row["keras3"]["median"]
    assert row["training_mflop_per_image"] == round(3 * 2 * (784 * 512 + 3 * 512 * 512 + 512 * 10) / 1e6, 1)


def test_bench_refuses_an_unknown_model():
    result = subprocess.run([sys.executable, "-m", "common.bench", "--models", "resnet"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "--models takes" in result.stderr
