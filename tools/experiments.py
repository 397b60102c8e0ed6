"""The rows of the results table: every lab's declared ``FIGURES``, in the course's order.

Nothing here states a figure: each is read from the lab that reproduces it.
"""

import importlib
from dataclasses import dataclass

from common.cli import DEFAULT_SEED
from common.figures import Figure

# the lab files with figures, in the course's order; the Keras documents' rows come after the
# lectures' (lab07_1 and lab07_2 also reproduce keras-tips' first two examples)
LAB_MODULES = [
    "lab02_1_linear_regression",
    "lab02_2_linear_regression_feed",
    "lab02_3_linear_regression_tensorflow_org",
    "lab03_1_minimizing_cost_show_graph",
    "lab03_2_minimizing_cost_gradient_update",
    "lab03_3_minimizing_cost_tf_optimizer",
    "lab03_x_minimizing_cost_tf_gradient",
    "lab04_1_multi_variable_linear_regression",
    "lab04_2_multi_variable_matmul_linear_regression",
    "lab04_3_file_input_linear_regression",
    "lab04_4_tf_reader_linear_regression",
    "lab05_1_logistic_regression",
    "lab05_2_logistic_regression_diabetes",
    "lab06_1_softmax_classifier",
    "lab06_2_softmax_zoo_classifier",
    "lab07_1_learning_rate",
    "lab07_2_linear_regression_without_min_max",
    "lab07_3_linear_regression_min_max",
    "lab07_4_mnist_introduction",
    "lab09_8_xor_by_hand",
    "lab09_1_xor_logistic",
    "lab09_2_xor_nn",
    "lab09_3_xor_wide_deep",
    "lab09_5_linear_back_prop",
    "lab09_6_multi_linear_back_prop",
    "lab09_7_sigmoid_back_prop",
    "lab09_x_xor_nn_back_prop",
    "lab09_9_mnist_sigmoid_deep_wide",
    "lab10_9_xor_deep_relu",
    "lab10_1_mnist_softmax",
    "lab10_2_mnist_nn",
    "lab10_3_mnist_nn_xavier",
    "lab10_4_mnist_nn_deep",
    "lab10_5_mnist_nn_dropout",
    "lab10_10_mnist_initializers",
    "lab10_6_mnist_nn_batchnorm",
    "lab10_7_mnist_nn_higher_level_api",
    "lab10_8_mnist_nn_selu",
    "lab10_x1_mnist_back_prop",
    "lab11_1_mnist_cnn",
    "lab11_2_mnist_deep_cnn",
    "lab11_3_mnist_cnn_class",
    "lab11_4_mnist_cnn_layers",
    "lab11_5_mnist_cnn_ensemble_layers",
    "lab11_x_mnist_cnn_low_memory",
    "lab12_0_rnn_basics",
    "lab12_1_hello_rnn",
    "lab12_2_char_seq_rnn",
    "lab12_3_char_seq_softmax_only",
    "lab12_4_rnn_long_char",
    "lab12_5_rnn_stock_prediction",
    "lab13_1_mnist_using_scope",
    "lab13_2_mnist_tensorboard",
    "lab13_3_mnist_save_restore",
    "keras02_3_mnist_early_stopping",
    "keras02_4_mnist_tips",
    "keras02_5_optimizers",
    "keras02_6_weight_regularization",
    "keras02_7_batch_norm",
    "keras02_8_sgd_decay_dense64",
    "keras01_mnist_mlp1000",
    "keras00_1_quickstart",
    "keras00_2_fashion_mnist",
]


@dataclass(frozen=True)
class Experiment:
    """A figure and the lab file whose run measures it."""

    figure: Figure
    module: str

    @property
    def target(self):
        return self.figure.target

    @property
    def name(self):
        return self.figure.experiment


def declared(modules=LAB_MODULES):
    """Every figure the labs declare: the lectures' rows first, each lab's in its own order."""
    rows = [
        Experiment(figure, module)
        for module in modules
        for figure in importlib.import_module(f"labs.{module}").FIGURES
    ]
    return sorted(rows, key=lambda row: row.target.startswith("keras"))  # a stable sort


EXPERIMENTS = declared()
TARGETS = list(dict.fromkeys(row.target for row in EXPERIMENTS))  # the make targets, table order

# the rows the README shows (make results-doc renders them there)
HEADLINE = [
    ("lab07-mnist", "MNIST softmax, GD 0.1, 15 epochs"),
    ("lab09-mnist-deep-wide", "MNIST 784-256x3-10 sigmoid"),
    ("lab10-mnist-xavier", "MNIST Xavier 784-256x3-10, Adam 0.01"),
    ("lab10-mnist-dropout", "MNIST deep + dropout 0.7"),
    ("lab10-batch-norm", "784-32-32-10 with batch norm"),
    ("lab10-batch-norm", "784-32-32-10 without batch norm"),
    ("lab11-mnist-cnn", "CNN, two conv blocks"),
    ("lab11-mnist-deep-cnn", "deep CNN, raw ops"),
    ("lab11-ensemble", "ensemble: summed logits"),
    ("keras02-early-stopping", "MNIST softmax, best epoch restored"),
    ("keras01-mlp1000", "784-1000-10 MLP"),
    ("keras00-quickstart", "quickstart MLP, 5 epochs"),
    ("keras00-fashion", "Fashion-MNIST, 10 epochs"),
]


def seeds_for(count):
    """The seeds of a row run ``count`` times: the course's 777, then 1, 2, ..."""
    return [DEFAULT_SEED] + list(range(1, count))


def row_seeds(experiment, count):
    return seeds_for(count) if experiment.figure.seeded else [DEFAULT_SEED]
