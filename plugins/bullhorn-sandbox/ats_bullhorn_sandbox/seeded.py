"""Deterministic pseudo-randomness: every value is a pure function of (seed, kind, index, ...)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["mix", "pick", "quick_hash", "record_rng", "seeded_uuid", "unit"]

_MASK = (1 << 64) - 1
T = TypeVar("T")


def _splitmix(value: int) -> int:
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def mix(*parts: int) -> int:
    """A 64-bit hash of integers, stable across runs and platforms."""
    state = 0xCBF29CE484222325
    for part in parts:
        state = ((state ^ (part & _MASK)) * 0x100000001B3) & _MASK
    return _splitmix(state)


def quick_hash(salt: int, index: int) -> int:
    """A 32-bit hash of (salt, index) that is cheap enough to run a million times per scan (murmur3 finish)."""
    value = (index * 0x9E3779B1 + salt) & 0xFFFFFFFF
    value ^= value >> 16
    value = (value * 0x85EBCA6B) & 0xFFFFFFFF
    value ^= value >> 13
    value = (value * 0xC2B2AE35) & 0xFFFFFFFF
    return value ^ (value >> 16)


def unit(*parts: int) -> float:
    """A float in [0, 1) derived from the parts."""
    return mix(*parts) / float(1 << 64)


def pick(choices: Sequence[T], *parts: int) -> T:
    """One of `choices`, chosen by the hash of the parts."""
    return choices[mix(*parts) % len(choices)]


def record_rng(*parts: int) -> random.Random:
    """A Random generator for one record, so a record is generated without the others."""
    return random.Random(mix(*parts))


def seeded_uuid(*parts: int, upper: bool = False) -> str:
    """A version-4-shaped UUID derived from the parts."""
    bits = (mix(*parts, 1) << 64) | mix(*parts, 2)
    bits = (bits & ~(0xF << 76)) | (0x4 << 76)
    bits = (bits & ~(0xC << 60)) | (0x8 << 60)
    text = f"{bits:032x}"
    value = f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return value.upper() if upper else value
