"""``make help``: the Makefile's targets with their ``##`` text and, for a lab, the figures its
documents report, read from the labs' ``FIGURES``."""

import re
import sys

from tools.experiments import EXPERIMENTS

TARGET_LINE = re.compile(r"^([a-zA-Z0-9_-]+):.*?## (.*)$")


def reported_figures(target):
    """``reported 0.9945 / 0.9928 / 0.9947``: the numbers the target's rows reproduce."""
    numbers = [row.figure.reported for row in EXPERIMENTS if row.target == target]
    numbers = [
        f"{value:g}" if isinstance(value, float) else str(value)
        for value in numbers
        if not isinstance(value, str)
    ]
    return f" (reported {' / '.join(numbers)})" if numbers else ""


def main(makefiles):
    for makefile in makefiles:
        with open(makefile) as lines:
            for line in lines:
                if match := TARGET_LINE.match(line.rstrip("\n")):
                    target, text = match.groups()
                    print(f"  {target:28} {text}{reported_figures(target)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:  # `make help | head`
        sys.exit(0)
