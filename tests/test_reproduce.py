"""`make reproduce`: the results table, failed and interrupted runs, bad input."""

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from common.figures import HUNKIM, Figure
from tools import experiments, outcomes, render, reproduce, runner

ROOT = Path(__file__).resolve().parent.parent


def test_table_for_the_toy_labs_and_a_failing_lab(tmp_path, monkeypatch):
    broken = experiments.Experiment(
        Figure("lab-broken", "a lab that crashes", HUNKIM, 1.0, 0.0), "no_such_module"
    )
    code = reproduce.main(
        [
            "--labs",
            "lab-broken,lab07-learning-rate,lab09-xor-logistic",
            "--out",
            str(tmp_path / "results"),
            "--logdir",
            str(tmp_path / "logs"),
        ],
        # the table's rows are these three labs', so running them all completes it
        experiments=[
            broken,
            *[
                row
                for row in experiments.EXPERIMENTS
                if row.target in ("lab07-learning-rate", "lab09-xor-logistic")
            ],
        ],
    )
    assert code == 1  # one row failed
    table = json.loads((tmp_path / "results" / "reproduce.json").read_text())
    assert table["complete"] is True
    rows = {row["experiment"]: row for row in table["rows"]}
    assert "ModuleNotFoundError" in rows["a lab that crashes"]["error"]
    assert rows["lr 1e-10: no progress"]["passed"] and rows["lr 1.5: diverges"]["passed"]
    assert rows["lr 0.1: test accuracy"]["reproduced"] == 1.0
    assert rows["XOR logistic regression"]["reproduced"] == 0.5 and rows["XOR logistic regression"]["passed"]
    markdown = (tmp_path / "results" / "reproduce.md").read_text()
    assert "| lab07-learning-rate | lr 1.5: diverges | notes-07-08 | cost -> nan | nan at step" in markdown
    assert (
        "| error |" in markdown
        and "6 rows: 4 pass, 1 differs-explained, 0 FAIL, 1 error; complete" in markdown
    )
    # the lecture's 0.0 at lr 1e-10 is a figure this lab cannot have: differs, and the table says why
    assert rows["lr 1e-10: test accuracy"]["verdict"] == "differs-explained"
    assert "initial weights" in markdown.split("Rows that differ, explained:")[1]
    # each lab's whole output is kept, the environment recorded
    log = (tmp_path / "results" / "logs" / "lab09-xor-logistic.log").read_text()
    assert log.startswith("$ python -m labs.lab09_1_xor_logistic") and "Accuracy" in log
    assert "ModuleNotFoundError" in (tmp_path / "results" / "logs" / "lab-broken.log").read_text()
    assert {"tensorflow", "onednn", "cpu", "vector_isa", "cores", "commit", "dirty", "date"} <= set(
        table["environment"]
    )
    assert "- Lab runs: 3 on " in markdown and "- Table written on: " in markdown


def test_a_second_run_announces_its_eta_from_the_first(tmp_path, capsys):
    flags = [
        "--labs",
        "lab09-xor-logistic",
        "--out",
        str(tmp_path / "results"),
        "--logdir",
        str(tmp_path / "logs"),
    ]
    assert reproduce.main(flags) == 0
    first = capsys.readouterr().out
    assert "1 to run with 1 job(s); ETA 0:00:00 + 1 run(s) never timed" in first
    [took] = json.loads((tmp_path / "results" / "run_times.json").read_text()).values()
    assert reproduce.main(flags + ["--fresh"]) == 0
    second = capsys.readouterr().out
    # the whole run's ETA before it starts is the first run's measured time
    hours, minutes, secs = re.search(r"1 to run with 1 job\(s\); ETA (\d+):(\d\d):(\d\d)", second).groups()
    assert int(hours) * 3600 + int(minutes) * 60 + int(secs) == round(took)
    # without --fresh, the finished run is kept: nothing runs
    assert reproduce.main(flags) == 0
    assert "1 kept from an earlier run with this code" in capsys.readouterr().out


