# Deep Learning Zero To All, TF1 graph mode on a current TensorFlow.
# `make setup` once, then `make test`; `make help` lists everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
LOCK := requirements.lock
LOGDIR ?= logs
HOST ?= localhost
PORT ?= 6006
ARGS ?=
SEEDS ?= 1
JOBS ?= 1
LABS ?= all

# a lab file with the target's flags, then ARGS (the last of a flag given twice wins)
LAB = $(PY) -m labs.$(1) $(2) $(ARGS)

.DEFAULT_GOAL := help
.PHONY: help python-version setup lock data notebooks graphviz iproute2 cluster-bench test test-full smoke lint reproduce results-doc bench tensorboard clean-logs cluster-demo \
	lab01-basics lab02-linear-regression lab02-linear-regression-feed lab02-tensorflow-org lab03-cost-curve lab03-gradient-by-hand lab03-optimizer lab03-compute-gradients \
	lab04-multi-variable lab04-matmul lab04-file-input lab04-queue-reader lab05-logistic lab05-diabetes lab06-softmax lab06-zoo \
	lab07-learning-rate lab07-normalization lab07-without-min-max lab07-min-max lab07-mnist lab07-mnist-long lab07-mnist-l2 lab08-tensor-manipulation \
	lab09-xor-by-hand lab09-xor-logistic lab09-xor-nn lab09-xor-wide-deep lab09-xor-tensorboard lab09-xor-backprop \
	lab09-linear-backprop lab09-multi-linear-backprop lab09-sigmoid-backprop \
	lab09-mnist-deep-wide lab10-xor-deep lab10-mnist-softmax lab10-mnist-relu lab10-mnist-xavier \
	lab10-mnist-deep lab10-mnist-dropout lab10-mnist-init lab10-mnist-softmax-adam lab10-batch-norm \
	lab10-mnist-layers-api lab10-mnist-selu lab10-mnist-backprop lab11-conv-basics lab11-mnist-cnn \
	lab11-mnist-deep-cnn lab11-mnist-cnn-class lab11-mnist-cnn-layers lab11-ensemble lab11-mnist-cnn-low-memory \
	lab12-rnn-basics lab12-hello-rnn lab12-char-seq-rnn lab12-char-seq-softmax lab12-long-char lab12-stock \
	lab13-mnist-scope lab13-mnist-tensorboard lab13-mnist-save-restore \
	keras02-learning-rate keras02-normalization keras02-early-stopping keras02-tips \
	keras02-optimizers keras02-clipping keras02-sgd-decay keras02-sgd-decay-dense64 keras02-adam-decay \
	keras02-regularization keras02-batch-norm keras02-batch-norm-high-lr keras01-mlp1000 keras00-quickstart keras00-quickstart-99 keras00-fashion

# the reported figures come from the labs' own tables; before `make setup` the list has none
help: ## list the targets, each lab's with its reported figures
	@if [ -x $(PY) ]; then $(PY) -m tools.make_help $(MAKEFILE_LIST); else \
		awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-28s %s\n", $$1, $$2}' $(MAKEFILE_LIST); fi
	@echo "  Pass lab flags with ARGS, e.g. make lab07-mnist ARGS='--epochs 2 --seed 1'"

setup: python-version $(STAMP) data graphviz iproute2 ## virtual env, pinned packages, the data sets verified, Graphviz (re-run: quick)

# TensorFlow 2.21 has wheels for CPython 3.10-3.13 and the pinned NumPy needs 3.11+: say so before pip fails obscurely
python-version:
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null || { \
		echo "error: This project (TensorFlow 2.21, NumPy 2.4) needs Python 3.11 to 3.13, and '$(PYTHON)' is $$($(PYTHON) --version 2>/dev/null || echo "not a Python that runs here")." \
		"Install one (e.g. 'apt install python3.12-venv', 'brew install python@3.12' or pyenv), then run: make setup PYTHON=python3.12"; \
		exit 2; }

