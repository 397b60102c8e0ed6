"""keras-mlp: MNIST with one hidden layer of 1,000 ReLU units.

784 -> Dense(1000, relu) -> Dense(10, softmax), categorical cross-entropy, Adam, on all 60,000
training images with the test images as validation data. The document prints ``model.summary()``
(784 x 1000 + 1000 and 1000 x 10 + 10 parameters, 795,010 in all; here counted from the graph's
variables), "Test loss: 0.061058224777290344", "Test accuracy: 0.9855" and 145 wrong
predictions, counted from ``model.predict``; its fit call is cut off in the notes, so the epochs
and batch size here (10 and 200) are those of the tutorial it follows. The predicted labels of
the 10,000 test images go to ``predicted_labels.json`` in the run folder.

Figures, as in the notes (PNG files in the run folder): 16 random training digits, the learning
curves (loss, val_loss, acc, val_acc), 16 random wrong predictions titled
"Label:x, Prediction:y", and test digit 0 with its prediction ("The Answer is [7]"); Keras's own
diagram of the model (``model_to_dot``, as ``model.svg``, where pydot and Graphviz are installed).
It prints what the notebook prints: the versions, the ``samples`` index lists, the
``predicted_labels`` and ``test_labels`` arrays and ``len(wrong_result)``.
"""

from importlib.metadata import version

import numpy as np

from common import plots
from common.dense import keras_adam
from common.figures import KERAS_MLP, Figure
from common.files import atomic_write
from common.keras_docs import (
    FitSession,
    KerasGraph,
    build_parser,
    report_figures,
    reported_if_documented,
    summary,
)
from common.lab import finish, load_data_sets, main_guard, show_prediction, write_json, write_scalar
from common.mnist import read_keras_split
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.001  # Keras's Adam default
EPOCHS = 10
BATCH_SIZE = 200
FIGURES = [
    Figure("keras01-mlp1000", "784-1000-10 MLP", KERAS_MLP, 0.9855, 0.01, seeded=True),
    Figure("keras01-mlp1000", "model.summary(): total params", KERAS_MLP, 795010, 0, "params"),
    Figure("keras01-mlp1000", "Test loss", KERAS_MLP, 0.0611, 0.03, "test loss", seeded=True),
    Figure("keras01-mlp1000", "wrong predictions (of 10,000)", KERAS_MLP, 145, 100, "wrong", seeded=True),
]
REPORTED_ACCURACY = FIGURES[0].reported
REPORTED_WRONG = FIGURES[3].reported


def build(learning_rate):
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    glorot = tf.glorot_uniform_initializer  # Keras's default kernel_initializer
    # Dense(1000, input_dim=num_pixels, activation='relu')
    L1 = tf.layers.dense(X, 1000, activation=tf.nn.relu, kernel_initializer=glorot(), name="dense1")
    # Dense(num_classes, activation='softmax')
    logits = tf.layers.dense(L1, 10, kernel_initializer=glorot(), name="output")
    # compile(loss='categorical_crossentropy', optimizer='adam'): the softmax is in the loss
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        optimizer = keras_adam(learning_rate).minimize(cost)
    return KerasGraph(
        x=X,
        y=Y,
        logits=logits,
        cost=cost,
        train_op=optimizer,
        activations={"dense1/output": L1},
        layers=[("dense1", "Dense", L1), ("output", "Dense", logits)],
    )


def notebook_repr(array):
    """A long array as the notebook shows it, ``array([7, 2, 1, ..., 4, 5, 6])`` (NumPy 2's
    repr adds the shape)."""
    return "array(" + np.array2string(array, separator=", ", threshold=6, edgeitems=3) + ")"


def model_diagram(path):
    """Keras's own drawing of the model, ``model_to_dot(model, show_shapes=True)``, as SVG: the
    same two Dense layers built as a Keras model in a graph of their own (pydot draws with
    Graphviz's ``dot``). Returns the path, or None when pydot or Graphviz is absent."""
    try:
        with tf.Graph().as_default():
            model = tf.keras.Sequential(
                [
                    tf.keras.layers.Dense(1000, input_dim=784, activation="relu"),
                    tf.keras.layers.Dense(10, activation="softmax"),
                ]
            )
            svg = tf.keras.utils.model_to_dot(model, show_shapes=True).create(prog="dot", format="svg")
    except (ImportError, OSError) as exc:  # Keras's own message says what to install
        print(f"model diagram skipped: {exc} (`make setup` installs pydot, and Graphviz where apt is)")
        return None
    atomic_write(path, svg)
    print(f"model diagram: {path}")
    return str(path)


