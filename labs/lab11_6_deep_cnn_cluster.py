"""Lab 11-6 (beyond the original's 11-5): lab 11-2's deep CNN on TensorFlow's cluster runtime.

Between-graph replication: a parameter server holds the variables, every worker builds lab
11-2's network (imported from it, not copied) and trains on its share of the images, and
``SyncReplicasOptimizer`` averages the workers' gradients into one Adam update, so N workers with
batches of 100/N make the update one process makes with 100. ``make cluster-demo`` starts a ps
and 2 workers on this machine. The run folder is lab 11-2's (``logs/lab11-mnist-deep-cnn/``), so
TensorBoard shows the cluster's run beside the one-process runs.
"""

import time

import numpy as np

from common import cli, cluster
from common.lab import check_cost, finish, load_data_sets, main_guard, mean_over_batches, write_scalar
from common.run_folder import run_folder
from common.tf1 import tf
from labs.lab11_2_mnist_deep_cnn import (
    BATCH_SIZE,
    KEEP_PROB,
    LEARNING_RATE,
    REPORTED,
    TEST_BATCH,
    TRAINING_EPOCHS,
    deep_cnn,
)


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
    parser.run_name_suffix = lambda args: f"-workers{len(args.worker_hosts)}"  # the same at every restart
    args = parser.parse_args(argv)
    cluster.check_flags(parser, args)
    if args.batch_size % len(args.worker_hosts):
        parser.error(
            f"--batch-size {args.batch_size} does not split evenly over {len(args.worker_hosts)} workers"
        )
    return train_on_cluster(args)


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
    mnist = load_data_sets(args)
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
            test_accuracy = mean_over_batches(
                lambda x, y: sess.run(accuracy, feed_dict={X: x, Y: y, keep_prob: 1}), mnist.test, TEST_BATCH
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
