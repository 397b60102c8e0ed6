"""Lab 09-4 (notes 09-2): XOR for TensorBoard, the 2-2-1 net with the five TensorBoard steps.

1. from the TF graph, decide which tensors to log: histograms of every weight, bias and layer
   output, scalars of cost and accuracy, each under its layer's name scope;
2. merge all summaries;
3. create a writer on the run folder and add the graph;
4. run the merged summary and add it, with the step counter as global step;
5. launch TensorBoard: ``tensorboard --logdir logs`` (``make tensorboard``).
Trained with Adam at 0.01 as in the original series; accuracy 1.0.
"""

import numpy as np

from common import cli
from common.lab import check_cost, finish, main_guard, session_config, write_hparams, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf

LEARNING_RATE = 0.01
STEPS = 10001
PRINT_EVERY = 1000
SUMMARY_EVERY = 10

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


def main(argv=None):
    args = cli.build_parser(
        "lab09-xor-tensorboard",
        __doc__,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        summary_every=SUMMARY_EVERY,
        data=None,
    ).parse_args(argv)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 2], name="x-input")
    Y = tf.placeholder(tf.float32, [None, 1], name="y-input")

    # step 1: from the TF graph, decide which tensors you want to log
    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_normal([2, 2]), name="weight1")
        b1 = tf.Variable(tf.random_normal([2]), name="bias1")
        layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)

        tf.summary.histogram("weights1", W1)
        tf.summary.histogram("biases1", b1)
        tf.summary.histogram("layer1", layer1)

    with tf.name_scope("layer2"):
        W2 = tf.Variable(tf.random_normal([2, 1]), name="weight2")
        b2 = tf.Variable(tf.random_normal([1]), name="bias2")
        hypothesis = tf.sigmoid(tf.matmul(layer1, W2) + b2)

        tf.summary.histogram("weights2", W2)
        tf.summary.histogram("biases2", b2)
        tf.summary.histogram("hypothesis", hypothesis)

    # cost/loss function
    with tf.name_scope("cost"):
        cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
        tf.summary.scalar("cost", cost)

    with tf.name_scope("train"):
        train = tf.train.AdamOptimizer(learning_rate=args.learning_rate).minimize(cost)

    # Accuracy computation: True if hypothesis > 0.5 else False
    with tf.name_scope("accuracy"):
        predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))
        tf.summary.scalar("accuracy", accuracy)

    # step 2: merge all summaries
    merged_summary = tf.summary.merge_all()

    # Launch graph
    with tf.Session(config=session_config()) as sess:
        # step 3: create a summary writer and add the graph
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)  # Show the graph
        write_hparams(writer, args, net="2-2-1", optimizer="adam")

        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        costs = []
        for step in range(args.steps):
            if step % args.summary_every == 0:
                # step 4: run the merged summary and add it, the step counter as x axis
                s, cost_val, _ = sess.run([merged_summary, cost, train], feed_dict={X: x_data, Y: y_data})
                writer.add_summary(s, global_step=step)
            else:
                cost_val, _ = sess.run([cost, train], feed_dict={X: x_data, Y: y_data})
            check_cost(cost_val, step)
            costs.append(float(cost_val))
            if step % PRINT_EVERY == 0 or step == args.steps - 1:
                print(step, cost_val)

        # Accuracy report
        h, p, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        print("\nHypothesis:\n{}\nPredicted:\n{}\nAccuracy:\n{}".format(h, p, a))
        write_scalar(writer, "test/accuracy", a, args.steps)
        # the HParams tab's metrics: the last step's cost, the accuracy on the four rows
        write_scalar(writer, "final/cost", cost_val, args.steps)
        write_scalar(writer, "final/accuracy", a, args.steps)
        writer.close()

    # step 5: launch TensorBoard on the log folder and open http://localhost:6006
    print(f"\nTensorBoard: tensorboard --logdir {args.logdir}  (or: make tensorboard LOGDIR={args.logdir})")
    return finish(
        args,
        run_dir,
        accuracy=a,
        epoch_costs=costs[::PRINT_EVERY] + costs[-1:],
        extra={"hypothesis": h.ravel().tolist()},
    )


if __name__ == "__main__":
    main_guard(main)
