"""The HTTP layer against a real HTTP server on 127.0.0.1: tokens, lost responses, connect errors, redirects."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from ats_core.errors import WriteOutcomeUnknown
from ats_core.http import (
    ApiClient,
    BasicAuth,
    FakeClock,
    HeaderToken,
    OAuth2ClientCredentials,
    OffsetPage,
    OffsetPager,
    RetryPolicy,
)

ServerFactory = Callable[[type[BaseHTTPRequestHandler]], str]


class Recorder(BaseHTTPRequestHandler):
    """Base handler: quiet, records (method, path, headers) of every request in the class's `seen`."""

    seen: ClassVar[list[tuple[str, str, dict[str, str]]]]
    lock: ClassVar[threading.Lock]

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""

    def record(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        with self.lock:
            self.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        return body

    def reply(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def handler_class(base: type[Recorder], **attrs: Any) -> Any:
    """A fresh subclass with its own request log (class attributes are shared by all handler instances)."""
    return type(base.__name__, (base,), {"seen": [], "lock": threading.Lock(), **attrs})


class TokenAndApi(Recorder):
    """/connect/token issues numbered tokens; /api/* accepts only the newest; /api/revoke invalidates it."""

    issued: ClassVar[list[int]]

    def do_POST(self) -> None:
        body = self.record()
        if self.path == "/connect/token":
            form = parse_qs(body.decode())
            assert form["grant_type"] == ["vendor_grant"]
            with self.lock:
                self.issued.append(len(self.issued) + 1)
                n = len(self.issued)
            self.reply(200, {"access_token": f"tok{n}", "expires_in": 3600, "token_type": "Bearer"})
        else:
            self.do_GET()

    def do_GET(self) -> None:
        if self.command == "GET":
            self.record()
        auth = self.headers.get("authorization", "")
        with self.lock:
            current = f"Bearer tok{len(self.issued)}"
            stale = self.path.startswith("/api/revoked") and len(self.issued) == 1
        if auth != current or stale:
            self.reply(401, {"title": "invalid token"})
            return
        self.reply(200, {"path": urlsplit(self.path).path})


def test_token_fetched_once_refreshed_before_expiry_and_after_401(loopback_server: ServerFactory) -> None:
    handler = handler_class(TokenAndApi, issued=[])
    base = loopback_server(handler)
    clock = FakeClock()
    auth = OAuth2ClientCredentials(
        f"{base}/connect/token", "cid", SecretStr("pw"), grant_type="vendor_grant", clock=clock
    )
    with ApiClient(base, auth=auth, clock=clock) as client:
        for _ in range(3):
            assert client.get_json("/api/items") == {"path": "/api/items"}
        assert handler.issued == [1]
        clock.advance(3600 - 239)
        client.get_json("/api/items")
        assert handler.issued == [1, 2]
        created = client.post_json("/api/revoked", json={"a": 1})
    assert created == {"path": "/api/revoked"}
    posts = [(path, headers.get("authorization")) for method, path, headers in handler.seen if method == "POST"]
    assert posts[-1] == ("/api/revoked", "Bearer tok2")


class LosesWriteResponses(Recorder):
    """Stores every POST, then hangs up without answering; GETs lose their first response only."""

    writes: ClassVar[list[bytes]]

    def do_POST(self) -> None:
        body = self.record()
        with self.lock:
            self.writes.append(body)
        self.close_connection = True

    def do_GET(self) -> None:
        self.record()
        with self.lock:
            first = len(self.seen) == 1
        if first:
            self.close_connection = True
            return
        self.reply(200, {"ok": True})


def test_a_post_whose_response_is_lost_is_not_resent(loopback_server: ServerFactory) -> None:
    handler = handler_class(LosesWriteResponses, writes=[])
    base = loopback_server(handler)
    with ApiClient(base, clock=FakeClock()) as client, pytest.raises(WriteOutcomeUnknown) as info:
        client.post_json("/notes", json={"text": "x"})
    assert handler.writes == [b'{"text":"x"}']
    assert info.value.path == "/notes"
    assert "may have been stored" in str(info.value)
    assert client.stats.total_retries == 0


def test_a_get_whose_response_is_lost_is_retried(loopback_server: ServerFactory) -> None:
    handler = handler_class(LosesWriteResponses, writes=[])
    base = loopback_server(handler)
    with ApiClient(base, clock=FakeClock()) as client:
        assert client.get_json("/items") == {"ok": True}
    assert len(handler.seen) == 2
    assert client.stats.retries["RemoteProtocolError"] == 1


class AcceptsWrites(Recorder):
    def do_POST(self) -> None:
        self.record()
        self.reply(201, {"id": 7})


class StartsServerWhenSleeping(FakeClock):
    """A fake clock whose first sleep (the retry backoff) starts the server on the port that refused."""

    def __init__(self, start_server: Any) -> None:
        super().__init__()
        self.start_server = start_server

    def sleep(self, seconds: float) -> None:
        if self.start_server is not None:
            self.start_server()
            self.start_server = None
        super().sleep(seconds)


def test_a_post_is_retried_after_a_real_connection_refusal() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    handler = handler_class(AcceptsWrites)
    servers: list[ThreadingHTTPServer] = []

    def start() -> None:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)

    clock = StartsServerWhenSleeping(start)
    try:
        with ApiClient(f"http://127.0.0.1:{port}", clock=clock) as client:
            assert client.post_json("/notes", json={}) == {"id": 7}
        assert len(handler.seen) == 1
        assert client.stats.retries["ConnectError"] == 1
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


class Redirects(Recorder):
    target: ClassVar[str]

    def do_GET(self) -> None:
        self.record()
        if self.path == "/moved-away":
            self.send_response(302)
            self.send_header("Location", self.target + "/landing?x=1")
        elif self.path == "/moved-here":
            self.send_response(307)
            self.send_header("Location", "/landing")
        else:
            self.reply(200, {"landed": True})
            return
        self.send_header("Content-Length", "0")
        self.end_headers()


AUTHS: dict[str, tuple[Callable[[], httpx.Auth], str]] = {
    "header-token": (lambda: HeaderToken(SecretStr("tok-secret"), header="x-api-token", prefix=""), "x-api-token"),
    "basic": (lambda: BasicAuth("sid", SecretStr("pw-secret")), "authorization"),
}


@pytest.mark.parametrize("auth_name", sorted(AUTHS))
def test_redirect_to_another_host_drops_credentials(loopback_server: ServerFactory, auth_name: str) -> None:
    make_auth, header = AUTHS[auth_name]
    other = handler_class(Redirects)
    other_base = loopback_server(other).replace("127.0.0.1", "localhost")
    origin = handler_class(Redirects, target=other_base)
    base = loopback_server(origin)
    with ApiClient(base, auth=make_auth(), headers={"X-Tenant": "t1"}) as client:
        assert client.get_json("/moved-away") == {"landed": True}
        assert client.get_json("/moved-here") == {"landed": True}
    assert [path for _, path, _ in other.seen] == ["/landing?x=1"]
    landed_headers = other.seen[0][2]
    assert header not in landed_headers
    assert "x-tenant" not in landed_headers
    assert [(path, header in headers) for _, path, headers in origin.seen] == [
        ("/moved-away", True),
        ("/moved-here", True),
        ("/landing", True),
    ]


class Listing(Recorder):
    def do_GET(self) -> None:
        self.record()
        query = parse_qs(urlsplit(self.path).query)
        skip, take = int(query["skip"][0]), int(query["take"][0])
        self.reply(200, {"data": list(range(skip, min(skip + take, 237))), "totalCount": 237})


def test_concurrent_offset_paging_over_real_http(loopback_server: ServerFactory) -> None:
    handler = handler_class(Listing)
    base = loopback_server(handler)
    with ApiClient(base, retry=RetryPolicy(max_attempts=2)) as client:

        def fetch(skip: int, take: int) -> OffsetPage[int]:
            body = client.get_json("/items", params={"skip": skip, "take": take})
            return OffsetPage(body["data"], body["totalCount"])

        assert list(OffsetPager(fetch, page_size=20, concurrency=4)) == list(range(237))
    assert len(handler.seen) == 12
    assert client.stats.requests == 12
