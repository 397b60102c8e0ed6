"""Run every lab at its documented settings and write the results table.

``python -m tools.reproduce [--labs a,b] [--seeds N] [--jobs N] [--out results]`` (``make
reproduce``) writes ``results/reproduce.md`` (for people) and ``results/reproduce.json`` (for
programs) after every lab run, so an interrupted reproduction keeps the rows it finished, and the
same command goes on from there. A lab that fails is reported as such and the others still run.
With ``--seeds N`` the MNIST rows run with N seeds (777, 1, 2, ...) and the table gives mean and
standard deviation, and whether the reported figure lies within the spread (mean +- 2 sd, or the
min..max range). The rows are the labs' own ``FIGURES`` (``tools.experiments``); the runs are
``tools.runner``'s, the outcomes ``tools.outcomes``', the Markdown ``tools.render``'s.
"""

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path

from common import cli, environment, mnist
from common.files import atomic_write
from common.lab import clock, interruptible
from tools import render, runner
from tools.experiments import EXPERIMENTS, TARGETS
from tools.outcomes import build_rows, summary_line, verdict

RESULTS_DIR = cli.PROJECT_ROOT / "results"


def write_tables(
    rows, out_dir, *, expected, complete, started, seconds, runs, jobs, seeds, invocations, version
):
    """``rows``: each row as the table keeps it (a dict with its verdict and code version)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "complete": complete,
        "rows_expected": expected,
        "rows_current": sum(row["code_version"] == version for row in rows),
        "started": started,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        "seconds": round(seconds, 1),
        "jobs": jobs,
        "seeds": seeds,
        "code_version": version,
        "invocations": list(invocations),
        "environment": environment.record(),
        "summary": summary_line(row["verdict"] for row in rows),
        "rows": rows,
        "runs": runs,
    }
    atomic_write(out_dir / "reproduce.json", json.dumps(payload, indent=2))
    atomic_write(out_dir / "reproduce.md", render.render(payload))
    return payload


class TableError(ValueError):
    """A reproduce.json that cannot be read as a table."""


def read_table(path):
    """An earlier ``reproduce.json``, checked for the shape this code writes; raises TableError
    naming the file."""
    try:
        payload = json.loads(path.read_text())
    except ValueError as exc:
        raise TableError(f"{path} is not valid JSON ({exc})") from None
    shape = {"rows": list, "runs": list, "invocations": list, "code_version": str, "complete": bool}
    wrong = [
        key
        for key, kind in shape.items()
        if not isinstance(payload, dict) or not isinstance(payload.get(key), kind)
    ]
    if wrong or not all(
        isinstance(row, dict) and "lab" in row and "verdict" in row for row in payload["rows"]
    ):
        raise TableError(
            f"{path} is not a results table (no {', '.join(wrong) or 'well-formed rows'}); "
            "run `make reproduce` to write one"
        )
    return payload


def kept_from(table, chosen_targets):
    """What an earlier table holds for the labs this invocation does not run: their rows (each
    with the code version it was made at), their runs, and every invocation."""
    if not table:
        return [], [], []
    rows = [
        {**row, "code_version": row.get("code_version") or table["code_version"]}
        for row in table["rows"]
        if row["lab"] not in chosen_targets
    ]
    runs = [run for run in table["runs"] if run.get("lab") not in chosen_targets]
    invocations = [
        {**invocation, "code_version": invocation.get("code_version") or table["code_version"]}
        for invocation in table["invocations"]
    ]
    return rows, runs, invocations


def parse_args(argv, targets=TARGETS):
    parser = argparse.ArgumentParser(
        prog="python -m tools.reproduce", description=__doc__.split("\n")[0], allow_abbrev=False
    )
    parser.add_argument(
        "--labs", default="all", help="comma-separated make targets (default: all): " + ", ".join(targets)
    )
    parser.add_argument(
        "--seeds", type=cli.positive_int, default=1, help="seeds per MNIST row (default 1: seed 777 only)"
    )
    parser.add_argument(
        "--jobs",
        type=cli.positive_int,
        default=1,
        help="lab runs at once, each its share of the cores (default 1)",
    )
    parser.add_argument("--fresh", action="store_true", help="redo runs that finished before with this code")
    parser.add_argument(
        "--out", type=Path, default=RESULTS_DIR, help="where the tables go (default results/)"
    )
    parser.add_argument(
        "--logdir",
        type=Path,
        default=cli.DEFAULT_LOGDIR / "reproduce",
        help="TensorBoard runs of the reproduction (default logs/reproduce)",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="folder with the MNIST files")
    parser.add_argument(
        "--render",
        type=Path,
        action="append",
        default=None,
        metavar="DOCUMENT",
        help="render <out>/reproduce.json into DOCUMENT's marked block, and run nothing",
    )
    parser.add_argument(
        "--partial",
        action="store_true",
        help="with --render: render a table that is not complete for the current code, on purpose",
    )
    parser.add_argument("--run-one", default=None, help=argparse.SUPPRESS)  # a child process's run
    args = parser.parse_args(argv)
    wanted = (
        targets if args.labs == "all" else [name.strip() for name in args.labs.split(",") if name.strip()]
    )
    unknown = [name for name in wanted if name not in targets]
    if unknown or not wanted:
        parser.error(f"no such lab: {', '.join(unknown) or '(none given)'}; choose from {', '.join(targets)}")
    return args, wanted


def main(argv=None, experiments=EXPERIMENTS):
    """``experiments``: the rows to choose from (a test adds one of its own)."""
    args, targets = parse_args(argv, list(dict.fromkeys(row.target for row in experiments)))
    if args.run_one:
        return runner.run_one(json.loads(args.run_one), args.out, args.logdir)
    if args.render:
        return render_documents(args.out / "reproduce.json", args.render, args.partial)
    try:
        mnist.MNIST.locate(args.data_dir, log=lambda *_: None)
        earlier = (
            {} if not (args.out / "reproduce.json").exists() else read_table(args.out / "reproduce.json")
        )
    except (mnist.DataError, TableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with interruptible():
        return reproduce(args, experiments, targets, earlier)


def render_documents(table, documents, partial=False):
    """Render ``table`` into ``documents``; a table that is not complete for the current code
    only with ``partial``, so a subset's table never replaces the committed one by accident."""
    try:
        payload = read_table(table)
        version = runner.code_version()
        if not partial and not (payload["complete"] and payload["code_version"] == version):
            raise TableError(
                f"{table} is not complete for the current code ({payload['summary']}; code version "
                f"{payload['code_version']}, now {version}); run `make reproduce` for every lab, or pass "
                "--partial to render it anyway"
            )
        for document in documents:
            render.render_into(document, payload)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"rendered {table} into {', '.join(map(str, documents))}")
    return 0


