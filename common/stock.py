"""Daily stock prices for lab 12-5: Microsoft's (MSFT), out of pmdarima's wheel on PyPI.

Open, high, low, close and volume, one row per trading day from 1986-03-13 to 2017-11-10 (7,983
days).

The original lab reads a CSV of Google's prices whose origin and licence it does not state. This
series is a real one that a registry package ships: pmdarima (MIT licence) bundles it as
``pmdarima/datasets/data/msft.tar.gz`` for its ``load_msft()``, citing Kaggle's "Huge Stock
Market Dataset" as its source (that page's own terms are not restated here; the file is used as
pmdarima distributes it). The prices are adjusted for splits, so 1986's are a few cents.

pmdarima is not installed: ``fetch`` downloads one pinned wheel of it from PyPI (0.7 MB), takes
that one member out, and installs the CSV inside it as ``data/stock/msft.csv`` once its size and
MD5 match the values below (written under a temporary name, renamed only once verified). A
missing or corrupt file is one ``error:`` line that says what to run.

Command line: ``python -m common.stock fetch|check``.
"""

import hashlib
import io
import os
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

from common.idx_data import DataError, check_content, install_verified, md5_of

WHEEL = "pmdarima-2.1.1-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
WHEEL_URL = (
    "https://files.pythonhosted.org/packages/30/2b/08017984601dc4c4b85a0075685ed7eced2a811c00ec9cf372c0bea0787a/"
    + WHEEL
)
WHEEL_URL_ENV = "STOCK_WHEEL_URL"  # another copy of the wheel (a mirror, or file:///path/to.whl)
MEMBER = "pmdarima/datasets/data/msft.tar.gz"  # the same bytes in every wheel of the version
CSV = "msft.csv"
PROJECT_DIR = Path(__file__).resolve().parent.parent / "data" / "stock"
DATA_DIR_ENV = "STOCK_DATA_DIR"
FIX_HINT = "run `make setup` or `python -m common.stock fetch`"
# sizes in bytes and MD5s, read off pmdarima 2.1.1's wheel
MEMBER_EXPECTED = (134_220, "3f7eedd0f999be7b74b334235e7cdb6f")
EXPECTED = {CSV: (481_048, "d7c6e0129a9cf1dbfc6c235e2f04f39c")}
COLUMNS = ("Date", "Open", "High", "Low", "Close", "Volume", "OpenInt")  # the CSV's header


def verify(path, hint=FIX_HINT):
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path} is a folder where the data file belongs; move it away, then {hint}.")
    if not path.is_file():
        raise DataError(f"{path}: file is missing (expected {EXPECTED[path.name][0]:,} bytes); {hint}.")
    check_content(path, path.stat().st_size, lambda: md5_of(path), EXPECTED, hint)


def verifies(path):
    try:
        verify(path)
        return True
    except DataError:
        return False


def csv_from_wheel(wheel_bytes):
    """The CSV's bytes out of the wheel (a zip): its ``msft.tar.gz`` member, verified, unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(wheel_bytes)) as wheel:
            packed = wheel.read(MEMBER)
    except KeyError:
        raise DataError(f"the wheel has no {MEMBER}") from None
    except zipfile.BadZipFile as exc:
        raise DataError(f"the download is not a wheel ({exc})") from None
    if (len(packed), hashlib.md5(packed).hexdigest()) != MEMBER_EXPECTED:
        raise DataError(
            f"the wheel's {MEMBER} is not the one expected ({MEMBER_EXPECTED[0]:,} bytes, md5 "
            f"{MEMBER_EXPECTED[1]})"
        )
    with tarfile.open(fileobj=io.BytesIO(packed)) as tar:
        member = tar.extractfile(CSV)
        if member is None:
            raise DataError(f"{MEMBER} holds no {CSV}")
        return member.read()


def fetch(dest_dir=PROJECT_DIR, log=print):
    """Install the CSV into ``dest_dir`` out of pmdarima's wheel, unless a verified copy is there."""
    dest = Path(dest_dir) / CSV
    if verifies(dest):
        log(f"stock: {dest} verified.")
        return dest
    url = os.environ.get(WHEEL_URL_ENV, WHEEL_URL)
    log(f"stock: taking {CSV} out of {url.rsplit('/', 1)[-1]}")
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            wheel = response.read(4 << 20)  # the wheel is 0.7 MB
        install_verified(io.BytesIO(csv_from_wheel(wheel)), dest, EXPECTED)
    except (OSError, tarfile.TarError, ValueError) as exc:
        raise DataError(
            f"could not fetch {CSV} from pmdarima's wheel ({exc}); put the file in a folder and pass it "
            f"with --data-dir or ${DATA_DIR_ENV}, or name another copy of the wheel in ${WHEEL_URL_ENV}."
        ) from None
    log(f"stock: {dest}, size and MD5 verified.")
    return dest


def locate(data_dir=None):
    """The verified path of the CSV: in the user's folder, else the project's."""
    named = data_dir or os.environ.get(DATA_DIR_ENV)
    if not named:
        verify(PROJECT_DIR / CSV)
        return PROJECT_DIR / CSV
    folder = Path(named).expanduser()
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "does not exist"
        raise DataError(
            f"stock data folder {folder} {problem}; name a folder holding {CSV}, or leave "
            f"--data-dir/${DATA_DIR_ENV} unset to use the project's data/stock."
        )
    verify(folder / CSV, f"put a verified copy in {folder}, or unset --data-dir/${DATA_DIR_ENV}")
    return folder / CSV


def read_msft(data_dir=None):
    """``(dates, prices)``: the trading days as ``datetime64[D]`` (oldest first) and a float64
    array of their ``Open, High, Low, Close, Volume``, one row a day, as the file holds them."""
    path = locate(data_dir)
    text = path.read_text(encoding="ascii").splitlines()
    if tuple(text[0].split(",")) != COLUMNS:
        raise DataError(f"{path}: unexpected header {text[0]!r}; {FIX_HINT}.")
    rows = [line.split(",") for line in text[1:]]
    dates = np.array([row[0] for row in rows], dtype="datetime64[D]")
    prices = np.array([row[1:6] for row in rows], dtype=np.float64)
    return dates, prices


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m common.stock", description=__doc__.split("\n")[0])
    parser.add_argument(
        "command",
        choices=["fetch", "check"],
        help=f"fetch: install {CSV} into {PROJECT_DIR} unless verified there; check: verify it",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            fetch()
        print(f"stock: {locate()} verified.")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
