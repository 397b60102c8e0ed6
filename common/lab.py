"""Running a lab: command line, data, seeded graph, session, TensorBoard run, report."""
import json
import os
import signal
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict

from common import cli, mnist
from common.checkpoint import Checkpoints, RunMismatch, prepare_run_dir, session_fingerprint
from common.tf1 import new_session, reset, tf
from common.training import (Diverged, Result, Trainer, add_accuracy, add_summaries, evaluate,
                             fit_epochs, write_scalar)


def main_guard(main):
    """Run a lab's ``main`` as a command: clear one-line errors and exit codes, no tracebacks.

    A kill (SIGTERM) is handled like Ctrl-C, so event files are flushed; a resumable lab's last
    finished epoch is on disk either way.
    """
    try:
        with interruptible():
            main()
    except (mnist.DataError, RunMismatch) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except Diverged as exc:
        print(f"error: {exc}. Try a smaller --learning-rate (or normalize the inputs).",
              file=sys.stderr)
        sys.exit(3)
    except KeyboardInterrupt:
        print("\ninterrupted; a resumable lab continues from its last finished epoch when the "
              "same command runs again", file=sys.stderr)
        sys.exit(130)


@contextmanager
def interruptible():
    """Ctrl-C or a kill (SIGTERM) raises KeyboardInterrupt, even in a process started with SIGINT
    ignored (`make lab11-ensemble &`); the previous handlers come back afterwards."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, signal.default_int_handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def tensorboard_session(args, model, case=None):
    """A session on the default graph, with summaries and a FileWriter for this run's folder.

    Yields ``(sess, trainer, run_dir)``; the graph is written to the event file up front.
    """
    add_accuracy(model)
    summary_op = model.summary_op if model.summary_op is not None else add_summaries(model)
    directory = cli.run_dir(args, case)
    directory.mkdir(parents=True, exist_ok=True)
    writer = tf.summary.FileWriter(str(directory), tf.get_default_graph())
    sess = model.session or new_session()
    try:
        with sess.as_default():
            sess.run(tf.global_variables_initializer())
            yield sess, Trainer(sess, model, writer, summary_op, args.summary_every), directory
    finally:
        sess.close()
        writer.close()


def write_json(path, value):
    """Write JSON atomically: a kill never leaves half a file."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as out:
        json.dump(value, out, indent=2)
    os.replace(tmp, path)


def save_result(result):
    write_json(f"{result.run_dir}/result.json", asdict(result))


def fit_full_batch(trainer, feed, steps, print_every=None, show=None, log=print):
    """Full-batch training for the toy labs: ``steps`` steps on the same ``feed``.

    ``show(step, cost)`` returns the text printed every ``print_every`` steps (default: the
    cost). Returns the list of costs; raises Diverged at the first nan/inf cost.
    """
    costs = []
    for step in range(steps):
        cost = trainer.step(feed)
        costs.append(cost)
        if print_every and (step % print_every == 0 or step == steps - 1):
            log(show(step, cost) if show else f"{step} cost: {cost:.9f}")
    return costs


def run_mnist(lab, description, build, argv=None, *, epochs, learning_rate, batch_size,
              reported=None, resumable=False, log=print):
    """A MNIST lab from the command line: see ``run_mnist_args``.

    ``reported`` maps ``(epochs, learning_rate)`` to the documents' accuracy for those settings.
    """
    parser = cli.build_parser(lab, description, epochs=epochs, learning_rate=learning_rate,
                              batch_size=batch_size, resumable=resumable)
    args = parser.parse_args(argv)
    figure = reported.get((args.epochs, args.learning_rate)) if reported else None
    return run_mnist_args(args, build, figure, log=log)


def load_mnist(args, log=print, read=mnist.read_data_sets):
    """``read(data_dir, seed=, log=)``'s data sets, the training set cut to ``--train-images``."""
    data = read(args.data_dir, seed=args.seed, log=log)
    if getattr(args, "train_images", None):
        train = data.train
        data.train = mnist.DataSet(train.images[:args.train_images], train.labels[:args.train_images],
                                   seed=args.seed)
    return data