# every package pinned (requirements.lock, made by `make lock` on Linux x86-64), installed with
# --no-deps: tf-keras's metadata names the `tensorflow` wheel, which would replace the CPU build.
# Then the project itself, editable (its labs, common and tools importable from anywhere, and
# the zero-to-all command), and whatever the lock does not list goes.
$(STAMP): $(LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m common.lock sync
	touch $@

# requirements.txt installed into a scratch venv, as on a new machine, and frozen
lock: python-version ## write requirements.lock anew from requirements.txt (then make setup installs it)
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	$(PYTHON) -m venv "$$scratch/venv" && \
	"$$scratch/venv/bin/python" -m pip install --quiet --upgrade pip && \
	grep -v '^tf-keras' requirements.txt > "$$scratch/main.txt" && \
	"$$scratch/venv/bin/python" -m pip install --quiet -r "$$scratch/main.txt" && \
	"$$scratch/venv/bin/python" -m pip install --quiet --no-deps $$(grep '^tf-keras' requirements.txt) && \
	"$$scratch/venv/bin/python" -m common.lock write

data: $(STAMP) ## MNIST into data/mnist, Fashion-MNIST and the UCI tables from Debian's packages (or a download), MSFT prices from PyPI
	$(PY) -m common.mnist fetch
	# Debian's dataset-fashion-mnist when make runs as root (never through sudo); otherwise the
	# fetch below downloads the files
	if [ ! -d /usr/share/datasets/fashion-mnist ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 || \
		{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1; } || \
		echo "apt could not install dataset-fashion-mnist; downloading instead"; \
	fi
	$(PY) -m common.fashion_mnist fetch
	# the UCI Zoo and Pima tables, out of Debian's r-cran-mlbench package (1 MB; not installed: it needs R)
	$(PY) -m common.mlbench fetch
	# MSFT daily prices for lab 12-5, out of pmdarima's wheel on PyPI (0.7 MB; pmdarima not installed)
	$(PY) -m common.stock fetch

# Graphviz's dot draws the Keras MLP's model diagram; as root where apt is (never through sudo)
graphviz: ## Graphviz for the Keras MLP's model diagram (optional: the lab says when it is absent)
	@command -v dot >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get install -y -qq graphviz >/dev/null 2>&1 || \
			{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq graphviz >/dev/null 2>&1; } || \
			echo "apt could not install graphviz; the Keras MLP lab will skip its model diagram"; \
		else echo "Graphviz is not installed (apt install graphviz, or brew install graphviz); the Keras MLP lab will skip its model diagram"; fi; }

iproute2: ## ip and tc for make cluster-bench (needs root; the bench says when they are absent)
	@command -v tc >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get install -y -qq iproute2 >/dev/null 2>&1 || \
			{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq iproute2 >/dev/null 2>&1; } || \
			echo "apt could not install iproute2; make cluster-bench will not run"; \
		else echo "iproute2 (ip, tc) is not installed; make cluster-bench needs it, and root"; fi; }

notebooks: $(STAMP) ## the notebooks of labs 01, 08, 10-6, 11-0 and 12-0, written anew from the lab files into notebooks/
	$(PY) -m tools.notebooks

test: $(STAMP) ## the fast test tier (real MNIST, < 20 min on 2 cores)
	$(PY) -m pytest -m "not slow" --durations=10 tests

test-full: $(STAMP) ## every test, including the slow full-length trainings
	$(PY) -m pytest --durations=10 tests

smoke: $(STAMP) ## about a minute: one short run of each kind of lab, proves the install works
	$(PY) -m tools.smoke

lint: $(STAMP) ## ruff: lint rules and formatting (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

reproduce: $(STAMP) ## every lab at its documented settings -> results/reproduce.{md,json}; resumes (ARGS=--fresh redoes), JOBS=2, SEEDS=3, LABS=a,b
	$(PY) -m tools.reproduce --seeds "$(SEEDS)" --labs "$(LABS)" --jobs "$(JOBS)" $(ARGS)

results-doc: $(STAMP) ## render results/reproduce.json into docs/results.md and the README's headline rows
	$(PY) -m tools.reproduce --render docs/results.md --render README.md

bench: $(STAMP) ## training speed, graph mode vs Keras 3 fit, ~12 min -> results/bench.json (BENCH_ARGS='--rounds 5')
	$(PY) -m tools.bench $(BENCH_ARGS)

MODE ?= data-parallel
cluster-bench: $(STAMP) ## the deep CNN's cluster across emulated links (netns + tc tbf, needs root): step time against bandwidth, beside the model
	$(PY) -m tools.cluster_bench $(ARGS)

