"""keras-tips, section 4: the optimizer's usage lines, on the document's own model.

The section shows how an optimizer is given to Keras on a model of its own:

    model.add(Dense(64, kernel_initializer='uniform', input_shape=(10,)))
    model.add(Activation('softmax'))
    sgd = optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
    model.compile(loss='mean_squared_error', optimizer=sgd)

That is 10 inputs, 64 softmax outputs, Keras's 'uniform' weights (uniform in [-0.05, 0.05], zero
bias), the mean squared error and SGD with Nesterov momentum whose rate decays as
lr / (1 + decay * iterations), iterations being the steps taken so far. The document gives no
data, so this lab draws 1,024 rows (``--train-images``) of 10 standard-normal features and labels
each with the class a fixed random linear teacher picks (one-hot over 64), both from ``--seed``.
The squared error of a 64-way softmax has small gradients, so it learns slowly: in 200 epochs
of ``fit``'s default batch of 32 a little beyond always answering the commonest class. It prints
Keras's lines with the rate reached: ``Epoch 1/200``, ``32/32 [====] - loss: ... - lr: ...``.
``make keras02-sgd-decay`` runs the same optimizer line on MNIST.
"""

import numpy as np

from common import cli
from common.figures import KERAS_TIPS, Behaviour, Figure
from common.idx_data import DataSet
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.01  # SGD(lr=0.01, ...)
DECAY = 1e-6
MOMENTUM = 0.9
EPOCHS = 200  # the document gives none; MSE through a 64-way softmax learns slowly
BATCH_SIZE = 32  # fit's default
ROWS = 1024
INPUTS, UNITS = 10, 64  # input_shape=(10,), Dense(64)
FIGURES = [
    Figure(
        "keras02-sgd-decay-dense64",
        "Dense(64) softmax, MSE, SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)",
        KERAS_TIPS,
        "the loss falls; lr / (1 + decay * iterations)",
        measured="decays",
    )
]


def rows_and_labels(rows, seed):
    """``rows`` of 10 standard-normal features, each labelled (one-hot, 64 classes) by the class a
    fixed random linear teacher scores highest (centred features spread the labels over the
    classes; no class holds a tenth of the rows)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, INPUTS)).astype(np.float32)
    teacher = rng.standard_normal((INPUTS, UNITS))
    return x, np.eye(UNITS, dtype=np.float32)[(x @ teacher).argmax(axis=1)]


def main(argv=None):
    parser = cli.build_parser(
        "keras02-sgd-decay-dense64",
        __doc__,
        epochs=EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        train_set_size=ROWS,
        data=None,
    )
    parser.add_argument(
        "--decay", type=cli.positive_float, default=DECAY, help=f"SGD's decay (default {DECAY:g})"
    )
    args = parser.parse_args(argv)
    x_data, y_data = rows_and_labels(args.train_images or ROWS, args.seed)
    rows = DataSet(x_data, y_data, seed=args.seed)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)

    X = tf.placeholder(tf.float32, [None, INPUTS], name="X")
    Y = tf.placeholder(tf.float32, [None, UNITS], name="Y")
    with tf.variable_scope("dense"):
        # Dense(64, kernel_initializer='uniform'): RandomUniform(-0.05, 0.05), zero bias
        W = tf.get_variable("kernel", [INPUTS, UNITS], initializer=tf.random_uniform_initializer(-0.05, 0.05))
        b = tf.get_variable("bias", [UNITS], initializer=tf.zeros_initializer())
        # Activation('softmax')
        hypothesis = tf.nn.softmax(tf.matmul(X, W) + b)
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.square(hypothesis - Y))  # loss='mean_squared_error'
    with tf.name_scope("train"):
        # decay: lr / (1 + decay * iterations), iterations = the steps taken so far
        iterations = tf.Variable(0, trainable=False, name="iterations")
        learning_rate = args.learning_rate / (1.0 + args.decay * tf.cast(iterations, tf.float32))
        sgd = tf.train.MomentumOptimizer(learning_rate, momentum=MOMENTUM, use_nesterov=True)
        train = sgd.minimize(cost, global_step=iterations)
    with tf.name_scope("accuracy"):
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1)), tf.float32))

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("learning_rate", learning_rate)
        histogram("dense/kernel", W)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, decay=args.decay, momentum=MOMENTUM, nesterov=True, loss="mse")
        sess.run(tf.global_variables_initializer())
        steps = -(-rows.num_examples // args.batch_size)  # batches an epoch, a last short one rounded up
        epoch_costs = []
        for epoch in range(args.epochs):
            avg_cost = 0.0
            for step in range(epoch * steps, (epoch + 1) * steps):
                batch_xs, batch_ys = rows.next_batch(args.batch_size)
                if step % args.summary_every == 0:
                    s, c, _ = sess.run([summary, cost, train], feed_dict={X: batch_xs, Y: batch_ys})
                    writer.add_summary(s, global_step=step)
                else:
                    c, _ = sess.run([cost, train], feed_dict={X: batch_xs, Y: batch_ys})
                check_cost(c, step)
                avg_cost += float(c) / steps
            epoch_costs.append(avg_cost)
            rate, taken = sess.run([learning_rate, iterations])
            print(f"Epoch {epoch + 1}/{args.epochs}")
            print(f"{steps}/{steps} [{'=' * 30}] - loss: {avg_cost:.4f} - lr: {rate:.10f}")
        train_accuracy = sess.run(accuracy, feed_dict={X: x_data, Y: y_data})
        majority = float(y_data.mean(axis=0).max())  # what always answering the commonest class scores
        print(f"training accuracy {train_accuracy:.4f} (the commonest class: {majority:.4f}); {taken} steps")
        write_scalar(writer, "final/cost", epoch_costs[-1], taken)
        write_scalar(writer, "final/accuracy", train_accuracy, taken)
        writer.close()

    # Keras's rate after the steps the flags ask for, counted here rather than read from the graph
    expected_rate = args.learning_rate / (1 + args.decay * args.epochs * steps)
    return finish(
        args,
        run_dir,
        accuracy=train_accuracy,
        epoch_costs=epoch_costs,
        extra={"learning_rate": float(rate), "steps": int(taken)},
        figures={
            "decays": Behaviour(
                f"loss {epoch_costs[0]:.4f} -> {epoch_costs[-1]:.4f}, accuracy {train_accuracy:.4f} "
                f"(commonest class {majority:.4f}); "
                f"lr {args.learning_rate:g} -> {rate:.10f} after {taken} steps",
                epoch_costs[-1] < epoch_costs[0]
                and train_accuracy > majority
                and abs(rate - expected_rate) < 1e-6 * expected_rate,
            )
        },
    )


if __name__ == "__main__":
    main_guard(main)
