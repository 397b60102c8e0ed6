"""``make cluster-bench``: the deep CNN's cluster (lab 11-6) trained across emulated links of
known bandwidth, beside the model of ``docs/speed.md`` (a step costs ``2 N P / B`` on the ps link).

Each task (a ps and the workers) runs in a network namespace of its own, joined to a bridge by a
veth pair that ``tc``'s ``tbf`` shapes to a bandwidth at both ends (``tools/netns.py``). For each
bandwidth of the sweep (and unshaped, the reference) the lab trains a fixed number of global
steps; the chief's epoch lines give the seconds per global step and the ps link's interface
counters, read as each epoch line appears, give the bytes a step moves (the first epoch, with
its start-up, is left out of both). Before each run the link is measured with a plain TCP
transfer, so the table says what the shaped link really carries. The ensemble (lab 11-7) runs at
the unshaped and the slowest link. Every task is pinned to a core (``taskset``), as far as the
cores go. Then ``step seconds = a + c * bytes / B`` is fitted over the shaped points: ``c = 1``
is the model's bandwidth term exactly.

Needs root and iproute2; it says so in one line and exits 2 otherwise. Every namespace it makes
(and with them every link and qdisc) is deleted when it ends, also on Ctrl-C or SIGTERM. Results:
``<out>/cluster-bench.json`` and ``cluster_bandwidth.png`` (``--out``, default ``results/``).
"""

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from common import environment
from common.cli import PROJECT_ROOT, positive_int
from common.files import atomic_write
from tools.cluster_demo import Cluster, task_commands
from tools.netns import EmulatedNetwork, NetworkError, missing_requirements

PORT = 2222  # every task has a namespace, so every task may listen on the same port
BATCH = 100  # lab 11-2's global batch
EPOCH_LINE = re.compile(r"^Epoch: (\d{4}) .*?\((\d+(?:\.\d+)?) s;", re.M)
# a plain TCP transfer from one namespace to another: the link's measured bandwidth
TRANSFER = """
import socket, sys, time
role, host, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
if role == "receive":
    server = socket.create_server((host, 5201))
    print("ready", flush=True)
    connection, _ = server.accept()
    received, start = 0, None
    while chunk := connection.recv(1 << 20):
        start = start or time.perf_counter()
        received += len(chunk)
    print(received * 8 / (time.perf_counter() - start))
else:
    connection = socket.create_connection((host, 5201))
    block = bytes(1 << 20)
    for _ in range(size >> 20):
        connection.sendall(block)
    connection.close()
"""


def rate_value(text):
    """``unlimited`` or a bandwidth in Gbit/s: bits per second, or None for unshaped."""
    if text == "unlimited":
        return None
    try:
        gbit = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a bandwidth in Gbit/s (or 'unlimited')") from None
    if not 0.001 <= gbit <= 100:
        raise argparse.ArgumentTypeError(f"{text} Gbit/s is outside 0.001 to 100")
    return gbit * 1e9


def rate_list(text):
    return [rate_value(part.strip()) for part in text.split(",") if part.strip()]


def shown(rate):
    return "unshaped" if rate is None else f"{rate / 1e9:g} Gbit/s"


