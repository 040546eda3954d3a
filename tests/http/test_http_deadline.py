"""A deadline per attempt covers connect, send and the whole response: a trickling server cannot hang the client.

The servers here trickle one byte at a time and move the shared fake clock two seconds per byte, so
"one byte every two seconds" passes in fake time while the test runs at socket speed. Without the
deadline each of these responses arrives whole, some 10 fake hours later.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar

import httpx
import pytest

from ats_core.errors import ProviderUnavailable, WriteOutcomeUnknown
from ats_core.http import ApiClient, FakeClock, RequestDeadlineExceeded, RetryPolicy, Timeouts
from ats_core.http.deadline import Deadline, deadline_scope

ServerFactory = Callable[[type[BaseHTTPRequestHandler]], str]
SECONDS_PER_BYTE = 2.0
BODY = json.dumps({"data": list(range(2000))}).encode()


class Trickler(BaseHTTPRequestHandler):
    """Answers every request one byte at a time (the status line and headers too, if `slow_headers`)."""

    protocol_version = "HTTP/1.1"
    clock: ClassVar[FakeClock]
    slow_headers: ClassVar[bool] = False
    requests: ClassVar[list[str]]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.answer()

    def answer(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(BODY)}\r\n\r\n".encode()
        try:
            if self.slow_headers:
                self.trickle(head)
            else:
                self.wfile.write(head)
            self.trickle(BODY)
        except OSError:  # the client gave up and hung up, as it should
            pass
        self.close_connection = True

    def trickle(self, data: bytes) -> None:
        for index in range(len(data)):
            self.wfile.write(data[index : index + 1])
            self.clock.advance(SECONDS_PER_BYTE)


def trickler(clock: FakeClock, *, slow_headers: bool = False) -> type[Trickler]:
    return type("Trickler", (Trickler,), {"clock": clock, "slow_headers": slow_headers, "requests": []})


@pytest.mark.parametrize("slow_headers", [False, True], ids=["slow-body", "slow-headers"])
def test_a_trickling_response_ends_at_the_deadline_and_a_read_is_retried(
    loopback_server: ServerFactory, slow_headers: bool
) -> None:
    clock = FakeClock()
    handler = trickler(clock, slow_headers=slow_headers)
    base = loopback_server(handler)
    # the server moves the clock as it writes, so it may run far ahead of the client: budget for that
    retry = RetryPolicy(max_attempts=2, max_elapsed_seconds=86_400)
    with ApiClient(base, clock=clock, timeouts=Timeouts(default=30, deadline=60), retry=retry) as client:
        with pytest.raises(ProviderUnavailable) as info:
            client.get_json("/items")
        assert client.stats.retries["RequestDeadlineExceeded"] == 1
    assert "no complete response within the 60 s request deadline after 2 attempt(s)" in str(info.value)
    assert handler.requests == ["GET /items", "GET /items"]


def test_a_write_whose_response_trickles_past_the_deadline_is_not_resent(loopback_server: ServerFactory) -> None:
    clock = FakeClock()
    handler = trickler(clock)
    base = loopback_server(handler)
    with ApiClient(base, clock=clock, timeouts=Timeouts(deadline=60)) as client:
        with pytest.raises(WriteOutcomeUnknown) as info:
            client.post_json("/notes", json={"text": "x"})
        assert client.stats.total_retries == 0
    assert handler.requests == ["POST /notes"]
    assert "RequestDeadlineExceeded after the request was sent" in str(info.value)


class Staller(Trickler):
    """Lets the deadline pass (fake time), sends part of the answer, then stalls (real time) until released."""

    release: ClassVar[threading.Event]
    cut_at: ClassVar[int]
    gave_up: ClassVar[list[bool]]

    def answer(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        whole = f"HTTP/1.1 200 OK\r\nContent-Length: {len(BODY)}\r\nX-Pad: {'p' * 200}\r\n\r\n".encode() + BODY
        try:
            self.clock.advance(100)
            self.wfile.write(whole[: self.cut_at])
            if not self.release.wait(10):
                self.gave_up.append(True)
            self.wfile.write(whole[self.cut_at :])
        except OSError:
            pass
        self.close_connection = True


@pytest.mark.parametrize("cut_at", [40, 400], ids=["in-the-headers", "in-the-body"])
def test_a_stall_after_the_deadline_passed_ends_at_once(loopback_server: ServerFactory, cut_at: int) -> None:
    clock = FakeClock()
    release = threading.Event()
    attributes = {"clock": clock, "requests": [], "release": release, "cut_at": cut_at, "gave_up": []}
    handler = type("Staller", (Staller,), attributes)
    client = ApiClient(base_url=loopback_server(handler), clock=clock, timeouts=Timeouts(default=30, deadline=60))
    try:
        with client, pytest.raises(ProviderUnavailable, match="within the 60 s request deadline"):
            client.get_json("/items")
        assert handler.gave_up == []  # the client ended it at the deadline, not the server by giving up
    finally:
        release.set()


class Prompt(Trickler):
    """Answers at once."""

    def trickle(self, data: bytes) -> None:
        self.wfile.write(data)


def test_a_prompt_answer_is_untouched_by_the_deadline(loopback_server: ServerFactory) -> None:
    clock = FakeClock()
    base = loopback_server(type("Prompt", (Prompt,), {"clock": clock, "requests": []}))
    with ApiClient(base, clock=clock, timeouts=Timeouts(deadline=1)) as client:
        assert client.get_json("/items") == json.loads(BODY)


def test_the_deadline_bounds_a_mock_transport_body_too() -> None:
    clock = FakeClock()

    class Slow(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            for byte in BODY:
                clock.advance(SECONDS_PER_BYTE)
                yield bytes([byte])

    client = ApiClient(
        "https://api.example.test",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=Slow())),
        clock=clock,
        timeouts=Timeouts(deadline=10),
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(ProviderUnavailable, match="10 s request deadline"):
        client.get_json("/items")


def test_a_deadline_check_raises_once_passed() -> None:
    clock = FakeClock()
    deadline = Deadline.starting_now(clock, 5)
    with deadline_scope(deadline):
        assert deadline.bound(30) == 5
        clock.advance(5)
        with pytest.raises(RequestDeadlineExceeded, match="5 s request deadline"):
            deadline.bound(30)


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan"), 1e300])
def test_a_deadline_must_be_finite_and_positive(bad: float) -> None:
    with pytest.raises(ValueError, match="Timeouts.deadline"):
        Timeouts(deadline=bad)


class ForwardProxy(BaseHTTPRequestHandler):
    """A plain-http forward proxy stand-in: records the absolute URL asked for and answers itself."""

    asked: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.asked.append(self.path)
        body = b'{"via": "proxy"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_environments_proxy_is_still_used(loopback_server: ServerFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = loopback_server(ForwardProxy)
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with ApiClient("http://127.0.0.2:9", timeouts=Timeouts(deadline=30)) as client:
        assert client.get_json("/items") == {"via": "proxy"}
    assert ForwardProxy.asked == ["http://127.0.0.2:9/items"]
    monkeypatch.setenv("NO_PROXY", "127.0.0.2")
    monkeypatch.setenv("no_proxy", "127.0.0.2")
    direct = ApiClient("http://127.0.0.2:9", retry=RetryPolicy(max_attempts=1))
    with direct, pytest.raises(ProviderUnavailable, match="ConnectError"):
        direct.get_json("/items")
    assert len(ForwardProxy.asked) == 1
