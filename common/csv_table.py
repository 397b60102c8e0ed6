"""A small numeric CSV table (the course's ``np.loadtxt(..., delimiter=',')`` files), checked
before a lab trains on it: the file is there, every row has the same number of numbers, and
there are as many columns as the lab's model takes. A bad file is one ``DataError`` line that
names the file and what to do."""

from pathlib import Path

import numpy as np

from common.idx_data import DataError


def read_table(path, columns, hint):
    """The table as float32 rows, shape (rows, ``columns``)."""
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path} is a folder, not a CSV file; {hint}.")
    if not path.is_file():
        raise DataError(f"{path}: file is missing; {hint}.")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: file is empty; {hint}.")
    try:
        table = np.loadtxt(path, delimiter=",", dtype=np.float32, ndmin=2)
    except ValueError as exc:  # a cell that is no number, or rows of unequal length
        reason = str(exc).split(";")[0].rstrip(".")  # numpy's advice after ";" is about its own call
        raise DataError(f"{path}: not a table of numbers ({reason}); {hint}.") from None
    if table.shape[0] == 0 or table.shape[1] != columns:
        raise DataError(
            f"{path}: expected rows of {columns} comma-separated numbers, found shape {table.shape}; {hint}."
        )
    if not np.isfinite(table).all():
        raise DataError(f"{path}: holds a value that is not a finite number; {hint}.")
    return table
