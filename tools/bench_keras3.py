"""The Keras 3 peer for `make bench`: the labs' architectures trained with ``model.fit``.

Run by ``tools.bench`` in its own process *without* ``TF_USE_LEGACY_KERAS``, so ``keras`` is
Keras 3 (eager ``fit`` compiling its train step with ``tf.function``). It must not import
``common.tf1``, which switches to the legacy Keras and turns eager execution off.
"""

import argparse
import json
import os
import resource
import sys
import time

if os.environ.get("TF_USE_LEGACY_KERAS"):
    sys.exit("run this without TF_USE_LEGACY_KERAS: it measures Keras 3")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from common import mnist  # noqa: E402


def deep_cnn():
    """Lab 11's deep CNN: three conv(3x3, SAME, ReLU)/pool(2, SAME)/dropout 0.3 blocks, 625, 10."""
    layers = [keras.Input((28, 28, 1))]
    for filters in (32, 64, 128):
        layers += [
            keras.layers.Conv2D(filters, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2, padding="same"),
            keras.layers.Dropout(0.3),
        ]
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(625, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(10),
    ]
    return keras.Sequential(layers)


def deep_mlp():
    """Lab 10's deep net: 784-512x4-10, ReLU."""
    layers = [keras.Input((784,))] + [keras.layers.Dense(512, activation="relu") for _ in range(4)]
    return keras.Sequential(layers + [keras.layers.Dense(10)])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.bench_keras3")
    parser.add_argument("--model", choices=["cnn", "mlp"], required=True)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(777)
    images, labels, _, _ = mnist.MNIST.load_arrays(log=lambda *_: None)
    count = args.steps * args.batch_size
    x = mnist.flatten(images[:count])
    if args.model == "cnn":
        x = x.reshape(-1, 28, 28, 1)
    y = mnist.one_hot(labels[:count])
    model = deep_cnn() if args.model == "cnn" else deep_mlp()
    model.compile(
        optimizer=keras.optimizers.Adam(0.001), loss=keras.losses.CategoricalCrossentropy(from_logits=True)
    )
    model.fit(
        x[: 20 * args.batch_size], y[: 20 * args.batch_size], batch_size=args.batch_size, epochs=1, verbose=0
    )  # warm-up: traces and compiles the train step
    rates = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        model.fit(x, y, batch_size=args.batch_size, epochs=1, verbose=0, shuffle=True)
        rates.append(count / (time.perf_counter() - start))
    print(
        json.dumps(
            {
                "rates": rates,
                "keras": keras.__version__,
                "tensorflow": tf.__version__,
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "finite_loss": bool(np.isfinite(model.evaluate(x[:1000], y[:1000], verbose=0))),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
