"""Faults, injected for real: clean-logs on dangerous folders, bad input, two processes on one run
folder, damaged or moved checkpoints, and kills at awkward moments followed by a resume."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from common.run_folder import checkpoint_fingerprint

ROOT = Path(__file__).resolve().parent.parent
CNN = "labs/lab11_1_mnist_cnn.py"  # resumable and without dropout: a resumed run is bit-exact
SHORT = ["--train-images", "1000", "--run-name", "r"]


def lab(script, *flags, timeout=600):
    return subprocess.run(
        [sys.executable, script, *flags], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def one_line_error(result):
    """The error's one line (argparse prints its usage lines above it)."""
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(errors) == 1, result.stderr
    return errors[0]


# ---------------------------------------------------------------- make clean-logs


def made_run(logdir, lab, run):
    """A run folder as every lab leaves one: events and the run.json naming its lab."""
    folder = logdir / lab / run
    folder.mkdir(parents=True)
    (folder / "events.out.tfevents.1.host").write_bytes(b"x")
    (folder / "run.json").write_text(json.dumps({"lab": lab, "seed": 777}))
    return folder


@pytest.fixture
def project_copy(tmp_path):
    """What clean-logs needs of the project (Makefile, common/ and tools/), with runs and a stranger."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "Makefile", copy)
    shutil.copytree(ROOT / "common", copy / "common", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tools", copy / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    for lab_name, run in (("lab07-mnist", "a"), ("lab11-ensemble", "b")):
        made_run(copy / "logs", lab_name, run)
    (copy / "logs" / ".gitkeep").touch()
    (copy / ".git").mkdir()
    (copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "marker").write_text("keep me")
    return copy, outside


def make(copy, *args, env=None):
    return subprocess.run(
        ["make", "--no-print-directory", "clean-logs", *args],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_clean_logs_ignores_logdir_from_the_environment(project_copy):
    copy, outside = project_copy
    for value in ("", str(outside), "/"):
        assert make(copy, env={"LOGDIR": value}).returncode == 0
    assert (outside / "marker").read_text() == "keep me"
    assert (copy / ".git" / "HEAD").exists() and (copy / "Makefile").exists()
    assert sorted(p.name for p in (copy / "logs").iterdir()) == [".gitkeep"]


@pytest.mark.parametrize("value", ["", "/", "~", "OUTSIDE", "PROJECT"])
def test_clean_logs_refuses_a_folder_that_is_not_lab_runs(project_copy, value):
    copy, outside = project_copy
    value = {"OUTSIDE": str(outside), "PROJECT": str(copy), "~": str(Path.home())}.get(value, value)
    result = make(copy, f"LOGDIR={value}")
    assert result.returncode != 0 and "clean-logs:" in result.stderr
    assert (outside / "marker").exists() and (copy / "logs" / "lab07-mnist" / "a").exists()


def test_clean_logs_cleans_a_named_folder_of_lab_runs(project_copy, tmp_path):
    copy, _ = project_copy
    runs = tmp_path / "runs"
    made_run(runs, "lab09-xor-nn", "x")
    assert make(copy, f"LOGDIR={runs}").returncode == 0
    assert list(runs.iterdir()) == [] and (copy / "logs" / "lab07-mnist").exists()


def test_clean_logs_deletes_runs_only_and_follows_a_linked_logs(project_copy, tmp_path):
    """A real lab's run folder is deleted; a user's notes in a lab-like folder and a results
    folder in the link's target are kept; --dry-run lists and deletes nothing."""
    copy, _ = project_copy
    bigger_disk = tmp_path / "bigger-disk"
    shutil.move(str(copy / "logs"), str(bigger_disk))
    (copy / "logs").symlink_to(bigger_disk)
    (bigger_disk / "lab10-batch-norm-best").mkdir()
    (bigger_disk / "lab10-batch-norm-best" / "notes.txt").write_text("mine")
    (bigger_disk / "lab07-myresults").mkdir()
    (bigger_disk / "lab07-myresults" / "thesis.txt").write_text("mine too")
    real = lab("labs/lab09_2_xor_nn.py", "--steps", "10", "--logdir", str(bigger_disk), "--run-name", "real")
    assert real.returncode == 0, real.stderr
    listed = make(copy, "ARGS=--dry-run")
    assert listed.returncode == 0 and "would delete 3 run(s)" in listed.stdout, listed.stdout
    assert "lab09-xor-nn/real" in listed.stdout and (bigger_disk / "lab09-xor-nn" / "real").exists()
    result = make(copy)
    assert result.returncode == 0 and "deleted 3 run(s)" in result.stdout, result.stdout + result.stderr
    assert (bigger_disk / "lab10-batch-norm-best" / "notes.txt").read_text() == "mine"
    assert (bigger_disk / "lab07-myresults" / "thesis.txt").read_text() == "mine too"
    assert not (bigger_disk / "lab09-xor-nn").exists() and (copy / "logs").is_symlink()


