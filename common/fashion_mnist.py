"""Fashion-MNIST for tf2-quickstart's third week: 60,000 training and 10,000 test images of clothing.

Same IDX format and sizes as MNIST. Where the files come from, first match wins:
1. a folder the user names (``--data-dir`` or ``$FASHION_MNIST_DATA_DIR``), plain or ``.gz``;
2. the project's ``data/fashion-mnist`` folder;
3. Debian's package ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``, ``.gz``),
   which ``make setup`` installs where apt is available;
4. the project's folder, filled from Debian's package or by a download of the canonical ``.gz``
   files.
Every file's decompressed content is checked against its size and MD5 before use (the ``.gz``
files themselves differ between copies: Debian recompressed them); ``common.idx_data`` does the
finding, checking and fetching.

Command line: ``python -m common.fashion_mnist fetch|check``.
"""

import gzip
import sys
from pathlib import Path

from common.idx_data import (
    TEST_IMAGES,
    TEST_LABELS,
    TRAIN_IMAGES,
    TRAIN_LABELS,
    DataError,
    IdxFiles,
    check_command,
    install_verified,
    keras_split,
)

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
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


def fetch_from_debian(files, dest_dir, names, log=print):
    """Decompress the files from Debian's ``dataset-fashion-mnist`` into ``dest_dir``."""
    if not files.complete(DEBIAN_DIR) or Path(dest_dir) == DEBIAN_DIR:
        raise DataError(f"Debian's dataset-fashion-mnist is not installed ({DEBIAN_DIR})")
    log(f"Fashion-MNIST: decompressing {', '.join(names)} from {DEBIAN_DIR} into {dest_dir}")
    for name in names:
        with gzip.open(DEBIAN_DIR / f"{name}.gz") as unzipped:
            install_verified(unzipped, Path(dest_dir) / name, files.expected)


FASHION_MNIST = IdxFiles(
    name="Fashion-MNIST",
    project_dir=Path(__file__).resolve().parent.parent / "data" / "fashion-mnist",
    data_dir_env="FASHION_MNIST_DATA_DIR",
    mirror_env="FASHION_MNIST_MIRROR",
    default_mirror="https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
    # size in bytes, md5 of the decompressed file; read off Debian's package, whose own checksums
    # apt verified
    expected={
        TRAIN_IMAGES: (47_040_016, "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
        TRAIN_LABELS: (60_008, "9018921c3c673c538a1fc5bad174d6f9"),
        TEST_IMAGES: (7_840_016, "8181f5470baa50b63fa0f6fddb340f0a"),
        TEST_LABELS: (10_008, "15d484375f8d13e6eb1aabb0c3f46965"),
    },
    fix_hint="run `make setup` (it installs Debian's dataset-fashion-mnist) or "
    "`python -m common.fashion_mnist fetch`",
    shared_dirs=(DEBIAN_DIR,),
    sources=(fetch_from_debian,),
)


def read_keras_split(data_dir=None, seed=0, log=print):
    """Train 60,000 / test 10,000 (validation: the test set, as the Keras documents do);
    images flattened to 784 float32 values in [0, 1], one-hot labels."""
    return keras_split(FASHION_MNIST.load_arrays(data_dir, log), seed)


if __name__ == "__main__":
    sys.exit(check_command(FASHION_MNIST, sys.argv[1:], __doc__.split("\n")[0]))
