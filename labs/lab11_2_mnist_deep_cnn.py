"""Lab 11-2: MNIST with a deep CNN, in raw ops.

Three conv blocks (3x3 filters, 32 / 64 / 128, SAME, ReLU, 2x2 max pool, dropout keep_prob 0.7
in training and 1.0 at test), then FC 2048 -> 625 ReLU (dropout) -> 10, Xavier for the FC
weights. Adam at 0.001, 15 epochs of batch 100: test accuracy 0.9931 (notes-09-11); 0.9938 in the
original series. A checkpoint every epoch: an interrupted run resumes when run again.
"""

import random
import time

import numpy as np

from common import cli, cluster
from common.figures import NOTES_09_11, Figure
from common.lab import (
    EpochCurves,
    Progress,
    check_cost,
    checkpoint_prefix,
    finish,
    histogram,
    main_guard,
    read_data_sets,
    resume,
    run_folder,
    save_costs,
    session_config,
    show_prediction,
    write_hparams,
    write_scalar,
)
from common.tf1 import tf

# hyper parameters
LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
KEEP_PROB = 0.7
TEST_BATCH = 1000  # the whole test set in one feed would need about 2 GB of activations
# the notes' deep CNN, here in raw ops, in lab 11-3's class and with tf.layers in lab 11-4
DEEP_CNN = Figure("lab11-mnist-deep-cnn", "deep CNN, raw ops", NOTES_09_11, 0.9931, 0.003, seeded=True)
FIGURES = [DEEP_CNN]
REPORTED = {(15, 0.001): DEEP_CNN.reported}


