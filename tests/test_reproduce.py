"""`make reproduce`: the results table, failed and interrupted runs, bad input."""

import json
import re
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from common import reproduce

ROOT = Path(__file__).resolve().parent.parent


def test_table_for_the_toy_labs_and_a_failing_lab(tmp_path, monkeypatch):
    broken = reproduce.Experiment(
        "lab-broken", "a lab that crashes", "nowhere", "no_such_module", [], 1.0, 0.0, reproduce.accuracy
    )
    monkeypatch.setattr(reproduce, "EXPERIMENTS", [broken] + reproduce.EXPERIMENTS)
    monkeypatch.setattr(reproduce, "LABS", ["lab-broken"] + reproduce.LABS)
    code = reproduce.main(
        [
            "--labs",
            "lab-broken,lab07-learning-rate,lab09-xor-logistic",
            "--out",
            str(tmp_path / "results"),
            "--logdir",
            str(tmp_path / "logs"),
        ]
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
    assert "| lab07-learning-rate | lr 1.5: diverges | seed 004 | cost -> nan | nan at step" in markdown
    assert "| error |" in markdown and "5 rows, 4 passing; complete" in markdown
    # each lab's whole output is kept, the environment recorded
    log = (tmp_path / "results" / "logs" / "lab09-xor-logistic.log").read_text()
    assert log.startswith("$ python -m labs.lab09_1_xor_logistic") and "Accuracy" in log
    assert "ModuleNotFoundError" in (tmp_path / "results" / "logs" / "lab-broken.log").read_text()
    assert {"tensorflow", "onednn", "cpu", "vector_isa", "cores", "commit", "dirty", "date"} <= set(
        table["environment"]
    )
    assert "Measured on: " in markdown


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
    assert "1 lab runs; ETA 0:00:00 + 1 run(s) never timed" in first
    [took] = json.loads((tmp_path / "results" / "run_times.json").read_text()).values()
    assert reproduce.main(flags) == 0
    second = capsys.readouterr().out
    # the whole run's ETA before it starts is the first run's measured time
    hours, minutes, secs = re.search(r"1 lab runs; ETA (\d+):(\d\d):(\d\d)", second).groups()
    assert int(hours) * 3600 + int(minutes) * 60 + int(secs) == round(took)


def test_seeds_give_mean_and_spread():
    row = reproduce.Row("x", "y", "z", 0.9)
    reproduce.summarize(row, reproduce.Experiment("x", "y", "z", "m", [], 0.9, 0.01), [0.89, 0.91, 0.90])
    assert row.reproduced == 0.9 and row.passed
    assert row.spread.startswith("0.9000 ± 0.0100 (n=3); reported within")
    reproduce.summarize(row, reproduce.Experiment("x", "y", "z", "m", [], 0.95, 0.01), [0.89, 0.91, 0.90])
    assert not row.passed and "outside the spread" in row.spread
    assert reproduce.seeds_for(3) == [777, 1, 2]


def test_interrupted_reproduction_keeps_finished_rows(tmp_path):
    out, logs = tmp_path / "results", tmp_path / "logs"
    # -X faulthandler: if the run ever ignores Ctrl-C, SIGABRT below shows where it was stuck
    process = subprocess.Popen(
        [
            sys.executable,
            "-X",
            "faulthandler",
            "-m",
            "common.reproduce",
            "--labs",
            "lab07-learning-rate,lab10-xor-deep",
            "--out",
            str(out),
            "--logdir",
            str(logs),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    while not list(logs.glob("lab10-xor-deep/*/1-sigmoid/events.*")):  # the long deep-XOR run began
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.2)
    time.sleep(1)
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
    assert table["complete"] is False and len(table["rows"]) == 3
    assert "incomplete" in (out / "reproduce.md").read_text()
    assert not list(out.glob(".*")), "a half-written table was left behind"


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
        [sys.executable, "-m", "common.reproduce", "--data-dir", str(tmp_path / "none")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr
