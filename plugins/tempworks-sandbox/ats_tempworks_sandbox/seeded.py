"""Deterministic, cheap pseudo-randomness: every value is a pure function of (seed, kind, index)."""

from __future__ import annotations

import random

__all__ = [
    "SENTINEL_DATE",
    "guid_from_bits",
    "mix",
    "record_rng",
    "seeded_guid",
    "unit",
]

_MASK = (1 << 64) - 1

SENTINEL_DATE = "0001-01-01T00:00:00+00:00"


def _splitmix(value: int) -> int:
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def mix(*parts: int) -> int:
    """A 64-bit hash of integers, stable across runs and platforms (FNV-style fold, one splitmix finish)."""
    state = 0xCBF29CE484222325
    for part in parts:
        state = ((state ^ part) * 0x100000001B3) & _MASK
    return _splitmix(state)


def unit(*parts: int) -> float:
    """A float in [0, 1) derived from the parts."""
    return mix(*parts) / float(1 << 64)


def record_rng(seed: int, kind: int, index: int) -> random.Random:
    """A Random generator for one record, so record `index` is generated without the others."""
    return random.Random(mix(seed, kind, index))


def guid_from_bits(bits: int) -> str:
    """Format 128 bits as a version-4 GUID string."""
    bits = (bits & ~(0xF << 76)) | (0x4 << 76)
    bits = (bits & ~(0xC << 60)) | (0x8 << 60)
    text = f"{bits & ((1 << 128) - 1):032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def seeded_guid(*parts: int) -> str:
    """A version-4-shaped GUID derived from the parts."""
    return guid_from_bits((mix(*parts, 1) << 64) | mix(*parts, 2))
