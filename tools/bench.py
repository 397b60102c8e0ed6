"""`make bench`: training speed of the labs' graph-mode path against Keras 3 ``model.fit``.

Each measurement runs in its own process, so peak memory is that process's own:
- ``ceiling``: a large fp32 matrix product in TensorFlow and in NumPy (its BLAS), GFLOP/s; the
  faster is the machine's practical peak;
- ``graph``: the lab itself (its ``main()``: the lecture's loop of ``next_batch`` and
  ``sess.run(..., feed_dict=...)``, summaries every 50 steps into a FileWriter), on real MNIST,
  with the labs' oneDNN kernels and thread settings; its first epoch warms up and each later
  epoch of ``--steps`` steps is timed; ``before`` is the same with the labs' earlier settings:
  TensorFlow's Eigen kernels (oneDNN off, its default on CPUs without AVX-512) and two
  ops at once;
- ``keras3``: the identical architecture with Keras 3 ``model.fit`` (``tools.bench_keras3``,
  started without the legacy-Keras switch), on the same images, with TensorFlow's default
  kernels for this CPU (what a Keras user gets) and with oneDNN on (the labs' kernels).
Models: the lab 11 deep CNN and the lab 10 deep MLP (784-512x4-10). Each worker times
``--steps`` steps after a warm-up; each of ``--rounds`` rounds runs every worker once, in turn.
The table gives the median images/s over the rounds and the spread (min-max), the ratios to
Keras, the fraction of the matrix-product ceiling (FLOPs per training image counted from the
layer shapes, x3 for forward + backward) and peak resident memory. ``ensemble`` (lab 11-5's two
CNNs) compares one ``session.run`` per step for both members, a core each (the lab's default),
with the lecture's ``m.train()`` per member in turn (the lab's ``--train-in-turn``).
Results go to ``results/bench.json``.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import cli

RESULTS = cli.PROJECT_ROOT / "results" / "bench.json"
BENCHED_MODELS = ("cnn", "mlp", "ensemble")


def forward_flops(model):
    """Multiply-adds x2 of one image's forward pass (one member's, for the ensemble)."""
    if model in ("cnn", "ensemble"):  # 3x3 SAME convs on 28x28, 14x14, 7x7, then 2048 -> 625 -> 10
        convs = [(28, 1, 32), (14, 32, 64), (7, 64, 128)]
        return sum(2 * side * side * 9 * c_in * c_out for side, c_in, c_out in convs) + 2 * (
            2048 * 625 + 625 * 10
        )
    widths = [784, 512, 512, 512, 512, 10]
    return sum(2 * a * b for a, b in zip(widths, widths[1:]))


def training_flops(model):
    return 3 * forward_flops(model)  # backward ~ twice the forward


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(step, steps, repeats, work_per_step, warmup=20):
    """``repeats`` rates of work per second (images, GFLOP), each over ``steps`` timed steps."""
    for _ in range(warmup):
        step()
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(steps * work_per_step / (time.perf_counter() - start))
    return rates


# the lab each model is, and the flags that pick it
LAB_OF_MODEL = {
    "cnn": ("lab11_2_mnist_deep_cnn", []),
    "mlp": ("lab10_4_mnist_nn_deep", []),
    "ensemble": ("lab11_5_mnist_cnn_ensemble_layers", ["--models", "2"]),
}


def run_lab(model, steps, batch_size, epochs, extra_flags=(), logdir=None):
    """The lab's own ``main()`` in this process, its printing silenced: ``epochs`` epochs of
    ``steps`` steps (a training set of ``steps * batch_size`` images); returns its Result."""
    import contextlib
    import importlib
    import io

    module, flags = LAB_OF_MODEL[model]
    lab = importlib.import_module(f"labs.{module}")
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        return lab.main(
            [
                *flags,
                *extra_flags,
                "--epochs",
                str(epochs),
                "--train-images",
                str(steps * batch_size),
                "--batch-size",
                str(batch_size),
                "--logdir",
                logdir or tmp,
                "--run-name",
                "bench",
            ]
        )


def graph_worker(model, steps, repeats, batch_size, in_turn=False):
    """Images/s of the lab's own training loop: its first epoch warms up (graph, session,
    kernels), each later one of ``steps`` steps is a measurement. ``in_turn`` (the ensemble)
    trains each member with its own ``m.train()`` call, as the lecture does."""
    result = run_lab(model, steps, batch_size, 1 + repeats, ["--train-in-turn"] if in_turn else [])
    return [steps * batch_size / seconds for seconds in result.epoch_seconds[1:]]


def kernel_of(node):
    """A traced node's op type as it ran (``_MklNativeConv2D`` where oneDNN replaced ``Conv2D``)."""
    found = re.search(r"= (\w+)\(", node.timeline_label)
    return found.group(1) if found else node.node_name


