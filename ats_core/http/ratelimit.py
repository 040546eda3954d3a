"""A thread-safe sliding-window rate limiter that also obeys the server's Retry-After and rate-limit headers."""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from ats_core.http.bounds import MAX_SECONDS, check_count, check_seconds
from ats_core.http.clock import Clock, SystemClock

__all__ = [
    "MAX_REQUESTS_PER_WINDOW",
    "MAX_SERVER_WAIT_SECONDS",
    "RateLimiter",
    "parse_reset",
    "parse_retry_after",
    "server_wait",
]

MAX_SERVER_WAIT_SECONDS = 3600.0
"""A server-advised wait longer than this is treated as this (a guard against nonsense headers)."""

MAX_REQUESTS_PER_WINDOW = 1_000_000
"""The largest request count per window taken (a larger one is a setting gone wrong)."""

_EPOCH_SECONDS_FLOOR = 1e9  # numbers above this are epoch timestamps, below it durations in seconds
_EPOCH_MILLIS_FLOOR = 1e12  # numbers above this are epoch milliseconds


def _clamp(seconds: float) -> float | None:
    """Seconds bounded to [0, MAX_SERVER_WAIT_SECONDS]; None for NaN."""
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_SERVER_WAIT_SECONDS)


def _parse_timestamp(value: str) -> float | None:
    """Epoch seconds of an HTTP date or an ISO 8601 timestamp (naive means UTC), or None."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After value (delta seconds or HTTP date), given wall time `now`."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return _clamp(float(value))
    except ValueError:
        pass
    stamp = _parse_timestamp(value)
    return None if stamp is None else _clamp(stamp - now)


def parse_reset(value: str | None, now: float) -> float | None:
    """Seconds until a rate-limit reset value: epoch seconds or millis, seconds-from-now, HTTP date or ISO time."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        stamp = _parse_timestamp(value)
        return None if stamp is None else _clamp(stamp - now)
    if not math.isfinite(number):
        return None
    if number >= _EPOCH_MILLIS_FLOOR:
        return _clamp(number / 1000.0 - now)
    if number >= _EPOCH_SECONDS_FLOOR:
        return _clamp(number - now)
    return _clamp(number)


def _remaining(response: httpx.Response, header: str) -> int | None:
    raw = response.headers.get(header)
    if raw is None:
        return None
    try:
        return int(float(raw.strip()))
    except ValueError:
        return None


def server_wait(
    response: httpx.Response,
    now: float,
    *,
    remaining_header: str = "x-rate-limit-remaining",
    reset_header: str = "x-rate-limit-reset",
) -> float | None:
    """Seconds the server asks us to wait: Retry-After, else the reset time when nothing remains (or on a 429)."""
    retry_after = parse_retry_after(response.headers.get("retry-after"), now)
    if retry_after is not None:
        return retry_after
    remaining = _remaining(response, remaining_header)
    if response.status_code == 429 or remaining == 0:
        return parse_reset(response.headers.get(reset_header), now)
    return None


class RateLimiter:
    """At most `requests` requests in any `per_seconds` window; one per connection, shared by its threads."""

    def __init__(
        self,
        requests: int,
        per_seconds: float,
        *,
        clock: Clock | None = None,
        remaining_header: str = "x-rate-limit-remaining",
        reset_header: str = "x-rate-limit-reset",
    ) -> None:
        self.requests = check_count("RateLimiter", "requests", requests, minimum=1, maximum=MAX_REQUESTS_PER_WINDOW)
        self.per_seconds = check_seconds("RateLimiter", "per_seconds", per_seconds, maximum=MAX_SECONDS, positive=True)
        self.clock: Clock = clock or SystemClock()
        self.remaining_header = remaining_header
        self.reset_header = reset_header
        self._lock = threading.Lock()
        self._sent: deque[float] = deque()
        self._blocked_until = float("-inf")
        self.waits = 0
        self.waited_seconds = 0.0

    def acquire(self) -> float:
        """Block until a request may be sent, then count it; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock.monotonic()
                while self._sent and self._sent[0] <= now - self.per_seconds:
                    self._sent.popleft()
                ready_at = self._blocked_until
                if len(self._sent) >= self.requests:
                    ready_at = max(ready_at, self._sent[0] + self.per_seconds)
                if ready_at <= now:
                    self._sent.append(now)
                    if waited > 0:
                        self.waits += 1
                        self.waited_seconds += waited
                    return waited
                delay = ready_at - now
            self.clock.sleep(delay)
            waited += delay

    def server_wait(self, response: httpx.Response) -> float | None:
        """Seconds the server asks to wait, read with this limiter's header names (see `server_wait`)."""
        return server_wait(
            response, self.clock.time(), remaining_header=self.remaining_header, reset_header=self.reset_header
        )

    def paused_for(self) -> float:
        """Seconds left of a pause the server imposed (0 when none)."""
        with self._lock:
            return max(0.0, self._blocked_until - self.clock.monotonic())

    def observe(self, response: httpx.Response) -> None:
        """Learn from a response: pause all requests for Retry-After / until reset when the server says so."""
        wait = self.server_wait(response)
        if wait is None and (response.status_code == 429 or _remaining(response, self.remaining_header) == 0):
            wait = self.per_seconds
        if wait is None:
            return
        with self._lock:
            self._blocked_until = max(self._blocked_until, self.clock.monotonic() + wait)

    def __repr__(self) -> str:
        return f"RateLimiter(requests={self.requests}, per_seconds={self.per_seconds})"
