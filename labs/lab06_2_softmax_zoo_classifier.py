"""Lab 06-2: softmax classification of the UCI Zoo table: 101 animals into 7 classes.

16 features per animal (15 yes/no, and the number of legs) and its class 0-6 (mammal, bird,
reptile, fish, amphibian, insect, mollusc and others). The course's CSV carries no origin or
licence; the same UCI table ships in Debian's ``r-cran-mlbench`` (``common.mlbench``, fetched by
``make setup``). The labels are class numbers, made one-hot in the graph: ``tf.one_hot`` gives
shape (?, 1, 7), ``tf.reshape`` (?, 7), printed as the lecture prints them. H(X) =
softmax(X W + b) trains with ``softmax_cross_entropy_with_logits_v2``, 2,001 steps of gradient
descent at 0.1, ``Step: Cost: Acc:`` every 100th; then every animal's ``[True] Prediction: 0 True
Y: 0`` line.

hunkim's lab-06-2 reaches accuracy 100.00 % (loss 0.054) at step 2000: the accuracy is a number
row (within 0: every animal right). The loss depends on the random start: a behaviour row
(below 0.1, from 5.1).
"""

from common import cli, mlbench
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import check_cost, finish, histogram, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.1
STEPS = 2001
FIGURES = [
    Figure("lab06-zoo", "softmax, UCI Zoo: training accuracy", HUNKIM, 1.0, 0.0),
    Figure("lab06-zoo", "softmax, UCI Zoo: loss", HUNKIM, "loss falls below 0.1 (0.054)", measured="loss"),
]
nb_classes = 7  # 0 ~ 6


def main(argv=None):
    parser = cli.build_parser(
        "lab06-zoo", __doc__, steps=STEPS, learning_rate=LEARNING_RATE, summary_every=20, data="UCI Zoo.rda"
    )
    parser.add_argument(
        "--print-every", type=cli.positive_int, default=100, help="print a line every N steps (default 100)"
    )
    args = parser.parse_args(argv)
    # Predicting animal type based on various features
    x_data, y_data, animals = mlbench.read_zoo(args.data_dir)
    print(x_data.shape, y_data.shape)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 16], name="X")
    Y = tf.placeholder(tf.int32, [None, 1], name="Y")  # 0 ~ 6
    with tf.name_scope("one_hot"):
        Y_one_hot = tf.one_hot(Y, nb_classes)  # one hot
        print("one_hot:", Y_one_hot)
        Y_one_hot = tf.reshape(Y_one_hot, [-1, nb_classes])
        print("reshape one_hot:", Y_one_hot)

    with tf.name_scope("softmax"):
        W = tf.Variable(tf.random_normal([16, nb_classes]), name="weight")
        b = tf.Variable(tf.random_normal([nb_classes]), name="bias")
        logits = tf.matmul(X, W) + b
        hypothesis = tf.nn.softmax(logits)

    # Cross entropy cost/loss
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=tf.stop_gradient(Y_one_hot))
        )
    with tf.name_scope("train"):
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=args.learning_rate).minimize(cost)

    with tf.name_scope("accuracy"):
        prediction = tf.argmax(hypothesis, 1)
        correct_prediction = tf.equal(prediction, tf.argmax(Y_one_hot, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        histogram("softmax/weight", W)
    summary = tf.summary.merge_all()

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args)
        sess.run(tf.global_variables_initializer())

        costs = []
        for step in range(args.steps):
            feed_dict = {X: x_data, Y: y_data}
            if step % args.summary_every == 0:
                writer.add_summary(sess.run(summary, feed_dict=feed_dict), global_step=step)
            _, cost_val, acc_val = sess.run([optimizer, cost, accuracy], feed_dict=feed_dict)
            check_cost(cost_val, step)
            costs.append(float(cost_val))
            if step % args.print_every == 0 or step == args.steps - 1:
                print(f"Step: {step:5}\tCost: {cost_val:.3f}\tAcc: {acc_val:.2%}")

        # Let's see if we can predict
        pred, final_accuracy = sess.run([prediction, accuracy], feed_dict={X: x_data, Y: y_data})
        # y_data: (N,1) = flatten => (N, ) matches pred.shape
        for p, y in zip(pred, y_data.flatten()):
            print(f"[{p == int(y)}] Prediction: {p} True Y: {int(y)}")
        write_scalar(writer, "final/cost", costs[-1], args.steps)
        write_scalar(writer, "final/accuracy", final_accuracy, args.steps)
        writer.close()

    wrong = [animal for animal, p, y in zip(animals, pred, y_data.flatten()) if p != y]
    return finish(
        args,
        run_dir,
        accuracy=final_accuracy,
        epoch_costs=costs[:: args.print_every] + costs[-1:],
        extra={"prediction": pred.tolist(), "wrong": wrong},
        figures={"loss": Behaviour(f"loss {costs[-1]:.3f}", costs[-1] < 0.1)},
    )


if __name__ == "__main__":
    main_guard(main)
