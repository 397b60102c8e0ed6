"""Lab 07-1: training/test data and the learning rate.

A softmax classifier (3 features -> 3 classes) is trained on 8 rows and tested on 3 others,
201 full-batch gradient-descent steps at three learning rates (notes-07-08):
- 1e-10, too small: no progress (cost stuck at 5.73 in the lecture, prediction [0 0 0], 0.0);
- 1.5, too large: the cost diverges to nan (prediction [0 0 0], accuracy 0.0);
- 0.1, proper: cost 0.67 at step 200, prediction [2 2 2], accuracy 1.0.

Each learning rate is a TensorBoard sub-run (``1-lr1e-10``, ``2-lr1.5``, ``3-lr0.1``: the lecture's
order), so TensorBoard overlays their costs; the HParams tab lists them with their final cost and
accuracy.

keras-tips ex.1 (Keras) trains the same data with SGD at 0.1 for 200 epochs and evaluates on the same
3 rows: accuracy 1.0 (``make keras02-learning-rate``); with ``--init keras`` the lab prints that
document's lines, ``Epoch 200/200`` and ``8/8 [====] - loss: - acc: - val_loss: - val_acc:``, and
``## Evaluation ##``. Every run draws ex.1's figure, the cost per step at each learning rate
(``learning_rates.png`` beside the sub-runs). ``--init keras`` starts from what the
document's ``Dense(units=3, activation='softmax')`` starts from: glorot_uniform W and zero b; 8 rows
are one batch of ``fit``'s default 32, so an epoch is one full-batch step (``--steps 200``).
"""

from pathlib import Path

import numpy as np

from common import cli, plots
from common.figures import KERAS_TIPS, NOTES_07_08, Behaviour, Figure, Runs
from common.lab import (
    Diverged,
    check_cost,
    histogram,
    main_guard,
    session_config,
    write_hparams,
    write_scalar,
)
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATES = (1e-10, 1.5, 0.1)
STEPS = 201
SUMMARY_EVERY = 10

KERAS_EX1 = ("--learning-rate", "0.1", "--steps", "200", "--init", "keras")
FIGURES = [
    Figure(
        "lab07-learning-rate", "lr 1e-10: no progress", NOTES_07_08, "cost stuck", measured="lr1e-10/stuck"
    ),
    Figure(
        "lab07-learning-rate",
        "lr 1e-10: test accuracy",
        NOTES_07_08,
        0.0,
        0.0,
        measured="lr1e-10/accuracy",
        explained="at lr 1e-10 the weights never move (the row above), so the lecture's 0.0 is what its own "
        "random initial weights score on the 3 test rows; this lab starts from other random weights",
    ),
    Figure("lab07-learning-rate", "lr 1.5: diverges", NOTES_07_08, "cost -> nan", measured="lr1.5/diverges"),
    Figure("lab07-learning-rate", "lr 0.1: test accuracy", NOTES_07_08, 1.0, 0.0, measured="lr0.1/accuracy"),
    Figure(
        "keras02-learning-rate",
        "toy softmax, SGD 0.1, 200 epochs: eval accuracy",
        KERAS_TIPS,
        1.0,
        0.0,
        measured="lr0.1/accuracy",
        argv=KERAS_EX1,
    ),
    Figure(
        "keras02-learning-rate",
        "toy softmax: loss at epoch 200",
        KERAS_TIPS,
        0.6094,
        0.05,
        measured="lr0.1/final cost",
        argv=KERAS_EX1,
    ),
]

x_data = np.array(
    [[1, 2, 1], [1, 3, 2], [1, 3, 4], [1, 5, 5], [1, 7, 5], [1, 2, 5], [1, 6, 6], [1, 7, 7]], dtype=np.float32
)
y_data = np.array(
    [[0, 0, 1], [0, 0, 1], [0, 0, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]], dtype=np.float32
)
# Evaluation our model using this test dataset
x_test = np.array([[2, 1, 1], [3, 1, 2], [3, 3, 4]], dtype=np.float32)
y_test = np.array([[0, 0, 1], [0, 0, 1], [0, 0, 1]], dtype=np.float32)


def case_name(learning_rate):
    """``1-lr1e-10``, ``2-lr1.5``, ``3-lr0.1``: numbered so TensorBoard lists the lecture's rates in
    its order; any other rate is ``lr<rate>``."""
    if learning_rate in LEARNING_RATES:
        return f"{LEARNING_RATES.index(learning_rate) + 1}-lr{learning_rate:g}"
    return f"lr{learning_rate:g}"


