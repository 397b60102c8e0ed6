"""Lab 11-X: the deep CNN of lab 11-2, its accuracy computed in batches to save memory.

The original's lab 11-2 feeds the 10,000 test images in one ``sess.run``; on a small machine that
step runs out of memory, and its comment points here. This lab trains the same network (lab
11-2's layers, Adam at 0.001, 15 epochs of batch 100, dropout keep_prob 0.7) and evaluates it as
the original does, with ``evaluate(X_sample, y_sample, batch_size=512)``: each batch's accuracy
times its size, summed, over the number of images. It prints the training and test accuracy;
hunkim's output block (copied from lab 11-2's) reports ``Accuracy: 0.9938``.

The lesson is memory, so the test set is also evaluated in one feed, the original lab 11-2's way,
and both ways are measured: TensorFlow's full trace of a step records every allocation and free
its ops make (``RunMetadata.step_stats``), replayed in time order to give the most bytes held at
once; a batched evaluation's figure is its largest batch's. Beside it, the process's peak
resident memory while each way runs (Linux's VmHWM, restarted before each). Both ways give the
same accuracy; one feed needs about 20 times the memory. A checkpoint every epoch: an
interrupted run resumes when run again.
"""

import random
from pathlib import Path

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import (
    Progress,
    check_cost,
    finish,
    histogram,
    load_data_sets,
    main_guard,
    session_config,
    show_prediction,
    write_hparams,
    write_scalar,
)
from common.run_folder import checkpoint_prefix, resume, run_folder, save_costs
from common.tf1 import tf
from labs.lab11_2_mnist_deep_cnn import deep_cnn

# hyper parameters
LEARNING_RATE = 0.001
TRAINING_EPOCHS = 15
BATCH_SIZE = 100
KEEP_PROB = 0.7
EVALUATE_BATCH = 512  # the original's evaluate(..., batch_size=512)
MB = 2**20  # bytes; /proc reports memory in KiB
CONV1_OUTPUT_BYTES = 28 * 28 * 32 * 4  # one image's first conv output: 32 maps of 28x28 float32
FIGURES = [
    Figure(
        "lab11-mnist-cnn-low-memory",
        "deep CNN, accuracy in batches of 512",
        HUNKIM,
        0.9938,
        0.003,
        seeded=True,
    ),
    Figure(
        "lab11-mnist-cnn-low-memory",
        "batched evaluation needs less peak memory",
        HUNKIM,
        "batched peak < whole-set peak",
        measured="less_memory",
    ),
]
REPORTED = {(15, 0.001): FIGURES[0].reported}


def traced_run(sess, fetches, feed_dict):
    """``sess.run`` with TensorFlow's full trace: the fetched values and the step's peak bytes."""
    run_metadata = tf.RunMetadata()
    values = sess.run(
        fetches,
        feed_dict=feed_dict,
        options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
        run_metadata=run_metadata,
    )
    return values, peak_bytes(run_metadata.step_stats)


def peak_bytes(step_stats):
    """The most memory the step's ops held at once: the trace's allocation records (bytes > 0
    allocated, < 0 freed) replayed in time order. Each node's own ``peak_bytes`` is only the
    largest op's. The fed arrays are not the step's: they come on top. Within one microsecond a
    free sorts before an allocation."""
    records = sorted(
        (record.alloc_micros, record.alloc_bytes)
        for device in step_stats.dev_stats
        for node in device.node_stats
        for memory in node.memory
        for record in memory.allocation_records
    )
    held = peak = 0
    for _, change in records:
        held += change
        peak = max(peak, held)
    return peak


CLEAR_REFS, STATUS = Path("/proc/self/clear_refs"), Path("/proc/self/status")


def restart_resident_peak():
    """Make the process's peak resident memory (VmHWM) its present one; False where Linux does
    not allow it."""
    try:
        CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def resident_peak():
    """The process's peak resident memory in bytes since the last restart (VmHWM), or None."""
    for line in STATUS.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def print_peak(way, step_peak, resident):
    """One way of evaluating: its steps' peak (the trace's) and the process's, where measured."""
    process = "" if resident is None else f", the process's peak resident memory {resident / MB:,.0f} MB"
    print(f"{way}: the step's peak {step_peak / MB:,.1f} MB{process}")