def test_clean_logs_keeps_a_run_whose_lock_another_process_holds(project_copy):
    copy, _ = project_copy
    live = copy / "logs" / "lab07-mnist" / "a"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from common import run_lock; "
            "held = run_lock.take(sys.argv[1]); print('locked', flush=True); time.sleep(60)",
            str(live),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = make(copy)
        assert result.returncode == 0, result.stderr
        assert f"kept lab07-mnist/a: in use by PID {holder.pid}" in result.stdout
        assert live.exists() and not (copy / "logs" / "lab11-ensemble").exists()
    finally:
        holder.kill()
        holder.wait()


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--batch-size", "100000"], "more than the 55,000 training images"),
        (["--train-images", "70000"], "more than the 55,000 training images"),
        (["--seed", "4294967296"], "above the largest seed"),
        (["--logdir", "FILE"], "is a file, not a folder"),
        (["--logdir", "FILE/below"], "is a file, not a folder"),
        (["--data-dir", "DIR_FOR_FILE"], "is a folder where the data file belongs"),
        (["--data-dir", "FILE"], "is a file, not a folder"),
        (["--epoch", "1"], "unrecognized arguments: --epoch"),  # no abbreviations
        (["--learning-rate", "-1e-3"], "-1e-3 must be a finite number above 0"),
        (["--learning-rate", "1e39"], "above float32's largest number"),
    ],
)
def test_bad_input_is_refused_in_one_line_with_nothing_written(tmp_path, flags, message):
    (tmp_path / "file").write_text("not a folder")
    data = tmp_path / "data"
    data.mkdir()
    (data / "train-images-idx3-ubyte").mkdir()  # a folder where a file belongs
    logs = tmp_path / "logs"
    flags = [
        {
            "FILE": str(tmp_path / "file"),
            "FILE/below": str(tmp_path / "file" / "below"),
            "DIR_FOR_FILE": str(data),
        }.get(flag, flag)
        for flag in flags
    ]
    if "--logdir" not in flags:
        flags += ["--logdir", str(logs)]
    result = lab("labs/lab07_4_mnist_introduction.py", *flags)
    assert message in one_line_error(result)
    assert not logs.exists() and (tmp_path / "file").read_text() == "not a folder"


def test_a_read_only_logdir_is_refused_before_the_data_loads(tmp_path):
    read_only = tmp_path / "ro"
    read_only.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(read_only)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("this machine does not let the test mount a read-only file system")
    try:
        result = lab("labs/lab07_4_mnist_introduction.py", "--logdir", str(read_only / "logs"))
        assert "is not writable" in one_line_error(result)
    finally:
        subprocess.run(["umount", str(read_only)])


# ---------------------------------------------------------------- one process per run folder


