"""The lab runs behind the table: each one a process of its own, several at once (``--jobs``),
its output in ``<out>/logs/<lab>.log``, its record and measured figures in
``<out>/runs/<id>.json``. A run that finished with the same code is kept, so a reproduction that
was stopped goes on where it was."""

import contextlib
import ctypes
import hashlib
import importlib
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass, is_dataclass

from common import cli, environment
from common.cli import DEFAULT_SEED
from common.files import atomic_write
from common.lab import clock
from tools.experiments import row_seeds


def code_version():
    """A digest of ``labs/`` and ``common/``, whole: a finished run counts only for the code that
    made it. ``tools/`` is left out, so a change to a tool (the table's rendering) keeps the runs."""
    digest = hashlib.sha256()
    for folder in ("labs", "common"):
        for path in sorted((cli.PROJECT_ROOT / folder).rglob("*.py")):
            digest.update(f"{path.relative_to(cli.PROJECT_ROOT)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class LabRun:
    """One run of a lab file (module, flags, seed); the rows that read it share it."""

    module: str
    argv: tuple
    seed: int
    lab: str  # the make target whose log it writes
    log_stem: str = None  # the log's name where the target runs several lab files; else the target's

    @property
    def id(self):
        text = json.dumps([self.module, list(self.argv), self.seed])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def key(self):
        return self.module, self.argv, self.seed

    @property
    def log_name(self):
        stem = self.log_stem or self.lab
        return f"{stem}.log" if self.seed == DEFAULT_SEED else f"{stem}-seed{self.seed}.log"

    @property
    def command(self):
        return f"{self.module} {' '.join(self.argv)} --seed {self.seed}"


def run_key(experiment, seed):
    return experiment.module, tuple(experiment.figure.argv), seed


def log_stem(experiment, modules, flag_sets):
    """The log's name where one target runs several lab files (``<target>-<module>``) or one
    file with several sets of flags (``<target>-models-7`` beside ``<target>``); else None."""
    target, argv = experiment.target, experiment.figure.argv
    if len(modules[target]) > 1:
        return f"{target}-{experiment.module}"
    if len(flag_sets[target]) > 1 and argv:
        return "-".join([target, *(flag.lstrip("-") for flag in argv)])
    return None


def lab_runs(experiments, seeds):
    """The runs the rows need, in table order, each once, each with a log of its own."""
    modules, flag_sets = {}, {}
    for experiment in experiments:
        modules.setdefault(experiment.target, set()).add(experiment.module)
        flag_sets.setdefault(experiment.target, set()).add(tuple(experiment.figure.argv))
    runs = {}
    for experiment in experiments:
        stem = log_stem(experiment, modules, flag_sets)
        for seed in row_seeds(experiment, seeds):
            run = LabRun(experiment.module, tuple(experiment.figure.argv), seed, experiment.target, stem)
            runs.setdefault(run.key, run)
    return list(runs.values())


def as_json(figures):
    return {name: asdict(value) if is_dataclass(value) else value for name, value in figures.items()}


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent ends


def die_with_parent(parent):
    """End this child when ``parent`` (the reproduction) ends, even by ``kill -9``: a lab must
    never run on unwatched and leave a record nobody asked for."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)


def run_one(spec, out, logdir):
    """In a child process: run one lab in this process and keep its record, with the figures it
    measured, in ``runs/<id>.json`` (atomically: a killed child leaves no half-written file). The
    MNIST folder comes as ``$MNIST_DATA_DIR``, which every MNIST lab reads."""
    die_with_parent(spec["parent"])
    run = LabRun(spec["module"], tuple(spec["argv"]), spec["seed"], spec["lab"], spec.get("log_stem"))
    flags = [*run.argv, "--seed", str(run.seed), "--logdir", str(logdir)]
    version = code_version()
    if resumes(run.module):
        # a run cut off by an earlier sitting goes on from its last checkpoint: the folder is
        # named by the run (lab, flags, seed) and the code version, so only the same run of the
        # same code resumes it; reproduce --fresh starts it over
        flags += ["--run-name", f"reproduce-{run.id}-{version}"] + (["--fresh"] if spec.get("fresh") else [])
    record = {
        "run": spec,
        "code_version": version,
        "error": None,
        "started": time.time(),
        "intra_op_threads": os.environ.get("LAB_INTRA_OP_THREADS"),
    }
    start = time.perf_counter()
    with open(out / "logs" / run.log_name, "w", buffering=1) as log:  # line by line: tail -f works
        log.write(f"$ python -m labs.{run.module} {' '.join(flags)}\n")
        log.flush()
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            try:
                result = importlib.import_module(f"labs.{run.module}").main(flags)
                record["figures"] = as_json(result.figures)
            except (Exception, SystemExit) as exc:  # the row reports it; the others still run
                traceback.print_exc(file=log)
                record["error"] = f"{type(exc).__name__}: {exc}"
    record["seconds"] = round(time.perf_counter() - start, 1)
    record["finished"] = time.time()
    record["environment"] = environment.record()
    atomic_write(out / "runs" / f"{run.id}.json", json.dumps(record, indent=1))
    return 0 if record["error"] is None else 1


def resumes(module):
    """Whether a lab resumes from its checkpoints: its own ``--help`` lists ``--fresh`` (a lab
    answers its flags before TensorFlow loads, so this takes a moment)."""
    process = subprocess.run(
        [sys.executable, "-m", f"labs.{module}", "--help"],
        cwd=cli.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return process.returncode == 0 and "--fresh" in process.stdout


def read_record(out, run):
    try:
        return json.loads((out / "runs" / f"{run.id}.json").read_text())
    except (OSError, ValueError):
        return None


def finished_run(out, run, version):
    """The run's record if it finished with this code, else None."""
    record = read_record(out, run)
    if not record or record.get("code_version") != version or record.get("error"):
        return None
    return record if "figures" in record and record.get("finished") else None


def read_times(path):
    """Seconds each lab run took in earlier reproductions (for the ETA); {} when unknown."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def expected_seconds(run, times):
    """How long ``run`` took before, or the same lab run with another seed took; None if never."""
    if run.command in times:
        return times[run.command]
    same_run = run.command.rsplit(" --seed ", 1)[0] + " --seed "
    others = [seconds for command, seconds in times.items() if command.startswith(same_run)]
    return statistics.fmean(others) if others else None


def eta_text(pending, times, jobs, elapsed):
    """The remaining runs' time from earlier runs' measurements (or this run's mean), shared by
    ``jobs`` processes."""
    known = [seconds for run in pending if (seconds := expected_seconds(run, times)) is not None]
    unknown = len(pending) - len(known)
    mean = statistics.fmean(elapsed) if elapsed else None
    seconds = (sum(known) + (unknown * mean if mean else 0)) / jobs
    if unknown and mean is None:
        return f"ETA {clock(seconds)} + {unknown} run(s) never timed"
    return f"ETA {clock(seconds)}"


def start_order(pending, times, jobs):
    """With several jobs the longest runs start first (by earlier runs' times; never-timed runs
    count as long), so no long run is left to the end on one job's share of the cores while the
    others idle. One job keeps the table's order."""
    if jobs == 1:
        return list(pending)

    def longest_first(run):
        seconds = expected_seconds(run, times)
        return -math.inf if seconds is None else -seconds

    return sorted(pending, key=longest_first)


def child_environment(jobs, data_dir):
    """Each of ``jobs`` processes gets its share of the cores for TensorFlow's thread pools."""
    env = dict(os.environ)
    if jobs > 1:
        env["LAB_INTRA_OP_THREADS"] = str(max(1, (os.cpu_count() or 1) // jobs))
        env["LAB_INTER_OP_THREADS"] = "1"
    if data_dir:
        env["MNIST_DATA_DIR"] = str(data_dir)
    return env


def start_child(run, args):
    spec = {
        "module": run.module,
        "argv": list(run.argv),
        "seed": run.seed,
        "lab": run.lab,
        "log_stem": run.log_stem,
        "parent": os.getpid(),
        "fresh": getattr(args, "fresh", False),
    }
    command = [sys.executable, "-m", "tools.reproduce", "--run-one", json.dumps(spec)]
    command += ["--out", str(args.out), "--logdir", str(args.logdir)]
    return subprocess.Popen(
        command,
        cwd=cli.PROJECT_ROOT,
        env=child_environment(args.jobs, args.data_dir),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def record_of_ended(out, run, child, started):
    """What a child that ended left: its own record (not one an earlier run left), or an error."""
    record = read_record(out, run)
    if record is None or record.get("started", 0) < started - 1:  # killed before writing its record
        record = {
            "error": f"the run's process exited {child.returncode} without a record",
            "seconds": round(time.time() - started, 1),
        }
    return record