class Reproduction:
    """One invocation: the runs it needs, those kept from before, and its tables. The table
    covers every row: those of the labs it runs come from this code's runs, the others are kept
    from the earlier table with their own code version."""

    def __init__(self, args, experiments, targets, earlier):
        self.args, self.experiments, self.targets = args, experiments, set(targets)
        self.chosen = [row for row in experiments if row.target in self.targets]
        self.started, self.start = time.strftime("%Y-%m-%d %H:%M:%S"), time.perf_counter()
        self.version = runner.code_version()
        self.runs = runner.lab_runs(self.chosen, args.seeds)
        self.records, self.pending, self.ran = {}, [], []
        for run in self.runs:
            record = None if args.fresh else runner.finished_run(args.out, run, self.version)
            if record:
                self.records[run.key] = record
            else:
                self.pending.append(run)
        self.kept_rows, self.kept_runs, self.earlier = kept_from(earlier, self.targets)

    def rows(self):
        """Every row in the table's order: this code's where it ran, the earlier table's else."""
        built = {
            (row.lab, row.experiment): {**asdict(row), "verdict": verdict(row), "code_version": self.version}
            for row in build_rows(self.chosen, self.args.seeds, self.records, runner.run_key)
        }
        kept = {(row["lab"], row["experiment"]): row for row in self.kept_rows}
        keys = [(row.target, row.name) for row in self.experiments]
        return [built.get(key) or kept[key] for key in keys if key in built or key in kept]

    def tables(self, finished):
        """Write the tables and return what they hold; they are complete when every row is
        there, made by this code."""
        this = {
            "started": self.started,
            "seconds": round(time.perf_counter() - self.start, 1),
            "jobs": self.args.jobs,
            "seeds": self.args.seeds,
            "lab_runs": len(self.ran),
            "code_version": self.version,
        }
        rows = self.rows()
        complete = (
            finished
            and len(rows) == len(self.experiments)
            and all(row["code_version"] == self.version for row in rows)
        )
        run_times = [
            {
                "run": run.command,
                "lab": run.lab,
                "seed": run.seed,
                **{
                    name: record.get(name)
                    for name in ("seconds", "started", "finished", "intra_op_threads", "environment")
                },
            }
            for run in self.runs
            if (record := self.records.get(run.key))
        ]
        return write_tables(
            rows,
            self.args.out,
            expected=len(self.experiments),
            complete=complete,
            started=self.started,
            seconds=time.perf_counter() - self.start,
            runs=self.kept_runs + run_times,
            jobs=self.args.jobs,
            seeds=self.args.seeds,
            invocations=self.earlier + [this] if self.ran or not self.earlier else self.earlier,
            version=self.version,
        )


