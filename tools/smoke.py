"""``make smoke``: one short run of each kind of lab, as plain files in their own processes.

It proves the install works (packages, the data files, TensorFlow's graph mode, event files,
checkpoints) in about a minute, where ``make test`` takes about 18 minutes. The runs write
into a temporary folder that is removed afterwards; ``logs/`` is not touched.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common.cli import PROJECT_ROOT

# (what it proves, lab file, flags): each kind of lab once, at the shortest useful setting
RUNS = [
    ("full-batch toy (XOR, 2-2-1 net)", "lab09_2_xor_nn.py", ["--steps", "2001"]),
    ("TF1 queue reader on a CSV file", "lab04_4_tf_reader_linear_regression.py", ["--steps", "201"]),
    ("UCI table (Pima diabetes)", "lab05_2_logistic_regression_diabetes.py", ["--steps", "501"]),
    (
        "MNIST MLP with dropout",
        "lab10_5_mnist_nn_dropout.py",
        ["--epochs", "1", "--train-images", "2000"],
    ),
    ("MNIST CNN, checkpointed", "lab11_2_mnist_deep_cnn.py", ["--epochs", "1", "--train-images", "500"]),
    (
        "ensemble of 2 CNNs",
        "lab11_5_mnist_cnn_ensemble_layers.py",
        ["--epochs", "1", "--train-images", "500"],
    ),
    ("Keras document (model.fit)", "keras01_mnist_mlp1000.py", ["--epochs", "1", "--train-images", "2000"]),
    ("Fashion-MNIST", "keras00_2_fashion_mnist.py", ["--epochs", "1", "--train-images", "2000"]),
]


def run(description, lab_file, flags, logdir, env=None):
    """Run one lab file; (passed, seconds, what to print)."""
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "labs" / lab_file), *flags, "--logdir", str(logdir)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    seconds = time.perf_counter() - start
    results = sorted(Path(logdir).rglob("result.json"))
    if process.returncode != 0 or not results:
        last = (process.stderr.strip() or process.stdout.strip()).splitlines()[-1:] or ["no output"]
        return False, seconds, f"exit {process.returncode}: {last[0]}"
    accuracies = [json.loads(path.read_text()).get("accuracy") for path in results]
    shown = ", ".join(f"{a:.4f}" for a in accuracies if a is not None) or "-"
    return True, seconds, f"accuracy {shown}"


def main():
    start = time.perf_counter()
    # two labs at a time, a share of the cores each: most of a short run is starting Python and
    # TensorFlow, which one core does as fast as two
    jobs = min(2, os.cpu_count() or 1)
    env = {**os.environ, "LAB_INTRA_OP_THREADS": str(max(1, (os.cpu_count() or 1) // jobs))}
    with tempfile.TemporaryDirectory(prefix="smoke-") as folder, ThreadPoolExecutor(jobs) as pool:
        futures = [
            pool.submit(run, description, lab_file, flags, Path(folder) / str(number), env)
            for number, (description, lab_file, flags) in enumerate(RUNS, start=1)
        ]
        failed = 0
        for (description, lab_file, _), future in zip(RUNS, futures):
            passed, seconds, what = future.result()
            failed += not passed
            print(
                f"{'ok  ' if passed else 'FAIL'} {description:36} {lab_file:40} {seconds:5.1f} s  {what}",
                flush=True,
            )
    total = time.perf_counter() - start
    print(
        f"smoke: {len(RUNS) - failed} of {len(RUNS)} kinds of lab ran in {total:.0f} s ({jobs} at a time)"
        + ("" if not failed else "; see the failures above")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
