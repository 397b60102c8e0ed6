"""Fashion-MNIST for tf2-quickstart's third week: 60,000 training and 10,000 test images of clothing.

Same IDX format and sizes as MNIST. Where the files come from, first match wins:
1. a folder the user names (``--data-dir`` or ``$FASHION_MNIST_DATA_DIR``), plain or ``.gz``;
2. the project's ``data/fashion-mnist`` folder;
3. Debian's package ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``, ``.gz``),
   which ``make setup`` installs where apt is available;
4. a download of the canonical ``.gz`` files into the project's folder.
Every file's decompressed content is checked against its size and MD5 before use (the ``.gz``
files themselves differ between copies: Debian recompressed them). Downloads are written under a
temporary name and renamed only once they verify.

Command line: ``python -m common.fashion_mnist fetch|check``.
"""

import argparse
import gzip
import hashlib
import os
import sys
from pathlib import Path

from common import mnist
from common.mnist import DataError, DataSet, Datasets

PROJECT_DATA_DIR = mnist.PROJECT_DATA_DIR.parent / "fashion-mnist"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
DATA_DIR_ENV = "FASHION_MNIST_DATA_DIR"
MIRROR_ENV = "FASHION_MNIST_MIRROR"
DEFAULT_MIRROR = "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/"

# name -> (size in bytes, md5 of the decompressed file); read off Debian's package, whose own
# checksums apt verified
EXPECTED = {
    mnist.TRAIN_IMAGES: (47_040_016, "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
    mnist.TRAIN_LABELS: (60_008, "9018921c3c673c538a1fc5bad174d6f9"),
    mnist.TEST_IMAGES: (7_840_016, "8181f5470baa50b63fa0f6fddb340f0a"),
    mnist.TEST_LABELS: (10_008, "15d484375f8d13e6eb1aabb0c3f46965"),
}
CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
FIX_HINT = (
    "run `make setup` (it installs Debian's dataset-fashion-mnist) or `python -m common.fashion_mnist fetch`"
)


def read_verified(folder, name, hint=FIX_HINT):
    """The decompressed bytes of ``name`` (or ``name.gz``) in ``folder``, size and MD5 checked."""
    plain, packed = Path(folder) / name, Path(folder) / f"{name}.gz"
    if plain.is_file():
        raw, where = plain.read_bytes(), plain
    elif packed.is_file():
        try:
            raw, where = gzip.decompress(packed.read_bytes()), packed
        except (OSError, EOFError) as exc:
            raise DataError(f"{packed}: not a valid gzip file ({exc}); {hint}.") from None
    else:
        raise DataError(f"{folder}: neither {name} nor {name}.gz is there; {hint}.")
    mnist.check_content(where, len(raw), lambda: hashlib.md5(raw).hexdigest(), hint, EXPECTED)
    return raw


def folders_to_try(data_dir=None):
    named = data_dir or os.environ.get(DATA_DIR_ENV)
    if named:
        folder = Path(named).expanduser()
        if not folder.is_dir():
            raise DataError(
                f"Fashion-MNIST data folder {folder} does not exist; name a folder "
                f"holding {', '.join(EXPECTED)} (or their .gz), or leave "
                f"--data-dir/${DATA_DIR_ENV} unset."
            )
        return [folder]
    return [PROJECT_DATA_DIR, DEBIAN_DIR]


def _complete(folder):
    return all((folder / name).is_file() or (folder / f"{name}.gz").is_file() for name in EXPECTED)


def locate(data_dir=None, log=print):
    """The folder to read from; downloads into the project folder when no copy is found."""
    folders = folders_to_try(data_dir)
    if data_dir or os.environ.get(DATA_DIR_ENV):
        return folders[0]  # a named folder is used as is; its files are verified when read
    return next((folder for folder in folders if _complete(folder)), None) or fetch(PROJECT_DATA_DIR, log)


def fetch(dest_dir=PROJECT_DATA_DIR, log=print):
    """Make ``dest_dir`` hold the four verified files, decompressed from Debian's package when
    it is installed, downloaded otherwise."""
    dest_dir = Path(dest_dir)
    needed = [name for name in EXPECTED if not _verifies(dest_dir, name)]
    if not needed:
        log(f"Fashion-MNIST: all four files in {dest_dir} verified.")
        return dest_dir
    if _complete(DEBIAN_DIR) and dest_dir != DEBIAN_DIR:
        log(f"Fashion-MNIST: decompressing {', '.join(needed)} from {DEBIAN_DIR} into {dest_dir}")
        for name in needed:
            with gzip.open(DEBIAN_DIR / f"{name}.gz") as unzipped:
                mnist._install_verified(unzipped, dest_dir / name, EXPECTED)
        return dest_dir
    mirror = os.environ.get(MIRROR_ENV, DEFAULT_MIRROR)
    log(f"Fashion-MNIST: downloading {', '.join(needed)} from {mirror} into {dest_dir}")
    try:
        mnist.fetch_from_mirror(dest_dir, needed, mirror, EXPECTED)
    except (OSError, EOFError, DataError) as exc:
        raise DataError(
            f"could not fetch Fashion-MNIST ({exc}). Install Debian's "
            f"dataset-fashion-mnist, or put the four IDX files (or .gz) in a folder "
            f"and pass it with --data-dir or ${DATA_DIR_ENV}."
        ) from None
    return dest_dir


def _verifies(folder, name):
    try:
        read_verified(folder, name)
        return True
    except DataError:
        return False


def read_data_sets(data_dir=None, seed=0, log=print):
    """Train 60,000 / test 10,000 (validation: the test set, as the Keras documents do);
    images flattened to 784 float32 values in [0, 1], one-hot labels."""
    folder = locate(data_dir, log)
    hint = f"check {folder}, or {FIX_HINT}"

    def load(name, magic, tail):
        return mnist.parse_idx_bytes(read_verified(folder, name, hint), magic, tail, folder / name, hint)

    side = (mnist.IMAGE_SIDE, mnist.IMAGE_SIDE)
    train_images = load(mnist.TRAIN_IMAGES, mnist.IMAGE_MAGIC, side)
    train_labels = load(mnist.TRAIN_LABELS, mnist.LABEL_MAGIC, ())
    test_images = load(mnist.TEST_IMAGES, mnist.IMAGE_MAGIC, side)
    test_labels = load(mnist.TEST_LABELS, mnist.LABEL_MAGIC, ())
    test = DataSet(mnist.flatten(test_images), mnist.one_hot(test_labels), seed=seed, shuffle=False)
    return Datasets(
        train=DataSet(mnist.flatten(train_images), mnist.one_hot(train_labels), seed=seed),
        validation=test,
        test=test,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m common.fashion_mnist", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "command",
        choices=["fetch", "check"],
        help="fetch: make sure a verified copy is on this machine; check: verify the files a lab would read",
    )
    parser.add_argument(
        "--data-dir",
        help=f"folder holding the files (default ${DATA_DIR_ENV}, {PROJECT_DATA_DIR} or {DEBIAN_DIR})",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch" and not args.data_dir and _complete(DEBIAN_DIR):
            folder = DEBIAN_DIR  # Debian's copy is used in place; nothing to copy
        elif args.command == "fetch":
            folder = fetch(Path(args.data_dir) if args.data_dir else PROJECT_DATA_DIR)
        else:
            folder = locate(args.data_dir)
        for name in EXPECTED:
            read_verified(folder, name)
        print(f"Fashion-MNIST: {folder} holds all four files, sizes and MD5s verified.")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
