"""Time sources: the real clock, and a fake one whose sleep advances time instantly (for tests)."""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FakeClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """What the HTTP layer needs of time: a monotonic reading, a wall-clock reading and sleep."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for intervals and deadlines)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block the calling thread for `seconds`."""
        ...

    def time(self) -> float:
        """Wall-clock epoch seconds (to read timestamps such as rate-limit reset headers)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        """`time.monotonic()`."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """`time.sleep()`, ignoring non-positive durations."""
        if seconds > 0:
            time.sleep(seconds)

    def time(self) -> float:
        """`time.time()`."""
        return time.time()

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock for tests: `sleep()` advances time at once and is recorded; safe to share between threads."""

    def __init__(self, start: float = 1000.0, wall_start: float = 1_800_000_000.0) -> None:
        self._lock = threading.Lock()
        self._start = start
        self._now = start
        self._wall_offset = wall_start - start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """The current fake reading."""
        with self._lock:
            return self._now

    def time(self) -> float:
        """The fake wall clock, moving with the monotonic one."""
        with self._lock:
            return self._now + self._wall_offset

    def sleep(self, seconds: float) -> None:
        """Advance time by `seconds` without blocking, and record the sleep."""
        with self._lock:
            self.sleeps.append(seconds)
            if seconds > 0:
                self._now += seconds

    def advance(self, seconds: float) -> None:
        """Move time forward without recording a sleep."""
        with self._lock:
            self._now += seconds

    @property
    def elapsed(self) -> float:
        """Seconds since the clock was created."""
        with self._lock:
            return self._now - self._start

    def __repr__(self) -> str:
        return f"FakeClock(now={self.monotonic():.3f})"
