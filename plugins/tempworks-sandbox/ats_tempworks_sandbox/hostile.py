"""Hostile ways to send a successful answer: deeply nested, huge, endless, a gzip bomb, or one byte at a time.

For clients to prove they bound what they read. Each is an option (see `faults.py`); when several are set,
`deep_json` replaces the document first, then one way of sending it is used, in this order: gzip bomb,
endless, huge, slow.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterator

from ats_tempworks_sandbox.faults import FaultConfig

__all__ = ["ENDLESS_CAP_BYTES", "HostileBody", "deep_document", "gzip_bomb", "hostile_body"]

MEGABYTE = 1 << 20
ENDLESS_CAP_BYTES = 1 << 34
"""An endless body stops after 16 GiB even if the client never hangs up, so no sandbox thread runs forever."""
_CHUNK = 64 * 1024
_PADDING = b" " * _CHUNK  # JSON whitespace: a padded document is still valid JSON


class HostileBody:
    """Headers to add (or drop) and the body iterator of one hostile answer."""

    def __init__(self, headers: dict[str, str | None], chunks: Iterator[bytes]) -> None:
        self.headers = headers
        self.chunks = chunks


def deep_document(depth: int) -> bytes:
    """A list envelope whose one item is `depth` arrays nested in each other."""
    return b'{"data":[' + b"[" * depth + b"]" * depth + b'],"totalCount":1}'


@functools.lru_cache(maxsize=4)
def gzip_bomb(megabytes: float) -> bytes:
    """A gzip body inflating to a valid list envelope of `megabytes` MiB (mostly whitespace); built once per size."""
    head, tail = b'{"data":[', b'],"totalCount":0}'
    total = max(len(head) + len(tail), int(megabytes * MEGABYTE))
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip header and trailer
    parts = [compressor.compress(head)]
    left = total - len(head) - len(tail)
    block = b" " * MEGABYTE
    while left > 0:
        parts.append(compressor.compress(block[: min(left, MEGABYTE)]))
        left -= MEGABYTE
    parts.append(compressor.compress(tail))
    parts.append(compressor.flush())
    return b"".join(parts)


def _padded(body: bytes, total: int) -> Iterator[bytes]:
    yield body
    left = total - len(body)
    while left > 0:
        yield _PADDING[: min(left, _CHUNK)]
        left -= _CHUNK


def _endless(body: bytes) -> Iterator[bytes]:
    yield body[:-1]  # the document never closes
    sent = len(body) - 1
    while sent < ENDLESS_CAP_BYTES:
        yield _PADDING
        sent += _CHUNK


def _slow(body: bytes, seconds: float, sleep: Callable[[float], object]) -> Iterator[bytes]:
    for position in range(len(body)):
        if position:
            sleep(seconds)
        yield body[position : position + 1]


def hostile_body(body: bytes, faults: FaultConfig, sleep: Callable[[float], object]) -> HostileBody:
    """How to send `body` under the hostile options set in `faults` (the caller checked one is)."""
    if faults.deep_json:
        body = deep_document(faults.deep_json)
    if faults.gzip_bomb_mb:
        bomb = gzip_bomb(faults.gzip_bomb_mb)
        return HostileBody({"Content-Encoding": "gzip", "Content-Length": str(len(bomb))}, iter([bomb]))
    if faults.endless_body:
        return HostileBody({"Content-Length": None}, _endless(body))
    if faults.huge_body_mb:
        total = max(len(body), int(faults.huge_body_mb * MEGABYTE))
        return HostileBody({"Content-Length": str(total)}, _padded(body, total))
    if faults.slow_body_s:
        return HostileBody({"Content-Length": str(len(body))}, _slow(body, faults.slow_body_s, sleep))
    return HostileBody({"Content-Length": str(len(body))}, iter([body]))
