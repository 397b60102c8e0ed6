"""Lab 09-7: back-propagation written by hand for sigmoid outputs, on the UCI Zoo table.

101 animals, 16 features, 7 classes one-hot; one sigmoid per class (x W + b), the loss summed
sigmoid cross-entropy. The chain rule gives d_loss = (y_pred - target) / (y_pred (1 - y_pred)),
times sigma'(layer) = y_pred (1 - y_pred), so d_layer = y_pred - target; ``tf.assign`` applies
d_W = X^T d_layer and the summed d_b at learning rate 0.01 for 500 steps, as the original does.
The original says that within 300 steps the training accuracy should reach 100%, and prints
`Step / Loss / Acc` every 10 steps, then each animal's prediction. The rows: that behaviour, and
the chain rule carried through (d_W = X^T (y_pred - target)) against ``tf.gradients`` of the same
loss in its stable form, ``sigmoid_cross_entropy_with_logits``. The original's own formula, with
1e-7 added to the division, is printed beside it: where a sigmoid saturates it moves the gradients
by a few per cent.

The table: the original read a CSV without a stated licence; this lab reads the same UCI table
from Debian's r-cran-mlbench (``common.mlbench``, fetched by ``make setup``).
"""

import numpy as np

from common import cli, mlbench
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.01
STEPS = 500
ALL_RIGHT_BY = 300  # "within 300 steps, you should see an accuracy of 100%"
FIGURES = [
    Figure(
        "lab09-sigmoid-backprop",
        "zoo sigmoid back-prop: the chain rule = tf.gradients",
        HUNKIM,
        "gradients agree",
        measured="agree",
    ),
    Figure(
        "lab09-sigmoid-backprop",
        "zoo: training accuracy 100% within 300 steps",
        HUNKIM,
        "Acc: 100.00% by step 300",
        measured="all_right",
    ),
]
nb_classes = 7  # 0 ~ 6


def sigma(x):
    # sigmoid function: 1 / (1 + exp(-x))
    return 1.0 / (1.0 + tf.exp(-x))


def sigma_prime(x):
    # derivative of the sigmoid function: sigma(x) * (1 - sigma(x))
    return sigma(x) * (1.0 - sigma(x))


