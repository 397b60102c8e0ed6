"""UCI tables from Debian's ``r-cran-mlbench`` package (R data files), read without R.

The course read its small tables from CSV files that carry no licence; the same UCI tables
ship in Debian's ``r-cran-mlbench`` as ``.rda`` files, which PyPI's ``rdata`` reads in pure
Python. Where a file comes from, first match wins:
1. a folder the user names (``--data-dir`` or ``$MLBENCH_DATA_DIR``): used as is, never written;
2. the project's ``data/mlbench`` folder;
3. the installed package (``/usr/lib/R/site-library/mlbench/data``), used in place;
4. fetched into the project's folder out of the package's ``.deb``: ``apt-get download`` where
   apt is, else a download from Debian's archive (``$MLBENCH_DEB_URL`` names another).
Every file is checked against its size and MD5 before use, and a fetched one is installed only
once it verifies. Installing the package itself would pull in all of R; the ``.deb`` is 1 MB.

Command line: ``python -m common.mlbench fetch|check``.
"""

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import warnings
from pathlib import Path

import numpy as np

from common.idx_data import DataError, check_content, install_verified, md5_of

PACKAGE = "r-cran-mlbench"
DEB_NAME = "r-cran-mlbench_2.1-3-1_amd64.deb"  # Debian 12's; the data files are the same on any arch
DEB_URL = f"https://deb.debian.org/debian/pool/main/r/r-cran-mlbench/{DEB_NAME}"
DEBIAN_DIR = Path("/usr/lib/R/site-library/mlbench/data")
PROJECT_DIR = Path(__file__).resolve().parent.parent / "data" / "mlbench"
DATA_DIR_ENV = "MLBENCH_DATA_DIR"
FIX_HINT = "run `make setup` or `python -m common.mlbench fetch`"
# size in bytes and MD5, read off the package version above
EXPECTED = {
    "Zoo.rda": (1_268, "2a152427c8e223a7bd47395246f829a3"),
    "PimaIndiansDiabetes.rda": (8_424, "faf2bcc583d54f91a923786c58658584"),
}


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


# --------------------------------------------------------------------------- the .deb


def deb_member(deb_bytes, wanted):
    """The bytes of ``wanted`` (a path inside the package) from a ``.deb``: an ``ar`` archive
    whose ``data.tar.*`` member holds the files."""
    if not deb_bytes.startswith(b"!<arch>\n"):
        raise DataError("the downloaded package is not a .deb (no ar header)")
    offset = 8
    while offset + 60 <= len(deb_bytes):
        header = deb_bytes[offset : offset + 60]
        name = header[:16].decode("ascii", "replace").strip().rstrip("/")
        size = int(header[48:58])
        body = deb_bytes[offset + 60 : offset + 60 + size]
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                member = tar.extractfile(f"./{wanted}")
                if member is None:
                    raise DataError(f"the package has no file {wanted}")
                return member.read()
        offset += 60 + size + (size % 2)  # members are padded to an even length
    raise DataError("the package has no data.tar member")


def deb_from_apt(scratch, log):
    """The package's ``.deb`` through apt (the machine's own sources and their signatures)."""
    if not shutil.which("apt-get"):
        raise DataError("apt-get is not here")
    done = subprocess.run(
        ["apt-get", "download", "-qq", PACKAGE], cwd=scratch, capture_output=True, text=True, timeout=300
    )
    found = sorted(Path(scratch).glob(f"{PACKAGE}_*.deb"))
    if done.returncode != 0 or not found:
        raise DataError(f"apt-get download {PACKAGE} failed: {done.stderr.strip()[:200]}")
    return found[0].read_bytes()


def deb_from_archive(scratch, log):
    """The package's ``.deb`` from Debian's archive, or the address ``$MLBENCH_DEB_URL`` names."""
    with urllib.request.urlopen(os.environ.get("MLBENCH_DEB_URL", DEB_URL), timeout=60) as response:
        return response.read(20 << 20)  # the package is 1 MB


def fetch(dest_dir=PROJECT_DIR, log=print):
    """Install every missing or bad file into ``dest_dir`` out of the package, verified."""
    dest_dir = Path(dest_dir)
    needed = [name for name in EXPECTED if not verifies(dest_dir / name)]
    if not needed:
        log(f"mlbench: {', '.join(EXPECTED)} in {dest_dir} verified.")
        return dest_dir
    for name in [name for name in needed if verifies(DEBIAN_DIR / name)]:
        with open(DEBIAN_DIR / name, "rb") as source:
            install_verified(source, dest_dir / name, EXPECTED)
    errors = []
    sources = (deb_from_archive,) if os.environ.get("MLBENCH_DEB_URL") else (deb_from_apt, deb_from_archive)
    for source in sources:
        needed = [name for name in EXPECTED if not verifies(dest_dir / name)]
        if not needed:
            break
        try:
            with tempfile.TemporaryDirectory(prefix="mlbench-deb-") as scratch:
                deb = source(scratch, log)
            for name in needed:
                member = deb_member(deb, f"usr/lib/R/site-library/mlbench/data/{name}")
                install_verified(io.BytesIO(member), dest_dir / name, EXPECTED)
            log(f"mlbench: {', '.join(needed)} taken out of {PACKAGE} ({source.__name__.replace('_', ' ')})")
        except (DataError, OSError, tarfile.TarError, ValueError, subprocess.SubprocessError) as exc:
            errors.append(f"{source.__name__}: {exc}")
    missing = [name for name in EXPECTED if not verifies(dest_dir / name)]
    if missing:
        raise DataError(
            f"could not fetch {', '.join(missing)} from Debian's {PACKAGE} ({'; '.join(errors)}); put "
            f"the files in a folder and pass it with --data-dir or ${DATA_DIR_ENV}."
        )
    log(f"mlbench: {', '.join(EXPECTED)} in {dest_dir}, sizes and MD5s verified.")
    return dest_dir


