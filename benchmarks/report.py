"""The side-by-side table printed at the end of a run, and the JSON file written beside it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.result import BenchmarkResult

__all__ = ["render_table", "write_json"]


def _verdict(result: BenchmarkResult) -> str:
    if result.error is not None:
        return "ERROR"
    return {True: "met", False: "MISSED", None: "n/a"}[result.met]


def render_table(results: Sequence[BenchmarkResult], machine: dict[str, Any], mode: str) -> str:
    """A plain-text table: one row per benchmark with its headline, target and verdict, then the metrics."""
    lines = [
        f"ats-core benchmarks ({mode}) on {machine['cores']} cores, {machine['cpu']}, {machine['python']}",
        "",
        f"{'benchmark':<34} {'verdict':<7} result",
        f"{'-' * 34} {'-' * 7} {'-' * 60}",
    ]
    for result in results:
        headline = result.error if result.error is not None else result.headline
        lines.append(f"{result.title:<34} {_verdict(result):<7} {headline}")
        lines.append(f"{'':<34} {'':<7} target: {result.target}")
    lines.append("")
    lines.append("metrics (median [min..max] over runs):")
    for result in results:
        for name, metric in result.metrics.items():
            lines.append(f"  {result.key}.{name:<30} {metric.render()}  ({metric.runs} runs)")
        for note in result.notes:
            lines.append(f"  {result.key}: {note}")
    return "\n".join(lines)


def write_json(
    path: Path, results: Sequence[BenchmarkResult], machine: dict[str, Any], mode: str, command: str
) -> None:
    """Write the machine, the mode, the command and every result to `path` (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "mode": mode,
        "command": command,
        "machine": machine,
        "results": [result.to_json() for result in results],
    }
    path.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", encoding="utf-8")
