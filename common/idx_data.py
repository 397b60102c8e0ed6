"""Image data sets in the IDX format (MNIST, Fashion-MNIST), written once and described by a spec.

An ``IdxFiles`` names a data set's four files with their sizes and MD5s, where a user may point
to a copy (``--data-dir`` or an environment variable), the project's own folder, read-only
copies used in place (Debian's package), and how to fetch the files. Its methods find the folder
to read (``locate``), check every file before use (``verify``, ``read_verified``), fetch the ones
missing or bad (``fetch``: the spec's own sources, then a mirror of the canonical ``.gz`` files)
and read the arrays (``load_arrays``). A fetched file is written under a temporary name and
renamed only once it verifies. ``DataSet`` is the course's ``next_batch`` interface.
"""

import gzip
import hashlib
import http.client
import os
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"
FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

IMAGE_MAGIC = 2051  # IDX: unsigned bytes, 3 dimensions
LABEL_MAGIC = 2049  # IDX: unsigned bytes, 1 dimension
IMAGE_SIDE = 28
NUM_CLASSES = 10


class DataError(RuntimeError):
    """Missing, truncated or corrupt data, with what was expected and how to fix it."""


# --------------------------------------------------------------------------- one file


def md5_of(path):
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_content(where, actual_size, actual_md5, expected, hint):
    """Raise DataError unless the size and MD5 (``actual_md5()``, computed only if the size
    matches) are those ``expected`` gives the file named like ``where``."""
    size, md5 = expected[Path(where).name.removesuffix(".gz")]
    if actual_size != size:
        kind = "truncated" if actual_size < size else "too long"
        raise DataError(f"{where}: {kind}, {actual_size:,} bytes where {size:,} were expected; {hint}.")
    found = actual_md5()
    if found != md5:
        raise DataError(f"{where}: corrupt, md5 {found} where {md5} was expected; {hint}.")


def parse_idx_bytes(raw, magic, shape_tail, where, hint):
    """An IDX file's unsigned bytes as an array, its magic number, dimensions and size checked."""
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


def install_verified(stream, dest, expected):
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


# --------------------------------------------------------------------------- a data set's files


