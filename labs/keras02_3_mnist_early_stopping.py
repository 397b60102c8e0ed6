"""keras-tips, example 3: MNIST softmax, keeping the best epoch.

One Dense(10, softmax) layer on all 60,000 training images, Adam, batch 200, at most 32 epochs,
the 10,000 test images as validation data. The weights are saved whenever the validation loss
improves (ModelCheckpoint, save_best_only) and training stops after 10 epochs without improvement
(EarlyStopping, patience 10). The History is printed as the document's table (its
``pd.DataFrame(history.history)``: 32 rows, one per epoch). The best epoch's weights are restored
for the final test: best val_loss 0.2612 (epoch 25), accuracy 0.9266 in the document. Then a
random test image is predicted: its ``preds``, ``label : [8]    y_hat : 8`` in the document, and
the picture (``prediction.png`` and TensorBoard's Images tab).
"""

import numpy as np

from common import plots
from common.dense import keras_adam
from common.figures import KERAS_TIPS, Behaviour, Figure
from common.keras_docs import (
    BestCheckpoint,
    FitSession,
    KerasGraph,
    build_parser,
    history_table,
    reported_if_documented,
)
from common.lab import finish, load_data_sets, main_guard, show_prediction, write_scalar
from common.mnist import read_keras_split
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.001  # Keras's Adam default
MAX_EPOCHS = 32
BATCH_SIZE = 200
PATIENCE = 10
FIGURES = [
    Figure(
        "keras02-early-stopping", "MNIST softmax, best epoch restored", KERAS_TIPS, 0.9266, 0.01, seeded=True
    ),
    Figure("keras02-early-stopping", "best val_loss", KERAS_TIPS, 0.2612, 0.01, "best val_loss"),
    Figure(
        "keras02-early-stopping",
        "History table: a row per epoch until EarlyStopping",
        KERAS_TIPS,
        "32 rows, best epoch 25",
        measured="history rows",
    ),
]
REPORTED_ACCURACY = FIGURES[0].reported


def build(learning_rate):
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    # Dense(units=10, input_dim=784, activation='softmax')
    logits = tf.layers.dense(X, 10, kernel_initializer=tf.glorot_uniform_initializer(), name="output")
    # compile(loss='categorical_crossentropy', optimizer='adam'): the softmax is in the loss
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        optimizer = keras_adam(learning_rate).minimize(cost)
    return KerasGraph(x=X, y=Y, logits=logits, cost=cost, train_op=optimizer)


def look_at_the_data(mnist, run_dir):
    """Example 3's look at the data: the shapes, a few pixels of X_train[0] (0-255, as loaded),
    its label and one-hot row, and the image."""
    X_train = np.rint(mnist.train.images.reshape(-1, 28, 28) * 255).astype(np.uint8)
    Y_train = mnist.train.labels.argmax(axis=1)
    X_validation, Y_validation = mnist.validation.images.reshape(-1, 28, 28), mnist.validation.labels
    print(f"X_train.shape : {X_train.shape} Y_train.shape : {Y_train.shape}")
    print(f"X_validation.shape : {X_validation.shape} Y_validation.shape : {Y_validation.shape[:1]}")
    pixels = " ".join(
        f"X_train[0][{row}][{col}] = {X_train[0][row][col]}" for row, col in ((0, 0), (6, 7), (6, 8))
    )
    print(pixels)
    print(f"Y_train[0] : {Y_train[0]}")
    print(f"Y_train_ohe[0] = {mnist.train.labels[0]}")
    image = plots.digit(X_train[0] / 255, run_dir / "X_train_0.png", title=f"Y_train[0] : {Y_train[0]}")
    print(f"X_train[0]: {image}")


def main(argv=None):
    parser = build_parser(
        "keras02-early-stopping",
        __doc__,
        epochs=MAX_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        epochs_help="training epochs at most (early stopping may end sooner)",
    )
    parser.add_argument(
        "--patience",
        type=int,
        default=PATIENCE,
        help=f"epochs without a better val_loss before stopping (default {PATIENCE})",
    )
    args = parser.parse_args(argv)
    # mnist.load_data(): all 60,000 images train; the 10,000 test images validate and test
    mnist = load_data_sets(args, read=read_keras_split)
    run_dir = run_folder(args)
    look_at_the_data(mnist, run_dir)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)
    graph = build(args.learning_rate)

    with FitSession(args, graph, run_dir, hparams={"patience": args.patience}) as session:
        # cb_checkpoint = ModelCheckpoint(...), cb_early_stopping = EarlyStopping(patience=10)
        checkpoint = BestCheckpoint(run_dir, args.patience)
        history = session.fit(
            mnist.train,
            mnist.validation,
            epochs=args.epochs,
            batch_size=args.batch_size,
            callbacks=[checkpoint],
        )
        print(history_table(history.history))  # print(pd.DataFrame(history.history)), from epoch 0
        checkpoint.restore()  # model = load_model(<the best epoch's file>)
        print("Learning finished")

        score = session.evaluate(mnist.test.images, mnist.test.labels)
        print("score :", list(score))
        test_accuracy = score[1]
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(session.writer, "test/accuracy", test_accuracy, session.global_step)

        # a random test image: r = np.random.randint(0, X_validation.shape[0] - 1)
        r = np.random.RandomState(args.seed).randint(0, mnist.test.num_examples - 1)
        X1, Y1 = mnist.test.images[r : r + 1], mnist.test.labels[r : r + 1].argmax(axis=1)
        preds = session.predict(X1)  # the 10 class probabilities
        print("preds : ", preds)
        Y1_hat = np.argmax(preds)
        print(f"label : {Y1}    y_hat : {Y1_hat}")
        show_prediction(session.writer, run_dir, X1[0], Y1[0], Y1_hat, session.global_step, show=args.show)

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
            "best_epoch": checkpoint.best_epoch,
            "best_val_loss": checkpoint.best_loss,
            "stopped_after": checkpoint.stopped_after,
            "label": int(Y1[0]),
            "prediction": int(Y1_hat),
            "preds": preds[0].tolist(),
        },
        figures={
            "best val_loss": checkpoint.best_loss,
            # a row per epoch, until `patience` epochs without a better val_loss
            "history rows": Behaviour(
                f"{len(history.history['loss'])} rows, best epoch {checkpoint.best_epoch}",
                len(history.history["loss"]) == min(args.epochs, checkpoint.best_epoch + args.patience),
            ),
        },
    )


if __name__ == "__main__":
    main_guard(main)
