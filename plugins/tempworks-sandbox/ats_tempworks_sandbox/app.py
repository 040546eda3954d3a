"""The sandbox's WSGI application: TempWorks REST paths (case-insensitive), auth, rate limits and faults."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ats_tempworks_sandbox.auth import AuthFailure, RateLimiter, has_scope, reset_header
from ats_tempworks_sandbox.handlers import Handlers
from ats_tempworks_sandbox.hostile import hostile_body
from ats_tempworks_sandbox.money import dumps
from ats_tempworks_sandbox.problems import ApiProblem, LostResponse
from ats_tempworks_sandbox.state import SandboxState

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["ROUTES", "SOCKET_KEY", "LostResponse", "SandboxApp"]

SOCKET_KEY = "ats_tempworks_sandbox.socket"
"""The WSGI environ key under which the loopback server passes the connection's socket (for dropped connections)."""


# (path, endpoint, {method: scope}); scope "origin" means: the read scope of the path's origin type
_ROUTE_TABLE: tuple[tuple[str, str, dict[str, str | None]], ...] = (
    ("/search/employees", "search_employees", {"GET": "employee-read"}),
    ("/employees", "create_employee", {"POST": "employee-write"}),
    ("/employees/<int:employee_id>", "employee", {"GET": "employee-read"}),
    ("/employees/<int:employee_id>/status", "employee_status", {"GET": "employee-read"}),
    (
        "/employees/<int:employee_id>/customdata",
        "employee_custom_data",
        {"GET": "employee-read", "PUT": "employee-write"},
    ),
    (
        "/employees/<int:employee_id>/documents",
        "employee_documents",
        {"GET": "document-read", "POST": "document-write"},
    ),
    ("/employees/<int:employee_id>/documents/<int:document_id>", "employee_document", {"GET": "document-read"}),
    ("/employees/<int:employee_id>/messages", "employee_messages", {"GET": "message-read", "POST": "message-write"}),
    ("/employees/<int:employee_id>/assignments", "employee_assignments", {"GET": "assignment-read"}),
    ("/search/joborders", "search_job_orders", {"GET": "order-read"}),
    ("/joborders/<int:job_order_id>", "job_order", {"GET": "order-read"}),
    ("/joborders/<int:job_order_id>/customdata", "job_order_custom_data", {"GET": "order-read", "PUT": "order-write"}),
    ("/joborders/<int:job_order_id>/worksite", "job_order_worksite", {"GET": "order-read"}),
    ("/search/assignments", "search_assignments", {"GET": "assignment-read"}),
    ("/assignments/<int:assignment_id>", "assignment", {"GET": "assignment-read"}),
    ("/assignments/<int:assignment_id>/messages", "assignment_messages", {"GET": "message-read"}),
    (
        "/assignments/<int:assignment_id>/customdata",
        "assignment_custom_data",
        {"GET": "assignment-read", "PUT": "assignment-write"},
    ),
    ("/search/universalemail", "universal_email", {"GET": "universal-search"}),
    ("/search/universalphone", "universal_phone", {"GET": "universal-search"}),
    ("/search/<int:origin_type_id>/columns", "search_columns", {"GET": "origin"}),
    ("/search/<int:origin_type_id>", "advanced_search", {"POST": "origin"}),
    ("/customdata/<int:origin_type_id>/definitions", "custom_data_definitions", {"GET": None}),
    ("/datalists/messageactions", "message_actions", {"GET": None}),
    ("/datalists/documenttypes", "document_types", {"GET": None}),
    ("/datalists/branches", "branches", {"GET": None}),
    ("/branches", "branches", {"GET": None}),
    ("/webhooks/api/subscriptions", "subscriptions", {"GET": None, "POST": None}),
    ("/webhooks/api/subscriptions/<subscription_id>", "subscription", {"DELETE": None}),
)
ROUTES = {endpoint: scopes for _path, endpoint, scopes in _ROUTE_TABLE}
_ORIGIN_SCOPES = {1: "employee-read", 4: "order-read", 14: "assignment-read"}
_URL_MAP = Map(
    [
        Rule("/connect/token", endpoint="token", methods=["POST"]),
        Rule("/_sandbox/stats", endpoint="stats", methods=["GET"]),
        *(Rule(path, endpoint=endpoint, methods=list(scopes)) for path, endpoint, scopes in _ROUTE_TABLE),
    ],
    strict_slashes=False,
)


def _json(payload: Any, status: int = 200, content_type: str = "application/json; charset=utf-8") -> Response:
    return Response(dumps(payload), status=status, content_type=content_type)


def _text(body: str, status: int) -> Response:
    return Response(body, status=status, content_type="text/plain; charset=utf-8")


