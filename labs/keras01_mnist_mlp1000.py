"""Seed 001: MNIST with one hidden layer of 1,000 ReLU units.

784 -> Dense(1000, relu) -> Dense(10, softmax), categorical cross-entropy, Adam, on all 60,000
training images with the test images as validation data. The document prints test accuracy
0.9855 and 145 wrong predictions; its fit call is cut off in the notes, so the epochs and batch
size here (10 and 200) are those of the tutorial it follows.

Figures, as in the notes (PNG files in the run folder): 16 random training digits, the learning
curves (loss, val_loss, acc, val_acc), and 16 random wrong predictions titled
"Label:x, Prediction:y".
"""
import numpy as np

from common import plots
from common.dense import dense_classifier
from common.keras_docs import build_parser, run_keras_doc
from common.lab import main_guard
from common.training import predict

LEARNING_RATE = 0.001  # Keras's Adam default
EPOCHS = 10
BATCH_SIZE = 200
REPORTED_ACCURACY = 0.9855
REPORTED_WRONG = 145
TEST_IMAGES = 10_000


def build(hp):
    return dense_classifier(hp, hidden=[1000])


def figures(sess, model, data, history, directory):
    rng = np.random.default_rng(13)  # the notes' np.random.seed(13); random.choices picks the samples
    samples = rng.choice(data.train.num_examples, 16)
    predicted = predict(sess, model, data.test.images).argmax(axis=1)
    labels = data.test.labels.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    shown = rng.choice(wrong, 16) if len(wrong) else []
    return [
        plots.digit_grid(data.train.images[samples], directory / "samples.png"),
        plots.learning_curves(history, directory / "learning_curves.png"),
        plots.digit_grid(data.test.images[shown], directory / "wrong_predictions.png",
                         titles=[f"Label:{labels[n]}, Prediction:{predicted[n]}" for n in shown]),
    ]


def main(argv=None):
    args = build_parser("keras01-mlp1000", __doc__, epochs=EPOCHS, learning_rate=LEARNING_RATE,
                        batch_size=BATCH_SIZE).parse_args(argv)
    result = run_keras_doc(args, build, reported=REPORTED_ACCURACY, figures=figures)
    wrong = round((1 - result.accuracy) * TEST_IMAGES)
    print(f"Wrong predictions: {wrong}  (reported: {REPORTED_WRONG})")
    result.extra["wrong"] = wrong
    return result


if __name__ == "__main__":
    main_guard(main)
