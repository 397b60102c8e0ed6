"""tf2-quickstart, week 3: the TensorFlow tutorial's Fashion-MNIST classifier and its figures.

Flatten -> Dense(128, relu) -> Dense(10), sparse softmax cross-entropy from logits, Adam,
10 epochs of batch 32 on 60,000 images of clothing; about 0.88 test accuracy in the tutorial.

Figures (PNG files in the run folder): the first training image with a colour bar; the first 25
with their class names; test images 0 and 12 with their probability bars (blue when right, red
when wrong); the 5x3 grid of the first 15 test predictions; one image's prediction by class.
"""

from pathlib import Path

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
    # fashion_mnist.load_data(), scaled to [0, 1]; the test images also validate
    data = load_data_sets(args, read=fashion_mnist.read_keras_split)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)
    graph = build(args.learning_rate)

    with FitSession(args, graph, run_dir, hparams={"data": "fashion-mnist"}) as session:
        # model.fit(train_images, train_labels, epochs=10)
        history = session.fit(data.train, data.validation, epochs=args.epochs, batch_size=args.batch_size)
        print("Learning finished")

        # test_loss, test_acc = model.evaluate(test_images, test_labels)
        _, test_accuracy = session.evaluate(data.test.images, data.test.labels)
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(session.writer, "test/accuracy", test_accuracy, session.global_step)

        # predictions = Sequential([model, Softmax()]).predict(test_images)
        predictions = session.predict(data.test.images)
        class_names = fashion_mnist.CLASS_NAMES
        train_images, train_labels = data.train.images, data.train.labels.argmax(axis=1)
        test_images, test_labels = data.test.images, data.test.labels.argmax(axis=1)
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
                    predictions[1], test_labels[1], class_names, run_dir / "single_image_prediction.png"
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
        extra={"history": history.history, "curves": session.curves.history, "figures": figures},
    )


if __name__ == "__main__":
    main_guard(main)
