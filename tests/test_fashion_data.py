"""Fashion-MNIST: found, verified by content checksum, and refused clearly when wrong."""

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from common import fashion_mnist, mnist

ROOT = Path(__file__).resolve().parent.parent


def installed_copy():
    for folder in (fashion_mnist.FASHION_MNIST.project_dir, fashion_mnist.DEBIAN_DIR):
        if all(
            fashion_mnist.FASHION_MNIST.verifies(folder, name)
            for name in fashion_mnist.FASHION_MNIST.expected
        ):
            return folder
    pytest.fail("no verified Fashion-MNIST on this machine: run `make setup`")


def test_the_real_files_verify_and_parse():
    data = fashion_mnist.read_keras_split(seed=1)
    assert data.train.images.shape == (60_000, 784) and data.test.images.shape == (10_000, 784)
    # the tutorial's first training images: ankle boot, T-shirt/top, T-shirt/top, dress
    assert list(data.train.labels[:4].argmax(axis=1)) == [9, 0, 0, 3]
    assert data.validation is data.test


def test_a_named_folder_of_gz_files_works_and_a_corrupt_one_is_refused(tmp_path):
    source = installed_copy()
    for name in fashion_mnist.FASHION_MNIST.expected:
        raw = fashion_mnist.FASHION_MNIST.read_verified(source, name)
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(raw))
    assert fashion_mnist.read_keras_split(tmp_path).test.num_examples == 10_000
    labels = tmp_path / f"{mnist.TEST_LABELS}.gz"
    raw = bytearray(gzip.decompress(labels.read_bytes()))
    raw[100] ^= 1
    labels.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(mnist.DataError, match="corrupt, md5"):
        fashion_mnist.read_keras_split(tmp_path)
    labels.write_bytes(b"not gzip")
    with pytest.raises(mnist.DataError, match="not a valid gzip file"):
        fashion_mnist.read_keras_split(tmp_path)


def test_fetch_decompresses_verified_files_atomically(tmp_path):
    if not fashion_mnist.FASHION_MNIST.complete(fashion_mnist.DEBIAN_DIR):
        pytest.skip("Debian's dataset-fashion-mnist is not installed here")
    fashion_mnist.FASHION_MNIST.fetch(tmp_path, log=lambda *_: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(fashion_mnist.FASHION_MNIST.expected)


def test_the_lab_reports_a_missing_folder_in_one_line(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "labs.keras00_2_fashion_mnist",
            "--data-dir",
            str(tmp_path / "nowhere"),
            "--logdir",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "keras00-fashion").exists()
