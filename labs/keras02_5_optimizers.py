"""keras-tips, section 4: the optimizers compared on one model, and the section's own optimizers.

The same 784-256-256-10 ReLU/Glorot network (the tips table's "relu2-glorot") is trained with
each Keras optimizer at the defaults the document lists: SGD 0.01, SGD with momentum 0.9, with
Nesterov momentum, RMSprop 0.001, Adagrad 0.01, Adadelta 1.0 (rho 0.95) and Adam 0.001. (TF1's
RMSProp starts its mean square at 1 where Keras starts at 0, so its first steps are smaller.) Every
optimizer is a TensorBoard sub-run, with its training and validation curves (``<optimizer>/train``
and ``<optimizer>/validation``: ``epoch/loss``, ``epoch/accuracy``) and its settings in the HParams
tab, and ``optimizers.png`` draws their learning curves in one figure.

The section's own optimizer lines are choices of ``--optimizer`` too:

| choice        | the document's line                                                |
|---------------|--------------------------------------------------------------------|
| sgd-clipnorm  | ``optimizers.SGD(lr=0.01, clipnorm=1.)``                           |
| sgd-clipvalue | ``optimizers.SGD(lr=0.01, clipvalue=0.5)``                         |
| sgd-decay     | ``optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)`` |
| adam-decay    | ``optimizers.Adam(lr=0.01, decay=1e-6, ...)``, for ``--model dropout5`` |

They mean what they meant in the document's Keras 2: ``clipnorm`` scales all the gradients
together when their global norm is above it; ``clipvalue`` clips every gradient element to
[-v, v]; ``decay`` makes the rate lr / (1 + decay * iterations), iterations being the steps taken
so far (the TensorBoard scalar ``train/learning_rate``). ``--clipnorm``, ``--clipvalue`` and
``--decay`` set them for every optimizer of a run. The closing table gives each run's largest
gradient (global norm and largest element) before and after clipping, and the steps clipped.
(Under decay TF1's momentum scales the summed gradients by the current rate, Keras's velocity
keeps each step's rate: they differ by decay x steps, 0.1 % at 10 epochs here.)

``--model dropout5`` is the document's model for the Adam line: five Dense(256, relu) layers, each
followed by Dropout(0.2). The document compiles it with ``Adam(lr=0.01, decay=1e-6, momentum=0.9,
nesterov=True)`` and ``loss='softmax'``: Adam takes no momentum or nesterov (Keras refuses both)
and 'softmax' is no loss, so ``adam-decay`` is ``Adam(lr=0.01, decay=1e-6)`` and the loss is
categorical cross-entropy, as everywhere else in the document.

Also L1/L2 weight penalties on every Dense kernel (``--l1``, ``--l2``).
"""

from common import cli, plots
from common.dense import EPSILON, keras_adam
from common.figures import KERAS_TIPS, Behaviour, Cases, Figure
from common.keras_docs import FitSession, KerasGraph, build_parser
from common.lab import finish, load_data_sets, main_guard, write_scalar
from common.mnist import read_keras_split
from common.run_folder import run_folder
from common.tf1 import tf
from labs.keras02_4_mnist_tips import TABLE as TIPS

EPOCHS = 10
BATCH_SIZE = 512
OPTIMIZERS = {  # name -> (Keras's default learning rate, TF1 optimizer at that rate)
    "sgd": (0.01, lambda lr: tf.train.GradientDescentOptimizer(lr)),
    "momentum": (0.01, lambda lr: tf.train.MomentumOptimizer(lr, momentum=0.9)),
    "nesterov": (0.01, lambda lr: tf.train.MomentumOptimizer(lr, momentum=0.9, use_nesterov=True)),
    "rmsprop": (0.001, lambda lr: tf.train.RMSPropOptimizer(lr, decay=0.9, epsilon=EPSILON)),
    "adagrad": (0.01, lambda lr: tf.train.AdagradOptimizer(lr, initial_accumulator_value=0.1)),
    "adadelta": (1.0, lambda lr: tf.train.AdadeltaOptimizer(lr, rho=0.95, epsilon=EPSILON)),
    "adam": (0.001, keras_adam),
}
SECTION_4 = {  # the document's own lines: name -> (learning rate, TF1 optimizer, Keras options)
    "sgd-clipnorm": (0.01, OPTIMIZERS["sgd"][1], {"clipnorm": 1.0}),
    "sgd-clipvalue": (0.01, OPTIMIZERS["sgd"][1], {"clipvalue": 0.5}),
    "sgd-decay": (0.01, OPTIMIZERS["nesterov"][1], {"decay": 1e-6}),
    "adam-decay": (0.01, keras_adam, {"decay": 1e-6}),
}
CHOICES = {**{name: (rate, make, {}) for name, (rate, make) in OPTIMIZERS.items()}, **SECTION_4}
KERAS_OPTIONS = ("clipnorm", "clipvalue", "decay")


