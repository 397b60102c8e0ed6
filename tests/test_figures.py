"""Each reported figure is declared once, in the lab that reproduces it.

The documents' figures below are this test's own copy, typed from the documents: when a lab's
table is edited, the comparison notices. The second half checks that no tool, no common module,
the Makefile or the README's own text states a figure again.
"""

import ast
import re
from pathlib import Path

from tools import render
from tools.experiments import EXPERIMENTS

ROOT = Path(__file__).resolve().parent.parent

# (make target, row) -> (document, reported): the documents' own figures and behaviours
DOCUMENTS = {
    # hunkim's lectures 02-06, typed from its printed outputs
    ("lab02-linear-regression", "y = x, 2,000 GD steps: learns W = 1, b = 0"): (
        "hunkim",
        "W -> 1, b -> 0 (1.0040, -0.0092)",
    ),
    ("lab02-linear-regression-feed", "y = x: prediction for x = 5"): ("hunkim", "-> 5 (5.0110054)"),
    ("lab02-linear-regression-feed", "then y = x + 1.1: prediction for x = 5"): ("hunkim", 6.1004534),
    ("lab02-tensorflow-org", "y = 1 - x from W 0.3, b -0.3: W"): ("hunkim", -0.9999969),
    ("lab02-tensorflow-org", "y = 1 - x from W 0.3, b -0.3: b"): ("hunkim", 0.9999908),
    ("lab02-tensorflow-org", "y = 1 - x: final cost"): ("hunkim", "cost -> 0 (5.7e-11)"),
    ("lab03-cost-curve", "cost over W: the minimum"): ("hunkim", "bottom at W = 1, cost 0"),
    ("lab03-gradient-by-hand", "W -= lr * gradient, 21 steps: W -> 1"): (
        "hunkim",
        "W -> 1, cost falls every step (1.0000023)",
    ),
    ("lab03-optimizer", "GradientDescentOptimizer from W = 5: W after 1 step"): ("hunkim", 1.2666664),
    ("lab03-optimizer", "GradientDescentOptimizer from W = 5: W at step 100"): ("hunkim", 1.0),
    ("lab03-compute-gradients", "gradient at W = 5 (step 0)"): ("hunkim", 37.333332),
    ("lab03-compute-gradients", "apply_gradients from W = 5: W at step 100"): ("hunkim", 1.0002222),
    ("lab03-compute-gradients", "hand-written gradient = compute_gradients'"): (
        "hunkim",
        "the same at every step",
    ),
    ("lab04-multi-variable", "x1 w1 + x2 w2 + x3 w3 + b: cost falls, predictions near the scores"): (
        "hunkim",
        "cost 19614.8 -> 4.89; within 3 % of the scores",
    ),
    ("lab04-matmul", "X W + b: cost falls, predictions near the scores"): (
        "hunkim",
        "cost 7105.46 -> 3.18; within 2 % of the scores",
    ),
    ("lab04-file-input", "rows from a CSV file: cost falls, predictions near the scores"): (
        "hunkim",
        "cost falls (21027.0 -> 24.72 on its 25 rows); predictions near the scores",
    ),
    ("lab04-queue-reader", "rows from TensorFlow's queue reader: cost falls, predictions near the scores"): (
        "hunkim",
        "cost falls; predictions near the scores (185.3 for 100, 70, 101 on its 25 rows)",
    ),
    ("lab05-logistic", "logistic regression, 6 rows: accuracy"): ("hunkim", 1.0),
    ("lab05-logistic", "logistic regression, 6 rows: cost"): ("hunkim", "cost falls below 0.2 (0.1495)"),
    ("lab05-diabetes", "logistic regression, diabetes (759 rows): accuracy"): ("hunkim", 0.762846),
    ("lab06-softmax", "softmax, 8 rows: classes of the 3 new rows"): ("hunkim", "[1 0 2]"),
    ("lab06-softmax", "softmax, 8 rows: cost"): ("hunkim", "cost falls below 0.2 (0.1522)"),
    ("lab06-zoo", "softmax, UCI Zoo: training accuracy"): ("hunkim", 1.0),
    ("lab06-zoo", "softmax, UCI Zoo: loss"): ("hunkim", "loss falls below 0.1 (0.054)"),
    ("lab07-learning-rate", "lr 1e-10: no progress"): ("notes-07-08", "cost stuck"),
    ("lab07-learning-rate", "lr 1e-10: test accuracy"): ("notes-07-08", 0.0),
    ("lab07-learning-rate", "lr 1.5: diverges"): ("notes-07-08", "cost -> nan"),
    ("lab07-learning-rate", "lr 0.1: test accuracy"): ("notes-07-08", 1.0),
    ("lab07-normalization", "raw rows diverge"): ("notes-07-08", "cost -> inf/nan"),
    ("lab07-normalization", "min-max rows descend"): ("notes-07-08", "finite, decreasing"),
    ("lab07-normalization", "min-max rows: cost at step 100"): ("notes-07-08", 0.0137),
    ("lab07-normalization", "standardized rows descend"): ("notes-07-08", "finite, decreasing"),
    ("lab07-mnist", "MNIST softmax, GD 0.1, 15 epochs"): ("notes-07-08", 0.8951),
    ("lab07-mnist-long", "MNIST softmax, GD 0.4, 100 epochs"): ("notes-07-08", 0.9225),
    ("lab07-mnist-l2", "MNIST softmax + L2 0.001: weights kept small"): ("notes-07-08", "smaller weights"),
    ("lab07-mnist-l2", "MNIST softmax + L2 0.001: accuracy kept"): ("notes-07-08", ">= 0.8951 - 0.01"),
    ("lab09-xor-by-hand", "XOR by hand: the lecture's weights"): ("notes-09-11", "y-hat = XOR"),
    ("lab09-xor-logistic", "XOR logistic regression"): ("notes-09-11", 0.5),
    ("lab09-xor-nn", "XOR 2-2-1"): ("notes-09-11", 1.0),
    ("lab09-xor-nn", "XOR 2-2-1: final cost"): ("notes-09-11", 0.0169),
    ("lab09-xor-wide-deep", "XOR 2-10-10-10-1"): ("notes-09-11", 1.0),
    ("lab09-linear-backprop", "linear back-prop by hand = tf.gradients"): ("hunkim", "gradients agree"),
    ("lab09-linear-backprop", "linear back-prop learns y = x"): ("hunkim", "hypothesis -> [1, 2, 3]"),
    ("lab09-linear-backprop", "chain rule, f = wx + b at w = -2, x = 5"): (
        "notes-09-11",
        "df/dx = -2, df/dw = 5",
    ),
    ("lab09-multi-linear-backprop", "multi-variable back-prop by hand = tf.gradients"): (
        "hunkim",
        "gradients agree",
    ),
    ("lab09-multi-linear-backprop", "multi-variable back-prop: the cost falls"): ("hunkim", "cost falls"),
    ("lab09-sigmoid-backprop", "zoo sigmoid back-prop: the chain rule = tf.gradients"): (
        "hunkim",
        "gradients agree",
    ),
    ("lab09-sigmoid-backprop", "zoo: training accuracy 100% within 300 steps"): (
        "hunkim",
        "Acc: 100.00% by step 300",
    ),
    ("lab09-xor-backprop", "backprop by hand = autodiff"): ("hunkim", "outputs agree ~1e-7"),
    ("lab09-mnist-deep-wide", "MNIST 784-256x3-10 sigmoid"): ("notes-09-11", 0.8887),
    ("lab09-mnist-deep-wide", "'MNIST for NN' panel: accuracy"): ("notes-09-11", 0.8951),
    ("lab09-mnist-deep-wide", "'MNIST for NN' panel: epoch 15 cost"): ("notes-09-11", 0.2313),
    ("lab10-xor-deep", "deep XOR sigmoid: vanishing gradient"): ("notes-09-11", 0.5),
    ("lab10-xor-deep", "deep XOR ReLU"): ("notes-09-11", 1.0),
    ("lab10-mnist-relu", "MNIST ReLU 784-256x3-10, Adam 0.01"): ("notes-09-11", 0.955),
    ("lab10-mnist-relu", "MNIST ReLU 784-256x2-10, Adam 1e-3"): ("hunkim", 0.9455),
    ("lab10-mnist-xavier", "MNIST Xavier 784-256x3-10, Adam 0.01"): ("notes-09-11", 0.971),
    ("lab10-mnist-xavier", "MNIST Xavier 784-256x2-10, Adam 1e-3"): ("hunkim", 0.9783),
    ("lab10-mnist-deep", "MNIST 784-512x4-10 Xavier"): ("hunkim", 0.9742),
    ("lab10-mnist-dropout", "MNIST deep + dropout 0.7"): ("hunkim", 0.9804),
    ("lab10-mnist-softmax-adam", "MNIST softmax, Adam 1e-3, 50 epochs"): ("hunkim", 0.9194),
    ("lab10-mnist-init", "initial cost: random_normal huge, Xavier/He near ln(10)"): (
        "notes-09-11",
        "huge vs ~ln(10) = 2.30",
    ),
    ("lab10-mnist-init", "random_normal weights"): ("notes-09-11", 0.955),
    ("lab10-mnist-init", "Xavier (glorot_uniform) weights"): ("notes-09-11", 0.971),
    ("lab10-mnist-init", "He weights: as good as Xavier (no figure)"): ("notes-09-11", ">= Xavier - 0.01"),
    ("lab10-mnist-layers-api", "MNIST deep, tf.layers: batch norm + dropout, Adam 0.01"): ("hunkim", 0.9826),
    ("lab10-mnist-selu", "SELU + LeCun init: hidden activations self-normalized at the start"): (
        "hunkim",
        "mean ~0, variance ~1 in every layer",
    ),
    ("lab10-mnist-selu", "SELU + alpha dropout vs ReLU + Xavier + dropout: test accuracy"): (
        "hunkim",
        ">= ReLU - 0.01",
    ),
    ("lab10-mnist-backprop", "MNIST 784-30-10 back-prop by hand = tf.gradients"): (
        "hunkim",
        "gradients agree",
    ),
    ("lab10-mnist-backprop", "MNIST 784-30-10 by hand learns"): ("hunkim", "the count right of 1,000 rises"),
    ("lab10-batch-norm", "784-32-32-10 with batch norm"): ("hunkim", 0.9737),
    ("lab10-batch-norm", "784-32-32-10 without batch norm"): ("hunkim", 0.9513),
    ("lab10-batch-norm", "curves: last validation accuracy, with batch norm"): ("hunkim", 0.9766),
    ("lab10-batch-norm", "curves: last validation accuracy, without"): ("hunkim", 0.9574),
    ("lab11-mnist-cnn", "CNN, two conv blocks"): ("hunkim", 0.9885),
    ("lab11-mnist-deep-cnn", "deep CNN, raw ops"): ("notes-09-11", 0.9931),
    ("lab11-mnist-deep-cnn", "deep CNN, raw ops: the original's run"): ("hunkim", 0.9938),
    ("lab11-mnist-cnn-class", "deep CNN in the Model(sess, name) class"): ("notes-09-11", 0.9931),
    ("lab11-mnist-cnn-layers", "deep CNN with tf.layers, dropout rate 0.3/0.5"): ("notes-09-11", 0.9931),
    ("lab11-ensemble", "ensemble: model 0"): ("notes-09-11", 0.9945),
    ("lab11-ensemble", "ensemble: model 1"): ("notes-09-11", 0.9928),
    ("lab11-ensemble", "ensemble: summed logits"): ("notes-09-11", 0.9947),
    ("lab11-ensemble", "ensemble of 7: summed logits"): ("hunkim", 0.9952),
    ("lab11-mnist-cnn-low-memory", "deep CNN, accuracy in batches of 512"): ("hunkim", 0.9938),
    ("lab11-mnist-cnn-low-memory", "batched evaluation needs less peak memory"): (
        "hunkim",
        "batched peak < whole-set peak",
    ),
    ("keras02-learning-rate", "toy softmax, SGD 0.1, 200 epochs: eval accuracy"): ("keras-tips", 1.0),
    ("keras02-learning-rate", "toy softmax: loss at epoch 200"): ("keras-tips", 0.6094),
    ("keras02-normalization", "SGD 0.01, 10 epochs: raw rows diverge"): (
        "keras-tips",
        "inf at epoch 3, then nan",
    ),
    # 0.8204 / 1.5456
    ("keras02-normalization", "min-max rows: loss 1.5456 -> 0.8204, relative fall"): ("keras-tips", 0.5308),
    ("keras02-early-stopping", "MNIST softmax, best epoch restored"): ("keras-tips", 0.9266),
    ("keras02-early-stopping", "best val_loss"): ("keras-tips", 0.2612),
    ("keras02-early-stopping", "History table: a row per epoch until EarlyStopping"): (
        "keras-tips",
        "32 rows, best epoch 25",
    ),
    ("keras02-tips", "softmax, Adam as written"): ("keras-tips", 0.8947),
    ("keras02-tips", "softmax-sgd"): ("keras-tips", 0.8947),
    ("keras02-tips", "linear2"): ("keras-tips", 0.9267),
    ("keras02-tips", "relu2"): ("keras-tips", 0.9806),
    ("keras02-tips", "relu2-glorot"): ("keras-tips", 0.9817),
    ("keras02-tips", "relu5-glorot"): ("keras-tips", 0.9798),
    ("keras02-tips", "dropout0.1"): ("keras-tips", 0.9803),
    ("keras02-tips", "dropout0.2"): ("keras-tips", 0.9840),
    ("keras02-tips", "dropout0.3"): ("keras-tips", 0.9819),
    ("keras02-tips", "activity-l1"): ("keras-tips", 0.9815),
    ("keras02-optimizers", "7 optimizers: each one trains"): (
        "keras-tips",
        "no figure (the section describes them)",
    ),
    ("keras02-clipping", "SGD(lr=0.01, clipnorm=1.): gradients' global norm <= 1"): (
        "keras-tips",
        "clipped to norm 1",
    ),
    ("keras02-clipping", "SGD(lr=0.01, clipvalue=0.5): elements in [-0.5, 0.5]"): (
        "keras-tips",
        "clipped to [-0.5, 0.5]",
    ),
    ("keras02-sgd-decay", "SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)"): (
        "keras-tips",
        "lr / (1 + 1e-6 * iterations)",
    ),
    (
        "keras02-sgd-decay-dense64",
        "Dense(64) softmax, MSE, SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)",
    ): (
        "keras-tips",
        "the loss falls; lr / (1 + decay * iterations)",
    ),
    ("keras02-adam-decay", "5 x 256 ReLU + Dropout(0.2), Adam(lr=0.01, decay=1e-6)"): (
        "keras-tips",
        "no figure; >= tips' linear2 0.9267",
    ),
    ("keras02-regularization", "l1_l2(0.01, 0.01) on example 2's Dense(1), 1000 epochs"): (
        "keras-tips",
        "W becomes small value",
    ),
    ("keras02-regularization", "L2 at lambda 0, 0.001, 1: W shrinks as lambda grows"): (
        "keras-tips",
        "W becomes small value",
    ),
    ("keras02-batch-norm", "MLP Dense(32, relu): BN after / before the ReLU / none"): (
        "keras-tips",
        "BN: faster learning",
    ),
    # hunkim's lecture 12, typed from its printed outputs
    ("lab12-rnn-basics", "sequence_loss, logits [[0.2,0.7],[0.6,0.2],[0.2,0.9]], targets [1,1,1]"): (
        "hunkim",
        0.596759,
    ),
    ("lab12-rnn-basics", "sequence_loss of [0.3, 0.7] x 3 (Loss1)"): ("hunkim", 0.513015),
    ("lab12-rnn-basics", "sequence_loss of [0.1, 0.9] x 3 (Loss2)"): ("hunkim", 0.371101),
    ("lab12-rnn-basics", "sequence_loss of [1, 0] x 3 (Loss3)"): ("hunkim", 1.31326),
    ("lab12-rnn-basics", "dynamic_rnn with sequence_length"): (
        "hunkim",
        "outputs past each sequence's length are 0",
    ),
    ("lab12-hello-rnn", "hello RNN: hihell -> ihello"): (
        "hunkim",
        "the prediction becomes 'ihello' (step 9 of 50)",
    ),
    ("lab12-char-seq-rnn", "char-seq RNN on ' if you want you'"): (
        "hunkim",
        "the prediction becomes 'if you want you' (step 11 of 50)",
    ),
    ("lab12-char-seq-softmax", "softmax only (no RNN): final loss"): ("hunkim", 0.277323),
    ("lab12-char-seq-softmax", "softmax only (no RNN): prediction"): (
        "hunkim",
        "stuck at 'yf you yant you' (no memory: 13 of 15 letters)",
    ),
    ("lab12-long-char", "long sentence, 2 stacked LSTMs: the sentence put back together"): (
        "hunkim",
        "the sentence, all but its first character ('g you want to build a ship, ...')",
    ),
    ("lab12-long-char", "long sentence, 2 stacked LSTMs: the loss"): (
        "hunkim",
        "the loss falls from 3.23111 to 0.229616",
    ),
    ("lab12-stock", "stock LSTM (MSFT, 732 days): the test predictions"): (
        "hunkim",
        "the prediction follows the test closes (the original's plot)",
    ),
    ("lab13-mnist-scope", "MNIST deep + dropout in variable scopes"): ("hunkim", 0.9804),
    ("lab13-mnist-tensorboard", "MNIST deep + dropout, TensorBoard summaries"): ("hunkim", 0.9804),
    ("lab13-mnist-save-restore", "Saver: the restored model's test accuracy"): (
        "hunkim",
        "restored accuracy = accuracy before saving",
    ),
    ("keras02-batch-norm", "CNN Conv2D x2, BN, MaxPooling2D: with / without BN"): (
        "keras-tips",
        "BN: faster learning",
    ),
    ("keras02-batch-norm", "LSTM(32) on 28 rows of 28 pixels: with / without BN"): (
        "keras-tips",
        "BN: faster learning",
    ),
    ("keras02-batch-norm-high-lr", "MLP at Adam 0.05: BN after / before the ReLU / none"): (
        "keras-tips",
        "BN allows a larger learning rate",
    ),
    ("keras01-mlp1000", "784-1000-10 MLP"): ("keras-mlp", 0.9855),
    ("keras01-mlp1000", "model.summary(): total params"): ("keras-mlp", 795010),
    ("keras01-mlp1000", "Test loss"): ("keras-mlp", 0.0611),
    ("keras01-mlp1000", "wrong predictions (of 10,000)"): ("keras-mlp", 145),
    ("keras00-quickstart", "quickstart MLP, 5 epochs"): ("tf2-quickstart", 0.9758),
    ("keras00-quickstart", "untrained loss, -ln(1/10)"): ("tf2-quickstart", 2.3026),
    ("keras00-quickstart", "test loss"): ("tf2-quickstart", 0.0748),
    ("keras00-quickstart", "probability_model(x_test[:5])"): ("tf2-quickstart", "7 2 1 0 4, each > 0.996"),
    ("keras00-quickstart-99", "the notes' goal: 99%"): ("tf2-quickstart", ">= 0.99"),
    ("keras00-fashion", "Fashion-MNIST, 10 epochs"): ("tf2-quickstart", 0.88),
}


