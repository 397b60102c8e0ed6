"""tf2-quickstart, weeks 1-2: the TensorFlow 2 quickstart on MNIST, and the notes' goal of 99%.

``--model quickstart`` (default): Flatten -> Dense(128, relu) -> Dropout(0.2) -> Dense(10),
sparse softmax cross-entropy from logits, Adam, 5 epochs of Keras's default batch 32 on all 60,000
training images: test accuracy 0.9758 in the notes.

As in the notes, before training the untrained model's logits for the first training image
(``predictions = model(x_train[:1])``), their ``tf.nn.softmax`` and that image's loss are printed
(2.1748242 in the notes). The quickstart the notes copy explains the loss: an untrained model
gives every class about 1/10, so the loss starts near -ln(1/10) = 2.3026; the loss over all
test images is printed beside it. Training prints Keras's own lines (``Epoch 1/5``,
``1875/1875 [====] - loss: ... - accuracy: ...``) and ``model.evaluate(verbose=2)``'s
``313/313 - 0s - loss: 0.0748 - accuracy: 0.9758``. After training,
``probability_model(x_test[:5])``: the notes' rows pick 7, 2, 1, 0, 4, each at more than 0.996.

``--model stretch``: the notes ask to raise the accuracy to 99% ("more epochs, dropout, ...");
an MLP stalls near 98.5%, so the stretch run puts two small convolution blocks in front of the
same Dense(128)-Dropout-Dense(10) head, 10 epochs of batch 32.
"""

import math

from common.dense import keras_adam
from common.figures import TF2_QUICKSTART, Behaviour, Figure
from common.keras_docs import FitSession, KerasGraph, build_parser, reported_if_documented
from common.lab import finish, load_data_sets, main_guard, write_scalar
from common.mnist import read_keras_split
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.001  # Keras's Adam default
BATCH_SIZE = 32  # model.fit's default
EPOCHS = {"quickstart": 5, "stretch": 10}
STRETCH_GOAL = 0.99  # the notes' goal for the stretch model
FIGURES = [
    Figure("keras00-quickstart", "quickstart MLP, 5 epochs", TF2_QUICKSTART, 0.9758, 0.01, seeded=True),
    Figure(
        "keras00-quickstart",
        "untrained loss, -ln(1/10)",
        TF2_QUICKSTART,
        2.3026,
        0.25,
        "untrained loss",
        seeded=True,
    ),
    Figure("keras00-quickstart", "test loss", TF2_QUICKSTART, 0.0748, 0.03, "test loss", seeded=True),
    Figure(
        "keras00-quickstart",
        "probability_model(x_test[:5])",
        TF2_QUICKSTART,
        "7 2 1 0 4, each > 0.996",
        measured="first five",
    ),
    Figure(
        "keras00-quickstart-99",
        "the notes' goal: 99%",
        TF2_QUICKSTART,
        f">= {STRETCH_GOAL}",
        measured="goal reached",
        argv=("--model", "stretch"),
    ),
]
REPORTED = {"quickstart": FIGURES[0].reported, "stretch": STRETCH_GOAL}


def quickstart(learning_rate):
    # Flatten(input_shape=(28, 28)): the images come flattened to 784
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    # Keras's learning phase: Dropout drops only in fit's training steps
    training = tf.placeholder_with_default(False, shape=[], name="training")
    glorot = tf.glorot_uniform_initializer  # Keras's default kernel_initializer
    # Dense(128, activation='relu')
    L1 = tf.layers.dense(X, 128, activation=tf.nn.relu, kernel_initializer=glorot(), name="dense1")
    # Dropout(0.2)
    D1 = tf.layers.dropout(L1, rate=0.2, training=training, name="dropout1")
    # Dense(10)
    logits = tf.layers.dense(D1, 10, kernel_initializer=glorot(), name="output")
    # compile(optimizer='adam', loss=SparseCategoricalCrossentropy(from_logits=True)), one-hot here
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
        train_feed={training: True},
        activations={"dense1/output": L1},
    )


