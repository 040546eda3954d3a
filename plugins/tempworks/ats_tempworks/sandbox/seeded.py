"""Deterministic, cheap pseudo-randomness: every value is a pure function of (seed, kind, index)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

__all__ = [
    "NO_OFFSET_FORMAT",
    "SENTINEL_DATE",
    "format_local",
    "mix",
    "record_rng",
    "seeded_guid",
    "unit",
]

_MASK = (1 << 64) - 1

SENTINEL_DATE = "0001-01-01T00:00:00+00:00"
NO_OFFSET_FORMAT = "%Y-%m-%dT%H:%M:%S"


def _splitmix(value: int) -> int:
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def mix(*parts: int) -> int:
    """A 64-bit hash of integers, stable across runs and platforms."""
    state = 0x243F6A8885A308D3
    for part in parts:
        state = _splitmix(state ^ (part & _MASK) ^ ((part >> 64) & _MASK))
    return state


def unit(*parts: int) -> float:
    """A float in [0, 1) derived from the parts."""
    return mix(*parts) / float(1 << 64)


def record_rng(seed: int, kind: int, index: int) -> random.Random:
    """A Random generator for one record, so record `index` is generated without the others."""
    return random.Random(mix(seed, kind, index))


def seeded_guid(*parts: int) -> str:
    """A version-4-shaped GUID derived from the parts."""
    high, low = mix(*parts, 1), mix(*parts, 2)
    return str(uuid.UUID(int=(high << 64) | low, version=4))


def format_local(epoch: float) -> str:
    """A timestamp the way TempWorks often writes it: ISO 8601 without an offset (UTC wall time)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime(NO_OFFSET_FORMAT)
