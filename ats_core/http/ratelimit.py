"""A thread-safe sliding-window rate limiter with a safety margin, tightened by what the server's headers say.

`Limiter` is what `ApiClient` asks of a limiter; `limiter_for` gives a connection its limiter: the one its
provider built, or (when the process shares rate limits: `use_shared_rate_limits(url)` or the variable
ATS_RATE_LIMIT_STORAGE) the same limit counted in Redis for every process using that credential.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from datetime import UTC, tzinfo
from typing import Protocol

import httpx

from ats_core.errors import RateLimited
from ats_core.http.bounds import MAX_SECONDS, check_count, check_fraction, check_seconds
from ats_core.http.clock import Clock, SystemClock
from ats_core.http.rate_headers import (
    MAX_SERVER_WAIT_SECONDS,
    parse_reset,
    parse_retry_after,
    server_used,
    server_wait,
)

__all__ = [
    "DEFAULT_SAFETY_MARGIN",
    "MAX_REQUESTS_PER_WINDOW",
    "MAX_SERVER_WAIT_SECONDS",
    "STORAGE_VARIABLE",
    "Limiter",
    "RateLimiter",
    "limiter_for",
    "parse_reset",
    "parse_retry_after",
    "pause_asked",
    "server_wait",
    "shared_storage_url",
    "use_shared_rate_limits",
]

MAX_REQUESTS_PER_WINDOW = 1_000_000
"""The largest request count per window taken (a larger one is a setting gone wrong)."""
DEFAULT_SAFETY_MARGIN = 0.05
"""The window is held this fraction longer than declared, for transit delay and clock skew."""
_IN_FLIGHT_RECHECK_SECONDS = 1.0  # real seconds between looks while only requests in flight fill the window
STORAGE_VARIABLE = "ATS_RATE_LIMIT_STORAGE"
"""The environment variable naming the Redis (redis://HOST:PORT/DB) where every process shares rate limits."""
_shared_storage: str | None = None


class Limiter(Protocol):
    """What `ApiClient` asks of a rate limiter (`RateLimiter` here, `SharedRateLimiter` across processes)."""

    clock: Clock

    def begin(self, max_wait: float | None = None) -> float:
        """Block until a request may be sent and count it; the seconds waited (RateLimited past `max_wait`)."""
        ...

    def end(self) -> None:
        """A request counted by `begin` was answered (or failed)."""
        ...

    def observe(self, response: httpx.Response) -> None:
        """Learn from an answer's rate-limit headers and status."""
        ...

    def server_wait(self, response: httpx.Response) -> float | None:
        """Seconds the server asks to wait, read with the limiter's headers and time zone."""
        ...

    def paused_for(self) -> float:
        """Seconds left of a pause the server imposed (0 when none)."""
        ...


def use_shared_rate_limits(url: str | None) -> None:
    """Share every connection's rate limit made from now on through the Redis at `url` (None: stop sharing)."""
    global _shared_storage
    _shared_storage = url


def shared_storage_url() -> str | None:
    """Where this process shares rate limits: `use_shared_rate_limits`, else ATS_RATE_LIMIT_STORAGE, else None."""
    return _shared_storage or os.environ.get(STORAGE_VARIABLE) or None


def limiter_for(limiter: RateLimiter, origin: str, identity: tuple[str, ...]) -> Limiter:
    """The limiter a connection uses: `limiter`, or its limit shared by every process using the same credential.

    `identity` names the credential (the auth flow's `credential_identity`); only a digest of it is stored.
    """
    url = shared_storage_url()
    if url is None:
        return limiter
    from ats_core.http.shared_ratelimit import SharedRateLimiter, credential_key

    return SharedRateLimiter.like(limiter, credential_key(origin, identity), url)


def pause_asked(response: httpx.Response, wait: float | None, used: int | None, counted: int, window: float) -> float:
    """Seconds every request should pause after `response`: the server's wait, or a window for a bare 429.

    A reset when nothing remains is ignored while every request the server counts (`used`) is counted here
    too (`counted`): this window frees a slot no earlier than the server's, and a reset read on a clock
    seconds off the server's would only add that skew. Retry-After on a 429 or 503 is always honoured.
    """
    refused = response.status_code in (429, 503)
    if response.status_code == 429 and not wait:
        return window  # refused without a usable wait: hold off one whole window
    if wait and not refused and used is not None and used <= counted:
        return 0.0
    return wait or 0.0


class RateLimiter:
    """At most `requests` requests in any window of `per_seconds`; one per connection, shared by its threads.

    A request counts from when it is sent (`begin`) until a window after its answer arrived (`end`), and
    the window is held `safety_margin` longer than declared, so latency jitter and clock skew cannot
    squeeze more into the server's window than it allows. The server's answers tighten it (`observe`):
    a count or remaining showing more requests than counted here (the credential shared, a replay the
    server saw) adds the difference; a reset when nothing remains and the server counts more than this
    window holds, or a Retry-After on a 429 or 503, pauses every request; a 429 without a usable wait
    pauses one window. Offset-less reset times are read
    in `server_time_zone` (the provider says which; UTC if it does not).
    """

    def __init__(
        self,
        requests: int,
        per_seconds: float,
        *,
        clock: Clock | None = None,
        remaining_header: str | None = None,
        reset_header: str | None = None,
        count_header: str | None = None,
        server_time_zone: tzinfo | None = None,
        safety_margin: float = DEFAULT_SAFETY_MARGIN,
    ) -> None:
        self.requests = check_count("RateLimiter", "requests", requests, minimum=1, maximum=MAX_REQUESTS_PER_WINDOW)
        self.per_seconds = check_seconds("RateLimiter", "per_seconds", per_seconds, maximum=MAX_SECONDS, positive=True)
        self.safety_margin = check_fraction("RateLimiter", "safety_margin", safety_margin)
        self.window = self.per_seconds * (1 + self.safety_margin)
        self.clock: Clock = clock or SystemClock()
        self.remaining_header = remaining_header
        self.reset_header = reset_header
        self.count_header = count_header
        self.server_time_zone = server_time_zone or UTC
        self._condition = threading.Condition()
        self._ended: deque[float] = deque()  # when each counted request ended, oldest first
        self._in_flight = 0
        self._blocked_until = float("-inf")
        self.waits = 0
        self.waited_seconds = 0.0

    def begin(self, max_wait: float | None = None) -> float:
        """Block until a request may be sent, then count it as in flight; returns the seconds waited.

        When the wait would be longer than `max_wait` (the caller's retry budget), raise `RateLimited`
        at once, naming the wait, instead of sleeping.
        """
        waited = 0.0
        while True:
            with self._condition:
                now = self.clock.monotonic()
                ready_at = self._ready_at(now)
                if ready_at is None:  # only requests in flight fill the window: wait for one to end
                    self._condition.wait(_IN_FLIGHT_RECHECK_SECONDS)
                    continue
                if ready_at <= now:
                    self._in_flight += 1
                    if waited > 0:
                        self.waits += 1
                        self.waited_seconds += waited
                    return waited
                delay = ready_at - now
            if max_wait is not None and waited + delay > max_wait:
                raise RateLimited(
                    f"the rate limit would hold this request {delay:.0f} s, longer than its retry budget allows",
                    retry_after=delay,
                )
            self.clock.sleep(delay)
            waited += delay

    def end(self) -> None:
        """A request counted by `begin` was answered (or failed): it counts for one more window from now."""
        with self._condition:
            self._in_flight = max(0, self._in_flight - 1)
            self._ended.append(self.clock.monotonic())
            self._condition.notify()

    def acquire(self, max_wait: float | None = None) -> float:
        """`begin` and `end` at once: for a caller that counts a request as sent and answered now."""
        waited = self.begin(max_wait)
        self.end()
        return waited

    def _ready_at(self, now: float) -> float | None:
        """When the next request may go (None: only when a request in flight ends); lock held."""
        while self._ended and self._ended[0] <= now - self.window:
            self._ended.popleft()
        ready_at = self._blocked_until
        excess = self._in_flight + len(self._ended) - self.requests + 1
        if excess > 0:
            if excess > len(self._ended):
                return None
            ready_at = max(ready_at, self._ended[excess - 1] + self.window)
        return ready_at

    def server_wait(self, response: httpx.Response) -> float | None:
        """Seconds the server asks to wait, read with this limiter's headers and time zone (see `server_wait`)."""
        return server_wait(
            response,
            self.clock.time(),
            remaining_header=self.remaining_header,
            reset_header=self.reset_header,
            zone=self.server_time_zone,
        )

    def paused_for(self) -> float:
        """Seconds left of a pause the server imposed (0 when none)."""
        with self._condition:
            return max(0.0, self._blocked_until - self.clock.monotonic())

    def observe(self, response: httpx.Response) -> None:
        """Learn from an answer: pause as the server asks, and count what the server counted beyond our count."""
        wait = self.server_wait(response)
        used = self.server_used(response)
        with self._condition:
            now = self.clock.monotonic()
            self._ready_at(now)  # drop what has expired before comparing
            counted = self._in_flight + len(self._ended)
            wait = pause_asked(response, wait, used, counted, self.window)
            if wait:
                self._blocked_until = max(self._blocked_until, now + wait)
            if used is not None:
                self._ended.extend([now] * max(0, used - counted))

    def server_used(self, response: httpx.Response) -> int | None:
        """How many requests the server counts in its window now, read with this limiter's headers."""
        return server_used(
            response, self.requests, count_header=self.count_header, remaining_header=self.remaining_header
        )

    def __repr__(self) -> str:
        return (
            f"RateLimiter(requests={self.requests}, per_seconds={self.per_seconds:g}, "
            f"safety_margin={self.safety_margin:g})"
        )
