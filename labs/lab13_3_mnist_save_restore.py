"""Lab 13-3: save the model every epoch, restore it when the program runs again (hunkim
lab-13-3).

Lab 13-2's network and summaries (imported from it), plus a ``tf.train.Saver`` and a variable
``last_epoch`` that records how many epochs are done. Each epoch ends with "Saving network...":
``last_epoch`` takes the epoch's number and the saver writes every variable (the weights, Adam's
moments, ``last_epoch``) into the run folder's ``checkpoints/``. At the start the newest
checkpoint is restored ("Successfully loaded: ...", or "Could not find old network weights" on a
first run), and training goes on from ``last_epoch`` ("Start learning from: 2", hunkim's printout
shows). Run the same command again after it finished: it restores epoch 15's weights and
evaluates them, and the accuracy is the saved model's. At the end the lab restores its newest
checkpoint into a new session and evaluates it: the restored accuracy equals the one before
saving. hunkim's printout gives no accuracy (the network is lab 13-2's, "Accuracy: 0.9804").

What differs: the run folder, named by the settings (``logs/lab13-mnist-save-restore/lr0.001-
ep0015-seed0777/``), holds both the summaries and the checkpoints (the original's
``./tb/mnist2``); the checkpoints are named by the epochs done, ``model-15`` (the original names
them by the last batch index of the epoch, ``model-549``). The batch order goes on where it
stopped, and a resumed run must have the settings of the first (``--fresh`` starts over).
Where the original, unable to load a checkpoint, says "Error on loading old network weights" and
trains from scratch on top of it, this lab tries the older checkpoints and, when none loads,
stops with a message. Summaries every 50th step, as lab 13-2.
"""

import random

from common import cli
from common.figures import HUNKIM, Behaviour, Figure
from common.lab import (
    EpochCurves,
    Progress,
    check_cost,
    finish,
    load_data_sets,
    main_guard,
    session_config,
    show_prediction,
    write_hparams,
    write_scalar,
)
from common.run_folder import checkpoint_prefix, resume, run_folder, save_costs
from common.tf1 import tf
from labs.lab13_2_mnist_tensorboard import (
    BATCH_SIZE,
    KEEP_PROB,
    LEARNING_RATE,
    TRAINING_EPOCHS,
    network_with_summaries,
)

FIGURES = [
    Figure(
        "lab13-mnist-save-restore",
        "Saver: the restored model's test accuracy",
        HUNKIM,
        "restored accuracy = accuracy before saving",
        measured="restored",
    )
]


