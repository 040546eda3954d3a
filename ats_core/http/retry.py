"""Retry policy (exponential backoff with full jitter, bounded by attempts and elapsed time) and timeouts."""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

from ats_core.http.bounds import MAX_SECONDS, MAX_TIMEOUT_SECONDS, check_count, check_seconds

__all__ = [
    "DEFAULT_RETRY_STATUSES",
    "IDEMPOTENT_METHODS",
    "MAX_ATTEMPTS",
    "RetryPolicy",
    "Timeouts",
    "never_reached_server",
]

DEFAULT_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
MAX_ATTEMPTS = 100


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry: `max_attempts` sends within `max_elapsed_seconds` of the first."""

    max_attempts: int = 6
    max_elapsed_seconds: float = 120.0
    base_delay: float = 0.5
    max_delay: float = 30.0
    retry_statuses: frozenset[int] = DEFAULT_RETRY_STATUSES

    def __post_init__(self) -> None:
        check_count("RetryPolicy", "max_attempts", self.max_attempts, minimum=1, maximum=MAX_ATTEMPTS)
        check_seconds("RetryPolicy", "max_elapsed_seconds", self.max_elapsed_seconds, maximum=MAX_SECONDS)
        check_seconds("RetryPolicy", "base_delay", self.base_delay, maximum=MAX_TIMEOUT_SECONDS)
        check_seconds("RetryPolicy", "max_delay", self.max_delay, maximum=MAX_TIMEOUT_SECONDS)

    def backoff_ceiling(self, attempt: int) -> float:
        """The largest delay after failed attempt number `attempt` (1-based): base * 2^(attempt-1), capped."""
        return min(self.max_delay, self.base_delay * (2.0 ** max(attempt - 1, 0)))

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: a uniform delay between 0 and the ceiling for this attempt."""
        return rng.uniform(0.0, self.backoff_ceiling(attempt))

    def allows(self, attempt: int, elapsed: float, delay: float) -> bool:
        """True if another attempt may follow attempt `attempt` after waiting `delay`, `elapsed` s after the start."""
        return attempt < self.max_attempts and elapsed + delay <= self.max_elapsed_seconds


@dataclass(frozen=True)
class Timeouts:
    """Seconds per request by class: `default`, `slow` (endpoints the provider knows to be slow, e.g. searches);
    `connect` for every class.

    Those bound each wait on the socket. `deadline` and `slow_deadline` bound a whole attempt (connect,
    send, and the entire response, however slowly it trickles); a late attempt fails like a read timeout.
    """

    default: float = 30.0
    slow: float = 360.0
    connect: float = 10.0
    deadline: float = 120.0
    slow_deadline: float = 720.0

    def __post_init__(self) -> None:
        for name in ("default", "slow", "connect"):
            check_seconds("Timeouts", name, getattr(self, name), maximum=MAX_TIMEOUT_SECONDS, positive=True)
        for name in ("deadline", "slow_deadline"):
            check_seconds("Timeouts", name, getattr(self, name), maximum=MAX_SECONDS, positive=True)

    def for_class(self, request_class: str) -> httpx.Timeout:
        """The httpx timeout of a request class; unknown classes are a programming error."""
        seconds = self.slow if self._is_slow(request_class) else self.default
        return httpx.Timeout(seconds, connect=min(self.connect, seconds))

    def deadline_for_class(self, request_class: str) -> float:
        """Seconds one attempt of a request class may take in all."""
        return self.slow_deadline if self._is_slow(request_class) else self.deadline

    @staticmethod
    def _is_slow(request_class: str) -> bool:
        if request_class not in ("default", "slow"):
            raise ValueError(f"unknown request_class {request_class!r}; use 'default' or 'slow'")
        return request_class == "slow"


def never_reached_server(exc: httpx.TransportError) -> bool:
    """True for failures before the request left: nothing can have been stored, so even a write may be retried."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