def relu2_glorot(X):
    glorot = tf.glorot_uniform_initializer
    # Dense(units=256, input_dim=784, kernel_initializer='glorot_uniform', activation='relu')
    L1 = tf.layers.dense(X, 256, activation=tf.nn.relu, kernel_initializer=glorot(), name="dense1")
    # Dense(units=256, kernel_initializer='glorot_uniform', activation='relu')
    L2 = tf.layers.dense(L1, 256, activation=tf.nn.relu, kernel_initializer=glorot(), name="dense2")
    # Dense(units=10, kernel_initializer='glorot_uniform', activation='softmax')
    logits = tf.layers.dense(L2, 10, kernel_initializer=glorot(), name="output")
    return logits, {}, {"dense1/output": L1, "dense2/output": L2}


def dropout5(X):
    glorot = tf.glorot_uniform_initializer
    # Keras's learning phase: Dropout drops only in fit's training steps
    training = tf.placeholder_with_default(False, shape=[], name="training")
    layer, activations = X, {}
    for i in range(1, 6):
        # Dense(units=256, kernel_initializer='glorot_uniform', activation='relu')
        layer = tf.layers.dense(
            layer, 256, activation=tf.nn.relu, kernel_initializer=glorot(), name=f"dense{i}"
        )
        activations[f"dense{i}/output"] = layer
        # Dropout(0.2)
        layer = tf.layers.dropout(layer, rate=0.2, training=training, name=f"dropout{i}")
    # Dense(units=10, kernel_initializer='glorot_uniform', activation='softmax')
    logits = tf.layers.dense(layer, 10, kernel_initializer=glorot(), name="output")
    return logits, {training: True}, activations


MODELS = {"relu2-glorot": relu2_glorot, "dropout5": dropout5}


def largest(gradients):
    """The gradients' global norm and their largest element (in absolute value)."""
    return tf.global_norm(gradients), tf.reduce_max([tf.reduce_max(tf.abs(g)) for g in gradients])


