"""A fixed-window request limit per API user (Bullhorn documents calls per minute; no limit headers)."""

from __future__ import annotations

from dataclasses import dataclass

from ats_bullhorn_sandbox.clock import Clock

__all__ = ["RateLimiter"]


@dataclass
class _Window:
    start: float
    count: int = 0


class RateLimiter:
    """At most `limit` requests per `span` seconds for each key; windows start at a key's first request."""

    def __init__(self, limit: int, span: float, clock: Clock) -> None:
        self.limit, self.span, self.clock = limit, span, clock
        self.windows: dict[str, _Window] = {}

    def allow(self, key: str) -> bool:
        now = self.clock()
        window = self.windows.get(key)
        if window is None or now - window.start >= self.span:
            window = self.windows[key] = _Window(now)
        if window.count >= self.limit:
            return False
        window.count += 1
        return True

    def message(self) -> str:
        seconds = f"{self.span:g} seconds" if self.span != 60 else "minute"
        return f"Too many requests: the limit is {self.limit} calls per {seconds}. Wait 1 second and retry."
