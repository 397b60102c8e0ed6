"""``make cluster-bench``: the cluster across emulated links (network namespaces, tc tbf). Real
namespaces, real links, real training processes; skipped where this machine cannot make them."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools import netns

ROOT = Path(__file__).resolve().parent.parent
needs_netns = pytest.mark.skipif(
    netns.missing_requirements() is not None,
    reason=f"no emulated network here: {netns.missing_requirements()}",
)


def ours(pid):
    return [name for name in netns.namespaces() if name.startswith(f"zta{pid}-")]


def test_without_root_it_says_so_in_one_line_and_exits_2():
    if os.geteuid() != 0:
        command = [sys.executable, "-m", "tools.cluster_bench"]
    elif subprocess.run(["which", "setpriv"], capture_output=True).returncode == 0:
        command = [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            sys.executable,
            "-m",
            "tools.cluster_bench",
        ]
    else:
        pytest.skip("running as root without setpriv to drop it")
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stderr.startswith("error: cluster-bench cannot run here: ")
    assert "root" in run.stderr and len(run.stderr.splitlines()) == 1


@needs_netns
def test_a_shaped_link_carries_its_rate_and_leaves_nothing_behind():
    from tools.cluster_bench import measure_link

    with netns.EmulatedNetwork(["a", "b"], prefix=f"zta{os.getpid()}") as network:
        assert len(ours(os.getpid())) == 3  # a, b and the bridge's
        network.limit(0.2e9)
        before = network.bytes_through("b")
        measured = measure_link(network, "a", "b", 0.2e9)
        carried = network.bytes_through("b") - before
    assert 0.15e9 < measured <= 0.21e9  # tbf holds the rate (TCP gets most of it)
    assert carried > 0.2e9 / 8 * 0.5 * 0.9  # the transfer's bytes, read off the counters
    assert ours(os.getpid()) == []
    assert not [
        line
        for line in subprocess.run(["ip", "link"], capture_output=True, text=True).stdout.splitlines()
        if "zta" in line
    ]


@needs_netns
def test_interrupted_mid_training_it_stops_every_task_and_deletes_its_namespaces(tmp_path):
    bench = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tools.cluster_bench",
            "--rates",
            "0.05",
            "--ensemble-rates",
            "",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not re.search("training", bench.stdout.readline()):
            pass
        time.sleep(0.5)  # the tasks are up, loading TensorFlow
        tasks = subprocess.run(
            ["pgrep", "-f", "lab11_6_deep_cnn_cluster"], capture_output=True, text=True
        ).stdout.split()
        assert tasks, "no task process was running"
        assert len(ours(bench.pid)) == 4
        bench.send_signal(signal.SIGTERM)
        _, err = bench.communicate(timeout=60)
    finally:
        if bench.poll() is None:
            bench.kill()
    assert bench.returncode == 130 and "interrupted" in err
    assert ours(bench.pid) == []
    still = [pid for pid in tasks if Path(f"/proc/{pid}").exists()]
    assert still == []
    assert not (tmp_path / "cluster-bench.json").exists()  # nothing half-written


@pytest.mark.slow
@needs_netns
def test_the_step_time_grows_when_the_bandwidth_falls(tmp_path):
    from tools import cluster_bench
    from tools.cluster_paper import parameter_bytes

    pid = os.getpid()
    assert (
        cluster_bench.main(
            ["--workers", "1", "--rates", "unlimited,0.05", "--ensemble-rates", "", "--epochs", "2"]
            + ["--train-images", "300", "--out", str(tmp_path)]
        )
        == 0
    )
    points = json.loads((tmp_path / "cluster-bench.json").read_text())["points"]
    unshaped, slow = points
    assert slow["step_seconds"] > unshaped["step_seconds"]
    # each step the worker pulls every variable and pushes a gradient of the same size
    _, nbytes = parameter_bytes()
    assert slow["step_bytes"] >= 2 * nbytes * 0.95
    # at 0.05 Gbit/s those bytes alone take this long, whatever else a step does
    assert slow["step_seconds"] >= 2 * nbytes * 8 / 0.05e9 * 0.5
    assert ours(pid) == []
