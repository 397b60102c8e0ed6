"""What a user sees around the labs: progress, the environment record, `make smoke`, `make lint`,
`make tensorboard`'s address. Real processes, real terminals (a pty), real files."""

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import numpy
import pytest

ROOT = Path(__file__).resolve().parent.parent
LAB = ROOT / "labs" / "lab10_4_mnist_nn_deep.py"
SHORT = ["--epochs", "3", "--train-images", "1000"]
# "Epoch: 0002 cost = 0.123456789 (0.4 s; run: 0:00:01 elapsed, ETA 0:00:00; 2,417 img/s)"
EPOCH_LINE = re.compile(
    r"^Epoch: (\d{4}) cost = (\d+\.\d{9}) \((\d+\.\d) s; run: (\d+):(\d\d):(\d\d) "
    r"elapsed, ETA (\d+):(\d\d):(\d\d); ([\d,]+) img/s\)$"
)


def seconds(hours, minutes, secs):
    return int(hours) * 3600 + int(minutes) * 60 + int(secs)


def test_off_a_terminal_one_line_per_epoch_with_cost_time_and_eta(tmp_path):
    process = subprocess.run(
        [sys.executable, str(LAB), *SHORT, "--logdir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr
    assert "\r" not in process.stdout + process.stderr
    lines = [EPOCH_LINE.match(line) for line in process.stdout.splitlines() if line.startswith("Epoch")]
    assert all(lines) and [m.group(1) for m in lines] == ["0001", "0002", "0003"]
    epoch_seconds = [float(m.group(3)) for m in lines]
    elapsed = [seconds(*m.group(4, 5, 6)) for m in lines]
    eta = [seconds(*m.group(7, 8, 9)) for m in lines]
    # elapsed is the running sum of the epochs' times (to the second); nothing is left at the end
    assert [abs(e - sum(epoch_seconds[: i + 1])) <= 1 for i, e in enumerate(elapsed)] == [True] * 3
    assert eta[-1] == 0 and eta[0] >= eta[1] >= eta[2]
    # the ETA after epoch 1 is about two more epochs of the same length
    assert abs(eta[0] - 2 * epoch_seconds[0]) <= 1
    # the printed costs are the ones result.json records
    [result_file] = tmp_path.rglob("result.json")
    costs = json.loads(result_file.read_text())["epoch_costs"]
    assert [float(m.group(2)) for m in lines] == pytest.approx(costs, abs=1e-9)


def run_in_terminal(argv, timeout=300):
    """Run ``argv`` with a pseudo-terminal as its stdout and stderr; everything it wrote."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        argv, stdout=terminal, stderr=terminal, stdin=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "120"}
    )
    os.close(terminal)
    output, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(controller)
    assert process.wait(timeout=60) == 0, output.decode(errors="replace")[-2000:]
    return output.decode(errors="replace")


def test_on_a_terminal_a_live_bar_with_epoch_of_n_images_rate_and_eta(tmp_path):
    # epochs long enough (about a second) for the bar to be redrawn during them
    output = run_in_terminal(
        [
            sys.executable,
            str(LAB),
            "--epochs",
            "3",
            "--train-images",
            "8000",
            "--logdir",
            str(tmp_path),
        ]
    )
    assert "\r" in output  # redrawn in place
    bars = [part for part in re.split(r"[\r\n]", output) if part.startswith("Epoch 2/3")]
    assert bars, output[-2000:]
    # tqdm's bar: images done of the epoch's, elapsed<remaining, the rate, and the run's clock
    assert any(
        re.search(
            r"\d+/8000 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+k?img/s, run: \d+:\d\d:\d\d elapsed, "
            r"ETA \d+:\d\d:\d\d\]",
            bar,
        )
        for bar in bars
    ), bars
    assert len(re.findall(r"^Epoch: 000\d cost = ", output.replace("\r", "\n"), re.M)) == 3


def test_result_json_records_the_environment(tmp_path):
    process = subprocess.run(
        [
            sys.executable,
            str(LAB),
            "--epochs",
            "1",
            "--train-images",
            "500",
            "--logdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr
    [result_file] = tmp_path.rglob("result.json")
    env = json.loads(result_file.read_text())["environment"]
    import tensorflow
    import tf_keras

    from common.tf1 import tf  # noqa: F401  (TensorFlow as the labs load it)

    assert env["tensorflow"] == tensorflow.__version__
    assert env["tf_keras"] == tf_keras.__version__
    assert env["numpy"] == numpy.__version__
    assert env["cores"] == os.cpu_count()
    assert isinstance(env["onednn"], bool)
    flags = set(re.search(r"^flags\s*:(.*)$", Path("/proc/cpuinfo").read_text(), re.M).group(1).split())
    expected_isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else None
    if expected_isa:
        assert env["vector_isa"] == expected_isa
    model = re.search(r"^model name\s*:(.*)$", Path("/proc/cpuinfo").read_text(), re.M).group(1).strip()
    assert env["cpu"] == model
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode == 0:  # a checkout (CI's clean clone is one)
        assert env["commit"] == head.stdout.strip() and isinstance(env["dirty"], bool)
    assert time.strptime(env["date"][:19], "%Y-%m-%d %H:%M:%S")


def test_make_lint_passes():
    process = subprocess.run(["make", "lint"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-2000:]


def test_make_smoke_runs_each_kind_of_lab(capsys):
    start = time.perf_counter()
    process = subprocess.run(["make", "smoke"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - start
    with capsys.disabled():  # the time is reported, not asserted: machines differ
        print(f"\n`make smoke` took {took:.0f} s on {os.cpu_count()} cores")
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-2000:]
    ok_lines = [line for line in process.stdout.splitlines() if line.startswith("ok ")]
    assert len(ok_lines) >= 5 and "FAIL" not in process.stdout
    assert re.search(r"smoke: (\d+) of \1 kinds of lab ran", process.stdout)


def test_make_tensorboard_takes_host_and_port():
    dry = subprocess.run(
        ["make", "-n", "tensorboard", "HOST=127.0.0.2", "PORT=7007"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert dry.returncode == 0 and "--host 127.0.0.2 --port 7007" in dry.stdout
    default = subprocess.run(
        ["make", "-n", "tensorboard"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "--host localhost --port 6006" in default.stdout
