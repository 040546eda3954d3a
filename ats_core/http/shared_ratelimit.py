"""One rate limit per credential shared by every process: a moving window in Redis (the `limits` library).

`SharedRateLimiter.like(limiter, credential, url)` takes a connection's `RateLimiter` (its declared limit,
its headers, its time zone) and counts its requests in Redis under a key derived from the credential, so
ten workers of one tenant send what one would. It keeps the `RateLimiter` interface, so `ApiClient`
uses it unchanged; `ats_core.http.ratelimit.limiter_for` makes the swap when the process shares limits.

What differs from the local limiter: a request counts from when it is sent (the local one counts it
until a window after its answer), so the window `limits` keeps in Redis is the declared one lengthened by
the safety margin, rounded up to whole seconds (Redis expires keys by the second): 25 per 5 s is kept as
25 per 6 s. A request then reaches the server at most that much later than it was counted, and transit
jitter cannot squeeze one more into the server's window. The server's answers still tighten it: a count
or remaining above what Redis holds adds the difference, and a reset, a Retry-After or a 429 pauses the
credential in every process. Redis losing its data (a
restart without persistence) would forget the window while the server remembers it, so a store that
comes back empty holds every request one window first. Redis out of reach holds requests, polling,
until the caller's wait budget runs out: then `RateLimited` names the store, and the caller retries later.
"""

from __future__ import annotations

import hashlib
import logging
import math
from functools import lru_cache
from typing import Any

import httpx
from limits import RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis import RedisError

from ats_core.errors import RateLimited
from ats_core.http.clock import Clock
from ats_core.http.ratelimit import RateLimiter, pause_asked

__all__ = ["STORE_TIMEOUT_SECONDS", "SharedRateLimiter", "credential_key", "shared_store"]

logger = logging.getLogger("ats_core.http")

STORE_TIMEOUT_SECONDS = 5.0
"""Longest wait for one Redis command (connect or answer)."""
_NAMESPACE = "ats-rate"
_STORE_BORN_KEY = f"{_NAMESPACE}:store-born"  # when this store's data began: missing after Redis lost it
_POLL_SECONDS = 0.01  # shortest sleep between tries while the window is full
_UNREACHABLE_POLL_SECONDS = 0.5  # sleep between tries while Redis cannot be reached
_StoreErrors = (StorageError, RedisError, OSError)


def credential_key(origin: str, identity: tuple[str, ...]) -> str:
    """A key naming one credential at one API (a digest: the identity may hold secrets; Redis never sees them)."""
    digest = hashlib.sha256("\0".join((origin, *identity)).encode()).hexdigest()
    return digest[:32]


@lru_cache(maxsize=8)
def shared_store(url: str) -> RedisStorage:
    """The Redis store at `url`, one per process (redis-py reconnects, and starts afresh in a forked child)."""
    return RedisStorage(
        url,
        key_prefix=_NAMESPACE,
        wrap_exceptions=True,
        socket_timeout=STORE_TIMEOUT_SECONDS,
        socket_connect_timeout=STORE_TIMEOUT_SECONDS,
    )


