"""keras-tips, section 5: batch normalization in the document's three Keras examples, on MNIST.

The document shows where ``BatchNormalization()`` goes in three models and gives no data,
settings or accuracies; here each model is trained on MNIST with and without it:

- mlp: Dense(32, relu) -> BatchNormalization -> Dense; cases keras, hunkim, none
- cnn: Conv2D(32, (3,3), relu) -> Conv2D(32, (3,3), relu) -> BatchNormalization ->
  MaxPooling2D -> Flatten -> Dense; cases keras, none
- lstm: LSTM(32) over 28 time steps of 28 pixels -> BatchNormalization -> Dense; cases keras,
  none

The document's last layer is ``Dense(1)``; here it is ``Dense(10)``, softmax in the loss.
``keras`` puts batch norm where the document does (after the layer's ReLU, or after the LSTM),
``hunkim`` where lab 10 (``lab10-batch-norm``) does (between the Dense and its ReLU), ``none``
leaves it out. The CNN's ``Flatten`` is in the document's "...": a Dense layer needs a vector.
The LSTM is the course's ``tf.nn.rnn_cell.LSTMCell`` run by ``tf.nn.dynamic_rnn``; its last
output is Keras's ``LSTM(32)``.

Batch norm normalizes with the batch's mean and variance while training (``training`` fed True)
and with its moving averages at test; the train op depends on the UPDATE_OPS that move them.

The section gives no epochs, batch or optimizer: as example 4 (the tips table), Adam at Keras's
0.001, 20 epochs of batch 512 on all 60,000 training images, the 10,000 test images as
validation data. The section's claim that batch norm allows a larger learning rate is
``--model mlp --learning-rate 0.05`` (``make keras02-batch-norm-high-lr``).

``--model`` picks models (repeatable; default: all). Each case is a TensorBoard sub-run
(``mlp-keras``, ``mlp-hunkim``, ...) with its settings in the HParams tab and its training and
validation curves overlaid (``<case>/train``, ``<case>/validation``: ``epoch/loss``,
``epoch/accuracy``), and ``<model>.png`` draws a model's training loss and validation curves, one
line per case.
"""

import numpy as np

from common import plots
from common.dense import keras_adam
from common.figures import KERAS_TIPS, Behaviour, Cases, Figure
from common.keras_docs import FitSession, KerasGraph, build_parser, report_figures
from common.lab import finish, load_data_sets, main_guard, write_scalar
from common.mnist import read_keras_split
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.001  # Keras's Adam default
EPOCHS = 20
BATCH_SIZE = 512
NB_CLASSES = 10
CASES = {"mlp": ["keras", "hunkim", "none"], "cnn": ["keras", "none"], "lstm": ["keras", "none"]}
PLACES = {
    "keras": "the document's: after the ReLU / the LSTM",
    "hunkim": "lab 10's: before the ReLU",
    "none": "none",
}
CHECK_IMAGES = 100  # test images predicted one at a time and inside the whole test set
FASTER = "BN: faster learning"  # the section gives no figures
FIGURES = [
    Figure(
        "keras02-batch-norm",
        "MLP Dense(32, relu): BN after / before the ReLU / none",
        KERAS_TIPS,
        FASTER,
        measured="mlp faster",
    ),
    Figure(
        "keras02-batch-norm",
        "CNN Conv2D x2, BN, MaxPooling2D: with / without BN",
        KERAS_TIPS,
        FASTER,
        measured="cnn faster",
    ),
    Figure(
        "keras02-batch-norm",
        "LSTM(32) on 28 rows of 28 pixels: with / without BN",
        KERAS_TIPS,
        FASTER,
        measured="lstm faster",
    ),
    Figure(
        "keras02-batch-norm-high-lr",
        "MLP at Adam 0.05: BN after / before the ReLU / none",
        KERAS_TIPS,
        "BN allows a larger learning rate",
        measured="mlp larger rate",
        argv=("--model", "mlp", "--learning-rate", "0.05"),
    ),
]


def batch_normalization(inputs, training):
    # BatchNormalization(): the batch's statistics in training, the moving averages at test
    return tf.layers.batch_normalization(inputs, training=training)