def main(argv=None):
    args = cli.build_parser(
        "lab13-mnist-save-restore",
        __doc__,
        epochs=TRAINING_EPOCHS,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        resumable=True,
    ).parse_args(argv)
    learning_rate, training_epochs, batch_size = args.learning_rate, args.epochs, args.batch_size
    mnist = load_data_sets(args)  # input_data.read_data_sets("MNIST_data/", one_hot=True)
    run_dir = run_folder(args)  # the original's CHECK_POINT_DIR = TB_SUMMARY_DIR

    tf.reset_default_graph()  # a new graph each time main() runs
    tf.set_random_seed(args.seed)  # reproducibility

    # input place holders
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    # dropout (keep_prob) rate 0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")

    hypothesis = network_with_summaries(X, keep_prob)  # layer1 ... layer5, with their histograms

    # define cost/loss & optimizer
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=hypothesis, labels=Y))
    with tf.name_scope("train"):
        optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    tf.summary.scalar("loss", cost)

    # saved with the weights: where a restored run goes on from
    last_epoch = tf.Variable(0, name="last_epoch", trainable=False)

    with tf.name_scope("accuracy"):
        correct_prediction = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name="accuracy")

    # Summary
    summary = tf.summary.merge_all()

    # initialize
    with tf.Session(config=session_config()) as sess:
        # Create summary writer
        writer = tf.summary.FileWriter(str(run_dir))
        writer.add_graph(sess.graph)
        write_hparams(writer, args, hidden_layers=4, init="xavier", optimizer="adam", keep_prob=KEEP_PROB)
        curves = EpochCurves(run_dir)  # <run>/train and <run>/validation, overlaid
        sess.run(tf.global_variables_initializer())

        # Saver and Restore: the newest checkpoint that loads (an older one if it is damaged)
        saver = tf.train.Saver(max_to_keep=3, save_relative_paths=True)
        resumed = resume(saver, sess, run_dir, mnist.train, batch_size, writer)
        if resumed.epoch:
            print("Successfully loaded:", f"{checkpoint_prefix(run_dir)}-{resumed.epoch}")
        else:
            print("Could not find old network weights")

        start_from = sess.run(last_epoch)

        # train my model
        print("Start learning from:", start_from)

        total_batch = int(mnist.train.num_examples / batch_size)
        progress = Progress(training_epochs, total_batch, batch_size)
        epoch_costs, global_step = resumed.epoch_costs, start_from * total_batch
        for epoch in range(start_from, training_epochs):
            print("Start Epoch:", epoch)

            avg_cost = avg_acc = 0
            for i in progress.batches(epoch):  # range(total_batch), with a progress bar
                batch_xs, batch_ys = mnist.train.next_batch(batch_size)
                feed_dict = {X: batch_xs, Y: batch_ys, keep_prob: KEEP_PROB}
                if global_step % args.summary_every == 0:
                    s, c, a, _ = sess.run([summary, cost, accuracy, optimizer], feed_dict=feed_dict)
                    writer.add_summary(s, global_step=global_step)
                else:
                    c, a, _ = sess.run([cost, accuracy, optimizer], feed_dict=feed_dict)
                check_cost(c, global_step)  # stops on nan or inf
                avg_cost += float(c) / total_batch
                avg_acc += float(a) / total_batch
                global_step += 1

            print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(avg_cost), progress.timing())
            epoch_costs.append(avg_cost)
            val_cost, val_acc = sess.run(
                [cost, accuracy],
                feed_dict={X: mnist.validation.images, Y: mnist.validation.labels, keep_prob: 1},
            )
            curves.add("train", epoch, avg_cost, avg_acc)
            curves.add("validation", epoch, val_cost, val_acc)

            print("Saving network...")
            sess.run(last_epoch.assign(epoch + 1))
            save_costs(run_dir, epoch_costs)  # a checkpoint never lacks its epoch's cost
            saver.save(sess, checkpoint_prefix(run_dir), global_step=epoch + 1, write_meta_graph=False)

        print("Learning Finished!")

        # Test model and check accuracy
        test_feed = {X: mnist.test.images, Y: mnist.test.labels, keep_prob: 1}
        test_accuracy = sess.run(accuracy, feed_dict=test_feed)
        print(f"Accuracy: {test_accuracy:.4f}")
        write_scalar(writer, "test/accuracy", test_accuracy, global_step)
        write_scalar(writer, "final/cost", epoch_costs[-1], global_step)

        # the newest checkpoint, restored into a new session: nothing but the saved variables
        newest = saver.last_checkpoints[-1]
        with tf.Session(config=session_config()) as restored_sess:
            saver.restore(restored_sess, newest)
            restored_accuracy = restored_sess.run(accuracy, feed_dict=test_feed)
        print(f"Restored {newest} into a new session: Accuracy: {restored_accuracy:.4f}")

        # Get one and predict
        r = random.Random(args.seed).randint(0, mnist.test.num_examples - 1)
        label = sess.run(tf.argmax(mnist.test.labels[r : r + 1], 1))
        prediction = sess.run(
            tf.argmax(hypothesis, 1), feed_dict={X: mnist.test.images[r : r + 1], keep_prob: 1}
        )
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
        extra={
            **resumed.extra,
            "start_from": int(start_from),
            "restored_accuracy": float(restored_accuracy),
            "label": int(label[0]),
            "prediction": int(prediction[0]),
            "curves": curves.history,
        },
        figures={
            "restored": Behaviour(
                f"{test_accuracy:.4f} before saving, {restored_accuracy:.4f} restored",
                restored_accuracy == test_accuracy,
            )
        },
    )


if __name__ == "__main__":
    main_guard(main)
