"""Seed 002, section 4: the optimizers compared on one model.

The same 784-256-256-10 ReLU/Glorot network (the tips table's "relu2-glorot") is trained with
each Keras optimizer at the defaults the document lists: SGD 0.01, SGD with momentum 0.9, with
Nesterov momentum, RMSprop 0.001, Adagrad 0.01, Adadelta 1.0 (rho 0.95) and Adam 0.001. (TF1's
RMSProp starts its mean square at 1 where Keras starts at 0, so its first steps are smaller.) Every
optimizer is a TensorBoard sub-run (``epoch/loss``, ``epoch/val_acc`` side by side), and
``optimizers.png`` draws their learning curves in one figure.

Options from the same section: ``--clipnorm`` / ``--clipvalue``-style gradient clipping
(``--clipnorm``) and L1/L2 weight regularization (``--l1``, ``--l2``).
"""
from common import cli, plots
from common.dense import dense_classifier, keras_adam
from common.keras_docs import build_parser, run_keras_doc
from common.lab import main_guard
from common.tf1 import tf

EPOCHS = 10
BATCH_SIZE = 512
HIDDEN = [256, 256]
EPSILON = 1e-7  # Keras's
OPTIMIZERS = {  # name -> (Keras's default learning rate, TF1 optimizer at that rate)
    "sgd": (0.01, tf.train.GradientDescentOptimizer),
    "momentum": (0.01, lambda lr: tf.train.MomentumOptimizer(lr, momentum=0.9)),
    "nesterov": (0.01, lambda lr: tf.train.MomentumOptimizer(lr, momentum=0.9, use_nesterov=True)),
    "rmsprop": (0.001, lambda lr: tf.train.RMSPropOptimizer(lr, decay=0.9, epsilon=EPSILON)),
    "adagrad": (0.01, lambda lr: tf.train.AdagradOptimizer(lr, initial_accumulator_value=0.1)),
    "adadelta": (1.0, lambda lr: tf.train.AdadeltaOptimizer(lr, rho=0.95, epsilon=EPSILON)),
    "adam": (0.001, keras_adam),
}


def main(argv=None):
    parser = build_parser("keras02-optimizers", __doc__, epochs=EPOCHS, learning_rate=None,
                          batch_size=BATCH_SIZE)
    parser.add_argument("--optimizer", action="append", choices=list(OPTIMIZERS),
                        help="compare only these (repeatable; default: all seven)")
    parser.add_argument("--clipnorm", type=cli.positive_float, default=None,
                        help="clip every gradient tensor to this norm")
    parser.add_argument("--l1", type=cli.positive_float, default=None, help="L1 weight penalty")
    parser.add_argument("--l2", type=cli.positive_float, default=None, help="L2 weight penalty")
    args = parser.parse_args(argv)
    chosen = args.optimizer or list(OPTIMIZERS)
    override = args.learning_rate  # --learning-rate sets one rate for all; else Keras's defaults
    folder = cli.run_dir(args)  # named before any optimizer's rate is set
    results, histories = {}, {}
    for name in chosen:
        default_rate, make = OPTIMIZERS[name]
        args.learning_rate = override or default_rate

        def build(hp, make=make):
            return dense_classifier(hp, hidden=HIDDEN, clipnorm=args.clipnorm, weight_l1=args.l1 or 0,
                                    weight_l2=args.l2 or 0, optimizer=make)
        results[name] = run_keras_doc(args, build, case=name)
        histories[name] = results[name].extra["history"]
    figure = plots.compare_curves(histories, folder / "optimizers.png")
    print(f"figure: {figure}")
    if args.show:
        plots.show([figure])
    print("\n| optimizer | learning rate | final loss | test accuracy |\n|---|---|---|---|")
    for name, result in results.items():
        print(f"| {name} | {results[name].settings['learning_rate']:g} | {histories[name]['loss'][-1]:.4f} | "
              f"{result.accuracy:.4f} |")
    return results


if __name__ == "__main__":
    main_guard(main)
