"""Seed 000, week 3: the TensorFlow tutorial's Fashion-MNIST classifier and its figures.

Flatten -> Dense(128, relu) -> Dense(10), sparse softmax cross-entropy from logits, Adam,
10 epochs of batch 32 on 60,000 images of clothing; about 0.88 test accuracy in the tutorial.

Figures (PNG files in the run folder): the first training image with a colour bar; the first 25
with their class names; test images 0 and 12 with their probability bars (blue when right, red
when wrong); the 5x3 grid of the first 15 test predictions; one image's prediction by class.
"""
from common import fashion_mnist, plots
from common.dense import dense_classifier
from common.keras_docs import build_parser, run_keras_doc
from common.lab import main_guard
from common.tf1 import tf
from common.training import predict

LEARNING_RATE = 0.001  # Keras's Adam default
EPOCHS = 10
BATCH_SIZE = 32  # model.fit's default
REPORTED_ACCURACY = 0.88  # "about", in the tutorial the notes follow
NAMES = fashion_mnist.CLASS_NAMES


def build(hp):
    return dense_classifier(hp, hidden=[128])


def figures(sess, model, data, history, directory):
    train_labels = data.train.labels.argmax(axis=1)
    test_images, test_labels = data.test.images, data.test.labels.argmax(axis=1)
    # probability_model = Sequential([model, Softmax()])
    probabilities = predict(sess, model, test_images, tensor=tf.nn.softmax(model.hypothesis))
    return [
        plots.image_with_colorbar(data.train.images[0] * 255, directory / "first_image.png"),
        plots.labelled_grid(data.train.images, train_labels, NAMES, directory / "first_25.png"),
        plots.prediction_pair(probabilities[0], test_labels[0], test_images[0], NAMES,
                              directory / "prediction_0.png"),
        plots.prediction_pair(probabilities[12], test_labels[12], test_images[12], NAMES,
                              directory / "prediction_12.png"),
        plots.prediction_grid(probabilities, test_labels, test_images, NAMES,
                              directory / "predictions_5x3.png"),
        plots.single_prediction(probabilities[1], test_labels[1], NAMES,
                                directory / "single_image_prediction.png"),
    ]


def main(argv=None):
    parser = build_parser("keras00-fashion", __doc__, epochs=EPOCHS, learning_rate=LEARNING_RATE,
                          batch_size=BATCH_SIZE)
    args = parser.parse_args(argv)
    return run_keras_doc(args, build, reported=REPORTED_ACCURACY, dataset="fashion", figures=figures)


if __name__ == "__main__":
    main_guard(main)