def build_mlp(X, training, placement):
    glorot = tf.glorot_uniform_initializer
    if placement == "hunkim":  # lab 10's order: Dense -> batch norm -> ReLU
        L1 = tf.layers.dense(X, 32, kernel_initializer=glorot(), name="dense1")
        L1 = tf.nn.relu(batch_normalization(L1, training))
    else:
        # Dense(32, activation='relu')
        L1 = tf.layers.dense(X, 32, activation=tf.nn.relu, kernel_initializer=glorot(), name="dense1")
        if placement == "keras":
            # BatchNormalization()
            L1 = batch_normalization(L1, training)
    # Dense(1) in the document; Dense(10) (softmax in the loss) for the ten digits
    logits = tf.layers.dense(L1, NB_CLASSES, kernel_initializer=glorot(), name="output")
    return logits, {"dense1/output": L1}


def build_cnn(X, training, placement):
    glorot = tf.glorot_uniform_initializer
    X_img = tf.reshape(X, [-1, 28, 28, 1])
    # Conv2D(32, (3,3), activation='relu'), twice ('valid' padding: 28 -> 26 -> 24)
    L1 = tf.layers.conv2d(X_img, 32, [3, 3], activation=tf.nn.relu, kernel_initializer=glorot(), name="conv1")
    L2 = tf.layers.conv2d(L1, 32, [3, 3], activation=tf.nn.relu, kernel_initializer=glorot(), name="conv2")
    if placement == "keras":
        # BatchNormalization(): one mean and variance per channel
        L2 = batch_normalization(L2, training)
    # MaxPooling2D(): 2x2, stride 2 (24 -> 12)
    L3 = tf.layers.max_pooling2d(L2, [2, 2], [2, 2], name="pool")
    # Flatten() (in the document's "..."), then Dense(10)
    logits = tf.layers.dense(tf.layers.flatten(L3), NB_CLASSES, kernel_initializer=glorot(), name="output")
    return logits, {"conv1/output": L1, "conv2/output": L2}


def build_lstm(X, training, placement):
    # an image as a sequence: 28 time steps (rows) of 28 pixels
    X_seq = tf.reshape(X, [-1, 28, 28])
    # LSTM(32): the output of the last time step. The initializer is given because the cell's
    # default one draws its own seed, so runs with the same tf.set_random_seed would differ
    cell = tf.nn.rnn_cell.LSTMCell(32, initializer=tf.glorot_uniform_initializer(), name="lstm")
    outputs, _states = tf.nn.dynamic_rnn(cell, X_seq, dtype=tf.float32)
    L1 = outputs[:, -1]
    if placement == "keras":
        # BatchNormalization()
        L1 = batch_normalization(L1, training)
    logits = tf.layers.dense(
        L1, NB_CLASSES, kernel_initializer=tf.glorot_uniform_initializer(), name="output"
    )
    return logits, {"lstm/output": L1}


MODELS = {"mlp": build_mlp, "cnn": build_cnn, "lstm": build_lstm}


def build(learning_rate, model, placement):
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, NB_CLASSES], name="Y")
    # Keras's learning phase: True in fit's training steps, False when evaluating and predicting
    training = tf.placeholder_with_default(False, shape=[], name="training")
    logits, activations = MODELS[model](X, training, placement)
    # TensorBoard: what batch norm will use at test time
    for variable in tf.global_variables():
        if "moving_" in variable.op.name:
            activations[variable.op.name] = variable

    # compile(loss='categorical_crossentropy', optimizer='adam'): the softmax is in the loss
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        # batch norm's moving mean and variance are updated with every training step
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train = keras_adam(learning_rate).minimize(cost)
    return KerasGraph(
        x=X,
        y=Y,
        logits=logits,
        cost=cost,
        train_op=train,
        train_feed={training: True},
        activations=activations,
    )


