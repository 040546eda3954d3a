"""`ApiClient`: one provider connection with auth, rate limiting, bounded retries, timeouts and typed errors."""

from __future__ import annotations

import contextvars
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from ats_core.errors import (
    InvalidResponse,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    WriteOutcomeUnknown,
)
from ats_core.http.auth import TOKEN_REQUEST, SecretBearingAuth
from ats_core.http.body import ACCEPT_ENCODING, DEFAULT_MAX_RESPONSE_BYTES, BoundedTransport
from ats_core.http.bounds import check_count
from ats_core.http.clock import Clock, SystemClock
from ats_core.http.deadline import (
    Deadline,
    RequestDeadlineExceeded,
    current_deadline,
    deadline_scope,
    default_transport,
)
from ats_core.http.errors import body_excerpt, error_for_response, provider_message
from ats_core.http.headers import ensure_headers_safe
from ats_core.http.jsonbody import JSONTooDeep, decode_json
from ats_core.http.logs import install_httpx_log_redaction
from ats_core.http.rate_headers import RETRY_AFTER_STATUSES, server_wait
from ats_core.http.ratelimit import Limiter, RateLimiter, limiter_for
from ats_core.http.retry import IDEMPOTENT_METHODS, RetryPolicy, Timeouts, never_reached_server
from ats_core.http.stats import RequestStats
from ats_core.http.urls import ensure_secure_url, is_loopback_host, same_origin, url_for_humans
from ats_core.scope import scope_label

__all__ = ["MAX_REDIRECTS", "ApiClient", "decode_json"]

logger = logging.getLogger("ats_core.http")
install_httpx_log_redaction()

MAX_REDIRECTS = 5
MAX_RESPONSE_BYTES_CEILING = 1 << 40
"""The largest `max_response_bytes` taken (1 TiB); more is a setting gone wrong."""

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass
class _Exchange:
    """One `request()` call: when its retry budget ends, and how many of its requests are on the wire."""

    budget_ends_at: float
    in_flight: int = 0


_EXCHANGE: contextvars.ContextVar[_Exchange | None] = contextvars.ContextVar("ats_core_exchange", default=None)


