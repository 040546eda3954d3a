"""Checks that durations and counts given to the HTTP layer are finite and sane (inf or 1e300 would hang or overflow)."""

from __future__ import annotations

import math

__all__ = ["MAX_SECONDS", "MAX_TIMEOUT_SECONDS", "check_count", "check_fraction", "check_seconds"]

MAX_SECONDS = 86_400.0
"""One day: the longest window, retry budget or deadline taken; more is a setting gone wrong."""
MAX_TIMEOUT_SECONDS = 3_600.0
"""One hour: the longest single timeout or backoff delay taken."""


def check_seconds(owner: str, name: str, value: object, *, maximum: float, positive: bool = False) -> float:
    """`value` as float seconds in [0, maximum] (or (0, maximum] if `positive`); ValueError naming owner.name."""
    low = "above 0" if positive else "from 0"
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= maximum
        or (positive and value == 0)
    ):
        raise ValueError(f"{owner}.{name} must be a finite number of seconds {low} up to {maximum:g}, got {value!r}")
    return float(value)


def check_count(owner: str, name: str, value: object, *, minimum: int, maximum: int) -> int:
    """`value` as an int in [minimum, maximum] (a bool is refused); ValueError naming owner.name."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ValueError(f"{owner}.{name} must be a whole number from {minimum} to {maximum}, got {value!r}")
    return value


def check_fraction(owner: str, name: str, value: object) -> float:
    """`value` as a float in [0, 1]; ValueError naming owner.name."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{owner}.{name} must be a fraction from 0 to 1, got {value!r}")
    return float(value)