cluster-demo: $(STAMP) ## a ps + 2 workers on loopback train the deep CNN (MODE=ensemble: 2 workers, one member each)
	$(PY) -m tools.cluster_demo --mode $(MODE) $(ARGS)

# HOST=0.0.0.0 shows the logs to every machine that can reach this one: TensorBoard has no login
tensorboard: $(STAMP) ## serve logs/ on http://localhost:6006 (HOST=, PORT=, LOGDIR= to change)
	$(VENV)/bin/tensorboard --logdir $(LOGDIR) --host $(HOST) --port $(PORT)

# clean-logs takes LOGDIR only from the command line (`make clean-logs LOGDIR=runs`), never from
# the environment, and tools.clean_logs deletes finished runs only (a live run's lock is respected)
clean-logs: ## delete the labs' runs under logs/ (or LOGDIR=, on the command line); ARGS=--dry-run lists them
	$(PYTHON) -m tools.clean_logs $(ARGS) $(if $(filter command line,$(origin LOGDIR)),"$(LOGDIR)")

lab01-basics: $(STAMP) ## lab 01: constants, a session, the computational graph, placeholders
	$(call LAB,lab01_basics)
lab02-linear-regression: $(STAMP) ## lab 02-1: linear regression on y = x, W and b by gradient descent
	$(call LAB,lab02_1_linear_regression)
lab02-linear-regression-feed: $(STAMP) ## lab 02-2: the same with placeholders, then fed new rows (y = x + 1.1)
	$(call LAB,lab02_2_linear_regression_feed)
lab02-tensorflow-org: $(STAMP) ## lab 02-3: TensorFlow's old getting-started regression (W -1, b 1)
	$(call LAB,lab02_3_linear_regression_tensorflow_org)
lab03-cost-curve: $(STAMP) ## lab 03-1: the cost over W, plotted (its bottom at W = 1)
	$(call LAB,lab03_1_minimizing_cost_show_graph)
lab03-gradient-by-hand: $(STAMP) ## lab 03-2: gradient descent written by hand, W.assign
	$(call LAB,lab03_2_minimizing_cost_gradient_update)
lab03-optimizer: $(STAMP) ## lab 03-3: GradientDescentOptimizer from W = 5
	$(call LAB,lab03_3_minimizing_cost_tf_optimizer)
lab03-compute-gradients: $(STAMP) ## lab 03-X: compute_gradients / apply_gradients beside the gradient by hand
	$(call LAB,lab03_x_minimizing_cost_tf_gradient)
lab04-multi-variable: $(STAMP) ## lab 04-1: three variables, one weight each, on the five students' scores
	$(call LAB,lab04_1_multi_variable_linear_regression)
lab04-matmul: $(STAMP) ## lab 04-2: the same as a matrix product, X W + b
	$(call LAB,lab04_2_multi_variable_matmul_linear_regression)
lab04-file-input: $(STAMP) ## lab 04-3: the rows from a CSV file (np.loadtxt)
	$(call LAB,lab04_3_file_input_linear_regression)
lab04-queue-reader: $(STAMP) ## lab 04-4: the rows from TensorFlow's queue reader, batches of 10
	$(call LAB,lab04_4_tf_reader_linear_regression)
lab05-logistic: $(STAMP) ## lab 05-1: logistic regression on six rows (accuracy 1.0)
	$(call LAB,lab05_1_logistic_regression)
lab05-diabetes: $(STAMP) ## lab 05-2: logistic regression on the UCI Pima diabetes table (about 0.76)
	$(call LAB,lab05_2_logistic_regression_diabetes)
lab06-softmax: $(STAMP) ## lab 06-1: softmax on eight rows, one-hot labels, three new rows classified
	$(call LAB,lab06_1_softmax_classifier)
lab06-zoo: $(STAMP) ## lab 06-2: softmax on the UCI Zoo table, tf.one_hot (accuracy 1.0)
	$(call LAB,lab06_2_softmax_zoo_classifier)
lab07-learning-rate: $(STAMP) ## lab 07-1: learning rate too small / too large / right
	$(call LAB,lab07_1_learning_rate)
lab07-normalization: $(STAMP) ## labs 07-2 and 07-3 (notes 07-1): raw vs min-max scaled vs standardized inputs
	$(call LAB,lab07_2_linear_regression_without_min_max)
	$(call LAB,lab07_3_linear_regression_min_max)