class SandboxApp:
    """A WSGI callable serving one sandbox tenant; use it in-process with `httpx.WSGITransport(app=...)`."""

    def __init__(self, state: SandboxState, sleep: Callable[[float], object] | None = None) -> None:
        self.state = state
        self.stopping = threading.Event()
        self.sleep = sleep or self.stopping.wait  # a delay that ends at once when the server stops
        self.handlers = Handlers(state)
        self._traces = 0

    def settings(self, base_url: str) -> dict[str, Any]:
        """Ready-to-use TempWorks plugin settings for a sandbox reachable at `base_url`."""
        base = base_url.rstrip("/")
        return {
            "base_url": base,
            "token_url": f"{base}/connect/token",
            "webhooks_url": f"{base}/webhooks/api",
            "tenant": self.state.data.tenant,
            "pid": self.state.data.pid,
            "client_id": self.state.client_id,
            "client_secret": self.state.client_secret,
            "time_zone": self.state.data.local.name,
        }

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response, delivery = self._respond(request)
        except LostResponse:
            if not self._close_socket(environ):
                raise ConnectionAbortedError("sandbox fault lost_write_rate: write stored, response dropped") from None
            return Response(status=204)(environ, start_response)  # the connection is gone: nobody reads this
        if delivery == "cut_off":
            return self._cut_off(response, environ, start_response)
        if delivery == "hostile":
            return self._send_hostile(response, start_response)
        return response(environ, start_response)

    # request pipeline ----------------------------------------------------------------------------
    def _trace_id(self) -> str:
        self._traces += 1
        return f"00-{self.state.data.seed:08x}{self._traces:024x}-01"

    def _problem(self, problem: ApiProblem) -> Response:
        return _json(problem.body(self._trace_id()), problem.status, "application/problem+json; charset=utf-8")

    def _respond(self, request: Request) -> tuple[Response, str]:
        """The response, and how it is sent: "whole", "cut_off" (drop_rate) or "hostile" (a hostile body)."""
        state = self.state
        path = request.path.lower()
        try:
            endpoint, args = _URL_MAP.bind("sandbox").match(path, method=request.method)
        except NotFound:
            return self._problem(ApiProblem(404, f"No resource matches {request.method} {request.path}.")), "whole"
        except MethodNotAllowed:
            return self._problem(ApiProblem(405, f"{request.method} is not allowed on {request.path}.")), "whole"
        if endpoint == "stats":
            return _json(state.stats()), "whole"
        delay = state.delay()
        if delay > 0:
            self.sleep(delay)
        with state.lock:
            if endpoint == "token":
                return self._token(request), "whole"
            response = self._api(request, endpoint, args)
            cut_off = response.status_code not in (401, 429) and response.status_code < 500
            if cut_off and state.roll(state.faults.drop_rate):
                state.injected["dropped"] += 1
                return response, "cut_off"
            if response.status_code == 200 and state.faults.hostile_body:
                state.injected["hostile_body"] += 1
                return response, "hostile"
            return response, "whole"

    def _api(self, request: Request, endpoint: str, args: Mapping[str, Any]) -> Response:
        """Authenticate, rate-limit, inject faults and dispatch one API request (state lock held)."""
        state = self.state
        state.api_requests += 1
        credential = state.auth.authenticate(request.headers.get("Authorization"), request.headers.get("x-tw-token"))
        if isinstance(credential, AuthFailure):
            if credential.expired:
                state.injected["token_expired"] += 1
            response = self._problem(ApiProblem(401, f"Unauthorized: {credential.reason}."))
            error = (
                ', error="invalid_token", error_description="The access token expired"' if credential.expired else ""
            )
            response.headers["WWW-Authenticate"] = f"Bearer{error}"
            return response
        rate_headers: dict[str, str] = {}
        limiter = state.limiters[credential.kind]
        if limiter is not None:
            decision = limiter.hit(credential.key, oauth=credential.kind == "oauth")
            rate_headers = decision.headers
            if not decision.allowed:
                state.injected["rate_limited"] += 1
                return self._hostile_headers(self._with_headers(_text(limiter.message, 429), rate_headers))
        response = self._faulted(limiter) or self._dispatch(request, endpoint, args, credential.key, credential.scopes)
        return self._hostile_headers(self._with_headers(response, rate_headers))

    def _hostile_headers(self, response: Response) -> Response:
        """The hostile header options: a stale reset on 429s; Retry-After or an exhausted limit on 200s."""
        state = self.state
        faults = state.faults
        if response.status_code == 429 and faults.stale_429_reset_s is not None:
            response.headers["x-rate-limit-reset"] = reset_header(state.clock() - faults.stale_429_reset_s)
            state.injected["stale_429_reset"] += 1
        if response.status_code != 200:
            return response
        if faults.retry_after_on_200 is not None:
            response.headers["Retry-After"] = str(faults.retry_after_on_200)
            state.injected["retry_after_on_200"] += 1
        if faults.exhausted_remaining_s is not None:
            response.headers["x-rate-limit-remaining"] = "0"
            response.headers["x-rate-limit-reset"] = reset_header(state.clock() + faults.exhausted_remaining_s)
            state.injected["exhausted_remaining"] += 1
        return response

    def _token(self, request: Request) -> Response:
        outcome = self.state.auth.issue_token({k: v for k, v in request.form.items()})
        if isinstance(outcome, dict):
            response = _json(outcome)
            response.headers["Cache-Control"] = "no-store"
            return response
        return _json({"error": outcome.error, "error_description": outcome.description}, outcome.status)

    def _faulted(self, limiter: RateLimiter | None) -> Response | None:
        state = self.state
        faults = state.faults
        if faults.burst_429 is not None:
            count, every = faults.burst_429
            if (state.api_requests - 1) % every >= every - count:
                state.injected["burst_429"] += 1
                return _text(limiter.message if limiter else "25 requests / 5 sec limit", 429)
        if faults.error_statuses and state.roll(faults.error_rate):
            status = state.fault_rng.choice(faults.error_statuses)
            state.injected[f"status_{status}"] += 1
            if status in (520, 521):
                reason = "External service is down." if status == 520 else "External service returned an unknown error."
                return _json({"message": reason}, status)
            if status == 503:
                return _text("Service Unavailable: wait and try again.", 503)
            return self._problem(ApiProblem(status, "An error occurred while processing your request."))
        return None

    def _dispatch(
        self, request: Request, endpoint: str, args: Mapping[str, Any], client: str, scopes: frozenset[str]
    ) -> Response:
        needed = ROUTES[endpoint][request.method]
        if needed == "origin":
            needed = _ORIGIN_SCOPES.get(int(args["origin_type_id"]))
            if needed is None:
                return self._problem(ApiProblem.not_found(f"Origin type {args['origin_type_id']}"))
        if not has_scope(scopes, needed):
            return self._problem(ApiProblem(403, f"Forbidden: this endpoint needs the '{needed}' scope."))
        if self.state.faults.repeat_pages and any(key.lower() == "skip" for key in request.args):
            request = Request(self._without_skip(request))
        request.environ["sandbox.client"] = client
        handler: Callable[..., Any] = getattr(self.handlers, f"{endpoint}_{request.method.lower()}")
        try:
            result = handler(request, **args)
        except ApiProblem as problem:
            return self._problem(problem)
        if isinstance(result, Response):
            return result
        status, payload = result if isinstance(result, tuple) else (200, result)
        return _json(self._lying_total(payload), status)

    @staticmethod
    def _without_skip(request: Request) -> WSGIEnvironment:
        """The request's environ without `skip` in its query (the repeat_pages fault: every page is the first)."""
        kept = [(key, value) for key, value in request.args.items(multi=True) if key.lower() != "skip"]
        environ = dict(request.environ)
        environ["QUERY_STRING"] = urlencode(kept)
        return environ

    def _lying_total(self, payload: Any) -> Any:
        """The total_count fault: a list envelope's totalCount halved ("low") or -1 ("negative")."""
        lie = self.state.faults.total_count
        if lie == "true" or not isinstance(payload, dict) or "totalCount" not in payload:
            return payload
        self.state.injected["lying_total"] += 1
        return {**payload, "totalCount": payload["totalCount"] // 2 if lie == "low" else -1}

    @staticmethod
    def _with_headers(response: Response, headers: dict[str, str]) -> Response:
        for name, value in headers.items():
            response.headers[name] = value
        return response

    # connection faults ---------------------------------------------------------------------------
    def _send_hostile(self, response: Response, start_response: StartResponse) -> Iterator[bytes]:
        """Send a successful answer the hostile way the options ask for (see `hostile.py`)."""
        hostile = hostile_body(response.get_data(), self.state.faults, self.sleep)
        replaced = {name.lower() for name in hostile.headers}
        headers = [(name, value) for name, value in response.headers.items() if name.lower() not in replaced]
        headers += [(name, value) for name, value in hostile.headers.items() if value is not None]
        start_response(response.status, headers)
        return hostile.chunks

    @staticmethod
    def _close_socket(environ: WSGIEnvironment) -> bool:
        """Shut the request's connection down both ways; False when served in-process (no socket)."""
        connection = environ.get(SOCKET_KEY)
        if not isinstance(connection, socket.socket):
            return False
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
        return True

    def _cut_off(self, response: Response, environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        body = response.get_data()
        response.headers["Content-Length"] = str(len(body))
        start_response(response.status, list(response.headers.items()))
        yield body[: max(1, len(body) // 2)]
        if not self._close_socket(environ):
            raise ConnectionAbortedError("sandbox fault drop_rate: connection dropped mid-response")