def deep_cnn(X, keep_prob):
    """The lecture's layers, conv1 to fc5: the logits and the four hidden layers' outputs."""
    X_img = tf.reshape(X, [-1, 28, 28, 1])  # img 28x28x1 (black/white)

    with tf.variable_scope("conv1"):
        # L1 ImgIn shape=(?, 28, 28, 1)
        W1 = tf.Variable(tf.random_normal([3, 3, 1, 32], stddev=0.01), name="W")
        #    Conv     -> (?, 28, 28, 32)
        #    Pool     -> (?, 14, 14, 32)
        L1 = tf.nn.conv2d(X_img, W1, strides=[1, 1, 1, 1], padding="SAME")
        L1 = tf.nn.relu(L1)
        L1 = tf.nn.max_pool(L1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        L1 = tf.nn.dropout(L1, rate=1 - keep_prob)

    with tf.variable_scope("conv2"):
        # L2 ImgIn shape=(?, 14, 14, 32)
        W2 = tf.Variable(tf.random_normal([3, 3, 32, 64], stddev=0.01), name="W")
        #    Conv      ->(?, 14, 14, 64)
        #    Pool      ->(?, 7, 7, 64)
        L2 = tf.nn.conv2d(L1, W2, strides=[1, 1, 1, 1], padding="SAME")
        L2 = tf.nn.relu(L2)
        L2 = tf.nn.max_pool(L2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        L2 = tf.nn.dropout(L2, rate=1 - keep_prob)

    with tf.variable_scope("conv3"):
        # L3 ImgIn shape=(?, 7, 7, 64)
        W3 = tf.Variable(tf.random_normal([3, 3, 64, 128], stddev=0.01), name="W")
        #    Conv      ->(?, 7, 7, 128)
        #    Pool      ->(?, 4, 4, 128)
        #    Reshape   ->(?, 4 * 4 * 128) # Flatten them for FC
        L3 = tf.nn.conv2d(L2, W3, strides=[1, 1, 1, 1], padding="SAME")
        L3 = tf.nn.relu(L3)
        L3 = tf.nn.max_pool(L3, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        L3 = tf.nn.dropout(L3, rate=1 - keep_prob)
    L3_flat = tf.reshape(L3, [-1, 128 * 4 * 4])

    with tf.variable_scope("fc4"):
        # L4 FC 4x4x128 inputs -> 625 outputs
        W4 = tf.get_variable("W4", shape=[128 * 4 * 4, 625], initializer=tf.glorot_uniform_initializer())
        b4 = tf.Variable(tf.random_normal([625]), name="b4")
        L4 = tf.nn.relu(tf.matmul(L3_flat, W4) + b4)
        L4 = tf.nn.dropout(L4, rate=1 - keep_prob)

    with tf.variable_scope("fc5"):
        # L5 Final FC 625 inputs -> 10 outputs
        W5 = tf.get_variable("W5", shape=[625, 10], initializer=tf.glorot_uniform_initializer())
        b5 = tf.Variable(tf.random_normal([10]), name="b5")
        logits = tf.matmul(L4, W5) + b5
    return logits, (L1, L2, L3, L4)


def main(argv=None):
    parser = cli.build_parser(
        "lab11-mnist-deep-cnn",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        resumable=True,
    )
    cluster.add_flags(parser)
    args = parser.parse_args(argv)
    cluster.check_flags(parser, args)
    if args.cluster:
        if args.batch_size % len(args.worker_hosts):
            parser.error(
                f"--batch-size {args.batch_size} does not split evenly over {len(args.worker_hosts)} workers"
            )
        return train_on_cluster(args)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = read_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")

    logits, (L1, L2, L3, L4) = deep_cnn(X, keep_prob)

    # define cost/loss & optimizer
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    with tf.name_scope("train"):
        optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    with tf.name_scope("accuracy"):
        correct_prediction = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    # TensorBoard: cost and accuracy, every weight and every layer's output
    with tf.name_scope("summaries"):
        tf.summary.scalar("cost", cost)
        tf.summary.scalar("accuracy", accuracy)
        for variable in tf.trainable_variables():
            histogram(variable.op.name, variable)
        for name, layer in [("conv1", L1), ("conv2", L2), ("conv3", L3), ("fc4", L4)]:
            histogram(f"{name}/output", layer)
    summary = tf.summary.merge_all()

    # a checkpoint every epoch (weights and Adam's state), the last 3 kept
    saver = tf.train.Saver(max_to_keep=3, save_relative_paths=True)

    with tf.Session(config=session_config()) as sess:
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, keep_prob=KEEP_PROB)
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        sess.run(tf.global_variables_initializer())
        # an interrupted run goes on from its newest readable checkpoint
        resumed = resume(saver, sess, run_dir, mnist.train, batch_size, writer)

        # train my model
        print(
            f"{args.lab}: {training_epochs} epochs, learning rate {learning_rate:g}, batch "
            f"{batch_size}, seed {args.seed}; TensorBoard run {run_dir}"
        )
        print("Learning started. It takes sometime.")
        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = resumed.epoch_costs, resumed.epoch * total_batch
        for epoch in range(resumed.epoch, training_epochs):
            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys, keep_prob: KEEP_PROB}
                if global_step % args.summary_every == 0:
                    s, c, a, _ = sess.run([summary, cost, accuracy, optimizer], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a, _ = sess.run([cost, accuracy, optimizer], feed_dict=feed_dict)
                check_cost(c, global_step)
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch  # with dropout on, as the cost
                global_step += 1
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            # the 5,000 held-out images, every epoch, a thousand at a time, without dropout
            val_cost, val_acc = np.mean(
                [
                    sess.run(
                        [cost, accuracy],
                        feed_dict={
                            X: mnist.validation.images[start : start + TEST_BATCH],
                            Y: mnist.validation.labels[start : start + TEST_BATCH],
                            keep_prob: 1,
                        },
                    )
                    for start in range(0, mnist.validation.num_examples, TEST_BATCH)
                ],
                axis=0,
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)
            save_costs(run_dir, epoch_costs)
            saver.save(sess, checkpoint_prefix(run_dir), global_step=epoch + 1, write_meta_graph=False)
        print("Learning Finished!")

        # Test model and check accuracy, a thousand test images at a time
        test_accuracy = np.mean(
            [
                sess.run(
                    accuracy,
                    feed_dict={
                        X: mnist.test.images[start : start + TEST_BATCH],
                        Y: mnist.test.labels[start : start + TEST_BATCH],
                        keep_prob: 1,
                    },
                )
                for start in range(0, mnist.test.num_examples, TEST_BATCH)
            ]
        )
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        # the last epoch's cost, also when a resumed run had no epoch left to train
        write_scalar(writer, "final/cost", epoch_costs[-1], global_step)

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(tf.argmax(logits, 1), feed_dict={X: mnist.test.images[r : r + 1], keep_prob: 1})
        print("Label:", label)
        print("Prediction:", prediction)
        show_prediction(
            writer, run_dir, mnist.test.images[r], label[0], prediction[0], global_step, show=args.show
        )
        writer.close()
        curves.close()

    return finish(
        args,
        run_dir,
        accuracy=test_accuracy,
        epoch_costs=epoch_costs,
        progress=progress,
        reported=REPORTED.get((training_epochs, learning_rate)),
        extra={
            **resumed.extra,
            "label": int(label[0]),
            "prediction": int(prediction[0]),
            "curves": curves.history,
        },
    )


def report_epoch(epoch, costs, epoch_start, worker_batch, step, last_step):
    """A cluster worker's epoch line; its mean cost."""
    seconds = time.perf_counter() - epoch_start
    print(
        "Epoch:",
        "%04d" % epoch,
        "cost =",
        "{:.9f}".format(np.mean(costs)),
        f"({seconds:.1f} s; {len(costs) * worker_batch / seconds:,.0f} img/s on this worker; "
        f"global step {min(step + 1, last_step)} of {last_step})",
        flush=True,
    )
    return float(np.mean(costs))


def train_on_cluster(args):
    """The same network on TensorFlow's cluster runtime: between-graph replication.

    Every worker builds this graph; ``replica_device_setter`` puts the variables on the ps tasks
    and the ops on the worker. ``SyncReplicasOptimizer`` averages the workers' gradients into one
    update, so N workers with batches of 100/N make the update one worker makes with 100.
    ``MonitoredTrainingSession`` lets the chief (worker 0) initialize, checkpoint every epoch and
    write summaries, restores the chief's last checkpoint when the cluster starts again, and
    stops every worker at the same global step.
    """
    with cluster.errors_named(args):  # a lost task: one line naming it, not a traceback
        return train_on_cluster_tasks(args)


def train_on_cluster_tasks(args):
    if args.job_name == "ps":
        cluster.serve_until_done(args, "ps")  # until every worker has said it is done
        return None
    workers, task = len(args.worker_hosts), args.task_index
    is_chief = task == 0
    learning_rate, training_epochs = args.learning_rate, args.epochs
    worker_batch = args.batch_size // workers
    if not args.run_name:  # the cluster's own run folder, the same for every restart
        args.run_name = f"{cli.default_run_name(args)}-workers{workers}"
    mnist = read_data_sets(args)
    steps_per_epoch = mnist.train.num_examples // args.batch_size  # global steps
    mnist.train = mnist.train.shard(task, workers)  # this worker's share of the images
    run_dir = run_folder(args) if is_chief else None

    # this task's server first, so the others can reach it while it waits for them
    server = cluster.start_server(args, device_filters=["/job:ps", f"/job:worker/task:{task}"])
    cluster.wait_for_tasks(args)

    tf.reset_default_graph()
    tf.set_random_seed(args.seed)
    device = tf.train.replica_device_setter(
        worker_device=f"/job:worker/task:{task}", cluster=cluster.spec(args)
    )
    with tf.device(device):
        keep_prob = tf.placeholder(tf.float32, name="keep_prob")
        X = tf.placeholder(tf.float32, [None, 784], name="X")
        Y = tf.placeholder(tf.float32, [None, 10], name="Y")
        logits, _ = deep_cnn(X, keep_prob)
        with tf.name_scope("cost"):
            cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
        with tf.name_scope("accuracy"):
            correct_prediction = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
            accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")
        global_step = tf.train.get_or_create_global_step()
        with tf.name_scope("train"):
            optimizer = tf.train.SyncReplicasOptimizer(
                tf.train.AdamOptimizer(learning_rate=learning_rate),
                replicas_to_aggregate=workers,
                total_num_replicas=workers,
            )
            train = optimizer.minimize(cost, global_step=global_step)
        with tf.name_scope("summaries"):
            tf.summary.scalar("cost", cost)
            tf.summary.scalar("accuracy", accuracy)
    done = [queue.enqueue(1) for queue in cluster.done_queues(args)]

    last_step = training_epochs * steps_per_epoch
    hooks = [optimizer.make_session_run_hook(is_chief), tf.train.StopAtStepHook(last_step=last_step)]
    config = cluster.session_config(args, device_filters=["/job:ps", f"/job:worker/task:{task}"])
    print(
        f"{args.lab} on {workers} workers (task {task}{', the chief' if is_chief else ''}): "
        f"{training_epochs} epochs of {steps_per_epoch} steps, batch {worker_batch} per worker"
        + (f"; TensorBoard run {run_dir}" if is_chief else "")
    )
    epoch_costs, costs, epoch_start, start = [], [], time.perf_counter(), time.perf_counter()
    saved = tf.train.latest_checkpoint(str(run_dir / "checkpoints")) if is_chief else None
    if not is_chief:  # join as soon as the chief has initialized the variables
        cluster.wait_until_initialized(server, args, config)
    elif saved:  # MonitoredTrainingSession restores it
        print(
            f"resuming from the chief's checkpoint at global step {saved.rpartition('-')[2]} "
            "(--fresh starts over)"
        )
    local_steps = step = 0
    with tf.train.MonitoredTrainingSession(
        master=server.target,
        is_chief=is_chief,
        checkpoint_dir=str(run_dir / "checkpoints") if is_chief else None,
        summary_dir=str(run_dir) if is_chief else None,
        save_checkpoint_steps=steps_per_epoch,
        save_summaries_steps=args.summary_every,
        hooks=hooks,
        config=config,
        max_wait_secs=args.startup_timeout,
        log_step_count_steps=0,
        # the chief's gradient-averaging thread may wait for a step no one will finish: at the
        # end, close without waiting for it (closing its token queue releases waiting workers)
        stop_grace_period_secs=3,
    ) as sess:
        start = epoch_start = time.perf_counter()  # training time, without the session's start-up
        while not sess.should_stop():
            batch_xs, batch_ys = mnist.train.next_batch(worker_batch)
            feed_dict = {X: batch_xs, Y: batch_ys, keep_prob: KEEP_PROB}
            c, step, _ = sess.run([cost, global_step, train], feed_dict=feed_dict)
            check_cost(c, step)
            costs.append(float(c))
            local_steps += 1
            epochs_done = min(step + 1, last_step) // steps_per_epoch
            if epochs_done > len(epoch_costs):  # an epoch of global steps: this worker's mean cost
                epoch_costs.append(
                    report_epoch(epochs_done, costs, epoch_start, worker_batch, step, last_step)
                )
                costs, epoch_start = [], time.perf_counter()
    if costs and len(epoch_costs) < training_epochs:  # the last steps, when the loop ended first
        epoch_costs.append(report_epoch(training_epochs, costs, epoch_start, worker_batch, step, last_step))
    seconds = time.perf_counter() - start
    print("Learning Finished!")

    with tf.Session(server.target, config=config) as sess:  # the trained variables, on the ps tasks
        result = None
        if is_chief:
            test_accuracy = np.mean(
                [
                    sess.run(
                        accuracy,
                        feed_dict={
                            X: mnist.test.images[i : i + TEST_BATCH],
                            Y: mnist.test.labels[i : i + TEST_BATCH],
                            keep_prob: 1,
                        },
                    )
                    for i in range(0, mnist.test.num_examples, TEST_BATCH)
                ]
            )
            print(f"Accuracy: {test_accuracy:.4f}")
            writer = tf.summary.FileWriter(str(run_dir))
            write_scalar(writer, "test/accuracy", test_accuracy, last_step)
            writer.close()
            result = finish(
                args,
                run_dir,
                accuracy=test_accuracy,
                epoch_costs=epoch_costs,
                seconds=seconds,
                reported=REPORTED.get((training_epochs, learning_rate)),
                extra={
                    "workers": workers,
                    "global_steps": int(sess.run(global_step)),
                    "local_steps": local_steps,
                    "seconds_per_step": seconds / max(1, local_steps),
                },
            )
        sess.run(done)  # the parameter servers exit once every worker has said so
    return result


if __name__ == "__main__":
    main_guard(main)
