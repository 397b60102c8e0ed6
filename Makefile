# Deep Learning Zero To All, TF1 graph mode on a current TensorFlow.
# `make setup` once, then `make test`; `make help` lists everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
LOGDIR ?= logs
PORT ?= 6006
ARGS ?=

LAB = $(PY) -m labs.$(1) $(ARGS)

.DEFAULT_GOAL := help
.PHONY: help setup data test test-full tensorboard clean-logs \
	lab07-learning-rate lab07-normalization lab07-mnist lab07-mnist-long lab08-tensor-manipulation

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-28s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  Pass lab flags with ARGS, e.g. make lab07-mnist ARGS='--epochs 2 --seed 1'"

setup: $(STAMP) data ## virtual env, pinned packages, MNIST fetched and verified (re-run: quick)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# tf-keras goes in without its dependencies: it names the `tensorflow` wheel, which would
	# replace the CPU build (see requirements.txt)
	grep -v '^tf-keras' requirements.txt > $(VENV)/requirements-main.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements-main.txt
	$(PY) -m pip install --quiet --no-deps $$(grep '^tf-keras' requirements.txt)
	touch $@

data: $(STAMP) ## fetch MNIST into data/mnist (only what is missing or fails its checksum)
	$(PY) -m common.mnist fetch

test: $(STAMP) ## the fast test tier (real MNIST, < 20 min on 2 cores)
	$(PY) -m pytest -m "not slow" tests

test-full: $(STAMP) ## every test, including the slow full-length trainings
	$(PY) -m pytest tests

tensorboard: $(STAMP) ## serve logs/ on http://localhost:6006 (PORT=, LOGDIR= to change)
	$(VENV)/bin/tensorboard --logdir $(LOGDIR) --host localhost --port $(PORT)

clean-logs: ## delete every TensorBoard run under logs/
	find $(LOGDIR) -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +

lab07-learning-rate: $(STAMP) ## lab 07-1: learning rate too small / too large / right
	$(call LAB,lab07_1_learning_rate)
lab07-normalization: $(STAMP) ## lab 07-1: raw vs min-max scaled inputs
	$(call LAB,lab07_2_normalization)
lab07-mnist: $(STAMP) ## lab 07-2: MNIST softmax, 15 epochs, lr 0.1 (reported 0.8951)
	$(call LAB,lab07_3_mnist_softmax)
lab07-mnist-long: $(STAMP) ## lab 07-2: MNIST softmax, 100 epochs, lr 0.4 (reported 0.9225)
	$(call LAB,lab07_3_mnist_softmax) --epochs 100 --learning-rate 0.4
lab08-tensor-manipulation: $(STAMP) ## lab 08: tensor manipulation, every printed value
	$(call LAB,lab08_tensor_manipulation)