class ApiClient:
    """One provider connection: base URL, auth, limiter, retries, timeouts, typed errors."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        rate_limit: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        timeouts: Timeouts | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_response_bytes_setting: str = "max_response_bytes",
    ) -> None:
        self.base_url = ensure_secure_url(base_url, "base_url")
        self.max_response_bytes = check_count(
            "ApiClient", "max_response_bytes", max_response_bytes, minimum=1, maximum=MAX_RESPONSE_BYTES_CEILING
        )
        self.auth = auth
        self.rate_limit: Limiter | None = None
        if rate_limit is not None:
            identity = auth.credential_identity() if isinstance(auth, SecretBearingAuth) else ()
            origin = httpx.URL(self.base_url)
            self.rate_limit = limiter_for(rate_limit, f"{origin.scheme}://{origin.netloc.decode()}", identity)
        self.retry = retry or RetryPolicy()
        self.timeouts = timeouts or Timeouts()
        self.clock: Clock = clock or (rate_limit.clock if rate_limit is not None else SystemClock())
        self.stats = RequestStats()
        self._rng = rng or random.Random()
        self._headers = httpx.Headers(
            {"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING, "User-Agent": "ats-core"}
        )
        ensure_headers_safe(headers or {}, "headers")
        self._headers.update(dict(headers or {}))
        bounded = BoundedTransport(
            transport if transport is not None else default_transport(self.base_url),
            max_bytes=self.max_response_bytes,
            setting=max_response_bytes_setting,
        )
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=bounded,
            follow_redirects=False,
            verify=True,
            event_hooks={"request": [self._count_request], "response": [self._count_response]},
            timeout=self.timeouts.for_class("default"),
        )

    def __repr__(self) -> str:
        return f"ApiClient(base_url={url_for_humans(self.base_url)!r})"

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        files: Any = None,
        data: Any = None,
        idempotent: bool | None = None,
        request_class: str = "default",
        follow_redirects: bool = True,
    ) -> httpx.Response:
        """Send with retries and return a 2xx/3xx response; raise the typed error otherwise.

        Idempotent requests (GET/HEAD/PUT/DELETE/OPTIONS unless told otherwise) are retried on transport errors
        and retryable statuses. Others are retried only when they never reached the server (connect errors) or
        were refused with 429; a lost response or a 5xx to them raises WriteOutcomeUnknown. With
        `follow_redirects=False` a redirect is returned as it came (e.g. an OAuth authorization code in its
        Location, which must not be followed to the redirect URI).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        timeout = self.timeouts.for_class(request_class)
        started = self.clock.monotonic()
        exchange = _Exchange(budget_ends_at=started + self.retry.max_elapsed_seconds)
        attempt = 0
        while True:
            attempt += 1
            request = self._http.build_request(
                method,
                path,
                params=params,
                json=json,
                content=content,
                files=files,
                data=data,
                headers=self._headers,
                timeout=timeout,
            )
            sent: list[httpx.Request] = []
            attempt_started = self.clock.monotonic()
            try:
                response = self._attempt(request, sent, timeout, exchange, request_class, follow_redirects)
            except httpx.TransportError as exc:
                self._log(request, type(exc).__name__, attempt, attempt_started)
                failed = _failed_request(exc)
                reached = not never_reached_server(exc) and (failed is None or any(failed is r for r in sent))
                if reached and not idempotent:
                    raise self._outcome_unknown(request, type(exc).__name__) from exc
                delay = self.retry.backoff(attempt, self._rng)
                if self.retry.allows(attempt, self.clock.monotonic() - started, delay):
                    self._pause(type(exc).__name__, delay)
                    continue
                raise ProviderUnavailable(
                    f"{_failure(exc)} after {attempt} attempt(s)", method=method, path=request.url.path
                ) from exc
            except ProviderError as exc:  # raised by the auth flow while getting a token
                delay = self.retry.backoff(attempt, self._rng)
                retryable = isinstance(exc, ProviderUnavailable)
                if retryable and self.retry.allows(attempt, self.clock.monotonic() - started, delay):
                    self._pause("token_endpoint", delay)
                    continue
                raise

            self._log(response.request, response.status_code, attempt, attempt_started)
            self.stats.record_status(response.status_code)
            status = response.status_code
            if status < 400:
                return response
            if status in self.retry.retry_statuses:
                if status != 429 and not idempotent:
                    raise self._outcome_unknown(response.request, f"HTTP {status}", response)
                delay, retry_after = self._retry_delay(response, attempt)
                if self.retry.allows(attempt, self.clock.monotonic() - started, delay):
                    self._pause(str(status), delay)
                    continue
                raise error_for_response(
                    response,
                    retry_after=retry_after,
                    secrets=self.secret_values(),
                    attempts=attempt,
                )
            raise error_for_response(response, secrets=self.secret_values())

    def get_json(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        request_class: str = "default",
    ) -> Any:
        """GET and decode the JSON body (None for an empty body)."""
        return self._json_exchange("GET", path, None, None, params, request_class)

    def post_json(
        self,
        path: str,
        *,
        json: Any,
        idempotent: bool = False,
        params: Mapping[str, Any] | None = None,
        request_class: str = "default",
    ) -> Any:
        """POST a JSON body and decode the JSON answer; not retried once it may have reached the server."""
        return self._json_exchange("POST", path, json, idempotent, params, request_class)

    def put_json(
        self,
        path: str,
        *,
        json: Any,
        params: Mapping[str, Any] | None = None,
        request_class: str = "default",
    ) -> Any:
        """PUT a JSON body and decode the JSON answer (idempotent, so retried)."""
        return self._json_exchange("PUT", path, json, None, params, request_class)

    def patch_json(
        self,
        path: str,
        *,
        json: Any,
        idempotent: bool = False,
        params: Mapping[str, Any] | None = None,
        request_class: str = "default",
    ) -> Any:
        """PATCH a JSON body and decode the JSON answer (not idempotent unless told)."""
        return self._json_exchange("PATCH", path, json, idempotent, params, request_class)

    def delete(self, path: str, *, params: Mapping[str, Any] | None = None) -> None:
        """DELETE (idempotent, so retried)."""
        self.request("DELETE", path, params=params)

    def _json_exchange(
        self,
        method: str,
        path: str,
        body: Any,
        idempotent: bool | None,
        params: Mapping[str, Any] | None,
        request_class: str,
    ) -> Any:
        """Send (a JSON body, unless None) and decode the JSON answer; idempotent None = decided by the method."""
        response = self.request(
            method,
            path,
            json=body,
            params=params,
            idempotent=idempotent,
            request_class=request_class,
        )
        return self.decode(response)

    def decode(self, response: httpx.Response) -> Any:
        """The JSON body of a response (None when empty); a body that is not JSON raises InvalidResponse."""
        if response.status_code == 204 or not response.content.strip():
            return None
        try:
            return decode_json(response.content)
        except JSONTooDeep as error:
            raise InvalidResponse(
                f"the response body is {error}",
                method=response.request.method,
                path=response.request.url.path,
                status_code=response.status_code,
                hint="the ATS sent a body no client should have to read; report it to the ATS vendor",
            ) from None
        except ValueError:
            raise InvalidResponse(
                "the response body is not valid JSON",
                method=response.request.method,
                path=response.request.url.path,
                status_code=response.status_code,
                hint="the ATS answered with something other than JSON; check base_url points at its REST API",
                body=body_excerpt(response, self.secret_values()),
            ) from None

    def _attempt(
        self,
        request: httpx.Request,
        sent: list[httpx.Request],
        timeout: httpx.Timeout,
        exchange: _Exchange,
        request_class: str,
        follow_redirects: bool = True,
    ) -> httpx.Response:
        """One attempt under its deadline; the rate limit counts every request it puts on the wire (hooks)."""
        token = _EXCHANGE.set(exchange)
        try:
            with deadline_scope(Deadline.starting_now(self.clock, self.timeouts.deadline_for_class(request_class))):
                return self._send(request, sent, timeout, follow_redirects)
        finally:
            _EXCHANGE.reset(token)
            if self.rate_limit is not None:
                for _ in range(exchange.in_flight):  # sent, but no answer came: they count from now
                    self.rate_limit.end()
            exchange.in_flight = 0

    def _count_request(self, request: httpx.Request) -> None:
        """httpx request hook: a request to the API origin waits for a rate-limit slot and holds it in flight.

        This sees every request on the wire: a redirect hop and a request the auth flow replays after a 401
        count like the first. Token requests do not: the limit is the API's, whatever host serves tokens.
        A wait longer than the request's retry budget is a RateLimited at once.
        """
        if not self._rate_limited(request):
            return
        assert self.rate_limit is not None
        exchange = _EXCHANGE.get()
        budget = None if exchange is None else max(0.0, exchange.budget_ends_at - self.clock.monotonic())
        try:
            waited = self.rate_limit.begin(budget)
        except RateLimited as error:
            error.method, error.path = request.method, request.url.path
            raise
        if exchange is None:
            self.rate_limit.end()
        else:
            exchange.in_flight += 1
        if waited > 0:
            self.stats.record_limiter_wait(waited)
            deadline = current_deadline()
            if deadline is not None:
                deadline.extend(waited)  # the deadline bounds the network, not the wait for a slot

    def _count_response(self, response: httpx.Response) -> None:
        """httpx response hook: the request's slot ends as its answer arrives; the limiter learns from it."""
        if not self._rate_limited(response.request):
            return
        assert self.rate_limit is not None
        exchange = _EXCHANGE.get()
        if exchange is not None and exchange.in_flight > 0:
            exchange.in_flight -= 1
            self.rate_limit.end()
        self.rate_limit.observe(response)

    def _rate_limited(self, request: httpx.Request) -> bool:
        """True for a request the limiter counts: to the API origin, and not for a token."""
        if self.rate_limit is None or request.extensions.get(TOKEN_REQUEST):
            return False
        return same_origin(request.url, self.base_url)

    def _retry_delay(self, response: httpx.Response, attempt: int) -> tuple[float, float | None]:
        """The wait before retrying a retryable status, and the wait to report should retries run out.

        The server's wait is used when it names one still ahead; a 429 is never retried at once (at least
        the policy's backoff ceiling), and the limiter's pause is always waited out.
        """
        status = response.status_code
        wait = self._server_wait(response) if status in RETRY_AFTER_STATUSES else None
        if not wait:  # none given, or a time already passed
            wait = None
        if wait is not None:
            delay = wait
        elif status == 429:
            delay = self.retry.backoff_ceiling(attempt)
        else:
            delay = self.retry.backoff(attempt, self._rng)
        if self.rate_limit is not None:
            delay = max(delay, self.rate_limit.paused_for())
        reported = delay if status == 429 and (wait is not None or self.rate_limit is not None) else None
        return delay, reported

    def _send(
        self, request: httpx.Request, sent: list[httpx.Request], timeout: httpx.Timeout, follow_redirects: bool = True
    ) -> httpx.Response:
        """Send, following redirects by hand (unless told not to) so credentials never go to another origin."""
        ensure_secure_url(request.url, "request URL")
        with_auth = same_origin(request.url, self.base_url)
        sent.append(request)
        self.stats.record_sent()
        response = self._http.send(request, auth=self.auth if with_auth else None, follow_redirects=False)
        if not follow_redirects:
            return response
        for _ in range(MAX_REDIRECTS):
            location = response.headers.get("location")
            if response.status_code not in _REDIRECT_STATUSES or not location:
                return response
            target = request.url.join(location)
            if not _secure(target):
                response.close()
                raise InvalidResponse(
                    f"redirected to a non-https URL ({target.scheme}://{target.host}); not followed",
                    method=request.method,
                    path=request.url.path,
                    status_code=response.status_code,
                    hint="check base_url: the ATS should redirect to https (plain http is allowed only on loopback)",
                )
            keep_body = response.status_code in (307, 308)
            method = request.method if keep_body or request.method in ("GET", "HEAD") else "GET"
            headers = httpx.Headers(self._headers if same_origin(target, self.base_url) else {})
            if keep_body and "content-type" in request.headers:
                headers["Content-Type"] = request.headers["content-type"]
            response.close()
            request = httpx.Request(
                method,
                target,
                headers=headers,
                content=request.content if keep_body else None,
                extensions={"timeout": timeout.as_dict()},
            )
            with_auth = with_auth and same_origin(target, self.base_url)
            sent.append(request)
            self.stats.record_sent()
            response = self._http.send(request, auth=self.auth if with_auth else None, follow_redirects=False)
        if response.status_code in _REDIRECT_STATUSES and response.headers.get("location"):
            response.close()
            raise InvalidResponse(
                f"more than {MAX_REDIRECTS} redirects",
                method=request.method,
                path=request.url.path,
                status_code=response.status_code,
                hint="check base_url; the ATS keeps redirecting",
            )
        return response

    def _server_wait(self, response: httpx.Response) -> float | None:
        if self.rate_limit is not None:
            return self.rate_limit.server_wait(response)
        return server_wait(response, self.clock.time())

    def _pause(self, reason: str, delay: float) -> None:
        self.stats.record_retry(reason)
        logger.debug("%s: retrying after %s in %.2f s", scope_label(), reason, delay)
        self.clock.sleep(delay)

    def _log(self, request: httpx.Request, outcome: int | str, attempt: int, attempt_started: float) -> None:
        logger.debug(
            "%s: %s %s -> %s (attempt %d, %.3f s)",
            scope_label(),
            request.method,
            request.url.path,
            outcome,
            attempt,
            self.clock.monotonic() - attempt_started,
        )

    def secret_values(self) -> tuple[str, ...]:
        """The credential values this client sends (to scrub from anything it hands back)."""
        return self.auth.secret_values() if isinstance(self.auth, SecretBearingAuth) else ()

    def _outcome_unknown(
        self, request: httpx.Request, what: str, response: httpx.Response | None = None
    ) -> WriteOutcomeUnknown:
        secrets = self.secret_values()
        detail = f"{what} after the request was sent"
        if response is not None:
            message = provider_message(response, secrets=secrets)
            if message:
                detail += f": {message}"
        return WriteOutcomeUnknown(
            detail,
            method=request.method,
            path=request.url.path,
            status_code=None if response is None else response.status_code,
            body=None if response is None else body_excerpt(response, secrets),
        )


def _secure(url: httpx.URL) -> bool:
    return url.scheme == "https" or (url.scheme == "http" and is_loopback_host(url.host))


def _failure(exc: httpx.TransportError) -> str:
    """What went wrong, for a message: the deadline's own words, else the exception's type (its text may hold a URL)."""
    return str(exc) if isinstance(exc, RequestDeadlineExceeded) else type(exc).__name__


def _failed_request(exc: httpx.TransportError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:
        return None