def profile_worker(model, batch_size, steps=20, warmup=5):
    """Where a training step's time goes: op time summed by op type over traced steps of the
    lab's own loop (its ``session.run`` calls are traced from here, the lab unchanged)."""
    from collections import Counter

    from common.tf1 import tf

    by_type, calls = Counter(), [0]
    plain_run = tf.Session.run

    def traced_run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        calls[0] += 1
        # the first calls initialize and warm up; only training steps (fed batches) count
        if not (feed_dict and warmup < calls[0] <= warmup + steps):
            return plain_run(self, fetches, feed_dict, options, run_metadata)
        metadata = tf.RunMetadata()
        value = plain_run(
            self, fetches, feed_dict, tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), metadata
        )
        for device in metadata.step_stats.dev_stats:
            for node in device.node_stats:
                by_type[kernel_of(node)] += node.all_end_rel_micros
        return value

    tf.Session.run = traced_run
    try:
        run_lab(model, warmup + steps + 5, batch_size, epochs=1)
    finally:
        tf.Session.run = plain_run
    total = sum(by_type.values())
    return [(op, round(100 * micros / total, 1)) for op, micros in by_type.most_common(12)]


def ceiling_worker(size=2048, repeats=5):
    """GFLOP/s of a ``size`` x ``size`` fp32 matrix product: TensorFlow's kernels and NumPy's BLAS."""
    import numpy as np

    from common.tf1 import new_session, tf

    a = tf.Variable(tf.random_normal([size, size]))
    b = tf.Variable(tf.random_normal([size, size]))
    product = tf.reduce_sum(tf.matmul(a, b))
    flop = 2 * size**3
    with new_session() as sess:
        sess.run(tf.global_variables_initializer())
        rates = {"tensorflow": measure(lambda: sess.run(product), 1, repeats, flop / 1e9, warmup=1)}
    x, y = np.random.rand(size, size).astype(np.float32), np.random.rand(size, size).astype(np.float32)
    rates["numpy"] = measure(lambda: x @ y, 1, repeats, flop / 1e9, warmup=1)
    return rates


def run_worker(module, argv, onednn=True, legacy_keras=True, before=False):
    """``python -m module argv`` in a fresh process; its last output line is JSON.

    ``onednn`` None leaves TensorFlow's own choice for this CPU; ``before`` gives the labs the
    session threads they had before the speed-up (all cores per op, two ops at once)."""
    env = dict(os.environ)
    env.pop("TF_ENABLE_ONEDNN_OPTS", None)
    for name in ("LAB_INTRA_OP_THREADS", "LAB_INTER_OP_THREADS"):
        env.pop(name, None)
    if onednn is not None:
        env["TF_ENABLE_ONEDNN_OPTS"] = "1" if onednn else "0"
    if before:
        env.update(LAB_INTRA_OP_THREADS=str(os.cpu_count() or 1), LAB_INTER_OP_THREADS="2")
    if not legacy_keras:
        env.pop("TF_USE_LEGACY_KERAS", None)
    result = subprocess.run(
        [sys.executable, "-m", module, *argv], cwd=cli.PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(argv)} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def summary(rates):
    return {
        "median": statistics.median(rates),
        "min": min(rates),
        "max": max(rates),
        "runs": [round(r, 1) for r in rates],
    }


# (key, label, worker module, extra worker flags, oneDNN, legacy Keras) measured per model
PEERS = {
    "cnn": [
        ("graph", "graph mode", "tools.bench", [], True, True),
        (
            "graph_before",
            "graph mode, earlier settings (Eigen, 2 ops at once)",
            "tools.bench",
            [],
            False,
            True,
        ),
        ("keras3", "Keras 3 fit", "tools.bench_keras3", [], None, False),
        ("keras3_onednn", "Keras 3, oneDNN", "tools.bench_keras3", [], True, False),
    ],
    "ensemble": [
        ("graph", "one run", "tools.bench", [], True, True),
        ("graph_in_turn", "a run per member", "tools.bench", ["--in-turn"], True, True),
        ("graph_before", "one run, earlier settings", "tools.bench", [], False, True),
    ],
}
PEERS["mlp"] = PEERS["cnn"]


