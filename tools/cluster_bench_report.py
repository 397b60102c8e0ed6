"""``make cluster-bench``'s table and plot: each measured point beside the model's prediction."""

from common import plots
from common.plots import plt


def shown(rate):
    return "unshaped" if rate is None else f"{rate / 1e9:g} Gbit/s"


def link_seconds(point, model_bytes):
    """The model's bandwidth term, ``2 N P / B``: the seconds the ps link needs for a step."""
    return model_bytes * 8 / point["rate_bits"]


def table(results, model_bytes, fitted):
    """The Markdown table of every point beside the model, and the fit under it. "model" is the
    unshaped step plus ``2 N P / B`` (compute, then transfer); "overlapped" is the larger of the
    two (transfer hidden behind compute, or the other way round)."""
    unshaped = {p["mode"]: p["step_seconds"] for p in results if p["rate_bits"] is None}
    lines = [
        "| run | link (tbf) | TCP measured | s per global step | MB per step on the link | 2NP/B "
        "| model: unshaped + 2NP/B | measured / model | overlapped: max(unshaped, 2NP/B) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in results:
        cells = ["-"] * 4
        if p["mode"] == "data-parallel" and p["rate_bits"] is not None and "data-parallel" in unshaped:
            base, term = unshaped["data-parallel"], link_seconds(p, model_bytes)
            cells = [f"{term:.3f} s", f"{base + term:.3f} s", f"{p['step_seconds'] / (base + term):.2f}"]
            cells.append(f"{max(base, term):.3f} s ({p['step_seconds'] / max(base, term):.2f})")
        lines.append(
            f"| {p['mode']} | {shown(p['rate_bits'])} | {p['measured_bits'] / 1e9:.3f} Gbit/s | "
            f"{p['step_seconds']:.3f} s | {p['step_bytes'] / 1e6:.1f} ({p['link']}) | "
            + " | ".join(cells)
            + " |"
        )
    if fitted:
        a, c, r2 = fitted
        lines.append("")
        lines.append(
            f"Fit over the shaped data-parallel points: step = {a:.3f} s + {c:.2f} x bytes / B "
            f"(R^2 {r2:.3f}), bytes as counted on the link; the model's bandwidth term is c = 1, "
            f"with 2NP = {model_bytes / 1e6:.1f} MB a step."
        )
    return "\n".join(lines)


def plot(results, model_bytes, fitted, path):
    """Step time against bandwidth: the measured points, the model's curves, the fit."""
    figure = plt.figure(figsize=(8, 5))
    dp = [p for p in results if p["mode"] == "data-parallel"]
    shaped = sorted((p for p in dp if p["rate_bits"] is not None), key=lambda p: p["rate_bits"])
    unshaped = [p["step_seconds"] for p in dp if p["rate_bits"] is None]
    rates = [p["rate_bits"] / 1e9 for p in shaped] or [0.1, 10]
    if shaped:
        plt.loglog(rates, [p["step_seconds"] for p in shaped], "o", label="deep CNN, 2 workers: measured")
    if shaped and unshaped:
        base = unshaped[0]
        grid = [rates[0] * (rates[-1] / rates[0]) ** (i / 50) for i in range(51)]
        terms = [model_bytes * 8 / (g * 1e9) for g in grid]
        plt.loglog(grid, [base + t for t in terms], "-", label="model: unshaped step + 2NP/B")
        plt.loglog(grid, [max(base, t) for t in terms], ":", label="overlapped: max(unshaped step, 2NP/B)")
        plt.axhline(base, color="grey", linewidth=0.8, label=f"unshaped link: {base:.3f} s")
    if shaped and fitted:
        a, c, _ = fitted
        fit_line = [a + c * p["step_bytes"] * 8 / p["rate_bits"] for p in shaped]
        plt.loglog(rates, fit_line, "--", label=f"fit: {a:.3f} s + {c:.2f} bytes/B")
    for p in (p for p in results if p["mode"] == "ensemble"):
        # the unshaped link has no bandwidth to put it at: drawn at twice the sweep's fastest
        rate = p["rate_bits"] / 1e9 if p["rate_bits"] else rates[-1] * 2
        where = shown(p["rate_bits"]) + ("" if p["rate_bits"] else f", drawn at {rate:g}")
        plt.loglog([rate], [p["step_seconds"]], "s", label=f"ensemble, 2 workers: {where}")
    plt.xlabel("link bandwidth (Gbit/s, tbf)")
    plt.ylabel("seconds per global step")
    plt.grid(True, which="both", alpha=0.3)
    plt.legend(fontsize=8)
    return plots.save(figure, path)