def run_mnist_args(args, build, reported_figure=None, case=None, report=None, log=print, *,
                   data=None, callbacks=()):
    """Train ``build(args)`` on MNIST the course's way and report the test accuracy.

    ``case`` names a sub-run when one invocation compares several models; ``report(sess, model,
    data, trainer)`` measures more after training and returns a dict kept in the result's
    ``extra`` (``trainer.writer`` is the run's FileWriter).
    A resumable lab (see ``cli.build_parser``) checkpoints every epoch and resumes from the last
    finished one.
    ``data`` replaces the course's MNIST split (the Keras documents train on all 60,000 images);
    ``callbacks`` are Keras-style epoch hooks (see ``common.keras_docs``).
    """
    data = data or load_mnist(args, log)
    reset(args.seed)
    model = build(args)
    directory = cli.run_dir(args, case)
    checkpoints, costs_file = None, directory / "epoch_costs.json"
    if args.resumable:
        prepare_run_dir(directory, settings_of(args), args.fresh)
        checkpoints = Checkpoints(directory)
    extra = {}
    with tensorboard_session(args, model, case) as (sess, trainer, directory):
        first_epoch = checkpoints.restore(sess, log) if checkpoints else 0
        costs = []
        if first_epoch:
            costs = json.loads(costs_file.read_text())[:first_epoch] if costs_file.exists() else []
            extra.update(resumed_from_epoch=first_epoch, restored_fingerprint=session_fingerprint(sess))
            log(f"resuming {directory} after epoch {first_epoch} (--fresh starts over)")
        epochs_before = len(costs)
        steps_per_epoch = data.train.num_examples // args.batch_size
        trainer.global_step = first_epoch * steps_per_epoch
        data.train.seek_epoch(first_epoch)
        if first_epoch:  # TensorBoard drops what a killed run logged after this step
            trainer.writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START),
                                           trainer.global_step)

        def end_of_epoch(epoch, avg_cost):
            costs.append(avg_cost.tolist() if hasattr(avg_cost, "tolist") else avg_cost)
            if checkpoints:
                checkpoints.save(sess, epoch + 1)
                write_json(costs_file, costs)
            stops = [callback.on_epoch_end(epoch, avg_cost, sess, trainer, data)
                     for callback in callbacks]
            return any(stops)

        for callback in callbacks:
            callback.on_train_begin(sess, trainer, directory)

        log(f"{args.lab}{' ' + case if case else ''}: {args.epochs} epochs, learning rate "
            f"{args.learning_rate:g}, batch {args.batch_size}, seed {args.seed}; "
            f"TensorBoard run {directory}")
        start = time.perf_counter()
        fit_epochs(trainer, data.train, args.epochs, args.batch_size, first_epoch, log=log,
                   on_epoch_end=end_of_epoch)
        seconds = time.perf_counter() - start
        for callback in callbacks:
            extra.update(callback.on_train_end(sess, log))
        accuracy = evaluate(sess, model, data.test.images, data.test.labels)
        write_scalar(trainer.writer, "test/accuracy", accuracy, trainer.global_step)
        if report:
            extra.update(report(sess, model, data, trainer))
    log("Learning finished")
    log(f"Accuracy: {accuracy:.4f}" + (f"  (reported: {reported_figure:.4f})" if reported_figure else ""))
    trained = (len(costs) - epochs_before) * data.train.num_examples
    result = Result(lab=args.lab, run_dir=str(directory), settings=settings_of(args),
                    epoch_costs=costs, accuracy=accuracy, seconds=seconds,
                    images_per_second=trained / seconds if trained else None,
                    extra={"reported": reported_figure, **extra})
    save_result(result)
    return result


def settings_of(args):
    return {key: (str(value) if key in ("logdir", "data_dir") else value)
            for key, value in vars(args).items()}


def run_toy(lab, description, build, x_data, y_data, argv=None, *, steps, learning_rate,
            print_every, summary_every=100, log=print):
    """A full-batch lab from the command line: see ``train_toy``."""
    parser = cli.build_parser(lab, description, epochs=steps, learning_rate=learning_rate,
                              summary_every=summary_every, epochs_help="full-batch steps")
    return train_toy(parser.parse_args(argv), build, x_data, y_data, print_every, log=log)


def train_toy(args, build, x_data, y_data, print_every, case=None, log=print):
    """Full-batch training of a small classifier (the XOR labs): the course's step/cost lines,
    then its Hypothesis / Predicted / Accuracy report.

    The model's ``metrics`` are measured after training, printed and kept in the result.
    ``case`` names a sub-run when one invocation compares several models.
    """
    reset(args.seed)
    model = build(args)
    feed = {model.x: x_data, model.y: y_data}
    with tensorboard_session(args, model, case) as (sess, trainer, directory):
        log(f"{args.lab}{' ' + case if case else ''}: {args.epochs} steps, learning rate "
            f"{args.learning_rate:g}, seed {args.seed}; TensorBoard run {directory}")
        start = time.perf_counter()
        costs = fit_full_batch(trainer, feed, args.epochs, print_every, log=log)
        seconds = time.perf_counter() - start
        predicted = tf.cast(model.hypothesis > 0.5, tf.float32)
        hypothesis, prediction, accuracy = sess.run([model.hypothesis, predicted, model.accuracy], feed)
        write_scalar(trainer.writer, "test/accuracy", accuracy, trainer.global_step)
        metrics = {name: float(value) for name, value in sess.run(model.metrics, feed).items()}
    log(f"\nHypothesis:\n{hypothesis}\nPredicted:\n{prediction}\nAccuracy:\n{accuracy}")
    for name, value in metrics.items():
        log(f"{name}: {value:.3g}")
    result = Result(lab=args.lab, run_dir=str(directory), settings=settings_of(args),
                    epoch_costs=costs[::print_every] + costs[-1:],  # as printed, and the last
                    accuracy=float(accuracy), seconds=seconds,
                    extra={"hypothesis": hypothesis.ravel().tolist(), **metrics})
    save_result(result)
    return result
