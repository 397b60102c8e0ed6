"""The results table in Markdown, from ``reproduce.json`` alone, and its place in a document:
``docs/results.md`` holds the whole table, the README the headline rows (``make results-doc``)."""

import time

from common import environment
from common.cli import DEFAULT_SEED
from common.files import atomic_write
from tools.experiments import HEADLINE, seeds_for
from tools.outcomes import count_decimals


def machines(payload):
    """Where the runs were measured: one line per distinct (CPU, ISA, kernels, threads)."""
    seen = {}
    for run in payload["runs"]:
        env = run.get("environment") or {}
        kernels = "oneDNN" if env.get("onednn") else "Eigen"
        threads = run.get("intra_op_threads") or "all"
        key = f"{env.get('cpu')} ({env.get('vector_isa')}), {kernels} kernels, {threads} thread(s) per run"
        seen[key] = seen.get(key, 0) + 1
    return seen


def runs_made_by(invocation, runs):
    """How many of ``runs`` the invocation made: those that started while it ran."""
    begin = time.mktime(time.strptime(invocation["started"], "%Y-%m-%d %H:%M:%S"))
    end = begin + invocation["seconds"] + 1
    return sum(1 for run in runs if run.get("started") and begin - 1 <= run["started"] <= end)


def seeds_line(count):
    """Some rows run one seed whatever SEEDS says (the toy labs, the class copy of the deep CNN)."""
    if count == 1:
        return f"seed {DEFAULT_SEED} for every row"
    seeds = ", ".join(map(str, seeds_for(count)))
    return f"seeds {seeds} for each row that shows mean ± sd, seed {DEFAULT_SEED} for the rest"


def status(payload):
    """Complete, or how many of the rows the current code made (a subset was run, or a
    reproduction was interrupted or is still running)."""
    if payload["complete"]:
        return "complete"
    current, expected = payload.get("rows_current"), payload.get("rows_expected")
    if current is None or expected is None:
        return "incomplete"
    return f"incomplete: {current} of {expected} rows made by the current code"


def run_header(payload):
    status_text = status(payload)
    invocations = [
        (invocation, made)
        for invocation in payload.get("invocations") or []
        if (made := runs_made_by(invocation, payload["runs"]))
    ]
    sittings = "; ".join(
        f"started {i['started']}, {made} of the runs, {i['seconds'] / 60:.1f} min of wall time with "
        f"{i['jobs']} job(s)"
        for i, made in invocations
    )
    lines = [
        f"{payload['summary']}; {status_text}; {seeds_line(payload.get('seeds', 1))}.",
        "",
        f"- {len(payload['runs'])} lab runs, {sum(r['seconds'] for r in payload['runs']) / 60:.1f} min of "
        f"run time in all, made by {len(invocations)} invocation(s) of `make reproduce` ({sittings}): "
        f"{sum(i['seconds'] for i, _ in invocations) / 60:.1f} min of wall time in all.",
    ]
    commits = sorted({(r.get("environment") or {}).get("commit", "?")[:10] for r in payload["runs"]})
    if payload.get("code_version"):
        lines.append(
            f"- Code version {payload['code_version']} (a digest of `labs/` and `common/`, "
            f"whole); its runs were made at commit(s) {', '.join(commits) or '?'}."
        )
    where = machines(payload)
    if where:
        lines.append(
            "- Lab runs: " + "; ".join(f"{count} on {machine}" for machine, count in where.items()) + "."
        )
    lines.append(f"- Table written on: {environment.describe(payload['environment'])}.")
    return lines


def table_line(cells):
    """A Markdown table row; a ``|`` inside a cell (``|W|``) is escaped so it stays one cell."""
    return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"


def difference_digits(row):
    return count_decimals(row["values"])


def render(payload):
    """The results table, from ``reproduce.json`` alone (``--render`` puts it into a document)."""
    lines = [*run_header(payload), ""]
    lines += [
        "| lab | experiment | source | reported | reproduced | difference | tolerance | outcome | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for row in payload["rows"]:
        reproduced = row["error"] or (row["spread"] or row["reproduced"])
        difference = "" if row["difference"] is None else f"{row['difference']:+.{difference_digits(row)}f}"
        tolerance = "" if row["tolerance"] is None else f"±{row['tolerance']:g}"
        outcome = row["verdict"]
        if outcome == "differs-explained":
            notes.append(f"{len(notes) + 1}. {row['lab']}, {row['experiment']}: {row['explanation']}")
            outcome += f" ({len(notes)})"
        if row.get("code_version", payload["code_version"]) != payload["code_version"]:
            outcome += f", code {row['code_version']}"  # kept from a run of earlier code
        cells = [row["lab"], row["experiment"], row["source"], row["reported"], reproduced]
        cells += [difference, tolerance, outcome, f"{row['seconds']:.0f}"]
        lines.append(table_line(cells))
    lines += ["", "A row's seconds are those of the lab runs it is the first to read, over all its seeds."]
    if notes:
        lines += ["", "Rows that differ, explained:", "", *notes]
    per_lab = {}
    for run in payload["runs"]:
        per_lab.setdefault(run["lab"], []).append(run["seconds"])
    if per_lab:
        lines += [
            "",
            "Time per lab (all its runs, all seeds):",
            "",
            "| lab | runs | minutes |",
            "|---|---|---|",
        ]
        lines += [
            f"| {lab} | {len(times)} | {sum(times) / 60:.1f} |"
            for lab, times in sorted(per_lab.items(), key=lambda item: -sum(item[1]))
        ]
    return "\n".join(lines) + "\n"


def render_brief(payload):
    """The README's few headline rows, the summary and where they were measured."""
    rows = {(row["lab"], row["experiment"]): row for row in payload["rows"]}
    lines = ["| lab | experiment | reported | reproduced | outcome |", "|---|---|---|---|---|"]
    for key in HEADLINE:
        row = rows.get(key)
        if row:
            reproduced = row["error"] or row["spread"] or row["reproduced"]
            lines.append(
                table_line([row["lab"], row["experiment"], row["reported"], reproduced, row["verdict"]])
            )
    return "\n".join(lines + ["", *run_header(payload)]) + "\n"


RENDER_BEGIN = "<!-- reproduce.json rendered by `python -m tools.reproduce --render`: begin -->"
RENDER_END = "<!-- reproduce.json rendered: end -->"
BRIEF_BEGIN = "<!-- reproduce.json headline rows rendered by `python -m tools.reproduce --render`: begin -->"
BRIEF_END = "<!-- reproduce.json headline rows rendered: end -->"


def render_into(document, payload):
    """Replace the rendered blocks of ``document`` (the full table's, the headline rows') with
    what ``payload`` holds."""
    text, found = document.read_text(), False
    for begin, end, renderer in ((RENDER_BEGIN, RENDER_END, render), (BRIEF_BEGIN, BRIEF_END, render_brief)):
        if begin in text and end in text:
            before, rest = text.split(begin, 1)
            _, after = rest.split(end, 1)
            text, found = f"{before}{begin}\n{renderer(payload)}{end}{after}", True
    if not found:
        raise ValueError(f"{document} has no {RENDER_BEGIN!r} ... {RENDER_END!r} block")
    atomic_write(document, text)
