"""Shared fixtures. Tests run on the real MNIST (fetched by `make setup`) and real TensorFlow."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: full-length training; run by `make test-full`")


@pytest.fixture(scope="session")
def mnist_data():
    from common import mnist

    return mnist.read_data_sets(seed=777)


@pytest.fixture(scope="session")
def logdir(tmp_path_factory):
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="session")
def lab07_mnist_run(logdir):
    """Lab 07's MNIST softmax at the documented settings (15 epochs, lr 0.1), run once."""
    from labs import lab07_4_mnist_introduction

    return lab07_4_mnist_introduction.main(["--logdir", str(logdir), "--run-name", "documented"])
