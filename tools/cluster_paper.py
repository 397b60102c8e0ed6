"""When data-parallel training of the deep CNN pays: the arithmetic, with this machine's numbers.

``python -m tools.cluster_paper`` counts the deep CNN's parameters from its graph, measures one
process's step time at batch 100 and a loopback cluster's (a ps and 2 workers on this machine), and
prints a markdown table: the bytes each worker sends and receives per step, and the network
bandwidth at which N workers beat one process for N = 2, 4, 8.

The model: between-graph replication with one parameter server. Each step, every worker reads
all variables from the ps and sends back a gradient of the same size; the ps's link carries both
for all N workers. If the computation splits perfectly (batch 100/N per worker), a step takes
``t1 / N + 2 N P / B`` against ``t1`` for one process (P parameter bytes, B bytes per second on
the ps's link), so N workers win when ``B > 2 N P / (t1 (1 - 1/N))``. Latency, the gradient
averaging and the smaller batches' lower efficiency only raise that figure.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from common import environment
from common.cli import PROJECT_ROOT
from tools.cluster_demo import Cluster, free_ports, task_commands


def parameter_bytes():
    """The deep CNN's trainable parameters, counted from the lab's own graph."""
    from common.tf1 import tf
    from labs.lab11_2_mnist_deep_cnn import deep_cnn

    tf.reset_default_graph()
    deep_cnn(tf.placeholder(tf.float32, [None, 784]), tf.placeholder(tf.float32))
    variables = tf.trainable_variables()
    count = int(sum(np.prod(v.shape.as_list()) for v in variables))
    return count, count * 4  # float32


def one_process_step_seconds(images, logdir):
    """Seconds per step (batch 100) of the one-process lab: its second epoch (the first warms up)."""
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "labs" / "lab11_2_mnist_deep_cnn.py"),
            "--epochs",
            "2",
            "--train-images",
            str(images),
            "--logdir",
            str(logdir),
            "--run-name",
            "one-process",
        ],
        check=True,
        capture_output=True,
        timeout=3600,
    )
    result = json.loads((Path(logdir) / "lab11-mnist-deep-cnn" / "one-process" / "result.json").read_text())
    return result["epoch_seconds"][-1] / (images // 100)


def cluster_step_seconds(images, logdir):
    """Seconds per global step of a ps and 2 workers on this machine (one core each)."""
    flags = ["--epochs", "1", "--train-images", str(images), "--logdir", str(logdir), "--run-name", "cluster"]
    with Cluster(Path(logdir) / "tasks") as cluster:
        for core, (name, command) in enumerate(task_commands("data-parallel", free_ports(3), flags)):
            cluster.start(name, command, core=core)
        deadline = time.monotonic() + 3600
        while cluster.processes["worker0"].poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
    result = json.loads((Path(logdir) / "lab11-mnist-deep-cnn" / "cluster" / "result.json").read_text())
    return result["seconds"] / result["extra"]["global_steps"]


def table(parameters, nbytes, t1, t2_loopback):
    gigabit = 1e9 / 8  # bytes per second
    lines = [
        f"Deep CNN: {parameters:,} parameters = {nbytes / 1e6:.2f} MB (float32). Per step each worker "
        f"receives the variables and sends a gradient: {2 * nbytes / 1e6:.2f} MB.",
        f"One process, batch 100: {t1 * 1000:.1f} ms a step. A ps and 2 workers on this machine "
        f"(loopback, a core each): {t2_loopback * 1000:.1f} ms a global step ({t2_loopback / t1:.2f}x).",
        "",
        "| workers N | batch per worker | ideal compute per step | bytes on the ps link per step | "
        "break-even bandwidth | at 1 Gbit/s | at 10 Gbit/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in (2, 4, 8):
        link = 2 * n * nbytes
        needed = link / (t1 * (1 - 1 / n))
        at = {g: t1 / n + link / (g * gigabit) for g in (1, 10)}
        lines.append(
            f"| {n} | {100 // n} | {t1 / n * 1000:.1f} ms | {link / 1e6:.1f} MB | "
            f"{needed / gigabit:.1f} Gbit/s | {at[1] * 1000:.0f} ms ({t1 / at[1]:.2f}x) | "
            f"{at[10] * 1000:.0f} ms ({t1 / at[10]:.2f}x) |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.cluster_paper", description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=10000, help="training images for the timed runs")
    args = parser.parse_args(argv)
    parameters, nbytes = parameter_bytes()
    with tempfile.TemporaryDirectory(prefix="cluster-paper-") as folder:
        t1 = one_process_step_seconds(args.images, Path(folder) / "one")
        t2 = cluster_step_seconds(args.images, Path(folder) / "two")
    print(table(parameters, nbytes, t1, t2))
    print(f"\nMeasured on: {environment.describe(environment.record())}.")


if __name__ == "__main__":
    main()