class SharedRateLimiter:
    """The `RateLimiter` interface over a moving window in Redis shared by every process using `credential`."""

    def __init__(self, limiter: RateLimiter, credential: str, store: RedisStorage, *, where: str) -> None:
        self.local = limiter  # its limit, headers, time zone and clock; its own window is not used
        self.requests = limiter.requests
        self.per_seconds = limiter.per_seconds
        self.clock: Clock = limiter.clock
        self.window = float(math.ceil(limiter.per_seconds * (1 + limiter.safety_margin)))
        self.allowed = limiter.requests
        self.credential = credential
        self.where = where
        self._item = RateLimitItemPerSecond(self.allowed, int(self.window), namespace=_NAMESPACE)
        self._store = store
        self._window = MovingWindowRateLimiter(store)
        self._pause_key = f"{_NAMESPACE}:pause:{credential}"
        self.waits = 0
        self.waited_seconds = 0.0

    @classmethod
    def like(cls, limiter: RateLimiter, credential: str, url: str) -> SharedRateLimiter:
        """A shared limiter with `limiter`'s limit and headers, in the Redis store at `url`."""
        where = httpx.URL(url).host or "redis"
        return cls(limiter, credential, shared_store(url), where=f"Redis at {where}")

    def begin(self, max_wait: float | None = None) -> float:
        """Block until the credential's window has room, and take a place in it; the seconds waited.

        A wait longer than `max_wait` raises `RateLimited` at once (naming the store when it is out of reach).
        """
        waited = 0.0
        while True:
            unreachable = False
            try:
                delay = self._hold_back()
                if delay <= 0:
                    if self._window.hit(self._item, self.credential):
                        if waited > 0:
                            self.waits += 1
                            self.waited_seconds += waited
                        return waited
                    reset_at = self._window.get_window_stats(self._item, self.credential).reset_time
                    delay = max(reset_at - self.clock.time(), _POLL_SECONDS)
            except _StoreErrors as error:
                logger.debug("shared rate limit: %s out of reach (%s)", self.where, type(error).__name__)
                unreachable, delay = True, _UNREACHABLE_POLL_SECONDS
            if max_wait is not None and waited + delay > max_wait:
                if unreachable:
                    raise RateLimited(
                        f"the shared rate limit's store ({self.where}) cannot be reached; requests wait for it",
                        retry_after=_UNREACHABLE_POLL_SECONDS,
                    )
                raise RateLimited(
                    f"the rate limit would hold this request {delay:.0f} s, longer than its retry budget allows",
                    retry_after=delay,
                )
            self.clock.sleep(delay)
            waited += delay

    def _hold_back(self) -> float:
        """Seconds every request of this credential waits now: a pause the server asked for, or a store reborn."""
        connection = self._redis()
        pause_until, born = connection.mget([self._pause_key, _STORE_BORN_KEY])
        now = self.clock.time()
        if born is None:  # a new store, or one that lost its data: the server may still count a window
            connection.set(_STORE_BORN_KEY, repr(now), nx=True)
            born = connection.get(_STORE_BORN_KEY) or repr(now)
        born_hold = float(born) + self.window - now
        return max(0.0, born_hold, 0.0 if pause_until is None else float(pause_until) - now)

    def end(self) -> None:
        """A request's answer arrived: nothing to do, its place in the window counts from when it was sent."""

    def acquire(self, max_wait: float | None = None) -> float:
        """`begin` and `end` at once."""
        waited = self.begin(max_wait)
        self.end()
        return waited

    def server_wait(self, response: httpx.Response) -> float | None:
        """Seconds the server asks to wait, read as the local limiter reads them (headers, time zone)."""
        return self.local.server_wait(response)

    def paused_for(self) -> float:
        """Seconds left of a pause the server imposed on this credential (0 when none, or the store is away)."""
        try:
            until = self._redis().get(self._pause_key)
        except _StoreErrors:
            return 0.0
        return 0.0 if until is None else max(0.0, float(until) - self.clock.time())

    def observe(self, response: httpx.Response) -> None:
        """Pause the credential everywhere as the server asks; count what the server counted beyond Redis's count."""
        wait = self.server_wait(response)
        used = self.local.server_used(response)
        try:
            remaining = None if used is None else self._window.get_window_stats(self._item, self.credential).remaining
            counted = self.allowed if remaining is None else self.allowed - remaining
            wait = pause_asked(response, wait, used, counted, self.window)
            if wait:
                self._pause(wait)
            if used is not None and remaining is not None:
                missing = min(used - (self.allowed - remaining), remaining)
                if missing > 0:
                    self._window.hit(self._item, self.credential, cost=missing)
        except _StoreErrors as error:  # advisory: the next begin() waits for the store anyway
            logger.debug("shared rate limit: %s out of reach (%s)", self.where, type(error).__name__)

    def _redis(self) -> Any:
        """The store's Redis client (typed Any: redis-py types every answer as maybe-awaitable), for the keys
        beside the window: the pause, the store's birth."""
        return self._store.get_connection()

    def _pause(self, seconds: float) -> None:
        connection = self._redis()
        until = self.clock.time() + seconds
        current = connection.get(self._pause_key)
        if current is None or float(current) < until:
            connection.set(self._pause_key, repr(until), px=max(1, math.ceil(seconds * 1000)))

    def __repr__(self) -> str:
        return (
            f"SharedRateLimiter(requests={self.requests}, per_seconds={self.per_seconds:g}, "
            f"allowed={self.allowed} per {self.window:g} s, store={self.where!r})"
        )
