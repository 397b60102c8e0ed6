"""The project as a Python package: the zero-to-all command runs what make runs, the venv holds
exactly the lock, a run's first line comes before TensorFlow loads, the run's ETA moves."""

import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from common import environment
from common.lab import Progress

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def make_commands(target, args):
    """What make would run for ``target`` (``make -n``), as argument lists after ``python``."""
    out = subprocess.run(
        ["make", "--no-print-directory", "-n", target, f"ARGS={args}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return [line.split()[1:] for line in out.splitlines() if " -m labs." in line]


def zero_to_all(*argv):
    return subprocess.run(
        [str(BIN / "zero-to-all"), *argv], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "target", ["lab07-mnist-long", "keras02-normalization", "lab11-ensemble", "lab10-mnist-softmax"]
)
def test_zero_to_all_runs_what_make_runs(target):
    listed = zero_to_all("run", "--dry-run", target, "--", "--seed", "3", "--epochs", "2")
    assert listed.returncode == 0, listed.stderr
    commands = [line.split()[1:] for line in listed.stdout.splitlines()]
    assert commands == make_commands(target, "--seed 3 --epochs 2") != []
    assert all(command[-4:] == ["--seed", "3", "--epochs", "2"] for command in commands)  # last wins


def test_zero_to_all_lists_every_lab_target_of_make_help():
    helped = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    lab_targets = {
        name for name in re.findall(r"^  (\S+) ", helped, re.M) if re.match(r"(lab|keras)\d", name)
    }
    listed = zero_to_all("list")
    assert listed.returncode == 0
    assert set(re.findall(r"^  (\S+) ", listed.stdout, re.M)) == lab_targets
    unknown = zero_to_all("run", "lab99-nothing")
    assert unknown.returncode == 2 and "zero-to-all list" in unknown.stderr


def test_the_venv_holds_exactly_the_lock_and_results_name_it():
    lock = ROOT / "requirements.lock"
    pins = {}
    for line in lock.read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    installed = {}
    for line in frozen.splitlines():
        name, version = line.split("==")
        installed[re.sub(r"[-_.]+", "-", name).lower()] = version
    assert installed == pins
    assert {"protobuf", "grpcio", "keras", "tensorflow-cpu", "tf-keras"} <= set(pins)
    record = environment.record()
    assert record["lock_digest"] == hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    assert record["lock_matches"] is True


def test_the_first_line_comes_before_tensorflow_loads(tmp_path):
    """Through a pipe, at once: the line is out while the process has no TensorFlow library
    mapped yet (its 5-10 s load comes after)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "labs.lab09_2_xor_nn", "--steps", "11", "--logdir", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        mapped = Path(f"/proc/{process.pid}/maps").read_text()
        rest = process.communicate(timeout=120)[0]
    finally:
        process.kill()
    assert first.startswith("lab09-xor-nn: 11 steps, learning rate 0.1, seed 777; run folder ")
    assert first.rstrip().endswith("loading TensorFlow...") and str(tmp_path / "lab09-xor-nn") in first
    assert "tensorflow" not in mapped
    assert process.returncode == 0 and "Accuracy:" in rest


def test_the_run_eta_falls_through_the_last_epoch():
    """Two epochs of 10 batches; the first took 10 s. Halfway through the second at the same
    pace, 5 s remain; near its end, about none (the bar's ETA no longer sits at its start value)."""
    progress = Progress(2, 10, 1)
    progress.epoch_seconds = [10.0]
    assert "elapsed, ETA 0:00:05" in progress._run_clock(1, 5.0, 0.5)
    assert "ETA 0:00:01" in progress._run_clock(1, 9.0, 0.9)
    assert "run: 0:00:19 elapsed" in progress._run_clock(1, 9.0, 0.9)
    # in the first epoch, its own pace predicts the rest: 2 s for a quarter -> 6 + 8 s
    first = Progress(2, 10, 1)
    assert "ETA 0:00:14" in first._run_clock(0, 2.0, 0.25)
    start = time.perf_counter()
    for _ in first.batches(0):
        pass
    assert first.epoch_seconds and first.epoch_seconds[0] <= time.perf_counter() - start
