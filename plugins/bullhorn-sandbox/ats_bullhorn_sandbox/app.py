"""The sandbox's WSGI application: Bullhorn's login hosts and REST paths, sessions, limits and faults.

One process plays every Bullhorn host: the universal `loginInfo`, the OAuth host (`/oauth/...`), the REST
host (`/rest-services/...`), and under `/wrong-dc/` a data centre the API user does not live in, which
answers every call with a 307 to the right one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ats_bullhorn_sandbox.entity_api import EntityApi
from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.event_api import EventApi
from ats_bullhorn_sandbox.file_api import FileApi
from ats_bullhorn_sandbox.login_api import LoginApi
from ats_bullhorn_sandbox.ratelimit import RateLimiter
from ats_bullhorn_sandbox.store import SandboxState

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["REST_ROUTES", "InjectedDisconnect", "SandboxApp"]

WRONG_DATA_CENTRE = "/wrong-dc"
_WRITE_METHODS = frozenset({"PUT", "POST", "DELETE"})

# (path under /rest-services/<corp>, {method: "api.handler"})
REST_ROUTES: tuple[tuple[str, dict[str, str]], ...] = (
    ("/ping", {"GET": "session.ping"}),
    ("/logout", {"GET": "session.logout", "POST": "session.logout"}),
    ("/entity/<entity>", {"PUT": "entities.put_entity"}),
    (
        "/entity/<entity>/<ids>",
        {"GET": "entities.get_entity", "POST": "entities.post_entity", "DELETE": "entities.delete_entity"},
    ),
    ("/entity/<entity>/<ids>/<association>", {"GET": "entities.get_to_many"}),
    ("/query/<entity>", {"GET": "entities.query", "POST": "entities.query"}),
    ("/search/<entity>", {"GET": "entities.search", "POST": "entities.search"}),
    ("/meta", {"GET": "entities.meta_list"}),
    ("/meta/<entity>", {"GET": "entities.meta_entity"}),
    ("/settings", {"GET": "entities.settings_list"}),
    ("/settings/<names>", {"GET": "entities.settings"}),
    ("/entityFiles/<entity>/<int:entity_id>", {"GET": "files.entity_files"}),
    ("/file/<entity>/<int:entity_id>", {"PUT": "files.put_file"}),
    ("/file/<entity>/<int:entity_id>/raw", {"PUT": "files.put_raw"}),
    (
        "/file/<entity>/<int:entity_id>/<int:file_id>",
        {"GET": "files.get_file", "POST": "files.post_file", "DELETE": "files.delete_file"},
    ),
    ("/file/<entity>/<int:entity_id>/<int:file_id>/raw", {"GET": "files.get_raw"}),
    (
        "/event/subscription/<subscription_id>",
        {"PUT": "events.subscribe", "GET": "events.read", "DELETE": "events.unsubscribe"},
    ),
    ("/event/subscription/<subscription_id>/lastRequestId", {"GET": "events.last_request_id"}),
)
_URL_MAP = Map(
    [
        Rule("/rest-services/loginInfo", endpoint="login.login_info", methods=["GET"]),
        Rule("/rest-services/login", endpoint="login.login", methods=["GET", "POST"]),
        Rule("/oauth/authorize", endpoint="login.authorize", methods=["GET", "POST"]),
        Rule("/oauth/token", endpoint="login.token", methods=["POST"]),
        Rule("/_sandbox/stats", endpoint="stats", methods=["GET"]),
        *(
            Rule(f"/rest-services/<corp>{path}", endpoint=f"rest:{method}:{target}", methods=[method])
            for path, methods in REST_ROUTES
            for method, target in methods.items()
        ),
    ],
    strict_slashes=False,
)


class InjectedDisconnect(Exception):
    """Raised mid-answer to cut the connection (the drop_rate and lost_write_rate faults)."""


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json;charset=UTF-8")


def _error(error: BullhornError) -> Response:
    return _json(error.body(), error.status)


class _SessionApi:
    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def ping(self, request: Request, corp: str) -> tuple[int, Any]:
        session = self.state.auth.session(request.environ["sandbox.token"])
        expires = 0 if session is None else int(session.expires * 1000)
        return 200, {"sessionExpires": expires}

    def logout(self, request: Request, corp: str) -> tuple[int, Any]:
        self.state.auth.end(request.environ["sandbox.token"])
        return 200, {"logout": "OK"}


class SandboxApp:
    """A WSGI callable serving one sandbox tenant; use it in-process with `httpx.WSGITransport(app=...)`."""

    def __init__(self, state: SandboxState, sleep: Callable[[float], None] = time.sleep) -> None:
        self.state = state
        self.sleep = sleep
        self.apis: dict[str, Any] = {
            "login": LoginApi(state),
            "session": _SessionApi(state),
            "entities": EntityApi(state),
            "files": FileApi(state),
            "events": EventApi(state),
        }
        limit = state.faults.rate_limit
        self.limiter = None if limit is None else RateLimiter(limit[0], limit[1], state.clock)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.startswith(WRONG_DATA_CENTRE + "/"):
            return self._redirect(request)(environ, start_response)
        response, cut_off = self._respond(request)
        if cut_off:
            return self._cut_off(response, start_response)
        return response(environ, start_response)

    def _redirect(self, request: Request) -> Response:
        target = request.path[len(WRONG_DATA_CENTRE) :]
        query = request.query_string.decode("latin-1")
        response = Response(b"", status=307)
        response.headers["Location"] = f"{request.host_url.rstrip('/')}{target}" + (f"?{query}" if query else "")
        return response

    def _respond(self, request: Request) -> tuple[Response, bool]:
        """The answer, and whether a fault cuts it off mid-body."""
        state = self.state
        try:
            endpoint, args = _URL_MAP.bind("sandbox").match(request.path, method=request.method)
        except NotFound:
            return _error(BullhornError(404, f"No resource at {request.path}", "errors.resourceNotFound")), False
        except MethodNotAllowed:
            message = f"{request.method} is not allowed on {request.path}"
            return _error(BullhornError(405, message, "errors.methodNotAllowed")), False
        if endpoint == "stats":
            return _json(state.stats()), False
        if state.options.latency_ms > 0:
            self.sleep(state.options.latency_ms / 1000.0)
        spike = 0.0
        with state.lock:
            if not endpoint.startswith("rest:"):
                api, _dot, name = endpoint.partition(".")
                response = self._call(getattr(self.apis[api], name), request, args)
                return response, False
            response = self._rest(request, endpoint, args)
            if state.roll(state.faults.latency_spike_rate):
                state.injected["latency_spike"] += 1
                spike = state.faults.latency_spike_ms / 1000.0
            cut_off = False
            if 200 <= response.status_code < 300:
                if request.method in _WRITE_METHODS and state.roll(state.faults.lost_write_rate):
                    state.injected["lost_write"] += 1
                    cut_off = True
                elif state.roll(state.faults.drop_rate):
                    state.injected["dropped"] += 1
                    cut_off = True
        if spike:
            self.sleep(spike)
        return response, cut_off

    def _call(self, handler: Callable[..., Any], request: Request, args: Mapping[str, Any]) -> Response:
        try:
            result = handler(request, **args)
        except BullhornError as error:
            return _error(error)
        if isinstance(result, Response):
            return result
        status, payload = result
        callback = request.args.get("callback")
        if callback and callback.replace("_", "").replace(".", "").isalnum():
            return Response(f"{callback}({json.dumps(payload)})", status=status, content_type="text/javascript")
        return _json(payload, status)

    def _rest(self, request: Request, endpoint: str, args: Mapping[str, Any]) -> Response:
        """Authenticate, limit, inject faults and dispatch one REST call (state lock held)."""
        state = self.state
        faults = state.faults
        target = endpoint.rsplit(":", 1)[1]
        token = (
            request.args.get("BhRestToken") or request.headers.get("BhRestToken") or request.cookies.get("BhRestToken")
        )
        if not token:
            return _error(BullhornError(412, "Missing BhRestToken.", "errors.authentication.missingRestToken"))
        session = state.auth.session(token)
        state.api_requests += 1
        if (
            session is not None
            and faults.expire_session_every
            and state.api_requests % faults.expire_session_every == 0
        ):
            state.auth.end(token)
            state.injected["session_expired"] += 1
            session = None
        if session is None or args.get("corp") != state.data.corp_token:
            return _error(
                BullhornError(401, "Bad 'BhRestToken' or timed-out.", "errors.authentication.invalidRestToken")
            )
        if self.limiter is not None and not self.limiter.allow(session.user.username):
            state.injected["rate_limited"] += 1
            return _error(BullhornError(429, self.limiter.message(), "errors.tooManyRequests"))
        if faults.burst_429 is not None:
            count, every = faults.burst_429
            if (state.api_requests - 1) % every >= every - count:
                state.injected["burst_429"] += 1
                return _error(
                    BullhornError(429, "Too many requests. Wait 1 second and retry.", "errors.tooManyRequests")
                )
        if faults.error_statuses and state.roll(faults.error_rate):
            status = state.fault_rng.choice(faults.error_statuses)
            state.injected[f"status_{status}"] += 1
            return _error(BullhornError(status, "An internal error has occurred", "errors.internalError"))
        request.environ["sandbox.token"] = token
        api, _dot, name = target.partition(".")
        return self._call(getattr(self.apis[api], name), request, args)

    @staticmethod
    def _cut_off(response: Response, start_response: StartResponse) -> Iterator[bytes]:
        body = response.get_data()
        response.headers["Content-Length"] = str(max(len(body), 2))
        start_response(response.status, list(response.headers.items()))
        yield body[: max(1, len(body) // 2)]
        raise InjectedDisconnect("sandbox fault: connection cut mid-answer")
