"""The documents' matplotlib figures, written as PNG files into a run's folder.

The non-interactive Agg backend draws without a screen; ``show`` opens the files with the
desktop's viewer where there is one. Each file is written under a temporary name and renamed.
"""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from common.files import atomic_write  # noqa: E402

DPI = 100


def save(figure, path, dpi=DPI):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    png = io.BytesIO()
    try:
        figure.savefig(png, dpi=dpi, format="png")
    finally:
        plt.close(figure)
    atomic_write(path, png.getvalue())
    return path


def show(paths, log=print):
    """``--show``: open the PNGs where a screen exists; otherwise say where they are."""
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    has_screen = sys.platform == "darwin" or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not has_screen or shutil.which(opener) is None:
        log(f"--show: no screen here; the figures are in {Path(paths[0]).parent}")
        return
    for path in paths:
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def digit(image, path, title=None):
    """The lectures' closing picture: one 28x28 digit, ``imshow(cmap='Greys')``."""
    figure = plt.figure(figsize=(3, 3.2))
    plt.imshow(np.reshape(image, (28, 28)), cmap="Greys", interpolation="nearest")
    if title:
        plt.title(title)
    plt.xticks([])
    plt.yticks([])
    return save(figure, path)


def digit_grid(images, path, titles=None, rows=4, cols=4):
    """keras-mlp's 4x4 grids: ``imshow(cmap='Greys')`` per digit, optionally titled."""
    figure = plt.figure(figsize=(12, 8))
    for n, image in enumerate(images[: rows * cols]):
        plt.subplot(rows, cols, n + 1)
        plt.imshow(image.reshape(28, 28), cmap="Greys", interpolation="nearest")
        if titles is not None:
            plt.title(titles[n])
    plt.tight_layout()
    return save(figure, path)


def learning_curves(history, path, names=("loss", "val_loss", "acc", "val_acc")):
    """keras-mlp's plot of ``hist.history``: the four curves on one grid."""
    figure = plt.figure(figsize=(12, 8))
    for name in names:
        plt.plot(range(1, len(history[name]) + 1), history[name])
    plt.legend(list(names))
    plt.xlabel("epoch")
    plt.grid()
    return save(figure, path)


def loss_by_learning_rate(curves, path):
    """keras-tips ex.1's figure: the cost per step at each learning rate, on a log scale (a
    diverging rate's curve ends where its cost left the finite numbers)."""
    figure = plt.figure(figsize=(8, 5))
    for rate, costs in curves.items():
        plt.semilogy(range(len(costs)), costs, label=f"learning rate {rate:g}")
    plt.xlabel("step")
    plt.ylabel("cost")
    plt.legend()
    plt.grid(True)
    return save(figure, path)


def cost_by_weight(weights, costs, path, marked=None):
    """Lab 03-1's figure: the cost as a function of W, a bowl whose bottom gradient descent
    finds; ``marked`` (W, cost) points, e.g. the minimum, are drawn on it."""
    figure = plt.figure(figsize=(7, 5))
    plt.plot(weights, costs)
    for w, cost in marked or ():
        plt.plot([w], [cost], "o", label=f"W = {w:g}, cost {cost:.3g}")
    plt.xlabel("W")
    plt.ylabel("cost(W)")
    if marked:
        plt.legend()
    plt.grid(True)
    return save(figure, path)


def compare_curves(histories, path, panels=("loss", "val_acc")):
    """One panel per metric, one line per run (the optimizer comparison)."""
    figure, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 5))
    for axis, metric in zip(np.atleast_1d(axes), panels):
        for name, history in histories.items():
            axis.plot(range(1, len(history[metric]) + 1), history[metric], label=name)
        axis.set_title(metric)
        axis.set_xlabel("epoch")
        axis.grid(True)
        axis.legend()
    figure.tight_layout()
    return save(figure, path)


# --- the Fashion-MNIST tutorial's figures (tf2-quickstart) ---


def image_with_colorbar(image, path):
    figure = plt.figure()
    plt.imshow(image.reshape(28, 28))
    plt.colorbar()
    plt.grid(False)
    return save(figure, path)


def labelled_grid(images, labels, class_names, path, side=5):
    figure = plt.figure(figsize=(10, 10))
    for i in range(side * side):
        plt.subplot(side, side, i + 1)
        plt.xticks([])
        plt.yticks([])
        plt.grid(False)
        plt.imshow(images[i].reshape(28, 28), cmap=plt.cm.binary)
        plt.xlabel(class_names[labels[i]])
    return save(figure, path)


def _image_panel(probabilities, true_label, image, class_names):
    plt.grid(False)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(image.reshape(28, 28), cmap=plt.cm.binary)
    predicted = int(np.argmax(probabilities))
    color = "blue" if predicted == true_label else "red"
    plt.xlabel(
        f"{class_names[predicted]} {100 * np.max(probabilities):2.0f}% ({class_names[true_label]})",
        color=color,
    )


def _bars_panel(probabilities, true_label):
    plt.grid(False)
    plt.xticks(range(10))
    plt.yticks([])
    bars = plt.bar(range(10), probabilities, color="#777777")
    plt.ylim([0, 1])
    bars[int(np.argmax(probabilities))].set_color("red")
    bars[true_label].set_color("blue")  # drawn last: a right prediction shows blue


def prediction_pair(probabilities, true_label, image, class_names, path):
    """Image with its predicted class (blue when right, red when wrong) beside the 10 bars."""
    figure = plt.figure(figsize=(6, 3))
    plt.subplot(1, 2, 1)
    _image_panel(probabilities, true_label, image, class_names)
    plt.subplot(1, 2, 2)
    _bars_panel(probabilities, true_label)
    return save(figure, path)


def prediction_grid(probabilities, labels, images, class_names, path, rows=5, cols=3):
    figure = plt.figure(figsize=(2 * 2 * cols, 2 * rows))
    for i in range(rows * cols):
        plt.subplot(rows, 2 * cols, 2 * i + 1)
        _image_panel(probabilities[i], labels[i], images[i], class_names)
        plt.subplot(rows, 2 * cols, 2 * i + 2)
        _bars_panel(probabilities[i], labels[i])
    plt.tight_layout()
    return save(figure, path)


def single_prediction(probabilities, true_label, class_names, path):
    """The tutorial's last figure: one image's bars, named by class."""
    figure = plt.figure()
    _bars_panel(probabilities, true_label)
    plt.xticks(range(10), class_names, rotation=45)
    figure.tight_layout()
    return save(figure, path)