lab07-without-min-max: $(STAMP) ## lab 07-2: linear regression on raw stock rows (the cost blows up)
	$(call LAB,lab07_2_linear_regression_without_min_max)
lab07-min-max: $(STAMP) ## lab 07-3: the same rows min-max scaled (and standardized, a sibling run)
	$(call LAB,lab07_3_linear_regression_min_max)
lab07-mnist: $(STAMP) ## lab 07-4 (notes 07-2): MNIST softmax, 15 epochs, lr 0.1
	$(call LAB,lab07_4_mnist_introduction)
lab07-mnist-long: $(STAMP) ## lab 07-4 (notes 07-2): MNIST softmax, 100 epochs, lr 0.4
	$(call LAB,lab07_4_mnist_introduction,--epochs 100 --learning-rate 0.4)
lab07-mnist-l2: $(STAMP) ## lab 07-4 with notes 07-1's l2reg: MNIST softmax + l2reg 0.001 * sum(W**2): smaller weights, accuracy kept
	$(call LAB,lab07_4_mnist_introduction,--l2 0.001)
lab08-tensor-manipulation: $(STAMP) ## lab 08: tensor manipulation, every printed value
	$(call LAB,lab08_tensor_manipulation)
lab09-xor-by-hand: $(STAMP) ## lab 09-8 (notes 09-1): XOR by hand with the lecture's weights (truth table = XOR; the notes' y1 slip)
	$(call LAB,lab09_8_xor_by_hand)
lab09-xor-logistic: $(STAMP) ## lab 09-1: XOR with logistic regression (stuck at 0.5)
	$(call LAB,lab09_1_xor_logistic)
lab09-xor-nn: $(STAMP) ## lab 09-2 (notes 09-1): XOR with a 2-2-1 sigmoid net (accuracy 1.0)
	$(call LAB,lab09_2_xor_nn)
lab09-xor-wide-deep: $(STAMP) ## lab 09-3 (notes 09-1): XOR with 2-10-10-10-1 (outputs closer to 0/1)
	$(call LAB,lab09_3_xor_wide_deep)
lab09-xor-tensorboard: $(STAMP) ## lab 09-4 (notes 09-2): XOR with the five TensorBoard steps (open it first)
	$(call LAB,lab09_4_xor_tensorboard)
lab09-linear-backprop: $(STAMP) ## lab 09-5: back-propagation by hand for y = x, checked against tf.gradients
	$(call LAB,lab09_5_linear_back_prop)
lab09-multi-linear-backprop: $(STAMP) ## lab 09-6: the same for three variables (the exam scores)
	$(call LAB,lab09_6_multi_linear_back_prop)
lab09-sigmoid-backprop: $(STAMP) ## lab 09-7: sigmoid back-propagation by hand on the UCI Zoo table (100% within 300 steps)
	$(call LAB,lab09_7_sigmoid_back_prop)
lab09-xor-backprop: $(STAMP) ## lab 09-x (notes 09-2): back-propagation by hand vs autodiff
	$(call LAB,lab09_x_xor_nn_back_prop)
lab09-mnist-deep-wide: $(STAMP) ## lab 09-9 (notes 09-1): MNIST 784-256x3-10 sigmoid
	$(call LAB,lab09_9_mnist_sigmoid_deep_wide)
lab10-xor-deep: $(STAMP) ## lab 10-9 (notes 10-1): 11-layer XOR, sigmoid vs ReLU, gradient norms
	$(call LAB,lab10_9_xor_deep_relu)
lab10-mnist-softmax: $(STAMP) ## notes 10: the MNIST softmax baseline, lab 07-4 with gradient descent (= lab07-mnist), the notes' epoch line
	$(call LAB,lab07_4_mnist_introduction,--epoch-line notes-09-11)
lab10-mnist-relu: $(STAMP) ## lab 10-2: MNIST NN, ReLU, random_normal (ARGS=--source hunkim: the original's)
	$(call LAB,lab10_2_mnist_nn)
lab10-mnist-xavier: $(STAMP) ## lab 10-3: MNIST NN, Xavier init (ARGS=--source hunkim: the original's)
	$(call LAB,lab10_3_mnist_nn_xavier)
