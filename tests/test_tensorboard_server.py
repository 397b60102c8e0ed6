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
    lab09_4_xor_tensorboard.main(["--logdir", str(tmp_path), "--run-name", "served", "--steps", "201"])
    port = free_port()
    tensorboard = Path(sys.executable).parent / "tensorboard"
    process = subprocess.Popen(
        [
            str(tensorboard),
            "--logdir",
            str(tmp_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--reload_interval",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
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


def post_json(url, body):
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def optimizers_server(tmp_path_factory):
    """TensorBoard on a short run of the optimizers comparison (two of its cases), shared by the
    tests that read it."""
    tmp_path = tmp_path_factory.mktemp("optimizers")
    from labs import keras02_5_optimizers

    results = keras02_5_optimizers.main(
        [
            "--optimizer",
            "sgd",
            "--optimizer",
            "adam",
            "--epochs",
            "1",
            "--train-images",
            "1000",
            "--logdir",
            str(tmp_path),
            "--run-name",
            "compared",
        ]
    )
    port = free_port()
    tensorboard = Path(sys.executable).parent / "tensorboard"
    process = subprocess.Popen(
        [
            str(tensorboard),
            "--logdir",
            str(tmp_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--reload_interval",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # until it answers and has read both cases' sessions
            assert process.poll() is None, process.stderr.read()
            try:
                groups = post_json(f"{base}/data/plugin/hparams/session_groups", SESSION_QUERY)
                if len(groups.get("sessionGroups", [])) >= 2:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "TensorBoard did not list the runs' hparams"
            time.sleep(0.5)
        yield base, results
    finally:
        process.terminate()
        process.wait(timeout=30)


SESSION_QUERY = {
    "experimentName": "",
    "startIndex": 0,
    "sliceSize": 100,
    "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
    "colParams": [
        {"metric": {"tag": "test/accuracy", "group": ""}, "order": "ORDER_DESC", "missingValuesFirst": False}
    ],
}


def test_hparams_tab_lists_sorts_the_compared_runs(optimizers_server):
    """As the HParams tab asks: the experiment's columns, test accuracy the first metric, then
    the sessions, each trial named by its run."""
    base, results = optimizers_server
    experiment = post_json(f"{base}/data/plugin/hparams/experiment", {"experimentName": ""})
    infos = {info["name"]: info for info in experiment["hparamInfos"]}
    assert {"optimizer", "learning_rate", "seed", "batch_size"} <= set(infos)
    metrics = [(m["name"].get("group", ""), m["name"]["tag"]) for m in experiment["metricInfos"]]
    assert metrics[:3] == [("", "test/accuracy"), ("", "final/cost"), ("validation", "epoch/accuracy")]
    assert ("train", "epoch/loss") not in metrics  # declared, not guessed from every scalar

    groups = post_json(f"{base}/data/plugin/hparams/session_groups", SESSION_QUERY)["sessionGroups"]
    runs = set(get_json(f"{base}/data/runs"))
    assert {group["name"] for group in groups} == {
        "keras02-optimizers/compared/sgd",
        "keras02-optimizers/compared/adam",
    }
    assert {group["name"] for group in groups} <= runs  # the trials read like the run list
    by_optimizer = {}
    for group in groups:
        values = {(m["name"].get("group", ""), m["name"]["tag"]): m["value"] for m in group["metricValues"]}
        by_optimizer[group["hparams"]["optimizer"]] = values[("", "test/accuracy")]
    # the accuracies the lab returned, as TensorBoard reads them back from the event files
    returned = {name: result.accuracy for name, result in results.items()}
    assert by_optimizer == pytest.approx(returned, abs=1e-6)
    # sorted by the metric, best first, as the tab's column sort asks
    accuracies = [
        dict(((m["name"].get("group", ""), m["name"]["tag"]), m["value"]) for m in group["metricValues"])[
            ("", "test/accuracy")
        ]
        for group in groups
    ]
    assert accuracies == sorted(accuracies, reverse=True)


def test_train_and_validation_runs_share_their_tags(optimizers_server):
    base, _ = optimizers_server
    tags = get_json(f"{base}/data/plugin/scalars/tags")
    curve_runs = {
        run: set(run_tags) for run, run_tags in tags.items() if run.endswith(("/train", "/validation"))
    }
    assert len(curve_runs) == 4  # two cases, each a train and a validation run
    for run, run_tags in curve_runs.items():
        assert {"epoch/loss", "epoch/accuracy"} <= run_tags, run
        sibling = run.rsplit("/", 1)[0] + ("/validation" if run.endswith("/train") else "/train")
        assert run_tags == curve_runs[sibling]
