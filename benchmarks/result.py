"""What a benchmark reports: named metrics summarised over runs, its parameters and its target."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BenchmarkResult", "Metric", "summarise"]


@dataclass(frozen=True)
class Metric:
    """One measured quantity over several runs: median, min and max, with its unit."""

    unit: str
    median: float
    minimum: float
    maximum: float
    runs: int

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the JSON file."""
        return {
            "unit": self.unit,
            "median": self.median,
            "min": self.minimum,
            "max": self.maximum,
            "runs": self.runs,
        }

    def render(self) -> str:
        """`median [min..max] unit`, or just the value when there was one run."""
        if self.runs == 1 or self.minimum == self.maximum:
            return f"{_number(self.median)} {self.unit}"
        return f"{_number(self.median)} [{_number(self.minimum)}..{_number(self.maximum)}] {self.unit}"


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e9:
        return str(int(value))
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def summarise(values: Sequence[float], unit: str) -> Metric:
    """The median, min and max of the runs' values."""
    if not values:
        raise ValueError("no runs to summarise")
    return Metric(unit, statistics.median(values), min(values), max(values), len(values))


@dataclass
class BenchmarkResult:
    """The outcome of one benchmark: its metrics, the target it is judged against and whether it was met."""

    key: str
    title: str
    target: str
    parameters: dict[str, Any]
    metrics: dict[str, Metric] = field(default_factory=dict)
    headline: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the JSON file."""
        return {
            "key": self.key,
            "title": self.title,
            "target": self.target,
            "met": self.met,
            "headline": self.headline,
            "parameters": self.parameters,
            "metrics": {name: metric.to_json() for name, metric in self.metrics.items()},
            "notes": self.notes,
            "error": self.error,
        }
