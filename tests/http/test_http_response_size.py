"""Response bodies are capped, counted after decoding: an endless body, a huge Content-Length or a gzip bomb
is a ResponseTooLarge naming the limit and its setting, read without buffering more than the cap."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest

from ats_core.errors import InvalidResponse
from ats_core.http import ApiClient, FakeClock, ResponseTooLarge, RetryPolicy

ServerFactory = Callable[[type[BaseHTTPRequestHandler]], str]
BASE_URL = "https://api.example.test"
MiB = 1024 * 1024


def json_array_gzip(decoded_bytes: int, layers: int = 1) -> bytes:
    """A gzip body that decodes to a JSON array of about `decoded_bytes`, built without holding it."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [compressor.compress(b"[")]
    block = b"0," * (MiB // 2)
    for _ in range(decoded_bytes // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(b"0]"))
    parts.append(compressor.flush())
    body = b"".join(parts)
    for _ in range(layers - 1):
        body = gzip.compress(body, compresslevel=9)
    return body


def serving(response: httpx.Response) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: response)


def encoded(body: bytes, encoding: str = "gzip") -> httpx.Response:
    """A response carrying `body` as sent, content-encoded (httpx does not decode it when it is built)."""
    return httpx.Response(200, headers={"Content-Encoding": encoding}, stream=httpx.ByteStream(body))


def test_a_two_gigabyte_content_length_is_refused_before_reading() -> None:
    client = ApiClient(BASE_URL, transport=serving(httpx.Response(200, headers={"Content-Length": str(2 << 30)})))
    with pytest.raises(ResponseTooLarge) as info:
        client.get_json("/items")
    text = str(info.value)
    assert "64 MiB limit (max_response_bytes)" in text and "2147483648 bytes" in text
    assert "raise the max_response_bytes setting" in text
    assert info.value.path == "/items"
    assert isinstance(info.value, InvalidResponse)


@pytest.mark.parametrize("layers", [1, 2], ids=["gzip", "gzip-in-gzip"])
def test_a_gzip_bomb_is_refused_without_decoding_it_whole(layers: int) -> None:
    bomb = json_array_gzip(256 * MiB, layers)
    assert len(bomb) < 2 * MiB
    response = encoded(bomb, ", ".join(["gzip"] * layers))
    client = ApiClient(BASE_URL, transport=serving(response), max_response_bytes=4 * MiB)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge) as info:
            client.get_json("/items")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "decodes to more than the 4 MiB limit" in str(info.value)
    assert peak < 32 * MiB


def test_the_limit_is_set_per_client_and_a_compressed_body_within_it_decodes() -> None:
    response = encoded(json_array_gzip(2 * MiB))
    decoded = ApiClient(BASE_URL, transport=serving(response), max_response_bytes=3 * MiB).get_json("/items")
    assert len(decoded) == 2 * MiB // 2 + 1
    small = ApiClient(
        BASE_URL, transport=serving(response), max_response_bytes=MiB, max_response_bytes_setting="ATS_X_MAX_BYTES"
    )
    with pytest.raises(ResponseTooLarge, match=r"1 MiB limit \(ATS_X_MAX_BYTES\)"):
        small.get_json("/items")


def test_an_encoding_the_client_did_not_ask_for_is_an_invalid_response() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Encoding": "br"}, content=b"\x0b\x01\x80[]\x03")

    with pytest.raises(InvalidResponse, match="encoded as 'br'"):
        ApiClient(BASE_URL, transport=httpx.MockTransport(handler)).get_json("/items")
    assert seen[0].headers["accept-encoding"] == "gzip"


@pytest.mark.parametrize(
    "body",
    [b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff garbage", gzip.compress(b"[1, 2, 3]")[:-9]],
    ids=["garbage", "cut-short"],
)
def test_a_corrupt_gzip_body_is_an_invalid_response(body: bytes) -> None:
    with pytest.raises(InvalidResponse, match="not valid gzip data"):
        ApiClient(BASE_URL, transport=serving(encoded(body))).get_json("/items")


class EndlessJson:
    """A handler streaming a chunked JSON array of zeros that only ends when the client hangs up (or at 64 MiB)."""

    @staticmethod
    def make(stop_after: int = 64 * MiB) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            sent = 0

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                block = b"0," * 32768
                try:
                    self._chunk(b"[")
                    while Handler.sent < stop_after:
                        self._chunk(block)
                        Handler.sent += len(block)
                    self._chunk(b"0]")
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:  # the client hung up, as it should
                    self.close_connection = True

            def _chunk(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

        return Handler


def test_an_endless_body_over_a_real_socket_stops_at_the_limit(loopback_server: ServerFactory) -> None:
    handler = EndlessJson.make()
    base = loopback_server(handler)
    with ApiClient(base, max_response_bytes=2 * MiB, retry=RetryPolicy(max_attempts=1), clock=FakeClock()) as client:
        with pytest.raises(ResponseTooLarge, match="larger than the 2 MiB limit"):
            client.get_json("/endless")
        assert client.stats.total_retries == 0
    assert handler.sent < 64 * MiB


def test_bodies_within_the_limit_read_as_before(loopback_server: ServerFactory) -> None:
    base = loopback_server(EndlessJson.make(stop_after=MiB))
    with ApiClient(base, max_response_bytes=2 * MiB, clock=FakeClock()) as client:
        assert client.get_json("/finite") == [0] * (MiB // 2 + 1)


def test_the_body_of_a_json_array_small_enough_is_unchanged() -> None:
    payload = {"data": [{"id": i, "name": "é"} for i in range(100)], "totalCount": 100}
    response = encoded(gzip.compress(json.dumps(payload).encode()))
    assert ApiClient(BASE_URL, transport=serving(response)).get_json("/items") == payload
