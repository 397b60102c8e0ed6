"""``make cluster-demo``: a TensorFlow cluster of local processes on loopback ports.

Mode ``data-parallel`` (default): one parameter server and two workers train the deep CNN
(lab 11-2) with ``SyncReplicasOptimizer``. Mode ``ensemble``: two workers hold one ensemble member
each (lab 11-5), driven by worker 0. Every process gets its own log file and, where ``taskset``
exists, its own core; the servers bind to 127.0.0.1 only (TensorFlow's gRPC servers have no
authentication). Whatever happens, every process is stopped before the demo returns.

On N machines, run the same lab commands the demo prints, one per machine, with the machines'
addresses in ``--ps-hosts`` / ``--worker-hosts`` (on a private network only).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from common.cli import DEFAULT_LOGDIR, PROJECT_ROOT, positive_float, positive_int

LAB_FILE_OF_MODE = {"data-parallel": "lab11_6_deep_cnn_cluster.py", "ensemble": "lab11_7_ensemble_cluster.py"}


def free_ports(count):
    """``count`` loopback ports that are free now (held open together, so they differ)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def task_commands(mode, ports, lab_flags, addresses=None):
    """(name, argv) of every task: the lab file with TF1's cluster flags. Task i listens on
    ``addresses[i]`` (default: loopback) at ``ports[i]``; the ps comes first in data-parallel mode."""
    lab = str(PROJECT_ROOT / "labs" / LAB_FILE_OF_MODE[mode])
    hosts = [f"{address}:{port}" for address, port in zip(addresses or ["127.0.0.1"] * len(ports), ports)]
    if mode == "data-parallel":
        cluster = ["--ps-hosts", hosts[0], "--worker-hosts", ",".join(hosts[1:])]
        tasks = [("ps0", ["--job-name", "ps", "--task-index", "0"])]
        tasks += [
            (f"worker{i}", ["--job-name", "worker", "--task-index", str(i)]) for i in range(len(hosts) - 1)
        ]
    else:
        cluster = ["--worker-hosts", ",".join(hosts)]
        tasks = [(f"worker{i}", ["--job-name", "worker", "--task-index", str(i)]) for i in range(len(hosts))]
    return [(name, [sys.executable, lab, *cluster, *flags, *lab_flags]) for name, flags in tasks]


class Cluster:
    """The task processes, each in its own process group, stopped together on exit."""

    def __init__(self, log_dir):
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.processes = {}
        self.pin = shutil.which("taskset") is not None and (os.cpu_count() or 1) > 1

    def start(self, name, argv, core=None):
        if self.pin and core is not None:
            argv = ["taskset", "-c", str(core % os.cpu_count()), *argv]
        log = open(self.log_dir / f"{name}.log", "w")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.processes[name] = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        log.close()
        return self.processes[name]

    def log_of(self, name):
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def stop(self, name, sig=signal.SIGTERM, wait=10):
        process = self.processes[name]
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=wait)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
        return process.returncode

    def stop_all(self):
        for name in self.processes:
            self.stop(name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop_all()


def wait_for(cluster, names, timeout):
    """Wait until the named tasks exit (or one fails, or time runs out): their exit codes, and
    whether time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        codes = {name: cluster.processes[name].poll() for name in names}
        if all(code is not None for code in codes.values()) or any(
            code not in (None, 0) for code in codes.values()
        ):
            return codes, False
        time.sleep(0.2)
    return {name: cluster.processes[name].poll() for name in names}, True


def task_state(code, timed_out, failed_first):
    if code is not None:
        return f"exit {code}"
    if timed_out:
        return "still running (timed out)"
    return f"still running, stopped by the demo after {', '.join(failed_first)} failed"


def last_line(text, pattern):
    found = re.findall(pattern, text, re.M)
    return found[-1] if found else None


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m tools.cluster_demo", description=__doc__.split("\n")[0], allow_abbrev=False
    )
    parser.add_argument("--mode", choices=sorted(LAB_FILE_OF_MODE), default="data-parallel")
    parser.add_argument("--workers", type=positive_int, default=2, help="worker processes (default 2)")
    parser.add_argument("--epochs", type=positive_int, default=1, help="training epochs (default 1)")
    parser.add_argument(
        "--train-images", type=positive_int, default=5000, help="a slice of the training set (default 5000)"
    )
    parser.add_argument(
        "--timeout", type=positive_float, default=1800, help="seconds before the demo gives up (default 1800)"
    )
    parser.add_argument(
        "--logdir", type=Path, default=DEFAULT_LOGDIR, help="TensorBoard root (default logs/)"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    run_name = f"cluster-demo-{args.mode}-{stamp}"
    lab_flags = [
        "--epochs",
        str(args.epochs),
        "--train-images",
        str(args.train_images),
        "--logdir",
        str(args.logdir),
        "--run-name",
        run_name,
        "--startup-timeout",
        "60",
        "--step-timeout",
        "120",
    ]
    ports = free_ports(args.workers + (1 if args.mode == "data-parallel" else 0))
    commands = task_commands(args.mode, ports, lab_flags)
    log_dir = args.logdir / "cluster-demo" / f"{args.mode}-{stamp}"
    print(
        f"cluster demo ({args.mode}): {len(commands)} processes on 127.0.0.1 ports "
        f"{', '.join(map(str, ports))}; their logs in {log_dir}/"
    )
    start = time.perf_counter()
    with Cluster(log_dir) as cluster:
        for core, (name, command) in enumerate(commands):
            cluster.start(name, command, core=core)
            print(f"  {name}: {' '.join(command[1:])}")
        workers = [name for name, _ in commands if name.startswith("worker")]
        codes, timed_out = wait_for(cluster, workers, args.timeout)
        if args.mode == "data-parallel" and not timed_out:  # the ps exits once every worker is done
            ps_codes, timed_out = wait_for(cluster, ["ps0"], 30)
            codes.update(ps_codes)
        seconds = time.perf_counter() - start
        failed = {name: code for name, code in codes.items() if code != 0}
        failed_first = [name for name, code in failed.items() if code is not None]
        for name in failed:
            tail = cluster.log_of(name).strip().splitlines()[-3:]
            print(f"  {name}: {task_state(failed[name], timed_out, failed_first)}: " + " | ".join(tail))
    chief = cluster.log_of("worker0")
    accuracy = last_line(chief, r"^(?:Ensemble accuracy|Accuracy): ([\d.]+)")
    print(
        f"cluster demo ({args.mode}): {'failed' if failed else 'done'} in {seconds:.0f} s; "
        f"test accuracy {accuracy or '-'}; every process stopped"
    )
    return 1 if failed or accuracy is None else 0


if __name__ == "__main__":
    sys.exit(main())