lab10-mnist-deep: $(STAMP) ## lab 10-4: MNIST 784-512x4-10
	$(call LAB,lab10_4_mnist_nn_deep)
lab10-mnist-dropout: $(STAMP) ## lab 10-5: the deep net with dropout 0.7
	$(call LAB,lab10_5_mnist_nn_dropout)
lab10-mnist-init: $(STAMP) ## lab 10-10 (notes 10-2): random_normal vs Xavier vs He weights: initial cost and accuracy
	$(call LAB,lab10_10_mnist_initializers)
lab10-mnist-softmax-adam: $(STAMP) ## lab 10-1: MNIST softmax with Adam 1e-3, 50 epochs
	$(call LAB,lab10_1_mnist_softmax)
lab10-batch-norm: $(STAMP) ## lab 10-6: 784-32-32-10 with vs without batch norm + train/validation curves
	$(call LAB,lab10_6_mnist_nn_batchnorm)
lab10-mnist-layers-api: $(STAMP) ## lab 10-7: the deep net in tf.layers: dense, batch norm, dropout, Adam 0.01
	$(call LAB,lab10_7_mnist_nn_higher_level_api)
lab10-mnist-selu: $(STAMP) ## lab 10-8 (the original's wip, finished): SELU + LeCun + alpha dropout vs ReLU + Xavier
	$(call LAB,lab10_8_mnist_nn_selu)
lab10-mnist-backprop: $(STAMP) ## lab 10-X1: MNIST 784-30-10 sigmoid, back-propagation by hand (tf.assign) = tf.gradients
	$(call LAB,lab10_x1_mnist_back_prop)
lab11-conv-basics: $(STAMP) ## lab 11-0 (notes 11-1): convolution and pooling by hand; feature maps as PNG
	$(call LAB,lab11_0_cnn_basics)
lab11-mnist-cnn: $(STAMP) ## lab 11-1 (notes 11-2): MNIST CNN, two conv blocks
	$(call LAB,lab11_1_mnist_cnn)
lab11-mnist-deep-cnn: $(STAMP) ## lab 11-2: MNIST deep CNN in raw ops
	$(call LAB,lab11_2_mnist_deep_cnn)
lab11-mnist-cnn-class: $(STAMP) ## lab 11-3: the deep CNN in a Model(sess, name) class
	$(call LAB,lab11_3_mnist_cnn_class)
lab11-mnist-cnn-layers: $(STAMP) ## lab 11-4 (notes 11-3): the deep CNN with tf.compat.v1.layers
	$(call LAB,lab11_4_mnist_cnn_layers)
lab11-ensemble: $(STAMP) ## lab 11-5 (notes 11-3): ensemble of 2 CNNs, 20 epochs
	$(call LAB,lab11_5_mnist_cnn_ensemble_layers)
lab11-mnist-cnn-low-memory: $(STAMP) ## lab 11-X: the deep CNN's test accuracy in batches of 512; peak memory of one feed vs batches
	$(call LAB,lab11_x_mnist_cnn_low_memory)
lab12-rnn-basics: $(STAMP) ## lab 12-0: RNN cells' outputs and shapes on one-hot "hello"; sequence_loss by hand
	$(call LAB,lab12_0_rnn_basics)
lab12-hello-rnn: $(STAMP) ## lab 12-1: hello RNN, an LSTM learns hihell -> ihello
	$(call LAB,lab12_1_hello_rnn)
lab12-char-seq-rnn: $(STAMP) ## lab 12-2: char-seq LSTM predicts " if you want you" one letter ahead
	$(call LAB,lab12_2_char_seq_rnn)
lab12-char-seq-softmax: $(STAMP) ## lab 12-3: softmax only, no RNN: stuck at "yf you yant you", loss 0.2773
	$(call LAB,lab12_3_char_seq_softmax_only)
lab12-long-char: $(STAMP) ## lab 12-4: 2 stacked LSTMs on a long sentence in windows of 10; the sentence put back
	$(call LAB,lab12_4_rnn_long_char)
lab12-stock: $(STAMP) ## lab 12-5: LSTM on MSFT daily prices (7-day windows), test RMSE and plot vs tomorrow = today
	$(call LAB,lab12_5_rnn_stock_prediction)