@dataclass(frozen=True)
class IdxFiles:
    """Where one data set's four IDX files are, what they must be, and how to get them."""

    name: str  # "MNIST"
    project_dir: Path  # the project's own copy, fetched into
    data_dir_env: str  # the environment variable naming a copy of the user's
    mirror_env: str  # the environment variable naming another mirror
    default_mirror: str  # where the canonical .gz files are
    expected: dict  # file name -> (size in bytes, md5 of the decompressed file)
    fix_hint: str  # what to run when a file is missing or bad
    shared_dirs: tuple = ()  # read-only copies (plain or .gz), used in place when complete
    sources: tuple = ()  # fetch(files, dest_dir, names, log) callables tried before the mirror

    def verify(self, path, hint=None):
        """Raise DataError unless the file ``path`` has its expected size and MD5."""
        path, hint = Path(path), hint or self.fix_hint
        if path.is_dir():
            raise DataError(f"{path} is a folder where the data file belongs; move it away, then {hint}.")
        if not path.is_file():
            raise DataError(
                f"{path}: file is missing (expected {self.expected[path.name][0]:,} bytes); {hint}."
            )
        check_content(path, path.stat().st_size, lambda: md5_of(path), self.expected, hint)

    def read_verified(self, folder, name, hint=None):
        """The decompressed bytes of ``name`` (or ``name.gz``) in ``folder``, size and MD5 checked."""
        hint = hint or self.fix_hint
        plain, packed = Path(folder) / name, Path(folder) / f"{name}.gz"
        if packed.is_file() and not plain.exists():
            try:
                raw = gzip.decompress(packed.read_bytes())
            except (OSError, EOFError) as exc:
                raise DataError(f"{packed}: not a valid gzip file ({exc}); {hint}.") from None
            check_content(packed, len(raw), lambda: hashlib.md5(raw).hexdigest(), self.expected, hint)
            return raw
        self.verify(plain, hint)
        return plain.read_bytes()

    def complete(self, folder):
        """Every file is in ``folder``, plain or ``.gz`` (not yet checked)."""
        return all(
            (Path(folder) / n).is_file() or (Path(folder) / f"{n}.gz").is_file() for n in self.expected
        )

    def verifies(self, folder, name):
        try:
            self.read_verified(folder, name)
            return True
        except DataError:
            return False

    def named_dir(self, data_dir=None):
        """The folder the user named (``data_dir`` or the environment variable), or None."""
        named = data_dir or os.environ.get(self.data_dir_env)
        if not named:
            return None
        folder = Path(named).expanduser()
        if not folder.is_dir():
            problem = "is a file, not a folder" if folder.exists() else "does not exist"
            raise DataError(
                f"{self.name} data folder {folder} {problem}; name a folder holding "
                f"{', '.join(self.expected)}, or leave --data-dir/${self.data_dir_env} unset "
                f"to use the project's {self.project_dir.name}."
            )
        return folder

    def locate(self, data_dir=None, log=print):
        """The folder to read from, every file verified: the user's (never written), the
        project's, or a shared copy; the project's is fetched into when files are missing."""
        folder = self.named_dir(data_dir)
        if folder:
            unset = f"--data-dir/${self.data_dir_env}"
            hint = f"put a verified copy in {folder}, or unset {unset} and {self.fix_hint}"
        else:
            shared = [d for d in self.shared_dirs if self.complete(d)]
            if not self.complete(self.project_dir) and not shared:
                self.fetch(self.project_dir, log)
            folder, hint = (self.project_dir if self.complete(self.project_dir) else shared[0]), self.fix_hint
        for name in self.expected:
            self.read_verified(folder, name, hint)
        return folder

    def fetch(self, dest_dir=None, log=print):
        """Make ``dest_dir`` hold every file, verified, fetching only those missing or bad: from
        the spec's own sources, then from the mirror."""
        dest_dir = Path(dest_dir or self.project_dir)
        needed = [name for name in self.expected if not self.verifies(dest_dir, name)]
        if not needed:
            log(f"{self.name}: all four files in {dest_dir} verified.")
            return dest_dir
        log(f"{self.name}: fetching {', '.join(needed)} into {dest_dir} ...")
        errors = []
        for source in (*self.sources, IdxFiles.fetch_from_mirror):
            try:
                source(self, dest_dir, needed, log)
                log(f"{self.name}: fetched and verified ({source.__name__.replace('fetch_from_', 'from ')}).")
                return dest_dir
            except (DataError, OSError, EOFError, http.client.HTTPException) as exc:
                errors.append(f"{source.__name__}: {exc}")
                needed = [name for name in needed if not self.verifies(dest_dir, name)]
        raise DataError(
            f"could not fetch {self.name}:\n  "
            + "\n  ".join(errors)
            + f"\nPut the four IDX files ({', '.join(self.expected)}) in a folder and pass it "
            f"with --data-dir or ${self.data_dir_env}."
        )

    def fetch_from_mirror(self, dest_dir, names, log=print, mirror=None):
        """Download ``<name>.gz`` from the mirror and install the decompressed, verified file."""
        mirror = mirror or os.environ.get(self.mirror_env, self.default_mirror)
        if not mirror.endswith("/"):
            mirror += "/"
        for name in names:
            with urllib.request.urlopen(mirror + name + ".gz", timeout=60) as response:
                with gzip.GzipFile(fileobj=response) as unzipped:
                    install_verified(unzipped, Path(dest_dir) / name, self.expected)

    def load_arrays(self, data_dir=None, log=print):
        """(train_images, train_labels, test_images, test_labels) as uint8 arrays, verified."""
        folder = self.locate(data_dir, log)
        hint = f"check {folder}, or {self.fix_hint}"
        side = (IMAGE_SIDE, IMAGE_SIDE)
        shapes = {TRAIN_IMAGES: (IMAGE_MAGIC, side), TRAIN_LABELS: (LABEL_MAGIC, ())}
        shapes.update({TEST_IMAGES: (IMAGE_MAGIC, side), TEST_LABELS: (LABEL_MAGIC, ())})
        return tuple(
            parse_idx_bytes(self.read_verified(folder, name, hint), *shapes[name], folder / name, hint)
            for name in FILES
        )


# --------------------------------------------------------------------------- the course's data sets


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


def flatten(raw):
    """uint8 images -> rows of 784 float32 values in [0, 1]."""
    return raw.reshape(len(raw), IMAGE_SIDE * IMAGE_SIDE).astype(np.float32) / 255.0


def keras_split(arrays, seed=0):
    """The Keras documents' split: all 60,000 images train, and the 10,000 test images serve as
    both ``validation_data`` and the test set."""
    train_images, train_labels, test_images, test_labels = arrays
    test = DataSet(flatten(test_images), one_hot(test_labels), seed=seed, shuffle=False)
    return Datasets(
        train=DataSet(flatten(train_images), one_hot(train_labels), seed=seed), validation=test, test=test
    )


def check_command(files, argv, description):
    """``python -m common.mnist fetch|check``, for any data set's files."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog=f"python -m common.{files.name.lower().replace('-', '_')}")
    parser.description = description
    parser.add_argument(
        "command",
        choices=["fetch", "check"],
        help=f"fetch: install missing or corrupt files into {files.project_dir}; "
        "check: verify the files a lab would read",
    )
    parser.add_argument(
        "--data-dir",
        help=f"folder holding the IDX files (default ${files.data_dir_env} or {files.project_dir})",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch" and (args.data_dir or not any(map(files.complete, files.shared_dirs))):
            files.fetch(Path(args.data_dir) if args.data_dir else files.project_dir)
        folder = files.locate(args.data_dir, log=print)
        print(f"{files.name}: {folder} holds all four files, sizes and MD5s verified.")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
