"""Counters of one connection's traffic: requests sent, retries by reason, 429s, limiter waits."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["RequestStats"]


@dataclass
class RequestStats:
    """Thread-safe counters an `ApiClient` keeps, for tests and sync summaries ("3 faults retried")."""

    requests: int = 0
    retries: Counter[str] = field(default_factory=Counter)
    responses_by_status: Counter[int] = field(default_factory=Counter)
    rate_limited: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def total_retries(self) -> int:
        """Retries of every reason."""
        with self._lock:
            return sum(self.retries.values())

    def record_sent(self) -> None:
        """Count one request put on the wire."""
        with self._lock:
            self.requests += 1

    def record_status(self, status: int) -> None:
        """Count a response status (and a 429 as rate limited)."""
        with self._lock:
            self.responses_by_status[status] += 1
            if status == 429:
                self.rate_limited += 1

    def record_retry(self, reason: str) -> None:
        """Count a retry and why (`429`, `503`, `ReadTimeout`, `token_endpoint`, ...)."""
        with self._lock:
            self.retries[reason] += 1

    def record_limiter_wait(self, seconds: float) -> None:
        """Count a wait the client-side limiter imposed."""
        with self._lock:
            self.rate_limit_waits += 1
            self.rate_limit_wait_seconds += seconds

    def counts(self) -> dict[str, int]:
        """Flat integer counters (the shape `Provider.http_stats()` returns)."""
        with self._lock:
            return {
                "requests": self.requests,
                "retries": sum(self.retries.values()),
                "rate_limited": self.rate_limited,
                "rate_limit_waits": self.rate_limit_waits,
            }

    def summary(self) -> dict[str, object]:
        """A plain-dict copy, for printing or JSON."""
        with self._lock:
            return {
                "requests": self.requests,
                "retries": dict(self.retries),
                "responses_by_status": dict(self.responses_by_status),
                "rate_limited": self.rate_limited,
                "rate_limit_waits": self.rate_limit_waits,
                "rate_limit_wait_seconds": round(self.rate_limit_wait_seconds, 3),
            }