def train_at(args, learning_rate):
    """The lecture's program at one learning rate: its costs (None when it diverged), the step
    where it diverged, and the prediction and accuracy on the test rows."""
    case = case_name(learning_rate)
    run_dir = run_folder(args, case=case)

    tf.reset_default_graph()  # a new graph for each learning rate
    tf.set_random_seed(args.seed)  # for reproducibility: every rate starts from the same weights

    X = tf.placeholder(tf.float32, [None, 3], name="X")
    Y = tf.placeholder(tf.float32, [None, 3], name="Y")

    with tf.name_scope("softmax"):
        if args.init == "keras":  # Dense's defaults: kernel glorot_uniform, bias zeros
            W = tf.Variable(tf.glorot_uniform_initializer()([3, 3]), name="weight")
            b = tf.Variable(tf.zeros([3]), name="bias")
        else:
            W = tf.Variable(tf.random_normal([3, 3]), name="weight")
            b = tf.Variable(tf.random_normal([3]), name="bias")
        hypothesis = tf.nn.softmax(tf.matmul(X, W) + b)

    with tf.name_scope("cost"):
        cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
    with tf.name_scope("train"):
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)

    # Correct prediction Test model
    prediction = tf.argmax(hypothesis, 1)
    with tf.name_scope("accuracy"):
        is_correct = tf.equal(prediction, tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy as scalars, the weights as histograms
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
    summary = tf.summary.merge_all()

    # Launch graph
    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, case=case, learning_rate=learning_rate, init=args.init)
        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        print(f"--- learning rate {learning_rate:g}")
        costs, diverged_at = [], None
        try:
            for step in range(args.steps):
                fetches = [cost, accuracy, W, optimizer]
                if step % args.summary_every == 0:
                    s, cost_val, acc_val, W_val, _ = sess.run(
                        [summary] + fetches, feed_dict={X: x_data, Y: y_data}
                    )
                    writer.add_summary(s, global_step=step)
                else:
                    cost_val, acc_val, W_val, _ = sess.run(fetches, feed_dict={X: x_data, Y: y_data})
                if args.init == "keras":  # keras-tips: fit(verbose=1, validation_data=(X_ev, Y_ev))'s lines
                    val_loss, val_acc = sess.run([cost, accuracy], feed_dict={X: x_test, Y: y_test})
                    print(f"Epoch {step + 1}/{args.steps}")
                    print(
                        f"8/8 [{'=' * 30}] - loss: {cost_val:.4f} - acc: {acc_val:.4f} - "
                        f"val_loss: {val_loss:.4f} - val_acc: {val_acc:.4f}"
                    )
                elif step % args.print_every == 0 or step == args.steps - 1:
                    print(step, cost_val, W_val)  # before check_cost: the original prints the inf/nan step
                costs.append(float(cost_val))
                check_cost(cost_val, step)
        except Diverged as exc:  # the expected outcome of a too large rate: report it, go on
            curve, costs, diverged_at, cost_val = costs[:-1], None, exc.step, exc.cost
            print(f"-> diverged at step {exc.step} (the expected outcome of a too large rate)")

        # predict
        predicted = sess.run(prediction, feed_dict={X: x_test})
        print("Prediction:", predicted)
        # Calculate the accuracy
        test_accuracy = sess.run(accuracy, feed_dict={X: x_test, Y: y_test})
        print("Accuracy: ", test_accuracy)
        if args.init == "keras":  # model.evaluate(X_ev, Y_ev)
            print("## Evaluation ##")
            print("## Accuracy :", test_accuracy)
        # the HParams tab's metrics: last cost (nan when it diverged), training and test accuracy
        train_accuracy = sess.run(accuracy, feed_dict={X: x_data, Y: y_data})
        write_scalar(writer, "final/cost", cost_val, args.steps)
        write_scalar(writer, "final/accuracy", train_accuracy, args.steps)
        write_scalar(writer, "test/accuracy", test_accuracy, args.steps)
        writer.close()

    return {
        "learning_rate": learning_rate,
        "run_dir": str(run_dir),
        "curve": costs if costs is not None else curve,  # the finite costs, for the figure
        "costs": costs,
        "diverged_at": diverged_at,
        "prediction": predicted.tolist(),
        "accuracy": float(test_accuracy),
        "train_accuracy": float(train_accuracy),
    }


def main(argv=None):
    parser = cli.build_parser(
        "lab07-learning-rate",
        __doc__,
        steps=STEPS,
        learning_rate=None,
        summary_every=SUMMARY_EVERY,
        data=None,
        steps_help="full-batch steps per learning rate",
        learning_rate_help="train at this one rate only (default: the "
        "lecture's three, 1e-10, 1.5 and 0.1, one "
        "sub-run each)",
    )
    parser.add_argument(
        "--init",
        choices=["lecture", "keras"],
        default="lecture",
        help="initial W and b: the lecture's random_normal, or Keras Dense's "
        "glorot_uniform W and zero b (keras-tips; default lecture)",
    )
    parser.add_argument(
        "--print-every",
        type=cli.positive_int,
        default=1,
        help="print step, cost and W every N steps (default 1: every step, as the original)",
    )
    args = parser.parse_args(argv)
    rates = [args.learning_rate] if args.learning_rate else LEARNING_RATES
    runs = [train_at(args, rate) for rate in rates]
    # keras-tips ex.1's figure: the cost per step at each learning rate, beside the sub-runs
    figure = plots.loss_by_learning_rate(
        {run["learning_rate"]: run["curve"] for run in runs},
        Path(runs[0]["run_dir"]).parent / "learning_rates.png",
    )
    print(f"figure: {figure}")
    return Runs(runs, figures=measured(runs))


def measured(runs):
    """What FIGURES reads, by learning rate: ``lr0.1/accuracy``, ``lr1e-10/stuck``, ..."""
    figures = {}
    for run in runs:
        rate, costs, diverged_at = f"lr{run['learning_rate']:g}", run["costs"], run["diverged_at"]
        figures[f"{rate}/accuracy"] = run["accuracy"]
        figures[f"{rate}/diverges"] = Behaviour(f"nan at step {diverged_at}", diverged_at is not None)
        if costs:
            figures[f"{rate}/final cost"] = costs[-1]
            figures[f"{rate}/stuck"] = Behaviour(
                f"cost stuck at {costs[-1]:.4f}", max(costs) - min(costs) < 1e-6
            )
    return figures


if __name__ == "__main__":
    main_guard(main)
