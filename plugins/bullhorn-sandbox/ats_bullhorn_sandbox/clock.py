"""Time as the sandbox sees it: an injectable clock in epoch seconds, and Bullhorn's epoch milliseconds."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Clock", "epoch_ms", "system_clock"]

Clock = Callable[[], float]


def system_clock() -> float:
    """The wall clock in epoch seconds."""
    return time.time()


def epoch_ms(seconds: float) -> int:
    """Epoch seconds as Bullhorn's wire format: integer epoch milliseconds."""
    return int(seconds * 1000)
