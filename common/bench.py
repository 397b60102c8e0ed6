"""`make bench`: training speed of the labs' graph-mode path against Keras 3 ``model.fit``.

Each measurement runs in its own process, so peak memory is that process's own:
- ``ceiling``: a large fp32 matrix product, GFLOP/s, the machine's practical peak;
- ``graph``: a lab's graph trained the labs' way (``Trainer.step`` with ``feed_dict`` batches from
  ``next_batch``, summaries every 50 steps into a FileWriter), on real MNIST;
- ``keras3``: the identical architecture with Keras 3 ``model.fit`` (``common.bench_keras3``,
  started without the legacy-Keras switch), on the same images.
Models: the lab 11 deep CNN and the lab 10 deep MLP (784-512x4-10). Each worker times
``--repeats`` runs of ``--steps`` steps after a warm-up; the table gives the median images/s and
the spread (min-max), the ratio to Keras, the fraction of the matrix-product ceiling (FLOPs per
training image counted from the layer shapes, x3 for forward + backward) and peak resident
memory. Results go to ``results/bench.json``.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import cli

RESULTS = cli.PROJECT_ROOT / "results" / "bench.json"
MODELS = ("cnn", "mlp")


def forward_flops(model):
    """Multiply-adds x2 of one image's forward pass, from the layer shapes."""
    if model == "cnn":  # 3x3 SAME convs on 28x28, 14x14, 7x7, then 2048 -> 625 -> 10
        convs = [(28, 1, 32), (14, 32, 64), (7, 64, 128)]
        return sum(2 * side * side * 9 * c_in * c_out for side, c_in, c_out in convs) + \
            2 * (2048 * 625 + 625 * 10)
    widths = [784, 512, 512, 512, 512, 10]
    return sum(2 * a * b for a, b in zip(widths, widths[1:]))


def training_flops(model):
    return 3 * forward_flops(model)  # backward ~ twice the forward


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(step, steps, repeats, batch_size, warmup=20):
    for _ in range(warmup):
        step()
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(steps * batch_size / (time.perf_counter() - start))
    return rates


def graph_worker(model, steps, repeats, batch_size):
    import argparse as ap

    from common import mnist
    from common.lab import tensorboard_session
    from common.tf1 import reset

    data = mnist.read_data_sets(seed=777, log=lambda *_: None)
    reset(777)
    built = build_lab_graph(model)
    with tempfile.TemporaryDirectory() as logdir:
        args = ap.Namespace(lab="bench", logdir=logdir, run_name="graph", summary_every=50,
                            resumable=False, seed=777)
        with tensorboard_session(args, built) as (sess, trainer, _):
            def step():
                trainer.step(built.feed(*data.train.next_batch(batch_size)))
            return measure(step, steps, repeats, batch_size)


def build_lab_graph(model):
    import argparse as ap

    from labs import lab10_2_mnist_nn, lab11_2_mnist_deep_cnn
    if model == "cnn":
        return lab11_2_mnist_deep_cnn.build(ap.Namespace(learning_rate=0.001))
    settings = {k: v for k, v in lab10_2_mnist_nn.EXPERIMENTS["deep", "hunkim"].items() if k != "reported"}
    return lab10_2_mnist_nn.build(ap.Namespace(**settings))


def profile_worker(model, batch_size, steps=20):
    """Where a training step's time goes: op time summed by op type over traced steps."""
    import re
    from collections import Counter

    from common import mnist
    from common.tf1 import new_session, reset, tf
    data = mnist.read_data_sets(seed=777, log=lambda *_: None)
    reset(777)
    built = build_lab_graph(model)
    by_type = Counter()
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    with new_session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(steps + 5):
            feed = {**built.feed(*data.train.next_batch(batch_size)), **built.train_feed}
            metadata = tf.RunMetadata()
            sess.run(built.train_op, feed, options=options, run_metadata=metadata)
            if step < 5:
                continue  # warm-up
            for device in metadata.step_stats.dev_stats:
                for node in device.node_stats:
                    found = re.search(r"= (\w+)\(", node.timeline_label)
                    by_type[found.group(1) if found else node.node_name] += node.all_end_rel_micros
    total = sum(by_type.values())
    return [(op, round(100 * micros / total, 1)) for op, micros in by_type.most_common(12)]


def ceiling_worker(size=2048, repeats=5):
    from common.tf1 import new_session, tf
    a = tf.Variable(tf.random_normal([size, size]))
    b = tf.Variable(tf.random_normal([size, size]))
    product = tf.reduce_sum(tf.matmul(a, b))
    with new_session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(product)
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            sess.run(product)
            seconds.append(time.perf_counter() - start)
    return [2 * size ** 3 / s / 1e9 for s in seconds]