def test_the_labs_declare_the_documents_figures():
    declared = {(row.target, row.name): (row.figure.source, row.figure.reported) for row in EXPERIMENTS}
    assert declared == DOCUMENTS


def test_each_row_is_declared_once():
    keys = [(row.target, row.name) for row in EXPERIMENTS]
    assert len(keys) == len(set(keys))


def distinctive(value):
    """A figure whose literal would not turn up by chance: three significant digits or more
    (0.9931, 0.955, 145), unlike 0.5, 1.0 or 0.88."""
    digits = re.sub(r"^0\.0*|\.", "", repr(value))
    return not isinstance(value, bool) and isinstance(value, (int, float)) and len(digits.rstrip("0")) >= 3


FIGURES = {row.figure.reported for row in EXPERIMENTS if distinctive(row.figure.reported)}


def numeric_literals(path):
    return {
        (node.value, node.lineno)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and type(node.value) in (int, float)
    }


def text_without_rendered_blocks(text):
    for begin, end in ((render.RENDER_BEGIN, render.RENDER_END), (render.BRIEF_BEGIN, render.BRIEF_END)):
        if begin in text:
            before, rest = text.split(begin, 1)
            text = before + rest.split(end, 1)[1]
    return text


def figures_in_text(text):
    numbers = {float(n) for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", text.replace(",", ""))}
    return sorted(figure for figure in FIGURES if float(figure) in numbers)


def test_no_tool_or_common_module_states_a_figure():
    found = {
        f"{path.relative_to(ROOT)}:{line}": value
        for folder in ("tools", "common")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for value, line in numeric_literals(path)
        if value in FIGURES
    }
    assert found == {}


def test_neither_the_makefile_nor_the_readme_text_states_a_figure():
    assert figures_in_text((ROOT / "Makefile").read_text()) == []
    assert figures_in_text(text_without_rendered_blocks((ROOT / "README.md").read_text())) == []


def test_the_checks_can_fail(tmp_path):
    assert distinctive(0.9931) and distinctive(145) and distinctive(795010) and not distinctive(0.88)
    assert figures_in_text("MNIST softmax (reported 0.8951), 795,010 params") == [0.8951, 795010]
    module = tmp_path / "m.py"
    module.write_text("X = 0.9931\n")
    assert (0.9931, 1) in numeric_literals(module)
