"""A row's outcome from the figures its runs measured: the value over seeds, its spread, and
pass, differs-explained, FAIL or error."""

import statistics
from dataclasses import dataclass, field

from tools.experiments import row_seeds

OUTCOMES = ["pass", "differs-explained", "FAIL", "error"]


@dataclass
class Row:
    lab: str  # the make target
    experiment: str
    source: str
    reported: object
    reproduced: object = None
    difference: float = None
    tolerance: float = None
    passed: bool = False
    seconds: float = 0.0
    seeds: list = field(default_factory=list)
    values: list = field(default_factory=list)
    spread: str = None
    error: str = None
    explanation: str = None  # why a row may differ from the document: set for differs-explained rows


def count_decimals(values):
    """Counts (145 wrong predictions, 795010 parameters) are whole, a mean of counts over seeds is
    shown to tenths; accuracies and losses to four decimals."""
    if not all(isinstance(value, int) for value in values):
        return 4
    return 1 if len(values) > 1 else 0


def summarize(row, figure, values):
    """Fill in ``row`` from the values its seeds measured: numbers, or (shown, holds) pairs."""
    row.values = values
    if isinstance(figure.reported, str):  # a behaviour row
        row.reproduced = values[0][0]
        row.passed = all(holds for _, holds in values)
        return
    mean = statistics.fmean(values)
    row.reproduced = values[0] if len(values) == 1 and isinstance(values[0], int) else round(mean, 4)
    row.difference = round(mean - figure.reported, 4)
    row.tolerance = figure.tolerance
    row.passed = abs(mean - figure.reported) <= figure.tolerance + 1e-9
    if len(values) > 1:
        sd = statistics.stdev(values)
        inside = abs(figure.reported - mean) <= 2 * sd or min(values) <= figure.reported <= max(values)
        digits = count_decimals(values)  # counts: 183.0 ± 8.5
        row.spread = (
            f"{mean:.{digits}f} ± {sd:.{digits}f} (n={len(values)}); reported "
            + ("within" if inside else "outside")
            + " the spread"
        )


def verdict(row):
    if row.error:
        return "error"
    if row.passed:
        return "pass"
    return "differs-explained" if row.explanation else "FAIL"


def summary_line(verdicts):
    """``verdicts``: one outcome per row (``verdict(row)``, or as a table kept it)."""
    verdicts = list(verdicts)
    counts = {name: verdicts.count(name) for name in OUTCOMES}
    return f"{len(verdicts)} rows: " + ", ".join(f"{counts[name]} {name}" for name in OUTCOMES)


def value_of(figure, figures):
    """The row's value in a run's kept figures: a number, or (shown, holds) for a behaviour."""
    value = figures[figure.measured]
    if isinstance(figure.reported, str):
        return value["shown"], bool(value["holds"])
    return value


def build_rows(experiments, seeds, records, run_key):
    """Each row from its runs' records (``run_key(experiment, seed)`` -> record, or missing while
    the run is to come): its values over seeds, or the error that stopped it. A run's seconds
    count on the first row that reads it."""
    rows, timed = [], set()
    for experiment in experiments:
        figure = experiment.figure
        row = Row(
            figure.target, figure.experiment, figure.source, figure.reported, explanation=figure.explained
        )
        values = []
        for seed in row_seeds(experiment, seeds):
            key = run_key(experiment, seed)
            record = records.get(key)
            if record is None:
                break
            if key not in timed:
                row.seconds += record["seconds"]
                timed.add(key)
            if record.get("error"):
                row.error = record["error"]
                break
            try:
                values.append(value_of(figure, record["figures"]))
            except (KeyError, TypeError) as exc:  # the run did not measure what the row reads
                row.error = f"the run measured no {figure.measured!r}: {type(exc).__name__}: {exc}"
                break
        else:
            row.seeds = row_seeds(experiment, seeds)
            summarize(row, figure, values)
            rows.append(row)
            continue
        if row.error:
            rows.append(row)
    return rows