def main(argv=None):
    args = build_parser(
        "keras01-mlp1000", __doc__, epochs=EPOCHS, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE
    ).parse_args(argv)
    print("TensorFlow version : ", tf.__version__)
    print("Keras version : ", version("tf-keras"))  # the legacy Keras 2 behind tf.compat.v1
    print("Numpy version : ", np.__version__)
    # keras.datasets.mnist.load_data(), flattened to 784 and scaled to [0, 1]
    mnist = load_data_sets(args, read=read_keras_split)
    run_dir = run_folder(args)
    # the notes' random.choices(population=range(0, 60000), k=16): the same kind of draw, seeded
    # with the notes' 13 (other indices than the notebook's)
    rng = np.random.default_rng(13)
    samples = rng.choice(mnist.train.num_examples, 16)
    print("samples", samples.tolist())

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)
    graph = build(args.learning_rate)
    params = summary(graph.layers)  # model.summary()
    diagram = model_diagram(run_dir / "model.svg")  # SVG(model_to_dot(model, show_shapes=True))

    with FitSession(args, graph, run_dir, hparams={"hidden_units": 1000}) as session:
        # hist = model.fit(X_train, y_train, validation_data=(X_test, y_test), ...)
        history = session.fit(mnist.train, mnist.test, epochs=args.epochs, batch_size=args.batch_size)
        print("Learning finished")

        # score = model.evaluate(X_test, y_test, verbose=0)
        test_loss, test_accuracy = session.evaluate(mnist.test.images, mnist.test.labels)
        print("Test loss:", test_loss)
        print("Test accuracy:", test_accuracy)
        write_scalar(session.writer, "test/accuracy", test_accuracy, session.global_step)

        # The Answer is: model.predict_classes(X_test[n].reshape(1, 784)), n = 0
        n = 0
        answer = session.predict(mnist.test.images[n : n + 1]).argmax(axis=1)
        print("The Answer is ", answer)

        # predicted_result = model.predict(X_test); the notes print both label arrays
        predicted_labels = session.predict(mnist.test.images).argmax(axis=1)
        print("predicted_labels", notebook_repr(predicted_labels))
        write_json(run_dir / "predicted_labels.json", predicted_labels.tolist())
        test_labels = mnist.test.labels.argmax(axis=1)
        print("test_labels", notebook_repr(test_labels))
        # wrong_result: every n with predicted_labels[n] != test_labels[n]
        wrong_result = np.flatnonzero(predicted_labels != test_labels)
        print("len(wrong_result)", len(wrong_result))
        # samples = random.choices(population=wrong_result, k=16)
        shown = rng.choice(wrong_result, 16) if len(wrong_result) else []
        print("samples", [int(n) for n in shown])
        figures = report_figures(
            [
                plots.digit_grid(mnist.train.images[samples], run_dir / "samples.png"),
                plots.learning_curves(history.history, run_dir / "learning_curves.png"),
                plots.digit_grid(
                    mnist.test.images[shown],
                    run_dir / "wrong_predictions.png",
                    titles=[f"Label:{test_labels[n]}, Prediction:{predicted_labels[n]}" for n in shown],
                ),
            ],
            show=args.show,
        )
        print(f"Wrong predictions: {len(wrong_result)}  (reported: {REPORTED_WRONG})")

        # the answered digit, drawn with its label as the notes' plt.imshow(X_test[n]) shows it
        label = mnist.test.labels[n : n + 1].argmax(axis=1)
        show_prediction(
            session.writer,
            run_dir,
            mnist.test.images[n],
            label[0],
            answer[0],
            session.global_step,
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
            "params": params,
            "test_loss": test_loss,
            "wrong": len(wrong_result),
            "label": int(label[0]),
            "answer": int(answer[0]),
            "diagram": diagram,
            "prediction": int(answer[0]),
        },
        figures={"params": params, "test loss": test_loss, "wrong": len(wrong_result)},
    )


if __name__ == "__main__":
    main_guard(main)
