"""tf2-quickstart, week 3: the TensorFlow tutorial's Fashion-MNIST classifier and its figures.

Flatten -> Dense(128, relu) -> Dense(10), sparse softmax cross-entropy from logits, Adam,
10 epochs of batch 32 on 60,000 images of clothing; about 0.88 test accuracy in the tutorial.

It prints what the notebook prints: ``tf.__version__``, the data's shapes and lengths, Keras's
epoch and evaluate lines, ``Test accuracy:``, ``predictions[0]`` with its argmax and
``test_labels[0]``, and the single-image path (``img.shape`` (28, 28) -> (1, 28, 28),
``predictions_single`` and its argmax).

Figures (PNG files in the run folder): the first training image with a colour bar; the first 25
with their class names; test images 0 and 12 with their probability bars (blue when right, red
when wrong); the 5x3 grid of the first 15 test predictions; one image's prediction by class.
"""

from pathlib import Path

import numpy as np

from common import fashion_mnist, plots
from common.dense import keras_adam
from common.figures import TF2_QUICKSTART, Figure
from common.keras_docs import FitSession, KerasGraph, build_parser, report_figures, reported_if_documented
from common.lab import finish, load_data_sets, main_guard, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.001  # Keras's Adam default
EPOCHS = 10
BATCH_SIZE = 32  # model.fit's default
# "about", in the tutorial the notes follow
FIGURES = [Figure("keras00-fashion", "Fashion-MNIST, 10 epochs", TF2_QUICKSTART, 0.88, 0.01, seeded=True)]
REPORTED_ACCURACY = FIGURES[0].reported


def build(learning_rate):
    # Flatten(input_shape=(28, 28)): the images come flattened to 784
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    glorot = tf.glorot_uniform_initializer  # Keras's default kernel_initializer
    # Dense(128, activation='relu')
    L1 = tf.layers.dense(X, 128, activation=tf.nn.relu, kernel_initializer=glorot(), name="dense1")
    # Dense(10)
    logits = tf.layers.dense(L1, 10, kernel_initializer=glorot(), name="output")
    # compile(optimizer='adam', loss=SparseCategoricalCrossentropy(from_logits=True)), one-hot here
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        optimizer = keras_adam(learning_rate).minimize(cost)
    return KerasGraph(
        x=X, y=Y, logits=logits, cost=cost, train_op=optimizer, activations={"dense1/output": L1}
    )


def predict_single_image(session, img):
    """The notebook's single image: a batch of one, then its prediction."""
    print(img.shape)  # (28, 28)
    img = np.expand_dims(img, 0)  # add the image to a batch where it's the only member
    print(img.shape)  # (1, 28, 28)
    predictions_single = session.predict(img.reshape(1, 784))
    print(predictions_single)
    print("np.argmax(predictions_single[0])", np.argmax(predictions_single[0]))
    return predictions_single[0]


def main(argv=None):
    parser = build_parser(
        "keras00-fashion",
        __doc__,
        epochs=EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        data=None,
    )
    # fashion_mnist looks in these places (MNIST's --data-dir help would name the wrong files)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with the Fashion-MNIST IDX files, plain or .gz (default: "
        f"${fashion_mnist.FASHION_MNIST.data_dir_env}, data/fashion-mnist or "
        f"{fashion_mnist.DEBIAN_DIR}; downloaded if neither holds them)",
    )
    args = parser.parse_args(argv)
    print(tf.__version__)
    # fashion_mnist.load_data(), scaled to [0, 1]; the test images also validate
    data = load_data_sets(args, read=fashion_mnist.read_keras_split)
    run_dir = run_folder(args)
    class_names = fashion_mnist.CLASS_NAMES
    train_images, train_labels = data.train.images.reshape(-1, 28, 28), data.train.labels.argmax(axis=1)
    test_images, test_labels = data.test.images.reshape(-1, 28, 28), data.test.labels.argmax(axis=1)
    # the notebook's look at the data
    print("train_images.shape", train_images.shape)
    print("len(train_labels)", len(train_labels))
    print("train_labels", repr(train_labels))
    print("test_images.shape", test_images.shape)
    print("len(test_labels)", len(test_labels))

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)
    graph = build(args.learning_rate)

    with FitSession(args, graph, run_dir, hparams={"data": "fashion-mnist"}) as session:
        # model.fit(train_images, train_labels, epochs=10)
        history = session.fit(
            data.train, data.validation, epochs=args.epochs, batch_size=args.batch_size, keras_lines=True
        )

        # test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
        test_loss, test_accuracy = session.evaluate_verbose(data.test.images, data.test.labels)
        print("\nTest accuracy:", test_accuracy)
        write_scalar(session.writer, "test/accuracy", test_accuracy, session.global_step)

        # predictions = Sequential([model, Softmax()]).predict(test_images)
        predictions = session.predict(data.test.images)
        print("predictions[0]", repr(predictions[0]))
        print("np.argmax(predictions[0])", np.argmax(predictions[0]))
        print("test_labels[0]", test_labels[0])
        single = predict_single_image(session, test_images[1])
        figures = report_figures(
            [
                plots.image_with_colorbar(train_images[0] * 255, run_dir / "first_image.png"),
                plots.labelled_grid(train_images, train_labels, class_names, run_dir / "first_25.png"),
                plots.prediction_pair(
                    predictions[0], test_labels[0], test_images[0], class_names, run_dir / "prediction_0.png"
                ),
                plots.prediction_pair(
                    predictions[12],
                    test_labels[12],
                    test_images[12],
                    class_names,
                    run_dir / "prediction_12.png",
                ),
                plots.prediction_grid(
                    predictions, test_labels, test_images, class_names, run_dir / "predictions_5x3.png"
                ),
                plots.single_prediction(
                    single, test_labels[1], class_names, run_dir / "single_image_prediction.png"
                ),
            ],
            show=args.show,
        )

    return finish(
        args,
        run_dir,
        accuracy=test_accuracy,
        epoch_costs=history.history["loss"],
        progress=session.progress,
        reported=reported_if_documented(args, REPORTED_ACCURACY),
        extra={
            "history": history.history,
            "curves": session.curves.history,
            "figures": figures,
            "test_loss": test_loss,
            "first_prediction": predictions[0].tolist(),
            "second_prediction": predictions[1].tolist(),
            "single_prediction": single.tolist(),
        },
    )


if __name__ == "__main__":
    main_guard(main)
