"""A deadline per request attempt: connect, send and the whole response within it, however slowly bytes trickle.

httpx's timeouts bound each socket operation; a server sending one byte every few seconds never trips them.
The client enters a `Deadline` for every attempt (a context variable, so worker threads keep their own);
`DeadlineTransport` bounds each connect, TLS handshake, read and write by the time left to it, and the
response body is checked against it between chunks whatever the transport (`ats_core.http.body`).
"""

from __future__ import annotations

import contextvars
import ssl
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from ats_core.http.clock import Clock

__all__ = [
    "Deadline",
    "DeadlineTransport",
    "RequestDeadlineExceeded",
    "current_deadline",
    "deadline_scope",
    "default_transport",
]


class RequestDeadlineExceeded(httpx.TimeoutException):
    """An attempt outlived its deadline: a transport failure, retried like a read timeout."""


class Deadline:
    """The moment (on `clock.monotonic()`) by which an attempt must be done, and its length for messages."""

    def __init__(self, clock: Clock, at: float, seconds: float) -> None:
        self.clock = clock
        self.at = at
        self.seconds = seconds

    @classmethod
    def starting_now(cls, clock: Clock, seconds: float) -> Deadline:
        """A deadline `seconds` from now."""
        return cls(clock, clock.monotonic() + seconds, seconds)

    def extend(self, seconds: float) -> None:
        """Move the deadline by time the attempt spent not on the network (waiting for the rate limit)."""
        self.at += seconds

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.at - self.clock.monotonic()

    def expired(self) -> bool:
        """True once the deadline has passed."""
        return self.remaining() <= 0

    def check(self) -> None:
        """Raise `RequestDeadlineExceeded` once the deadline has passed."""
        if self.expired():
            raise RequestDeadlineExceeded(f"no complete response within the {self.seconds:g} s request deadline")

    def bound(self, timeout: float | None) -> float:
        """`timeout` shortened to the time left; the deadline is checked first."""
        self.check()
        left = self.remaining()
        return left if timeout is None else min(timeout, left)


_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("ats_core_deadline", default=None)


def current_deadline() -> Deadline | None:
    """The deadline of the attempt running in this context, if any."""
    return _CURRENT.get()


@contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[Deadline]:
    """Run the block (one attempt) under `deadline`."""
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every wait ends by the current deadline (`RequestDeadlineExceeded` then)."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        deadline = current_deadline()
        if deadline is None:
            return self._stream.read(max_bytes, timeout)
        try:
            return self._stream.read(max_bytes, deadline.bound(timeout))
        except httpcore.ReadTimeout:
            deadline.check()
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        deadline = current_deadline()
        if deadline is None:
            self._stream.write(buffer, timeout)
            return
        try:
            self._stream.write(buffer, deadline.bound(timeout))
        except httpcore.WriteTimeout:
            deadline.check()
            raise

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _connect_timeout(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


def _connect_timeout(timeout: float | None) -> float | None:
    """A connect or handshake timeout shortened to the time left; past the deadline, a ConnectTimeout at once.

    A connect that timed out never reached the server, so even a write may be retried after it.
    """
    deadline = current_deadline()
    if deadline is None:
        return timeout
    if deadline.expired():
        raise httpcore.ConnectTimeout(f"the {deadline.seconds:g} s request deadline passed before connecting")
    left = deadline.remaining()
    return left if timeout is None else min(timeout, left)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with every connect and stream bounded by the current deadline."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(host, port, _connect_timeout(timeout), local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(path, _connect_timeout(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport (TLS verified, its default pool limits) over sockets bounded by the attempt's deadline.

    Only the connection pool differs, so `__init__` builds that alone: httpx's request and response
    handling, which read `self._pool`, are inherited unchanged. `proxy` is an http(s) proxy URL to go
    through (its sockets bounded the same way).
    """

    def __init__(self, proxy: str | None = None) -> None:
        ssl_context = httpx.create_ssl_context(verify=True)
        backend = _DeadlineBackend()
        limits: dict[str, Any] = {  # httpx.Client's default limits
            "max_connections": 100,
            "max_keepalive_connections": 20,
            "keepalive_expiry": 5.0,
        }
        if proxy is None:
            self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend, **limits)
            return
        through = httpx.Proxy(proxy)
        self._pool = httpcore.HTTPProxy(
            proxy_url=httpcore.URL(
                scheme=through.url.raw_scheme,
                host=through.url.raw_host,
                port=through.url.port,
                target=through.url.raw_path,
            ),
            proxy_auth=through.raw_auth,
            proxy_headers=through.headers.raw,
            ssl_context=ssl_context,
            network_backend=backend,
            **limits,
        )


def default_transport(url: httpx.URL) -> httpx.BaseTransport:
    """The transport for a client of `url`: deadline-bounded, through the environment's proxy for it if any.

    HTTP_PROXY / HTTPS_PROXY / NO_PROXY are honoured as httpx honours them by default; a SOCKS proxy goes
    through httpx's own transport (its sockets are then bounded only between response chunks).
    """
    proxy = urllib.request.getproxies().get(url.scheme)
    if not proxy or urllib.request.proxy_bypass(url.host):
        return DeadlineTransport()
    if httpx.URL(proxy).scheme in ("http", "https"):
        return DeadlineTransport(proxy)
    return httpx.HTTPTransport(verify=True, proxy=proxy)
