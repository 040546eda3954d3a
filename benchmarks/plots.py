"""`python -m benchmarks.plots [RESULTS_JSON ...]`: PNG charts of the peers and scale results, for RESULTS.md.

Reads the JSON files `python -m benchmarks` writes (default `benchmarks/results/latest.json`) and writes
`benchmarks/results/peers.png` and `benchmarks/results/scale.png` for the benchmarks found in them.
matplotlib comes with the `bench` extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "plot_peers", "plot_scale"]

RESULTS = Path(__file__).parent / "results"
_PEER_PANELS = (
    ("records_per_s", "records/s (higher is better)"),
    ("cpu_s_per_10k", "CPU s per 10,000 records (lower is better)"),
    ("peak_rss", "peak RSS, MB (lower is better)"),
)


def _median(metrics: dict[str, Any], name: str) -> float:
    metric = metrics.get(name)
    return float(metric["median"]) if metric is not None else 0.0


def plot_peers(result: dict[str, Any], path: Path) -> None:
    """Three panels (records/s, CPU per 10k records, peak RSS), a bar per tool, without and with faults."""
    import matplotlib.pyplot as plt

    tools: list[str] = result["parameters"]["tools"]
    metrics = result["metrics"]
    figure, axes = plt.subplots(1, len(_PEER_PANELS), figsize=(13, 4))
    positions = range(len(tools))
    for axis, (name, label) in zip(axes, _PEER_PANELS, strict=True):
        for offset, suffix, legend in ((-0.2, "", "no faults"), (0.2, "_faults", "under faults")):
            values = [_median(metrics, f"{tool}_{name}{suffix}") for tool in tools]
            axis.bar([p + offset for p in positions], values, width=0.4, label=legend)
        axis.set_xticks(list(positions), tools)
        axis.set_title(label, fontsize=10)
    axes[0].legend(fontsize=8)
    employees = result["parameters"]["employees"]
    figure.suptitle(f"{employees:,} TempWorks employees into SQLite (a missing bar: the tool stopped)")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_scale(result: dict[str, Any], path: Path) -> None:
    """Full-run records/s and peak RSS (full and incremental) against the tenant's size, log scale."""
    import matplotlib.pyplot as plt

    sizes: list[int] = result["parameters"]["sizes"]
    metrics = result["metrics"]
    figure, (rate, memory) = plt.subplots(1, 2, figsize=(11, 4))
    rate.plot(sizes, [_median(metrics, f"full_{size}_records_per_s") for size in sizes], marker="o")
    rate.set_title("ats sync, full run: records/s", fontsize=10)
    for kind in ("full", "incremental"):
        memory.plot(sizes, [_median(metrics, f"{kind}_{size}_peak_rss") for size in sizes], marker="o", label=kind)
    memory.set_title("peak RSS, MB", fontsize=10)
    memory.legend(fontsize=8)
    for axis in (rate, memory):
        axis.set_xscale("log")
        axis.set_xlabel("employees")
        axis.set_ylim(bottom=0)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


_PLOTS = {"peers": plot_peers, "scale": plot_scale}


def main(argv: Sequence[str] | None = None) -> int:
    """Plot every peers or scale result in the given JSON files (later files win); 2 without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        print("matplotlib is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    paths = [Path(argument) for argument in (argv if argv is not None else sys.argv[1:])] or [RESULTS / "latest.json"]
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        for result in json.loads(path.read_text(encoding="utf-8"))["results"]:
            if result["key"] in _PLOTS and result["error"] is None and result["metrics"]:
                found[result["key"]] = result
    for key, result in found.items():
        target = RESULTS / f"{re.sub(r'[^a-z]', '', key)}.png"
        _PLOTS[key](result, target)
        print(f"wrote {target}")
    if not found:
        print("no peers or scale results in " + ", ".join(map(str, paths)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