def main(argv=None):
    parser = cli.build_parser(
        "lab11-mnist-cnn-low-memory",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        resumable=True,
    )
    args = parser.parse_args(argv)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")

    # L1 to L5: lab 11-2's layers, the very same in the original
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
        write_hparams(writer, args, keep_prob=KEEP_PROB, evaluate_batch=EVALUATE_BATCH)
        sess.run(tf.global_variables_initializer())
        # an interrupted run goes on from its newest readable checkpoint
        resumed = resume(saver, sess, run_dir, mnist.train, batch_size, writer)

        # train my model
        print("Learning started. It takes sometime.")
        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = resumed.epoch_costs, resumed.epoch * total_batch
        for epoch in range(resumed.epoch, training_epochs):
            avg_cost = 0
            for i in progress.batches(epoch):
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys, keep_prob: KEEP_PROB}
                if global_step % args.summary_every == 0:
                    s, c, _ = sess.run([summary, cost, optimizer], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, _ = sess.run([cost, optimizer], feed_dict=feed_dict)
                check_cost(c, global_step)
                avg_cost += float(c) / total_batch
                global_step += 1
            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            save_costs(run_dir, epoch_costs)
            saver.save(sess, checkpoint_prefix(run_dir), global_step=epoch + 1, write_meta_graph=False)
        print("Learning Finished!")

        def evaluate(X_sample, y_sample, batch_size=EVALUATE_BATCH):
            """Run a minibatch accuracy op: the accuracy, the largest step's peak bytes and the
            process's peak resident bytes meanwhile"""
            N = X_sample.shape[0]
            correct_sample = 0
            step_peak = 0
            restarted = restart_resident_peak()
            for i in range(0, N, batch_size):
                X_batch = X_sample[i : i + batch_size]
                y_batch = y_sample[i : i + batch_size]
                N_batch = X_batch.shape[0]
                feed = {X: X_batch, Y: y_batch, keep_prob: 1}
                batch_accuracy, batch_peak = traced_run(sess, accuracy, feed)
                correct_sample += batch_accuracy * N_batch
                step_peak = max(step_peak, batch_peak)
            return correct_sample / N, step_peak, resident_peak() if restarted else None

        print("\nAccuracy Evaluates")
        print("-------------------------------")
        train_accuracy, _, _ = evaluate(mnist.train.images, mnist.train.labels)
        print("Train Accuracy:", train_accuracy)
        test_accuracy, batched_peak, batched_resident = evaluate(mnist.test.images, mnist.test.labels)
        print("Test Accuracy:", test_accuracy)
        # lab 11-2's way: the whole test set is one batch
        whole_accuracy, whole_peak, whole_resident = evaluate(
            mnist.test.images, mnist.test.labels, batch_size=mnist.test.num_examples
        )
        print("Test Accuracy, the whole test set in one feed:", whole_accuracy)

        print("\nPeak memory of the test evaluation")
        print("-------------------------------")
        print_peak(f"in batches of {EVALUATE_BATCH}", batched_peak, batched_resident)
        print_peak(f"all {mnist.test.num_examples:,} at once", whole_peak, whole_resident)
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        write_scalar(writer, "test/whole_set_accuracy", whole_accuracy, global_step)
        write_scalar(writer, "memory/batched_peak_mb", batched_peak / MB, global_step)
        write_scalar(writer, "memory/whole_set_peak_mb", whole_peak / MB, global_step)
        for tag, resident in [("batched", batched_resident), ("whole_set", whole_resident)]:
            if resident is not None:
                write_scalar(writer, f"memory/{tag}_process_peak_mb", resident / MB, global_step)
        # the last epoch's cost, also when a resumed run had no epoch left to train
        write_scalar(writer, "final/cost", epoch_costs[-1], global_step)

        # Get one and predict
        print("\nGet one and predict")
        print("-------------------------------")
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(tf.argmax(logits, 1), feed_dict={X: mnist.test.images[r : r + 1], keep_prob: 1})
        print("Label:", label)
        print("Prediction:", prediction)
        show_prediction(
            writer, run_dir, mnist.test.images[r], label[0], prediction[0], global_step, show=args.show
        )
        writer.close()

    return finish(
        args,
        run_dir,
        accuracy=test_accuracy,
        epoch_costs=epoch_costs,
        progress=progress,
        reported=REPORTED.get((training_epochs, learning_rate)),
        extra={
            **resumed.extra,
            "train_accuracy": float(train_accuracy),
            "whole_set_accuracy": float(whole_accuracy),
            "peak_bytes": {"batched": batched_peak, "whole_set": whole_peak},
            "process_peak_bytes": {"batched": batched_resident, "whole_set": whole_resident},
            "label": int(label[0]),
            "prediction": int(prediction[0]),
        },
        figures={
            "less_memory": Behaviour(
                f"peak {batched_peak / MB:,.1f} MB in batches of {EVALUATE_BATCH}, "
                f"{whole_peak / MB:,.1f} MB for the whole set",
                # a trace that missed the allocations could not hold the set's first conv output;
                # a batch's peak goes with its size (the weights add a little: twice its share)
                whole_peak >= len(mnist.test.images) * CONV1_OUTPUT_BYTES
                and batched_peak < whole_peak * EVALUATE_BATCH / len(mnist.test.images) * 2,
            )
        },
    )


if __name__ == "__main__":
    main_guard(main)