def locate(name, data_dir=None):
    """The verified path of table file ``name``: the user's folder, the project's, or Debian's."""
    named = data_dir or os.environ.get(DATA_DIR_ENV)
    if named:
        folder = Path(named).expanduser()
        if not folder.is_dir():
            problem = "is a file, not a folder" if folder.exists() else "does not exist"
            raise DataError(
                f"mlbench data folder {folder} {problem}; name a folder holding {name}, or leave "
                f"--data-dir/${DATA_DIR_ENV} unset to use the project's data/mlbench."
            )
        verify(folder / name, f"put a verified copy in {folder}, or unset --data-dir/${DATA_DIR_ENV}")
        return folder / name
    for folder in (PROJECT_DIR, DEBIAN_DIR):
        if (folder / name).exists():
            verify(folder / name)
            return folder / name
    verify(PROJECT_DIR / name)  # says it is missing, and what to run


def read_table(name, data_dir=None):
    """The data frame an ``.rda`` file holds (its one object), the file verified first."""
    import rdata

    path = locate(name, data_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mlbench's files declare no encoding; their text is ASCII
        try:
            objects = rdata.read_rda(path)
        except Exception as exc:  # rdata raises bare errors on a file it cannot parse
            raise DataError(f"{path}: not a readable R data file ({exc}); {FIX_HINT}.") from None
    [frame] = objects.values()
    return frame


# --------------------------------------------------------------------------- the tables


ZOO_CLASSES = ["mammal", "bird", "reptile", "fish", "amphibian", "insect", "mollusc.et.al"]


def read_zoo(data_dir=None):
    """UCI Zoo as the course's ``data-04-zoo.csv`` holds it: 101 animals, 16 features (15
    yes/no as 0/1, legs as a count) in UCI's column order, and the class 0-6 (UCI's type 1-7
    minus one). Returns (x_data float32 (101, 16), y_data int32 (101, 1), animal names)."""
    frame = read_table("Zoo.rda", data_dir)
    features = frame.drop(columns="type")
    if features.shape != (101, 16) or list(frame["type"].cat.categories) != ZOO_CLASSES:
        raise DataError(f"Zoo.rda holds an unexpected table {frame.shape}; {FIX_HINT}.")
    x_data = features.astype("float32").to_numpy(dtype=np.float32)
    y_data = frame["type"].cat.codes.to_numpy(dtype=np.int32).reshape(-1, 1)
    return x_data, y_data, [str(name) for name in frame.index]


PIMA_COLUMNS = ["pregnant", "glucose", "pressure", "triceps", "insulin", "mass", "pedigree", "age"]


# the 9 rows (0-based) the course's 759-row file lacks: the 8 women aged 51, whose age scales to
# exactly 0, and row 401 (aged 55); found by matching the course's rows against the table
COURSE_DROPPED_ROWS = (14, 24, 236, 259, 285, 401, 458, 517, 658)


def read_diabetes(data_dir=None, course_rows=True):
    """UCI's Pima Indians diabetes table as the course's ``data-03-diabetes.csv`` holds it: the 8
    measurements of each woman scaled column by column to [-1, 1], 2 (x - min) / (max - min) - 1,
    except that a column's smallest value is written 0 (so the file has it), and the label 1 for
    *no* diabetes ("neg"), 0 for diabetes. ``course_rows``: the course file's 759 rows (all
    others equal it to 6 digits); else all 768. Returns (x_data float32 (N, 8), y_data float32
    (N, 1))."""
    frame = read_table("PimaIndiansDiabetes.rda", data_dir)
    if list(frame.columns) != [*PIMA_COLUMNS, "diabetes"] or len(frame) != 768:
        raise DataError(f"PimaIndiansDiabetes.rda holds an unexpected table {frame.shape}; {FIX_HINT}.")
    measured = frame[PIMA_COLUMNS].to_numpy(dtype=np.float64)
    low, high = measured.min(axis=0), measured.max(axis=0)
    scaled = np.where(measured == low, 0.0, 2 * (measured - low) / (high - low) - 1)
    x_data = scaled.astype(np.float32)
    y_data = (frame["diabetes"] == "neg").to_numpy(dtype=np.float32).reshape(-1, 1)
    if course_rows:
        kept = np.setdiff1d(np.arange(len(frame)), COURSE_DROPPED_ROWS)
        x_data, y_data = x_data[kept], y_data[kept]
    return x_data, y_data


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m common.mlbench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "command",
        choices=["fetch", "check"],
        help=f"fetch: install missing or corrupt files into {PROJECT_DIR}; check: verify the files",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            fetch()
        for name in EXPECTED:
            print(f"mlbench: {locate(name)} verified.")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