def bench_model(model, steps, rounds, batch_size, gflops):
    """Each peer's images/s over ``rounds`` rounds; a round runs every peer once, one after the
    other, so a change in the machine's speed (a virtual machine's neighbours) hits all peers."""
    rates = {key: [] for key, *_ in PEERS[model]}
    peak = dict.fromkeys(rates, 0.0)
    for done in range(rounds):
        for key, label, module, flags, onednn, legacy in PEERS[model]:
            argv = (["--worker", "graph"] if module == "tools.bench" else []) + [
                "--model",
                model,
                *flags,
                "--steps",
                str(steps),
                "--repeats",
                "1",
                "--batch-size",
                str(batch_size),
            ]
            measured = run_worker(
                module, argv, onednn=onednn, legacy_keras=legacy, before=key == "graph_before"
            )
            rates[key] += measured["rates"]
            peak[key] = max(peak[key], measured["peak_rss_mib"])
        print(
            f"{model}, round {done + 1}/{rounds}: "
            + ", ".join(f"{label} {rates[key][-1]:,.0f}" for key, label, *_ in PEERS[model])
            + " img/s",
            flush=True,
        )
    row = {"model": model}
    for key, label, *_ in PEERS[model]:
        row[key] = {**summary(rates[key]), "label": label, "peak_rss_mib": round(peak[key])}
    members = 2 if model == "ensemble" else 1
    ceiling_rate = gflops * 1e9 / (members * training_flops(model))
    row.update(
        training_mflop_per_image=round(members * training_flops(model) / 1e6, 1),
        ceiling_images_per_second=round(ceiling_rate),
        fraction_of_ceiling=row["graph"]["median"] / ceiling_rate,
    )
    peers = [key for key, *_ in PEERS[model][1:]]
    row["ratios"] = {peer: row["graph"]["median"] / row[peer]["median"] for peer in peers}
    return row


def print_table(rows):
    print(
        "\n| model | measurement | images/s, median (min-max) | graph mode's ratio | peak RSS |\n"
        "|---|---|---|---|---|"
    )
    for row in rows:
        for key, label, *_ in PEERS[row["model"]]:
            m = row[key]
            ratio = (
                f"{row['ratios'][key]:.2f}x"
                if key in row["ratios"]
                else f"{100 * row['fraction_of_ceiling']:.0f}% of the ceiling's "
                f"{row['ceiling_images_per_second']:,}"
            )
            print(
                f"| {row['model']} | {label} | {m['median']:,.0f} ({m['min']:,.0f}-{m['max']:,.0f}) | "
                f"{ratio} | {m['peak_rss_mib']} MiB |"
            )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=cli.positive_int, default=150, help="timed steps per repeat")
    parser.add_argument(
        "--rounds",
        type=cli.positive_int,
        default=3,
        help="each round runs every measurement once, in a process of its own",
    )
    parser.add_argument("--repeats", type=cli.positive_int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=cli.positive_int, default=100)
    parser.add_argument("--models", default=",".join(BENCHED_MODELS), help=",".join(BENCHED_MODELS))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--profile", action="store_true", help="only print where a training step's time goes, by op type"
    )
    parser.add_argument("--worker", choices=["graph", "ceiling"], help=argparse.SUPPRESS)
    parser.add_argument("--model", choices=BENCHED_MODELS, help=argparse.SUPPRESS)
    parser.add_argument("--in-turn", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.profile:
        for model in ("cnn", "mlp"):
            print(f"{model}: share of op time by op type (traced steps of batch {args.batch_size})")
            for op, share in profile_worker(model, args.batch_size):
                print(f"  {op:<32} {share:5.1f}%")
        return 0
    if args.worker:  # one measurement, in this process; JSON on the last line
        rates = (
            ceiling_worker()
            if args.worker == "ceiling"
            else graph_worker(args.model, args.steps, args.repeats, args.batch_size, args.in_turn)
        )
        print(json.dumps({"rates": rates, "peak_rss_mib": peak_rss_mib()}))
        return 0
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    if not models or any(m not in BENCHED_MODELS for m in models):
        parser.error(f"--models takes a comma-separated subset of {','.join(BENCHED_MODELS)}")
    print(
        f"bench: {args.rounds} rounds of {args.steps} steps of batch {args.batch_size} per "
        f"measurement, {os.cpu_count()} cores",
        flush=True,
    )
    ceiling = run_worker("tools.bench", ["--worker", "ceiling"])["rates"]
    ceilings = {source: summary(rates) for source, rates in ceiling.items()}
    gflops = max(c["median"] for c in ceilings.values())
    print(
        "matrix-product ceiling: "
        + ", ".join(f"{source} {c['median']:.0f} GFLOP/s" for source, c in ceilings.items()),
        flush=True,
    )
    rows = [bench_model(model, args.steps, args.rounds, args.batch_size, gflops) for model in models]
    payload = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cores": os.cpu_count(),
        "steps": args.steps,
        "rounds": args.rounds,
        "batch_size": args.batch_size,
        "ceiling_gflops": {**ceilings, "used": gflops},
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    from common.lab import write_json  # atomic, fsynced, a temporary name per process

    write_json(args.out, payload)
    print_table(rows)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