def test_seeds_give_mean_and_spread():
    row = outcomes.Row("x", "y", "z", 0.9)
    outcomes.summarize(row, Figure("x", "y", HUNKIM, 0.9, 0.01), [0.89, 0.91, 0.90])
    assert row.reproduced == 0.9 and row.passed
    assert row.spread.startswith("0.9000 ± 0.0100 (n=3); reported within")
    outcomes.summarize(row, Figure("x", "y", HUNKIM, 0.95, 0.01), [0.89, 0.91, 0.90])
    assert not row.passed and "outside the spread" in row.spread
    assert experiments.seeds_for(3) == [777, 1, 2]
    # counts (wrong predictions): mean 184.33, sd sqrt(172.67 / 2) = 9.29, difference +39.33
    wrong = outcomes.Row("x", "wrong", "z", 145)
    outcomes.summarize(wrong, Figure("x", "wrong", HUNKIM, 145, 100), [180, 178, 195])
    assert wrong.spread.startswith("184.3 ± 9.3 (n=3); reported outside")
    as_written = dataclasses.asdict(wrong)
    assert f"{as_written['difference']:+.{render.difference_digits(as_written)}f}" == "+39.3"
    one_count = dataclasses.asdict(outcomes.Row("x", "params", "z", 795010, values=[795010]))
    assert render.difference_digits(one_count) == 0


def test_killed_midway_then_run_again_finishes_without_repeating_finished_runs(tmp_path):
    out, logs = tmp_path / "results", tmp_path / "logs"
    command = [
        sys.executable,
        "-X",
        "faulthandler",
        "-m",
        "tools.reproduce",
        "--labs",
        "lab07-learning-rate,lab09-xor-wide-deep,lab09-xor-nn",
        "--out",
        str(out),
        "--logdir",
        str(logs),
    ]
    # -X faulthandler: if the run ever ignores Ctrl-C, SIGABRT below shows where it was stuck
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not list((out / "runs").glob("*.json")):  # the first lab run finished; the second runs
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.1)
    stderr = None
    for attempt in range(3):  # like a user pressing Ctrl-C again; a lost first signal is reported
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=30)
            break
        except subprocess.TimeoutExpired:
            warnings.warn(
                f"Ctrl-C number {attempt + 1} did not stop the reproduction within 30 s", stacklevel=1
            )
    if stderr is None:
        process.send_signal(signal.SIGABRT)
        pytest.fail("Ctrl-C did not stop the reproduction:\n" + process.communicate()[1])
    assert process.returncode == 130 and "finished rows are kept" in stderr
    table = json.loads((out / "reproduce.json").read_text())
    assert table["complete"] is False and {row["lab"] for row in table["rows"]} == {"lab07-learning-rate"}
    assert "incomplete" in (out / "reproduce.md").read_text()
    assert not list(out.glob(".*")) and not list((out / "runs").glob(".*")), "a half-written file was left"
    [finished] = list((out / "runs").glob("*.json"))
    written = finished.stat().st_mtime_ns

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "3 lab runs: 1 kept from an earlier run with this code" in again.stdout
    assert finished.stat().st_mtime_ns == written  # not run again
    table = json.loads((out / "reproduce.json").read_text())
    # every row of the three labs, made by this code (the table is complete only with every lab)
    assert table["rows_current"] == len(table["rows"]) and not table["complete"]
    # the table counts both sittings: the interrupted one's finished run and the two runs after it
    assert [invocation["lab_runs"] for invocation in table["invocations"]] == [1, 2]
    assert {row["lab"] for row in table["rows"]} == {
        "lab07-learning-rate",
        "lab09-xor-wide-deep",
        "lab09-xor-nn",
    }