def stretch(learning_rate):
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    training = tf.placeholder_with_default(False, shape=[], name="training")
    glorot = tf.glorot_uniform_initializer
    X_img = tf.reshape(X, [-1, 28, 28, 1])  # Reshape((28, 28, 1))
    # Conv2D(32, 3, padding='same', activation='relu')
    C1 = tf.layers.conv2d(
        X_img, 32, 3, padding="same", activation=tf.nn.relu, kernel_initializer=glorot(), name="conv1"
    )
    # MaxPooling2D(): 28x28 -> 14x14
    P1 = tf.layers.max_pooling2d(C1, 2, 2, name="pool1")
    # Conv2D(64, 3, padding='same', activation='relu')
    C2 = tf.layers.conv2d(
        P1, 64, 3, padding="same", activation=tf.nn.relu, kernel_initializer=glorot(), name="conv2"
    )
    # MaxPooling2D(): 14x14 -> 7x7
    P2 = tf.layers.max_pooling2d(C2, 2, 2, name="pool2")
    # Flatten()
    flat = tf.layers.flatten(P2)
    # Dense(128, activation='relu')
    L3 = tf.layers.dense(flat, 128, activation=tf.nn.relu, kernel_initializer=glorot(), name="dense1")
    # Dropout(0.2)
    D3 = tf.layers.dropout(L3, rate=0.2, training=training, name="dropout1")
    # Dense(10)
    logits = tf.layers.dense(D3, 10, kernel_initializer=glorot(), name="output")
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
        train_feed={training: True},
        activations={"conv1/output": P1, "conv2/output": P2, "dense1/output": L3},
    )


MODELS = {"quickstart": quickstart, "stretch": stretch}


def main(argv=None):
    parser = build_parser(
        "keras00-quickstart",
        __doc__,
        epochs=EPOCHS["quickstart"],
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        figures=False,
    )  # it prints, and draws nothing: no --show
    parser.add_argument(
        "--model",
        choices=list(MODELS),
        default="quickstart",
        help="the quickstart's MLP, or the stretch run for 99%% (default quickstart; "
        f"its default epochs: {EPOCHS['stretch']})",
    )
    epochs = EPOCHS[parser.parse_known_args(argv)[0].model]
    parser.set_defaults(epochs=epochs, documented_settings=(epochs, LEARNING_RATE, BATCH_SIZE))
    args = parser.parse_args(argv)
    # mnist.load_data(), x / 255.0: all 60,000 images train, the 10,000 test images test
    mnist = load_data_sets(args, read=read_keras_split)
    run_dir = run_folder(args, args.model)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)
    graph = MODELS[args.model](args.learning_rate)

    # hparams: the model, and its Dropout(0.2), for TensorBoard's HParams tab
    with FitSession(
        args, graph, run_dir, case=args.model, hparams={"model": args.model, "dropout": 0.2}
    ) as session:
        # predictions = model(x_train[:1]).numpy(): the untrained model's logits
        first = {graph.x: mnist.train.images[:1], graph.y: mnist.train.labels[:1]}
        predictions, probabilities, initial_loss = session.sess.run(
            [graph.logits, session.probabilities, graph.cost], feed_dict=first
        )
        print("predictions:", predictions)
        print("tf.nn.softmax(predictions):", probabilities)  # about 1/10 each: a guess
        print("loss_fn(y_train[:1], predictions):", initial_loss)
        untrained_loss, _ = session.evaluate(mnist.test.images, mnist.test.labels)
        print(
            f"untrained loss over the test images: {untrained_loss:.4f} (-ln(1/10) = {-math.log(1 / 10):.4f})"
        )

        # model.fit(x_train, y_train, epochs=5), with Keras's lines; the History also validates
        # on the test images, for TensorBoard's curves
        history = session.fit(
            mnist.train, mnist.validation, epochs=args.epochs, batch_size=args.batch_size, keras_lines=True
        )

        # model.evaluate(x_test, y_test, verbose=2)
        test_loss, test_accuracy = session.evaluate_verbose(mnist.test.images, mnist.test.labels)
        write_scalar(session.writer, "test/accuracy", test_accuracy, session.global_step)

        # probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
        test_probabilities = session.predict(mnist.test.images[:5])  # probability_model(x_test[:5])
        print("probability_model(x_test[:5]):")
        print(test_probabilities)

    return finish(
        args,
        run_dir,
        accuracy=test_accuracy,
        epoch_costs=history.history["loss"],
        progress=session.progress,
        reported=reported_if_documented(args, REPORTED[args.model]),
        extra={
            "history": history.history,
            "curves": session.curves.history,
            "initial_logits": predictions[0].tolist(),
            "initial_probabilities": probabilities[0].tolist(),
            "initial_loss": float(initial_loss),
            "untrained_loss": untrained_loss,
            "test_probabilities": test_probabilities.tolist(),
        },
        figures={
            "untrained loss": untrained_loss,
            "test loss": test_loss,
            "first five": Behaviour(
                " ".join(map(str, test_probabilities.argmax(axis=1)))
                + f", each > {test_probabilities.max(axis=1).min():.3f}",
                test_probabilities.argmax(axis=1).tolist() == [7, 2, 1, 0, 4],
            ),
            "goal reached": Behaviour(f"{test_accuracy:.4f}", test_accuracy >= STRETCH_GOAL),
        },
    )


if __name__ == "__main__":
    main_guard(main)
