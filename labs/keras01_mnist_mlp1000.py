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
"Label:x, Prediction:y", and one random test digit with its prediction ("The Answer is [7]").
"""

import random

import numpy as np

from common import plots
from common.dense import keras_adam
from common.figures import KERAS_MLP, Figure
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


def main(argv=None):
    args = build_parser(
        "keras01-mlp1000", __doc__, epochs=EPOCHS, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE
    ).parse_args(argv)
    # keras.datasets.mnist.load_data(), flattened to 784 and scaled to [0, 1]
    mnist = load_data_sets(args, read=read_keras_split)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)
    graph = build(args.learning_rate)
    params = summary(graph.layers)  # model.summary()

    with FitSession(args, graph, run_dir, hparams={"hidden_units": 1000}) as session:
        # hist = model.fit(X_train, y_train, validation_data=(X_test, y_test), ...)
        history = session.fit(mnist.train, mnist.test, epochs=args.epochs, batch_size=args.batch_size)
        print("Learning finished")

        # score = model.evaluate(X_test, y_test, verbose=0)
        test_loss, test_accuracy = session.evaluate(mnist.test.images, mnist.test.labels)
        print("Test loss:", test_loss)
        print("Test accuracy:", test_accuracy)
        write_scalar(session.writer, "test/accuracy", test_accuracy, session.global_step)

        # the notes' figures; np.random.seed(13), and random.choices picks the digits shown
        rng = np.random.default_rng(13)
        samples = rng.choice(mnist.train.num_examples, 16)
        predicted_labels = session.predict(mnist.test.images).argmax(axis=1)
        write_json(run_dir / "predicted_labels.json", predicted_labels.tolist())
        test_labels = mnist.test.labels.argmax(axis=1)
        # wrong_result: every n with predicted_labels[n] != test_labels[n]
        wrong_result = np.flatnonzero(predicted_labels != test_labels)
        shown = rng.choice(wrong_result, 16) if len(wrong_result) else []
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

        # Get one and predict: model.predict_classes(X_test[n].reshape(1, 784))
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = mnist.test.labels[r : r + 1].argmax(axis=1)
        prediction = session.predict(mnist.test.images[r : r + 1]).argmax(axis=1)
        print("Label:", label)
        print("The Answer is", prediction)
        show_prediction(
            session.writer,
            run_dir,
            mnist.test.images[r],
            label[0],
            prediction[0],
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
            "prediction": int(prediction[0]),
        },
        figures={"params": params, "test loss": test_loss, "wrong": len(wrong_result)},
    )


if __name__ == "__main__":
    main_guard(main)