def run_worker(module, argv, legacy_keras=True):
    env = dict(os.environ)
    if not legacy_keras:
        env.pop("TF_USE_LEGACY_KERAS", None)
    result = subprocess.run([sys.executable, "-m", module, *argv], cwd=cli.PROJECT_ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(argv)} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def summary(rates):
    return {"median": statistics.median(rates), "min": min(rates), "max": max(rates),
            "runs": [round(r, 1) for r in rates]}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m common.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=cli.positive_int, default=100, help="timed steps per repeat")
    parser.add_argument("--repeats", type=cli.positive_int, default=3, help="timed repeats per worker")
    parser.add_argument("--batch-size", type=cli.positive_int, default=100)
    parser.add_argument("--models", default=",".join(MODELS), help="cnn,mlp")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--profile", action="store_true",
                        help="only print where a deep-CNN training step's time goes, by op type")
    parser.add_argument("--worker", choices=["graph", "ceiling"], help=argparse.SUPPRESS)
    parser.add_argument("--model", choices=MODELS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.profile:
        for model in ("cnn", "mlp"):
            print(f"{model}: share of op time by op type (traced steps of batch {args.batch_size})")
            for op, share in profile_worker(model, args.batch_size):
                print(f"  {op:<28} {share:5.1f}%")
        return 0
    if args.worker:  # one measurement, in this process; JSON on the last line
        rates = ceiling_worker() if args.worker == "ceiling" else \
            graph_worker(args.model, args.steps, args.repeats, args.batch_size)
        print(json.dumps({"rates": rates, "peak_rss_mib": peak_rss_mib()}))
        return 0
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    if not models or any(m not in MODELS for m in models):
        parser.error(f"--models takes a comma-separated subset of {','.join(MODELS)}")
    common_flags = ["--steps", str(args.steps), "--repeats", str(args.repeats),
                    "--batch-size", str(args.batch_size)]
    print(f"bench: {args.repeats} x {args.steps} steps of batch {args.batch_size} per measurement, "
          f"{os.cpu_count()} cores", flush=True)
    ceiling = run_worker("common.bench", ["--worker", "ceiling"])
    gflops = statistics.median(ceiling["rates"])
    print(f"matrix-product ceiling: {gflops:.0f} GFLOP/s (median of {len(ceiling['rates'])})", flush=True)
    rows = []
    for model in models:
        graph = run_worker("common.bench", ["--worker", "graph", "--model", model, *common_flags])
        keras = run_worker("common.bench_keras3", ["--model", model, *common_flags], legacy_keras=False)
        ceiling_rate = gflops * 1e9 / training_flops(model)
        row = {"model": model, "graph": summary(graph["rates"]), "keras3": summary(keras["rates"]),
               "graph_peak_rss_mib": round(graph["peak_rss_mib"]),
               "keras3_peak_rss_mib": round(keras["peak_rss_mib"]),
               "training_mflop_per_image": round(training_flops(model) / 1e6, 1),
               "ceiling_images_per_second": round(ceiling_rate)}
        row["ratio_to_keras3"] = row["graph"]["median"] / row["keras3"]["median"]
        row["fraction_of_ceiling"] = row["graph"]["median"] / ceiling_rate
        rows.append(row)
        print(f"{model}: graph {row['graph']['median']:,.0f} img/s, keras3 {row['keras3']['median']:,.0f}"
              f" img/s", flush=True)
    payload = {"date": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(), "steps": args.steps,
               "repeats": args.repeats, "batch_size": args.batch_size,
               "ceiling_gflops": {**summary(ceiling["rates"])}, "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(json.dumps(payload, indent=2))
    os.replace(tmp, args.out)
    print("\n| model | graph mode img/s (min-max) | Keras 3 fit img/s (min-max) | ratio | "
          "of ceiling | peak RSS graph / Keras 3 |\n|---|---|---|---|---|---|")
    for row in rows:
        g, k = row["graph"], row["keras3"]
        print(f"| {row['model']} | {g['median']:,.0f} ({g['min']:,.0f}-{g['max']:,.0f}) | "
              f"{k['median']:,.0f} ({k['min']:,.0f}-{k['max']:,.0f}) | {row['ratio_to_keras3']:.2f}x | "
              f"{100 * row['fraction_of_ceiling']:.0f}% of {row['ceiling_images_per_second']:,} | "
              f"{row['graph_peak_rss_mib']} / {row['keras3_peak_rss_mib']} MiB |")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