def build(model, learning_rate, make_optimizer, clipnorm=None, clipvalue=None, decay=None, l1=None, l2=None):
    """The graph, and the tensors to read after training (the rate, the largest gradients)."""
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    logits, train_feed, activations = MODELS[model](X)

    # compile(loss='categorical_crossentropy', optimizer=...): the softmax is in the loss
    with tf.name_scope("cost"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
        # W_regularizer=l1_l2(l1, l2) on every Dense: a penalty on the weights
        kernels = [v for v in tf.trainable_variables() if v.op.name.endswith("kernel")]
        penalties = [l1 * tf.reduce_sum(tf.abs(w)) for w in kernels] if l1 else []
        penalties += [l2 * tf.reduce_sum(tf.square(w)) for w in kernels] if l2 else []
        if penalties:
            cost = cost + tf.add_n(penalties)
    watch = {}
    with tf.name_scope("train"):
        iterations = None
        if decay:  # Keras's decay: lr / (1 + decay * iterations), iterations = steps taken
            iterations = tf.Variable(0, trainable=False, name="iterations")
            learning_rate = learning_rate / (1.0 + decay * tf.cast(iterations, tf.float32))
            tf.summary.scalar("learning_rate", learning_rate)
            watch["learning_rate"] = learning_rate
        optimizer = make_optimizer(learning_rate)
        gradients, variables = zip(*optimizer.compute_gradients(cost))
        raw = gradients
        if clipnorm:  # SGD(lr=0.01, clipnorm=1.): all gradients scaled together to norm <= 1
            gradients, _ = tf.clip_by_global_norm(gradients, clipnorm)
        if clipvalue:  # SGD(lr=0.01, clipvalue=0.5): every element into [-0.5, 0.5]
            gradients = [tf.clip_by_value(g, -clipvalue, clipvalue) for g in gradients]
        # apply_gradients counts the step after the rate was read
        train = optimizer.apply_gradients(zip(gradients, variables), global_step=iterations)

    # the run's largest gradients before and after clipping, and the steps clipping changed
    with tf.name_scope("largest_gradient"):
        measured = dict(
            zip(["norm", "element", "clipped_norm", "clipped_element"], largest(raw) + largest(gradients))
        )
        updates = []
        for name, value in measured.items():
            watch[name] = tf.Variable(0.0, trainable=False, name=name)
            updates.append(tf.assign(watch[name], tf.maximum(watch[name], value)))
        changed = tf.reduce_any([tf.reduce_any(tf.not_equal(g, c)) for g, c in zip(raw, gradients)])
        watch["clipped_steps"] = tf.Variable(0, trainable=False, name="clipped_steps")
        updates.append(tf.assign_add(watch["clipped_steps"], tf.cast(changed, tf.int32)))
    train = tf.group(train, *updates)
    graph = KerasGraph(
        x=X, y=Y, logits=logits, cost=cost, train_op=train, train_feed=train_feed, activations=activations
    )
    return graph, watch


CLIPPING = ("--optimizer", "sgd", "--optimizer", "sgd-clipnorm", "--optimizer", "sgd-clipvalue")
FIGURES = [
    Figure(
        "keras02-optimizers",
        "7 optimizers: each one trains",
        KERAS_TIPS,
        "no figure (the section describes them)",
        measured="each trains",
    ),
    Figure(
        "keras02-clipping",
        "SGD(lr=0.01, clipnorm=1.): gradients' global norm <= 1",
        KERAS_TIPS,
        "clipped to norm 1",
        measured="clipnorm",
        argv=CLIPPING,
    ),
    Figure(
        "keras02-clipping",
        "SGD(lr=0.01, clipvalue=0.5): elements in [-0.5, 0.5]",
        KERAS_TIPS,
        "clipped to [-0.5, 0.5]",
        measured="clipvalue",
        argv=CLIPPING,
    ),
    Figure(
        "keras02-sgd-decay",
        "SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)",
        KERAS_TIPS,
        "lr / (1 + 1e-6 * iterations)",
        measured="decay",
        argv=("--optimizer", "nesterov", "--optimizer", "sgd-decay"),
    ),
    Figure(
        "keras02-adam-decay",
        "5 x 256 ReLU + Dropout(0.2), Adam(lr=0.01, decay=1e-6)",
        KERAS_TIPS,
        f"no figure; >= tips' linear2 {TIPS['linear2']}",
        measured="adam-decay trains",
        argv=("--model", "dropout5", "--optimizer", "adam-decay", "--epochs", "20"),
    ),
]


def measured(results):
    """What FIGURES reads, for the cases this run trained."""
    figures = {}
    if set(results) == set(OPTIMIZERS):
        figures["each trains"] = Behaviour(
            ", ".join(f"{name} {r.accuracy:.4f}" for name, r in results.items()),
            all(r.epoch_costs[-1] < r.epoch_costs[0] and r.accuracy > 0.5 for r in results.values()),
        )
    plain = results.get("sgd")
    for name, largest, clipped, bound in [
        ("clipnorm", "norm", "clipped_norm", 1.0),
        ("clipvalue", "element", "clipped_element", 0.5),
    ]:
        case = results.get(f"sgd-{name}")
        if case and plain:
            e = case.extra
            figures[name] = Behaviour(
                f"largest {largest} {e[largest]:.3f}: clipped at {e['clipped_steps']} of {e['steps']} steps; "
                f"{case.accuracy:.4f} (plain SGD {plain.accuracy:.4f})",
                e[clipped] <= bound,
            )
    decay, nesterov = results.get("sgd-decay"), results.get("nesterov")
    if decay and nesterov:
        rate, steps = decay.extra["learning_rate"], decay.extra["steps"]
        figures["decay"] = Behaviour(
            f"0.01 -> {rate:.8g} after {steps} steps; {decay.accuracy:.4f} "
            f"(no decay {nesterov.accuracy:.4f})",
            abs(rate * (1 + 1e-6 * steps) / 0.01 - 1) < 3e-7,
        )
    adam = results.get("adam-decay")
    if adam:
        figures["adam-decay trains"] = Behaviour(
            f"{adam.accuracy:.4f}, rate {adam.extra['learning_rate']:.6g} after {adam.extra['steps']} steps",
            adam.accuracy > TIPS["linear2"],
        )
    return figures


def main(argv=None):
    parser = build_parser(
        "keras02-optimizers",
        __doc__,
        epochs=EPOCHS,
        learning_rate=None,
        batch_size=BATCH_SIZE,
        learning_rate_help="one learning rate for every optimizer (default: "
        "each one's Keras default, e.g. SGD 0.01, Adam "
        "0.001, Adadelta 1.0; the section's own lines 0.01)",
    )
    parser.add_argument(
        "--optimizer",
        action="append",
        choices=list(CHOICES),
        help=f"compare only these (repeatable; default: the seven of {', '.join(OPTIMIZERS)})",
    )
    parser.add_argument(
        "--model",
        choices=list(MODELS),
        default="relu2-glorot",
        help="relu2-glorot (default), or dropout5: the document's 5 x 256 ReLU + Dropout(0.2)",
    )
    parser.add_argument(
        "--clipnorm",
        type=cli.positive_float,
        default=None,
        help="Keras's clipnorm for every optimizer: all the gradients scaled "
        "together to this global norm at most",
    )
    parser.add_argument(
        "--clipvalue",
        type=cli.positive_float,
        default=None,
        help="Keras's clipvalue for every optimizer: every gradient element clipped to [-v, v]",
    )
    parser.add_argument(
        "--decay",
        type=cli.positive_float,
        default=None,
        help="Keras's decay for every optimizer: the rate lr / (1 + decay * steps)",
    )
    parser.add_argument(
        "--l1",
        type=cli.positive_float,
        default=None,
        help="L1 weight penalty on every Dense kernel (default none)",
    )
    parser.add_argument(
        "--l2",
        type=cli.positive_float,
        default=None,
        help="L2 weight penalty on every Dense kernel (default none)",
    )
    args = parser.parse_args(argv)
    # mnist.load_data(): all 60,000 images train; the 10,000 test images validate and test
    mnist = load_data_sets(args, read=read_keras_split)
    folder = run_folder(args)

    results, histories = {}, {}
    for name in args.optimizer or OPTIMIZERS:
        default_rate, make_optimizer, options = CHOICES[name]
        options = {
            **options,
            **{key: getattr(args, key) for key in KERAS_OPTIONS if getattr(args, key)},
        }  # the flags win
        # --learning-rate sets one rate for all; else each optimizer's Keras default
        case = cli.with_settings(args, learning_rate=args.learning_rate or default_rate)
        run_dir = run_folder(case, name)
        mnist.train.seek_epoch(0)  # every optimizer sees the same batches

        tf.reset_default_graph()
        tf.set_random_seed(args.seed)
        graph, watch = build(
            args.model, case.learning_rate, make_optimizer, **options, l1=args.l1, l2=args.l2
        )

        # the HParams tab's columns: 0 where a run has no clipping, decay or penalty
        settings = {
            "optimizer": name,
            "model": args.model,
            "l1": args.l1 or 0.0,
            "l2": args.l2 or 0.0,
            **{key: options.get(key, 0.0) for key in KERAS_OPTIONS},
        }
        with FitSession(case, graph, run_dir, case=name, hparams=settings) as session:
            history = session.fit(
                mnist.train, mnist.validation, epochs=args.epochs, batch_size=args.batch_size
            )
            print("Learning finished")

            _, test_accuracy = session.evaluate(mnist.test.images, mnist.test.labels)
            print(f"Accuracy: {test_accuracy:.4f}")
            write_scalar(session.writer, "test/accuracy", test_accuracy, session.global_step)
            watched = {key: value.item() for key, value in session.sess.run(watch).items()}
            if "learning_rate" in watched:
                print(f"learning rate after {session.global_step} steps: {watched['learning_rate']:.8g}")

        results[name] = finish(
            case,
            run_dir,
            accuracy=test_accuracy,
            epoch_costs=history.history["loss"],
            progress=session.progress,
            extra={
                "history": history.history,
                "curves": session.curves.history,
                "model": args.model,
                "options": options,
                "steps": session.global_step,
                **watched,
            },
        )
        histories[name] = history.history
    results = Cases(results, figures=measured(results))

    figure = plots.compare_curves(histories, folder / "optimizers.png")
    print(f"figure: {figure}")
    if args.show:
        plots.show([figure])
    print(
        "\n| optimizer | learning rate | final loss | test accuracy | largest gradient: norm, "
        "element -> after clipping | steps clipped |\n|---|---|---|---|---|---|"
    )
    for name, result in results.items():
        e = result.extra
        print(
            f"| {name} | {result.settings['learning_rate']:g} | "
            f"{histories[name]['loss'][-1]:.4f} | {result.accuracy:.4f} | "
            f"{e['norm']:.4g}, {e['element']:.4g} -> {e['clipped_norm']:.4g}, "
            f"{e['clipped_element']:.4g} | {e['clipped_steps']} of {e['steps']} |"
        )
    return results


if __name__ == "__main__":
    main_guard(main)
