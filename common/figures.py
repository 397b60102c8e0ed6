"""A reported figure, declared once, in the lab that reproduces it.

Each lab lists its lecture's figures as ``FIGURES``: which document reports it, the value (or
the behaviour the document describes, where it gives no number), the tolerance, and the flags
of the run it belongs to. The lab's ``main`` returns what it measured, by name, in a
``figures`` mapping (``Result.figures``, or ``Runs``/``Cases`` for a lab of several runs);
``Figure.measured`` names the entry a row reads. ``make reproduce`` and ``make help`` read the
declarations from the labs; the tests keep their own copy of each document's figure.
"""

from dataclasses import dataclass

# the source documents, by what they are
NOTES_07_08 = "notes-07-08"  # lecture notes, labs 07-08
NOTES_09_11 = "notes-09-11"  # lecture notes, labs 09-11
KERAS_TIPS = "keras-tips"  # Keras training tips (learning rate, normalization, ...)
KERAS_MLP = "keras-mlp"  # Keras 784-1000-10 MLP
TF2_QUICKSTART = "tf2-quickstart"  # TensorFlow 2 quickstart and Fashion-MNIST
HUNKIM = "hunkim"  # the original repository's labs, with their printed outputs
SOURCES = (NOTES_07_08, NOTES_09_11, KERAS_TIPS, KERAS_MLP, TF2_QUICKSTART, HUNKIM)


@dataclass(frozen=True)
class Figure:
    """One reported figure: a row of the results table."""

    target: str  # the make target that runs it
    experiment: str  # what the row is called
    source: str  # one of SOURCES
    reported: object  # the number, or the documented behaviour as text
    tolerance: float | None = None  # absolute, for numbers
    measured: str = "accuracy"  # the name of the lab's measurement that the row reads
    argv: tuple = ()  # the flags of the run it belongs to (the lab's defaults: none)
    seeded: bool = False  # an MNIST figure: worth repeating over seeds
    explained: str | None = None  # why the lab cannot match the document's figure

    def __post_init__(self):
        if self.source not in SOURCES:
            raise ValueError(f"{self.experiment}: unknown source {self.source!r}")
        if isinstance(self.reported, str) != (self.tolerance is None):
            raise ValueError(f"{self.experiment}: a number needs a tolerance, a behaviour none")


@dataclass(frozen=True)
class Behaviour:
    """What a run showed where the document describes a behaviour, not a number, and whether it
    is the behaviour described."""

    shown: str
    holds: bool

    def __post_init__(self):
        object.__setattr__(self, "holds", bool(self.holds))  # numpy's bool_ is no JSON


def plain(figures):
    """``figures`` with numpy scalars as Python numbers, so they go into JSON as they are."""
    return {name: value.item() if hasattr(value, "item") else value for name, value in figures.items()}


def reported(figures, target, measured="accuracy"):
    """The reported number of ``target``'s figure ``measured``, for the lab's ``reported:`` line."""
    [value] = [f.reported for f in figures if f.target == target and f.measured == measured]
    return value


class Runs(list):
    """A lab's runs in order (one per learning rate, per input scaling), with the figures read
    across them."""

    def __init__(self, runs, figures):
        super().__init__(runs)
        self.figures = plain(figures)


class Cases(dict):
    """A lab's results by case (``"batch_norm"``, ``"plain"``): each case's figures under
    ``<case>/<name>``, and those read across the cases."""

    def __init__(self, results, figures=()):
        super().__init__(results)
        self.figures = {
            f"{case}/{name}": value
            for case, result in results.items()
            for name, value in getattr(result, "figures", {}).items()
        }
        self.figures.update(plain(dict(figures)))