def reproduce(args, experiments, targets, earlier):
    for folder in ("logs", "runs"):
        (args.out / folder).mkdir(parents=True, exist_ok=True)
    times_file = args.out / "run_times.json"
    times = runner.read_times(times_file)
    job = Reproduction(args, experiments, targets, earlier)
    pending, runs = job.pending, job.runs
    print(
        f"{len(job.chosen)} rows, {len(runs)} lab runs: {len(runs) - len(pending)} kept from an earlier "
        f"run with this code (--fresh redoes them), {len(pending)} to run with {args.jobs} job(s); "
        f"{runner.eta_text(pending, times, args.jobs, [])} (from earlier runs' times); each lab's output "
        f"goes to {args.out / 'logs'}/<lab>.log",
        flush=True,
    )
    running, elapsed, done = {}, [], len(runs) - len(pending)
    try:
        queue = runner.start_order(pending, times, args.jobs)
        while queue or running:
            while queue and len(running) < args.jobs:
                run = queue.pop(0)
                running[run] = (runner.start_child(run, args), time.time())
            time.sleep(0.2)
            for run, (child, started) in list(running.items()):
                if child.poll() is None:
                    continue
                del running[run]
                done += 1
                record = runner.record_of_ended(args.out, run, child, started)
                job.records[run.key] = record
                job.ran.append(run)
                elapsed.append(record["seconds"])
                times[run.command] = record["seconds"]
                atomic_write(times_file, json.dumps(times, indent=1, sort_keys=True))
                state = "error: " + record["error"] if record.get("error") else "done"
                eta = runner.eta_text(queue + list(running), times, args.jobs, elapsed)
                print(
                    f"[{done}/{len(runs)}] {run.lab} (seed {run.seed}): {state} in "
                    f"{record['seconds']:.0f} s; elapsed {clock(time.perf_counter() - job.start)}, {eta}",
                    flush=True,
                )
                job.tables(False)
    except KeyboardInterrupt:
        stop_children(running)
        for run in runs:  # a run that finished just before the interrupt counts
            if run.key not in job.records and (record := runner.finished_run(args.out, run, job.version)):
                job.records[run.key] = record
                job.ran.append(run)
        print("interrupted: the finished rows are kept; the same command goes on from there", file=sys.stderr)
        job.tables(False)
        return 130
    table = job.tables(True)
    ran = [row for row in table["rows"] if row["lab"] in job.targets]
    for row in ran:
        print(
            f"  {row['verdict']:17} {row['lab']}: {row['experiment']}: reported {row['reported']}, "
            f"reproduced {row['error'] or row['spread'] or row['reproduced']}"
        )
    print(
        f"{summary_line(row['verdict'] for row in ran)}. The table: {render.status(table)}. "
        f"Wrote {args.out / 'reproduce.md'} and {args.out / 'reproduce.json'}"
    )
    return 0 if all(row["verdict"] in ("pass", "differs-explained") for row in ran) else 1


def stop_children(running):
    for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the write
        signal.signal(sig, signal.SIG_IGN)
    for child, _ in running.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
    for child, _ in running.values():
        child.wait()


if __name__ == "__main__":
    sys.exit(main())
