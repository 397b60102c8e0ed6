"""The real TensorBoard server, on a free loopback port, serves a freshly written run."""
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from labs import lab09_4_xor_tensorboard

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def server(tmp_path):
    lab09_4_xor_tensorboard.main(["--logdir", str(tmp_path), "--run-name", "served",
                                  "--epochs", "201"])
    port = free_port()
    tensorboard = Path(sys.executable).parent / "tensorboard"
    process = subprocess.Popen([str(tensorboard), "--logdir", str(tmp_path), "--host", "127.0.0.1",
                                "--port", str(port), "--reload_interval", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # until it answers and has read the run
            assert process.poll() is None, process.stderr.read()
            try:
                if get_json(f"{base}/data/runs"):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "TensorBoard did not come up"
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_server_lists_the_run_with_graph_histograms_and_scalars(server):
    run = "lab09-xor-tensorboard/served"
    assert run in get_json(f"{server}/data/runs")
    scalars = get_json(f"{server}/data/plugin/scalars/tags")[run]
    assert {"cost/cost", "accuracy/accuracy"} <= set(scalars)
    histograms = get_json(f"{server}/data/plugin/histograms/tags")[run]
    assert {"layer1/weights1", "layer2/hypothesis"} <= set(histograms)
    graphs = get_json(f"{server}/data/plugin/graphs/info")
    assert graphs[run]["run_graph"]
    points = get_json(f"{server}/data/plugin/scalars/scalars?run={run}&tag=cost/cost")
    assert len(points) == 21 and points[-1][2] < points[0][2]  # [wall_time, step, value]