def measure_link(network, sender, receiver, rate):
    """The bandwidth a TCP transfer from ``sender`` to ``receiver`` reaches, in bits per second
    (about half a second's worth of bytes at the shaped rate)."""
    size = int(min(max((rate or 10e9) / 8 * 0.5, 4 << 20), 400 << 20))
    receive = subprocess.Popen(
        network.exec_argv(
            receiver, [sys.executable, "-c", TRANSFER, "receive", network.address(receiver), "0"]
        ),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        receive.stdout.readline()  # "ready"
        subprocess.run(
            network.exec_argv(
                sender, [sys.executable, "-c", TRANSFER, "send", network.address(receiver), str(size)]
            ),
            check=True,
            timeout=120,
        )
        return float(receive.communicate(timeout=60)[0])
    finally:
        if receive.poll() is None:
            receive.kill()


def watch(cluster, network, link, names, timeout):
    """Until the named tasks exit: each chief epoch line's (printed seconds, bytes through
    ``link`` when it appeared), by epoch; and the tasks' exit codes."""
    marks, deadline = {}, time.monotonic() + timeout
    while time.monotonic() < deadline:
        for epoch, seconds in EPOCH_LINE.findall(cluster.log_of("worker0")):
            if int(epoch) not in marks:
                marks[int(epoch)] = (float(seconds), network.bytes_through(link))
        codes = {name: cluster.processes[name].poll() for name in names}
        if all(code is not None for code in codes.values()) or any(
            code not in (None, 0) for code in codes.values()
        ):
            return marks, codes
        time.sleep(0.1)
    return marks, {name: cluster.processes[name].poll() for name in names}


def run_point(network, mode, rate, args, logdir):
    """One training run across links shaped to ``rate``: seconds and bytes per global step."""
    network.limit(rate)
    tasks = network.tasks if mode == "data-parallel" else network.tasks[1:]  # the ensemble has no ps
    link = tasks[0] if mode == "data-parallel" else tasks[-1]  # the ps's link; the member worker's
    measured = measure_link(network, tasks[-1], tasks[0], rate)
    run_name = f"bench-{mode}-{'unshaped' if rate is None else f'{rate / 1e9:g}g'}"
    lab_flags = [
        "--epochs",
        str(args.epochs),
        "--train-images",
        str(args.train_images),
        "--logdir",
        str(logdir),
    ]
    lab_flags += ["--run-name", run_name, "--startup-timeout", "120", "--step-timeout", "600"]
    commands = task_commands(mode, [PORT] * len(tasks), lab_flags, [network.address(t) for t in tasks])
    print(f"  {mode}, {shown(rate)} (measured {measured / 1e9:.3f} Gbit/s): training...", flush=True)
    with Cluster(logdir / "tasks" / run_name) as cluster:
        for core, (name, command) in enumerate(commands):
            cluster.start(name, network.exec_argv(name, command), core=core)
        marks, codes = watch(cluster, network, link, [name for name, _ in commands], args.timeout)
        failed = {name: code for name, code in codes.items() if code != 0}
        if failed:
            name = next(iter(failed))
            tail = " | ".join(cluster.log_of(name).strip().splitlines()[-2:])
            state = "timed out" if failed[name] is None else f"exit {failed[name]}"
            raise RuntimeError(f"{mode} at {shown(rate)}: {name} {state}: {tail}")
    steps = args.train_images // BATCH  # global steps per epoch
    later = sorted(epoch for epoch in marks if epoch >= 2)
    if not later:
        raise RuntimeError(f"{mode} at {shown(rate)}: the chief printed no epoch line after the first")
    step_seconds = float(np.mean([marks[e][0] for e in later])) / steps
    step_bytes = (marks[later[-1]][1] - marks[1][1]) / (steps * len(later))
    print(
        f"    {step_seconds * 1000:.0f} ms a global step, {step_bytes / 1e6:.1f} MB a step on {link}'s link"
    )
    return {
        "mode": mode,
        "rate_bits": rate,
        "measured_bits": measured,
        "step_seconds": step_seconds,
        "step_bytes": step_bytes,
        "link": link,
    }


def fit(points):
    """Least squares of ``step seconds = a + c * bytes / B`` over the shaped points: (a, c, R^2)."""
    x = np.array([p["step_bytes"] * 8 / p["rate_bits"] for p in points])
    y = np.array([p["step_seconds"] for p in points])
    c, a = np.polyfit(x, y, 1)
    residual = y - (a + c * x)
    return float(a), float(c), float(1 - residual.var() / y.var())


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m tools.cluster_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=positive_int, default=2, help="data-parallel workers (default 2)")
    parser.add_argument(
        "--rates",
        type=rate_list,
        default=rate_list("unlimited,10,3,1,0.3,0.1"),
        help="the deep CNN's links, Gbit/s or 'unlimited' (default unlimited,10,3,1,0.3,0.1)",
    )
    parser.add_argument(
        "--ensemble-rates",
        type=rate_list,
        default=rate_list("unlimited,0.1"),
        help="the ensemble's links ('' for none; default unlimited,0.1)",
    )
    parser.add_argument(
        "--epochs", type=positive_int, default=3, help="epochs per run; the first is left out (default 3)"
    )
    parser.add_argument(
        "--train-images",
        type=positive_int,
        default=1000,
        help="images per epoch: 10 global steps (default 1000)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds one run may take (default 1800)")
    parser.add_argument(
        "--out", type=Path, default=PROJECT_ROOT / "results", help="output folder (default results/)"
    )
    args = parser.parse_args(argv)
    if args.epochs < 2:
        parser.error("--epochs must be at least 2 (the first, with its start-up, is left out)")
    if args.train_images < BATCH:
        parser.error(f"--train-images must be at least one batch, {BATCH}")
    return args


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # unwinds through the with-blocks: tasks stopped, namespaces deleted


def main(argv=None):
    args = parse_args(argv)
    reason = missing_requirements()
    if reason:
        print(f"error: cluster-bench cannot run here: {reason}.", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    from tools.cluster_paper import parameter_bytes  # loads TensorFlow

    parameters, nbytes = parameter_bytes()
    tasks = ["ps0", *(f"worker{i}" for i in range(args.workers))]
    results = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix="cluster-bench-") as folder,
            EmulatedNetwork(tasks) as network,
        ):
            names = ", ".join(network.namespace(task) for task in tasks)
            print(f"cluster-bench: {len(tasks)} namespaces ({names}) on a bridge in {network.bridge_ns}")
            for mode, rates in (("data-parallel", args.rates), ("ensemble", args.ensemble_rates)):
                for rate in rates:
                    results.append(run_point(network, mode, rate, args, Path(folder)))
    except NetworkError as exc:
        print(f"error: cluster-bench: {exc}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cluster-bench: interrupted; every task stopped and every namespace deleted", file=sys.stderr)
        return 130
    report(results, args, parameters, nbytes)
    return 0


def report(results, args, parameters, nbytes):
    from tools.cluster_bench_report import plot, table

    model_bytes = 2 * args.workers * nbytes
    shaped = [p for p in results if p["mode"] == "data-parallel" and p["rate_bits"] is not None]
    fitted = fit(shaped) if len(shaped) >= 2 else None
    print(table(results, model_bytes, fitted))
    args.out.mkdir(parents=True, exist_ok=True)
    payload = {
        "parameters": parameters,
        "parameter_bytes": nbytes,
        "workers": args.workers,
        "model_bytes_per_step": model_bytes,
        "fit": dict(zip(("a_seconds", "c", "r2"), fitted)) if fitted else None,
        "points": results,
        "environment": environment.record(),
    }
    atomic_write(args.out / "cluster-bench.json", (json.dumps(payload, indent=2) + "\n").encode())
    figure = plot(results, model_bytes, fitted, args.out / "cluster_bandwidth.png")
    print(f"cluster-bench: wrote {args.out / 'cluster-bench.json'} and {figure}")


if __name__ == "__main__":
    sys.exit(main())