def main(argv=None):
    parser = build_parser(
        "keras02-batch-norm", __doc__, epochs=EPOCHS, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE
    )
    parser.add_argument(
        "--model",
        action="append",
        choices=list(CASES),
        help="train this model with and without batch norm (repeatable; default: all three)",
    )
    args = parser.parse_args(argv)
    # mnist.load_data(): all 60,000 images train; the 10,000 test images validate and test
    mnist = load_data_sets(args, read=read_keras_split)
    folder = run_folder(args)

    results, figures = {}, []
    for model in dict.fromkeys(args.model or CASES):
        histories = {}
        for placement in CASES[model]:
            case = f"{model}-{placement}"
            run_dir = run_folder(args, case)
            mnist.train.seek_epoch(0)  # every case sees the same batches

            tf.reset_default_graph()
            tf.set_random_seed(args.seed)
            graph = build(args.learning_rate, model, placement)

            with FitSession(
                args,
                graph,
                run_dir,
                case=case,
                hparams={"model": model, "placement": placement, "batch_norm": placement != "none"},
            ) as session:
                # model.fit(X_train, Y_train_ohe, validation_data=(X_val, Y_val_ohe), ...)
                history = session.fit(
                    mnist.train, mnist.validation, epochs=args.epochs, batch_size=args.batch_size
                )
                print("Learning finished")

                _, test_accuracy = session.evaluate(mnist.test.images, mnist.test.labels)
                print(f"Accuracy: {test_accuracy:.4f}")
                write_scalar(session.writer, "test/accuracy", test_accuracy, session.global_step)

                # At test time batch norm must not depend on the batch: an image predicted
                # alone gets the probabilities it gets inside the whole test set
                in_batch = session.predict(mnist.test.images)[:CHECK_IMAGES]
                alone = np.concatenate(
                    [session.predict(mnist.test.images[i : i + 1]) for i in range(CHECK_IMAGES)]
                )
                gap = float(np.abs(alone - in_batch).max())
                print(
                    f"{CHECK_IMAGES} images predicted alone vs inside the test set: "
                    f"largest probability difference {gap:.1e}"
                )

                # what the training left in batch norm's moving averages (they start at 0 and 1)
                moving = {
                    variable.op.name: session.sess.run(variable).tolist()
                    for variable in tf.global_variables()
                    if "moving_" in variable.op.name
                }
                for name, values in moving.items():
                    print(f"{name}: {len(values)} values in [{min(values):.4f}, {max(values):.4f}]")

            results[case] = finish(
                args,
                run_dir,
                accuracy=test_accuracy,
                epoch_costs=history.history["loss"],
                progress=session.progress,
                extra={
                    "history": history.history,
                    "curves": session.curves.history,
                    "model": model,
                    "placement": placement,
                    "single_vs_batch_gap": gap,
                    "moving": moving,
                },
            )
            histories[case] = history.history
        figures.append(
            plots.compare_curves(histories, folder / f"{model}.png", panels=("loss", "val_loss", "val_acc"))
        )

    report_figures(figures, show=args.show)
    print(
        "\n| case | batch norm | final loss | val_acc after epoch 1 | test accuracy |\n|---|---|---|---|---|"
    )
    for case, result in results.items():
        history = result.extra["history"]
        print(
            f"| {case} | {PLACES[result.extra['placement']]} | {history['loss'][-1]:.4f} | "
            f"{history['val_acc'][0]:.4f} | {result.accuracy:.4f} |"
        )
    return Cases(results, figures=measured(results))


def measured(results):
    """What FIGURES reads: for each model trained, batch norm's cases against the case without."""
    figures = {}
    for model, placements in CASES.items():
        if f"{model}-none" not in results:
            continue
        cases = [results[f"{model}-{placement}"] for placement in placements]
        loss = [case.epoch_costs[-1] for case in cases]
        accuracy = [case.accuracy for case in cases]
        losses, accuracies = " / ".join(f"{x:.4f}" for x in loss), " / ".join(f"{x:.4f}" for x in accuracy)
        figures[f"{model} faster"] = Behaviour(
            f"final loss {losses}; test acc {accuracies}", max(loss[:-1]) < loss[-1]
        )
        figures[f"{model} larger rate"] = Behaviour(
            f"test acc {accuracies}; final loss {losses}", min(accuracy[:-1]) > accuracy[-1]
        )
    return figures


if __name__ == "__main__":
    main_guard(main)