def main(argv=None):
    parser = cli.build_parser(
        "lab09-sigmoid-backprop",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=10,
        data="UCI Zoo (Zoo.rda)",
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=10, help="print a line every N steps (default 10)"
    )
    args = parser.parse_args(argv)
    learning_rate = args.learning_rate
    # Predicting animal type based on various features
    x_data, y_data, animals = mlbench.read_zoo(args.data_dir)
    run_dir = run_folder(args)

    # y_data has labels from 0 ~ 6
    print("y has one of the following values")
    print(np.unique(y_data))
    # 101 samples, 16 features; 101 samples, 1 label
    print("Shape of X data: ", x_data.shape)
    print("Shape of y data: ", y_data.shape)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 16], name="X")
    y = tf.placeholder(tf.int32, [None, 1], name="y")  # 0 ~ 6
    target = tf.cast(tf.reshape(tf.one_hot(y, nb_classes), [-1, nb_classes]), tf.float32)  # one hot

    with tf.name_scope("model"):
        W = tf.Variable(tf.random_normal([16, nb_classes]), name="weight")
        b = tf.Variable(tf.random_normal([nb_classes]), name="bias")
        # Forward propagation
        layer_1 = tf.matmul(X, W) + b
        y_pred = sigma(layer_1)

    with tf.name_scope("loss"):
        # summed sigmoid cross-entropy (the end of forward propagation)
        loss_i = -target * tf.log(y_pred) - (1.0 - target) * tf.log(1.0 - y_pred)
        loss = tf.reduce_sum(loss_i)

    # Dimension Check
    assert y_pred.shape.as_list() == target.shape.as_list()

    with tf.name_scope("back_prop"):
        # the chain rule; 1e-7 keeps the division finite where a sigmoid saturates
        d_loss = (y_pred - target) / (y_pred * (1.0 - y_pred) + 1e-7)
        d_sigma = sigma_prime(layer_1)
        d_layer = d_loss * d_sigma
        d_b = d_layer
        d_W = tf.matmul(tf.transpose(X), d_layer)

    # Updating network using gradients
    with tf.name_scope("update"):
        train_step = [
            tf.assign(W, W - learning_rate * d_W),
            tf.assign(b, b - learning_rate * tf.reduce_sum(d_b, axis=0)),
        ]

    # Prediction and Accuracy
    with tf.name_scope("accuracy"):
        prediction = tf.argmax(y_pred, 1)
        acct_mat = tf.equal(tf.argmax(y_pred, 1), tf.argmax(target, 1))
        acct_res = tf.reduce_mean(tf.cast(acct_mat, tf.float32))

    with tf.name_scope("compare"):
        # TensorFlow's own gradients of the same loss in its stable form (the log of a saturated
        # sigmoid loses every digit in float32), beside the chain rule carried through
        # (d_layer = y_pred - target) and beside the epsilon form above, relative to their size
        stable_loss = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=layer_1))
        auto_W, auto_b = tf.gradients(stable_loss, [W, b])
        exact_W = tf.matmul(tf.transpose(X), y_pred - target)

        def relative_gap(hand_W, hand_b):
            gap_W = tf.reduce_max(tf.abs(hand_W - auto_W)) / tf.reduce_max(tf.abs(auto_W))
            gap_b = tf.reduce_max(tf.abs(hand_b - auto_b)) / tf.reduce_max(tf.abs(auto_b))
            return tf.maximum(gap_W, gap_b)

        gradient_gap = relative_gap(exact_W, tf.reduce_sum(y_pred - target, axis=0))
        epsilon_gap = relative_gap(d_W, tf.reduce_sum(d_b, axis=0))

    with tf.name_scope("summaries"):
        tf.summary.scalar("loss", loss)
        tf.summary.scalar("accuracy", acct_res)
        tf.summary.scalar("gradient_gap", gradient_gap)
        tf.summary.scalar("epsilon_gradient_gap", epsilon_gap)
        histogram("model/weight", W)
        histogram("model/bias", b)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, gradients="by hand", loss="sigmoid cross-entropy")
        sess.run(tf.global_variables_initializer())

        feed_dict = {X: x_data, y: y_data}
        losses, largest_gap, largest_epsilon_gap, all_right_at = [], 0.0, 0.0, None
        for step in range(args.steps):
            # the gradients as they are before this step's update
            s, gap, epsilon_side = sess.run([summary, gradient_gap, epsilon_gap], feed_dict=feed_dict)
            largest_gap = max(largest_gap, float(gap))
            largest_epsilon_gap = max(largest_epsilon_gap, float(epsilon_side))
            if step % args.summary_every == 0:
                writer.add_summary(s, global_step=step)
            sess.run(train_step, feed_dict=feed_dict)
            step_loss, acc = sess.run([loss, acct_res], feed_dict=feed_dict)
            check_cost(step_loss, step)
            losses.append(float(step_loss))
            if acc == 1.0 and all_right_at is None:
                all_right_at = step
            if step % args.print_every == 0 or step == args.steps - 1:
                print("Step: {:5}\t Loss: {:10.5f}\t Acc: {:.2%}".format(step, step_loss, acc))

        # Let's see if we can predict
        pred = sess.run(prediction, feed_dict={X: x_data})
        for p, label, animal in zip(pred, y_data, animals):
            msg = "[{}]\t Prediction: {:d}\t True y: {:d}\t({})"
            print(msg.format(p == int(label[0]), p, int(label[0]), animal))
        print(f"largest relative gap between the chain rule's and TensorFlow's gradients: {largest_gap:.3g}")
        print(f"  with the 1e-7 in the division, where sigmoids saturate: {largest_epsilon_gap:.3g}")
        final_accuracy = float(acc)
        weight, bias = sess.run([W, b])
        write_scalar(writer, "final/loss", losses[-1], args.steps)
        write_scalar(writer, "final/accuracy", final_accuracy, args.steps)
        writer.close()

    reached = "never" if all_right_at is None else f"at step {all_right_at}"
    # the printed steps' losses, the last step's once
    printed_losses = [
        loss for step, loss in enumerate(losses) if step % args.print_every == 0 or step == len(losses) - 1
    ]
    return finish(
        args,
        run_dir,
        accuracy=final_accuracy,
        epoch_costs=printed_losses,
        extra={
            "predictions": pred.tolist(),
            "W": weight.tolist(),
            "b": bias.tolist(),
            "all_right_at": all_right_at,
            "gradient_gap": largest_gap,
            "epsilon_gradient_gap": largest_epsilon_gap,
        },
        figures={
            "agree": Behaviour(
                f"largest relative gap {largest_gap:.1e} (the 1e-7 form: {largest_epsilon_gap:.1e})",
                largest_gap < 1e-4,
            ),
            "all_right": Behaviour(
                f"training accuracy 100% {reached}", all_right_at is not None and all_right_at <= ALL_RIGHT_BY
            ),
        },
    )


if __name__ == "__main__":
    main_guard(main)