lab13-mnist-scope: $(STAMP) ## lab 13-1: the deep MNIST net with dropout, one tf.variable_scope per layer (layer1/W ... layer5/W)
	$(call LAB,lab13_1_mnist_using_scope)
lab13-mnist-tensorboard: $(STAMP) ## lab 13-2: the same with the original's summaries: input images, per-layer histograms, loss
	$(call LAB,lab13_2_mnist_tensorboard)
lab13-mnist-save-restore: $(STAMP) ## lab 13-3: a Saver every epoch; run it again and it restores (or goes on from last_epoch)
	$(call LAB,lab13_3_mnist_save_restore)
keras02-learning-rate: $(STAMP) ## keras-tips ex.1: lab 07 toy softmax, Keras init, SGD 0.1, 200 epochs
	$(call LAB,lab07_1_learning_rate,--learning-rate 0.1 --steps 200 --init keras)
keras02-normalization: $(STAMP) ## keras-tips ex.2: Keras init, 1e-5 scaler, SGD 0.01, 10 epochs: raw -> inf/nan, min-max falls
	$(call LAB,lab07_2_linear_regression_without_min_max,--learning-rate 0.01 --steps 10 --init keras)
	$(call LAB,lab07_3_linear_regression_min_max,--learning-rate 0.01 --steps 10 --init keras --scaler-epsilon 1e-5)
keras02-early-stopping: $(STAMP) ## keras-tips ex.3: MNIST softmax, best val_loss checkpoint + early stopping
	$(call LAB,keras02_3_mnist_early_stopping)
keras02-tips: $(STAMP) ## keras-tips ex.4: the tips table, 10 models
	$(call LAB,keras02_4_mnist_tips)
keras02-optimizers: $(STAMP) ## keras-tips: SGD/momentum/Nesterov/RMSprop/Adagrad/Adadelta/Adam, curves in one PNG
	$(call LAB,keras02_5_optimizers)
keras02-clipping: $(STAMP) ## keras-tips sec.4: SGD 0.01 plain / clipnorm=1. / clipvalue=0.5, curves in one PNG
	$(call LAB,keras02_5_optimizers,--optimizer sgd --optimizer sgd-clipnorm --optimizer sgd-clipvalue)
keras02-sgd-decay: $(STAMP) ## keras-tips sec.4: SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True) beside no decay
	$(call LAB,keras02_5_optimizers,--optimizer nesterov --optimizer sgd-decay)
keras02-sgd-decay-dense64: $(STAMP) ## keras-tips sec.4: the same SGD line on the document's own Dense(64) softmax with MSE (random rows)
	$(call LAB,keras02_8_sgd_decay_dense64)
keras02-adam-decay: $(STAMP) ## keras-tips sec.4: 5 x 256 ReLU + Dropout(0.2), Adam(lr=0.01, decay=1e-6), 20 epochs
	$(call LAB,keras02_5_optimizers,--model dropout5 --optimizer adam-decay --epochs 20)
keras02-regularization: $(STAMP) ## keras-tips sec.3: l1_l2(0.01, 0.01) on example 2's Dense(1), 1000 epochs: W becomes small
	$(call LAB,keras02_6_weight_regularization)
keras02-batch-norm: $(STAMP) ## keras-tips sec.5: BatchNormalization in the document's MLP/CNN/LSTM vs without (MLP also lab 10's place)
	$(call LAB,keras02_7_batch_norm)
keras02-batch-norm-high-lr: $(STAMP) ## keras-tips sec.5: the MLP at Adam 0.05: batch norm allows a larger learning rate
	$(call LAB,keras02_7_batch_norm,--model mlp --learning-rate 0.05)
keras01-mlp1000: $(STAMP) ## keras-mlp: 784-1000-10 MLP + samples, wrong, curves PNGs
	$(call LAB,keras01_mnist_mlp1000)
keras00-quickstart: $(STAMP) ## tf2-quickstart: TF2 quickstart MLP, 5 epochs
	$(call LAB,keras00_1_quickstart)
keras00-quickstart-99: $(STAMP) ## tf2-quickstart: the notes' goal, 99% (two conv blocks + the same head)
	$(call LAB,keras00_1_quickstart,--model stretch)
keras00-fashion: $(STAMP) ## tf2-quickstart: Fashion-MNIST, 10 epochs + the tutorial's figures
	$(call LAB,keras00_2_fashion_mnist)