def start(script, *flags):
    return subprocess.Popen(
        [sys.executable, script, *flags],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # lines as they come


def wait_for(path, process, timeout=300):
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def test_a_second_process_on_a_run_folder_is_refused(tmp_path):
    # 20 epochs: the first run is still busy while the others start
    flags = ["--epochs", "20", "--train-images", "5000", "--run-name", "r", "--logdir", str(tmp_path)]
    run_dir = tmp_path / "lab11-mnist-cnn" / "r"
    first = start(CNN, *flags)
    try:
        wait_for(run_dir / "checkpoints" / "model-1.index", first)
        for extra in ([], ["--fresh"]):
            second = lab(CNN, *flags, *extra)
            assert f"in use by another run (PID {first.pid})" in one_line_error(second)
        assert first.poll() is None, "the first run ended before the test could check the lock"
    finally:
        first.kill()
        first.communicate()
    # --fresh deleted nothing under the first run
    assert list((run_dir / "checkpoints").glob("model-*.index")) and (run_dir / "run.json").exists()
    # the kernel released the killed run's lock: the folder is free (other settings are refused
    # for what they are, not for a lock)
    after = lab(CNN, *flags, "--learning-rate", "0.01")
    assert "started with other settings" in one_line_error(after)


# ---------------------------------------------------------------- damaged and moved checkpoints


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """Five epochs, made in two processes (killed after epoch 2, then resumed)."""
    logdir = tmp_path_factory.mktemp("finished")
    flags = ["--epochs", "5", *SHORT, "--logdir", str(logdir)]
    run_dir = logdir / "lab11-mnist-cnn" / "r"
    process = start(CNN, *flags)
    wait_for(run_dir / "checkpoints" / "model-2.index", process)
    process.kill()
    process.communicate()
    resumed = lab(CNN, *flags)
    assert resumed.returncode == 0 and "resuming" in resumed.stdout, resumed.stderr
    return flags, run_dir


def copy_run(finished_run, tmp_path, name="copy"):
    flags, run_dir = finished_run
    logdir = tmp_path / name
    shutil.copytree(run_dir, logdir / "lab11-mnist-cnn" / "r")
    return [*flags[:-1], str(logdir)], logdir / "lab11-mnist-cnn" / "r"


def test_every_checkpoint_on_disk_is_found_and_the_last_three_are_kept(finished_run):
    _, run_dir = finished_run
    # the second process pruned the first one's saves too
    assert sorted(p.name for p in (run_dir / "checkpoints").glob("*.index")) == [
        "model-3.index",
        "model-4.index",
        "model-5.index",
    ]


def test_a_truncated_newest_checkpoint_falls_back_to_the_one_before(finished_run, tmp_path):
    flags, run_dir = copy_run(finished_run, tmp_path)
    data = next((run_dir / "checkpoints").glob("model-5.data-*"))
    data.write_bytes(data.read_bytes()[:100])
    result = lab(CNN, *flags)
    assert result.returncode == 0, result.stderr
    assert "model-5 is unreadable" in result.stdout and "after epoch 4" in result.stdout
    assert "Epoch: 0005" in result.stdout


def test_a_garbage_index_and_a_moved_folder_still_resume(finished_run, tmp_path):
    flags, run_dir = copy_run(finished_run, tmp_path)
    (run_dir / "checkpoints" / "checkpoint").write_text("\x00garbage{{{")
    moved = tmp_path / "elsewhere"
    shutil.move(str(tmp_path / "copy"), str(moved))
    result = lab(CNN, *flags[:-1], str(moved))
    assert result.returncode == 0, result.stderr
    assert "after epoch 5" in result.stdout and "Epoch: 0001" not in result.stdout


def test_no_loadable_checkpoint_stops_with_a_message(finished_run, tmp_path):
    flags, run_dir = copy_run(finished_run, tmp_path)
    for data in (run_dir / "checkpoints").glob("model-*.data-*"):
        data.write_bytes(b"")
    message = one_line_error(lab(CNN, *flags))
    assert "no checkpoint" in message and "model-5" in message and "--fresh" in message


@pytest.mark.parametrize("sidecar", ["run.json", "epoch_costs.json"])
def test_a_damaged_sidecar_names_the_file_and_suggests_fresh(finished_run, tmp_path, sidecar):
    flags, run_dir = copy_run(finished_run, tmp_path)
    (run_dir / sidecar).write_text("{not json")
    message = one_line_error(lab(CNN, *flags))
    assert sidecar in message and "--fresh" in message


# ---------------------------------------------------------------- kills, then resume


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    logdir = tmp_path_factory.mktemp("whole")
    assert lab(CNN, "--epochs", "4", *SHORT, "--logdir", str(logdir)).returncode == 0
    return checkpoint_fingerprint(str(logdir / "lab11-mnist-cnn" / "r" / "checkpoints" / "model-4"))


def kill_when(process, ready, timeout=300, pause=0.002):
    """SIGKILL ``process`` as soon as ``ready()``; False when it ended before that."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            process.communicate()
            return False
        assert time.monotonic() < deadline, "the kill point never came"
        time.sleep(pause)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return True


def saving(checkpoints):
    """The Saver is writing: its temporary files of a checkpoint exist."""
    try:
        return any("temp" in entry.name for entry in os.scandir(checkpoints))
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("kill_point", ["saving", "after-epoch-2", "right-after-resume"])
def test_killed_anywhere_then_resumed_gives_the_uninterrupted_weights(tmp_path, uninterrupted, kill_point):
    flags = ["--epochs", "4", *SHORT, "--logdir", str(tmp_path)]
    checkpoints = tmp_path / "lab11-mnist-cnn" / "r" / "checkpoints"
    if kill_point == "saving":
        # a save lasts milliseconds: poll without pausing, and try a few runs (4 saves each)
        for attempt in range(5):
            if kill_when(start(CNN, *flags, "--fresh"), lambda: saving(checkpoints), pause=0):
                break
        else:
            pytest.fail("no run was caught while saving a checkpoint in 5 tries")
    else:
        assert kill_when(start(CNN, *flags), lambda: (checkpoints / "model-2.index").exists())
    if kill_point == "right-after-resume":
        second = start(CNN, *flags)
        for line in second.stdout:
            if line.startswith("resuming"):
                second.send_signal(signal.SIGKILL)
                break
        second.communicate()
    result = lab(CNN, *flags)
    assert result.returncode == 0, result.stderr
    assert checkpoint_fingerprint(str(checkpoints / "model-4")) == uninterrupted


# ---------------------------------------------------------------- runs that must not be lost or mixed


def test_checkpoint_data_without_an_index_is_refused_not_overwritten(finished_run, tmp_path):
    flags, run_dir = copy_run(finished_run, tmp_path)
    for index in (run_dir / "checkpoints").glob("*.index"):
        index.unlink()
    data = {path: path.read_bytes() for path in (run_dir / "checkpoints").glob("model-*.data-*")}
    message = one_line_error(lab(CNN, *flags))
    assert "no readable index" in message and "--fresh" in message
    assert {path: path.read_bytes() for path in data} == data


def test_a_finished_run_without_its_costs_is_refused(finished_run, tmp_path):
    flags, run_dir = copy_run(finished_run, tmp_path)
    (run_dir / "epoch_costs.json").unlink()
    message = one_line_error(lab(CNN, *flags))
    assert "epoch_costs.json" in message and "--fresh" in message


def test_a_reused_run_name_is_refused_in_a_lab_that_does_not_resume(tmp_path):
    flags = ["--steps", "10", "--logdir", str(tmp_path), "--run-name", "mine"]
    assert lab("labs/lab09_2_xor_nn.py", *flags).returncode == 0
    run_dir = tmp_path / "lab09-xor-nn" / "mine"
    result = (run_dir / "result.json").read_bytes()
    events = sorted(path.name for path in run_dir.rglob("events.out.tfevents.*"))
    for other in (["--learning-rate", "0.5"], []):  # other settings, or the same ones again
        message = one_line_error(lab("labs/lab09_2_xor_nn.py", *flags, *other))
        assert "holds an earlier run" in message and "--run-name" in message
    assert (run_dir / "result.json").read_bytes() == result
    assert sorted(path.name for path in run_dir.rglob("events.out.tfevents.*")) == events


# ---------------------------------------------------------------- divergence and a full disk


def test_divergence_met_by_a_histogram_summary_exits_3(tmp_path):
    result = lab(
        "labs/lab07_4_mnist_introduction.py",
        *["--epochs", "1", "--train-images", "2000", "--learning-rate", "1e3", "--summary-every", "1"],
        *["--logdir", str(tmp_path)],
    )
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr
    assert len(errors) == 1 and "diverged" in errors[0]


@pytest.fixture
def full_disk(tmp_path):
    """A real 200 KB tmpfs: a run fills it."""
    disk = tmp_path / "small"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs needs root: {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", str(disk)])


@pytest.mark.parametrize(
    "script, flags",
    [
        (CNN, ["--epochs", "1", "--train-images", "2000"]),  # the checkpoint's save fills it
        (
            "labs/lab07_4_mnist_introduction.py",
            ["--epochs", "1", "--train-images", "5000", "--summary-every", "1"],
        ),
    ],
    ids=["checkpoint", "events-and-figures"],
)
def test_a_full_disk_is_one_line_and_leaves_no_temporary_file(full_disk, script, flags):
    result = lab(script, *flags, "--logdir", str(full_disk))
    assert "no space left on" in one_line_error(result)
    left = [p.name for p in full_disk.rglob("*") if p.name.endswith(".tmp") or "tempstate" in p.name]
    assert left == []


# ---------------------------------------------------------------- the cluster demo


def test_the_cluster_demo_refuses_zero_workers():
    result = subprocess.run(
        [sys.executable, "-m", "tools.cluster_demo", "--workers", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "0 must be positive" in one_line_error(result)


def test_survivors_of_a_failed_task_are_not_called_timed_out(tmp_path):
    from tools.cluster_demo import Cluster, task_state, wait_for

    with Cluster(tmp_path) as cluster:
        cluster.start("worker0", [sys.executable, "-c", "raise SystemExit(1)"])
        cluster.start("worker1", ["sleep", "60"])
        started = time.monotonic()
        codes, timed_out = wait_for(cluster, ["worker0", "worker1"], timeout=50)
        assert time.monotonic() - started < 30 and not timed_out
    assert codes["worker0"] == 1 and codes["worker1"] is None
    assert task_state(codes["worker1"], timed_out, ["worker0"]) == (
        "still running, stopped by the demo after worker0 failed"
    )


# ---------------------------------------------------------------- make reproduce and results-doc

TWO_LABS = ("lab07-learning-rate", "lab09-xor-by-hand")  # two quick toy labs


def render_command(document, out, *extra):
    command = [sys.executable, "-m", "tools.reproduce", "--render", str(document), "--out", str(out), *extra]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_subset_merges_into_the_table_and_a_partial_table_is_not_rendered(tmp_path, monkeypatch, capsys):
    from tools import render, reproduce, runner
    from tools.experiments import EXPERIMENTS

    table_rows = [row for row in EXPERIMENTS if row.target in TWO_LABS]
    out, logs = tmp_path / "results", tmp_path / "logs"
    flags = ["--out", str(out), "--logdir", str(logs)]
    assert reproduce.main(["--labs", ",".join(TWO_LABS), *flags], experiments=table_rows) == 0
    first = json.loads((out / "reproduce.json").read_text())
    assert first["complete"] and {row["lab"] for row in first["rows"]} == set(TWO_LABS)
    document = tmp_path / "results.md"
    document.write_text(f"# R\n\n{render.RENDER_BEGIN}\n{render.RENDER_END}\n")
    document.chmod(0o640)
    render_flags = ["--render", str(document), "--out", str(out)]
    assert reproduce.main(render_flags, experiments=table_rows) == 0
    rendered = document.read_text()
    assert document.stat().st_mode & 0o777 == 0o640  # the document keeps its mode

    # the code changes, and only one lab runs again: the other's rows stay, with their code version
    monkeypatch.setattr(runner, "code_version", lambda: "newer-code")
    assert reproduce.main(["--labs", TWO_LABS[1], *flags], experiments=table_rows) == 0
    second = json.loads((out / "reproduce.json").read_text())
    kept = [row for row in second["rows"] if row["lab"] == TWO_LABS[0]]
    assert [row["experiment"] for row in kept] == [row["experiment"] for row in first["rows"][: len(kept)]]
    assert {row["code_version"] for row in kept} == {first["code_version"]}
    assert not second["complete"] and second["rows_current"] == len(second["rows"]) - len(kept)
    capsys.readouterr()
    assert reproduce.main(render_flags, experiments=table_rows) == 2
    [refusal] = capsys.readouterr().err.splitlines()
    assert refusal.startswith("error: ") and "not complete for the current code" in refusal
    assert document.read_text() == rendered
    assert reproduce.main([*render_flags, "--partial"], experiments=table_rows) == 0
    assert "incomplete: 1 of" in document.read_text() and document.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("content", ["{}", "[]", "null", '{"rows": 3', ""])
def test_rendering_a_table_of_the_wrong_shape_is_one_line_naming_it(tmp_path, content):
    out = tmp_path / "results"
    out.mkdir()
    (out / "reproduce.json").write_text(content)
    document = tmp_path / "results.md"
    document.write_text("unchanged\n")
    message = one_line_error(render_command(document, out))
    assert str(out / "reproduce.json") in message and document.read_text() == "unchanged\n"


def children_of_reproduction(out):
    """PIDs of lab runs that a reproduction writing to ``out`` started."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--run-one" in command and str(out).encode() in command:
            found.append(int(proc.name))
    return found


def test_a_lab_run_ends_with_its_reproduction_even_after_kill_9(tmp_path):
    out = tmp_path / "results"
    parent = subprocess.Popen(
        [sys.executable, "-m", "tools.reproduce", "--labs", "lab09-xor-wide-deep", "--out", str(out)]
        + ["--logdir", str(tmp_path / "logs")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (children := children_of_reproduction(out)):
        assert parent.poll() is None and time.monotonic() < deadline, "no lab run started"
        time.sleep(0.05)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 20
    while children_of_reproduction(out):
        assert time.monotonic() < deadline, f"lab run {children} outlived its reproduction"
        time.sleep(0.1)
    assert list((out / "runs").glob("*.json")) == []  # no record to reuse