def test_two_jobs_run_side_by_side_each_with_its_share_of_the_cores(tmp_path):
    out = tmp_path / "results"
    code = reproduce.main(
        [
            "--labs",
            "lab09-xor-logistic,lab09-xor-nn",
            "--jobs",
            "2",
            "--out",
            str(out),
            "--logdir",
            str(tmp_path / "logs"),
        ]
    )
    assert code == 0
    records = [json.loads(path.read_text()) for path in (out / "runs").glob("*.json")]
    assert len(records) == 2
    first, second = sorted(records, key=lambda record: record["started"])
    assert second["started"] < first["finished"]  # the two processes overlapped in time
    assert {record["intra_op_threads"] for record in records} == {str(max(1, os.cpu_count() // 2))}
    assert json.loads((out / "reproduce.json").read_text())["jobs"] == 2
    assert {path.name for path in (out / "logs").glob("*.log")} == {
        "lab09-xor-logistic.log",
        "lab09-xor-nn.log",
    }


def test_render_puts_the_json_table_into_a_document(tmp_path):
    out = tmp_path / "results"
    assert (
        reproduce.main(["--labs", "lab09-xor-logistic", "--out", str(out), "--logdir", str(tmp_path / "l")])
        == 0
    )
    payload = json.loads((out / "reproduce.json").read_text())
    document = tmp_path / "results.md"
    document.write_text(
        f"# Results\n\nintro\n\n{render.RENDER_BEGIN}\nold table\n{render.RENDER_END}\n\nafter\n"
    )
    render.render_into(document, payload)
    text = document.read_text()
    assert "old table" not in text and text.startswith("# Results\n\nintro") and text.endswith("after\n")
    [row] = payload["rows"]
    # the row as the JSON has it, not as anyone typed it
    assert (
        f"| {row['lab']} | {row['experiment']} | {row['source']} | {row['reported']} | {row['reproduced']} |"
        in text
    )
    assert payload["summary"] in text and payload["environment"]["cpu"] in text
    assert f"started {payload['started']}" in text and "1 on " in text  # when, and where the run ran
    render.render_into(document, payload)
    assert document.read_text() == text  # idempotent
    # the README's block holds the headline rows only, the same summary and machine
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{render.BRIEF_BEGIN}\n{render.BRIEF_END}\n")
    headline = experiments.HEADLINE[0]
    payload["rows"].append({**row, "lab": headline[0], "experiment": headline[1], "reproduced": 0.123})
    render.render_into(readme, payload)
    brief = readme.read_text()
    assert f"| {headline[0]} | {headline[1]} |" in brief and "0.123" in brief
    assert row["experiment"] not in brief and payload["summary"] in brief
    # the command: a document without the block is one clear error
    document.write_text("no markers here\n")
    command = [sys.executable, "-m", "tools.reproduce", "--render", str(document), "--out", str(out)]
    failed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 2 and failed.stderr.startswith("error: ") and "Traceback" not in failed.stderr
    assert document.read_text() == "no markers here\n"


def test_bad_input_is_one_clear_message(tmp_path):
    def run(*args):
        return subprocess.run(
            ["make", "--no-print-directory", "reproduce", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    for args, message in [
        (["SEEDS=0"], "0 must be positive"),
        (["SEEDS=two"], "not a whole number"),
        (["LABS=lab99-nothing"], "no such lab: lab99-nothing"),
    ]:
        result = run(*args)
        assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "tools.reproduce", "--data-dir", str(tmp_path / "none")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_code_version_follows_the_labs_not_the_tools(tmp_path, monkeypatch):
    for folder in ("labs", "common", "tools"):
        (tmp_path / folder).mkdir()
        for path in (ROOT / folder).glob("*.py"):
            (tmp_path / folder / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(runner.cli, "PROJECT_ROOT", tmp_path)
    before = runner.code_version()
    with open(tmp_path / "tools" / "bench.py", "a") as tool:
        tool.write("\n# a tool changed\n")
    assert runner.code_version() == before
    # every module of common/ counts, with no list to keep: a new one too
    (tmp_path / "common" / "new_helper.py").write_text("X = 1\n")
    assert runner.code_version() != before
    before = runner.code_version()
    with open(tmp_path / "common" / "mnist.py", "a") as loader:  # every MNIST lab reads through it
        loader.write("\n# the data loader changed\n")
    assert runner.code_version() != before


def rendered_block(path, begin, end):
    text = path.read_text()
    assert begin in text and end in text, f"{path} lost its rendered block"
    return text.split(begin, 1)[1].split(end, 1)[0]


def table_rows(block, columns):
    rows = []
    for line in block.splitlines():
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
        if line.startswith("| ") and len(cells) == columns and not set(cells[0]) <= {"-"}:
            rows.append(cells)
    return rows[1:]  # without the header


def test_the_committed_results_agree_with_each_other():
    """docs/results.md's table and the README's headline rows come from one reproduce.json: the
    README's rows are the table's, the summary line counts the table's outcomes, both name the
    same run."""
    full = rendered_block(ROOT / "docs" / "results.md", render.RENDER_BEGIN, render.RENDER_END)
    brief = rendered_block(ROOT / "README.md", render.BRIEF_BEGIN, render.BRIEF_END)
    rows = table_rows(full, 9)
    assert len(rows) > 40, "docs/results.md has no rendered table"
    summary = re.search(r"(\d+) rows: (\d+) pass, (\d+) differs-explained, (\d+) FAIL, (\d+) error", full)
    outcomes = [row[7].split(" (")[0] for row in rows]
    assert [int(n) for n in summary.groups()] == [
        len(rows),
        outcomes.count("pass"),
        outcomes.count("differs-explained"),
        outcomes.count("FAIL"),
        outcomes.count("error"),
    ]
    first_line = full.strip().split("\n", 1)[0]
    assert "; complete;" in first_line and "incomplete" not in first_line
    by_key = {(row[0], row[1]): row for row in rows}
    headline = table_rows(brief, 5)
    assert headline, "the README has no headline rows"
    for lab, experiment, reported, reproduced, outcome in headline:
        row = by_key[lab, experiment]
        assert (reported, reproduced, outcome) == (row[3], row[4], row[7].split(" (")[0])
    assert summary.group(0) in brief
    started = re.search(r"started [0-9-]+ [0-9:]+", full).group(0)
    assert started in brief


def test_with_two_jobs_the_longest_runs_start_first():
    def run(module, seed=777):
        return runner.LabRun(module, (), seed, module)

    short, long, new, other_seed = run("a"), run("b"), run("c"), run("b", seed=1)
    times = {short.command: 10.0, long.command: 900.0}
    assert runner.start_order([short, long, new], times, jobs=1) == [short, long, new]  # table order
    # never timed counts as long; another seed of a timed run is expected to take as long as it did
    assert runner.start_order([short, other_seed, new, long], times, jobs=2) == [
        new,
        other_seed,
        long,
        short,
    ]
    assert runner.expected_seconds(other_seed, times) == 900.0
    assert runner.expected_seconds(new, times) is None


def test_every_run_of_the_table_writes_a_log_of_its_own():
    """Runs of one target with other flags (the 7-model ensemble, --source hunkim) or of
    another lab file must not overwrite each other's log."""
    from tools import runner
    from tools.experiments import EXPERIMENTS

    runs = runner.lab_runs(EXPERIMENTS, 3)
    names = [run.log_name for run in runs]
    assert len(set(names)) == len(names) == len({run.key for run in runs})


@pytest.mark.slow
def test_a_resumable_run_cut_off_goes_on_from_its_checkpoint_with_the_same_code(tmp_path):
    """A sitting that ends mid-run (the child killed) leaves the lab's checkpoints; the next
    sitting's run of the same lab, flags, seed and code goes on from them instead of from zero."""
    out, logs = tmp_path / "results", tmp_path / "logs"
    (out / "logs").mkdir(parents=True)
    (out / "runs").mkdir()
    spec = {
        "module": "lab13_3_mnist_save_restore",
        "argv": ["--epochs", "3", "--train-images", "500"],
        "seed": 777,
        "lab": "lab13-mnist-save-restore",
        "log_stem": None,
    }
    run = runner.LabRun(spec["module"], tuple(spec["argv"]), spec["seed"], spec["lab"])

    def child():
        command = [
            sys.executable,
            "-m",
            "tools.reproduce",
            "--run-one",
            json.dumps({**spec, "parent": os.getpid()}),
        ]
        command += ["--out", str(out), "--logdir", str(logs)]
        return subprocess.Popen(command, cwd=ROOT, start_new_session=True)

    first = child()
    folder = logs / "lab13-mnist-save-restore" / f"reproduce-{run.id}-{runner.code_version()}"
    deadline = time.monotonic() + 180
    while not list((folder / "checkpoints").glob("model-1.index")):
        assert first.poll() is None and time.monotonic() < deadline, "no checkpoint after the first epoch"
        time.sleep(0.1)
    os.killpg(first.pid, signal.SIGKILL)  # the sitting ends mid-run
    first.wait()
    assert runner.read_record(out, run) is None

    second = child()
    assert second.wait(timeout=300) == 0
    log = (out / "logs" / run.log_name).read_text()
    assert "Successfully loaded:" in log and re.search(r"Start learning from: [12]\b", log), log[-2000:]
    record = runner.read_record(out, run)
    assert record["error"] is None and record["figures"]["restored"]["holds"]
