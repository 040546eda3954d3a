"""Response bodies read within a size cap, counted after decoding (a gzip bomb is caught), and within the deadline.

`BoundedTransport` wraps whatever transport the client uses, so every response (API, token endpoint,
redirect hop, the 401 before a replay) passes through it. It decodes gzip/deflate itself, a bounded
piece at a time, and hands httpx the decoded stream: nothing is ever held beyond the cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import httpx

from ats_core.errors import InvalidResponse
from ats_core.http.deadline import current_deadline

__all__ = ["ACCEPT_ENCODING", "DEFAULT_MAX_RESPONSE_BYTES", "BoundedTransport", "ResponseTooLarge"]

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The largest response body read (after decoding): a page of JSON records is a few MiB at most."""
ACCEPT_ENCODING = "gzip"
"""The only content coding the client asks for (deflate is decoded too, should a server send it anyway)."""

_PIECE = 64 * 1024  # the most decoded bytes one decompression step hands on
_ZLIB_OR_GZIP = zlib.MAX_WBITS | 32  # zlib's automatic header detection: a zlib or a gzip stream
_DECODED = frozenset({"gzip", "x-gzip", "deflate"})


class ResponseTooLarge(InvalidResponse):
    """The response body is larger than the client's size cap; it was not read further."""

    hint = "the ATS sent more than any page should hold; if that is legitimate, raise the limit"


class BoundedTransport(httpx.BaseTransport):
    """Wraps a transport: bodies are decoded here, capped at `max_bytes` and read within the attempt's deadline.

    `setting` is the name of the limit's setting, named in `ResponseTooLarge`.
    """

    def __init__(self, transport: httpx.BaseTransport, *, max_bytes: int, setting: str = "max_response_bytes") -> None:
        self._transport = transport
        self.max_bytes = max_bytes
        self.setting = setting

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the wrapped transport; answer with the same response, its body bounded and decoded."""
        response = self._transport.handle_request(request)
        try:
            codings = self._codings(request, response)
            declared = response.headers.get("content-length", "").strip()
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large(
                    request, f"is larger than the {{limit}}: its Content-Length says {declared} bytes"
                )
        except InvalidResponse:
            response.close()
            raise
        headers = response.headers.raw
        if codings:
            headers = [(name, value) for name, value in headers if name.lower() not in _REWRITTEN]
        assert isinstance(response.stream, httpx.SyncByteStream), "a sync client gets sync streams"
        body = _BoundedBody(self, request, response.stream, codings)
        return httpx.Response(response.status_code, headers=headers, stream=body, extensions=response.extensions)

    def close(self) -> None:
        """Close the wrapped transport."""
        self._transport.close()

    def _codings(self, request: httpx.Request, response: httpx.Response) -> list[str]:
        """The content codings to undo, outermost last; an unsupported one is an InvalidResponse."""
        named = [part.strip().lower() for part in response.headers.get("content-encoding", "").split(",")]
        codings = [coding for coding in named if coding not in ("", "identity")]
        for coding in codings:
            if coding not in _DECODED:
                raise InvalidResponse(
                    f"the response is encoded as {coding[:40]!r}, which the client did not ask for",
                    method=request.method,
                    path=request.url.path,
                    status_code=response.status_code,
                    hint=f"the client asks for '{ACCEPT_ENCODING}'; report the encoding to the ATS vendor",
                )
        return codings

    def _too_large(self, request: httpx.Request, what: str) -> ResponseTooLarge:
        """`what` the body does, with `{limit}` where the limit and its setting go."""
        limit = f"{_size(self.max_bytes)} limit ({self.setting})"
        return ResponseTooLarge(
            "the response body " + what.format(limit=limit),
            method=request.method,
            path=request.url.path,
            hint=f"if the ATS legitimately sends bodies this large, raise the {self.setting} setting",
        )


_REWRITTEN = frozenset({b"content-encoding", b"content-length"})


class _BoundedBody(httpx.SyncByteStream):
    """The decoded body of one response, refused past the size cap or the deadline."""

    def __init__(
        self, owner: BoundedTransport, request: httpx.Request, stream: httpx.SyncByteStream, codings: list[str]
    ) -> None:
        self._owner = owner
        self._request = request
        self._stream = stream
        self._codings = codings

    def __iter__(self) -> Iterator[bytes]:
        deadline = current_deadline()
        pieces: Iterable[bytes] = self._counted(self._stream)
        for coding in reversed(self._codings):
            pieces = self._inflate(pieces, coding)
        decoded = 0
        for piece in pieces:
            decoded += len(piece)
            if decoded > self._owner.max_bytes:
                raise self._owner._too_large(self._request, "decodes to more than the {limit}; decoding stopped there")
            if deadline is not None:
                deadline.check()
            yield piece

    def close(self) -> None:
        self._stream.close()

    def _counted(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The bytes as received, refused past the cap (a compressed body counts too)."""
        received = 0
        for chunk in chunks:
            received += len(chunk)
            if received > self._owner.max_bytes:
                raise self._owner._too_large(self._request, "is larger than the {limit}; reading stopped there")
            yield chunk

    def _inflate(self, chunks: Iterable[bytes], coding: str) -> Iterator[bytes]:
        """Undo one gzip or deflate (zlib) coding, never more than `_PIECE` bytes per step."""
        decompressor = zlib.decompressobj(_ZLIB_OR_GZIP)
        received = False
        try:
            for chunk in chunks:
                received = received or bool(chunk)
                data = chunk
                while True:
                    piece = decompressor.decompress(data, _PIECE)
                    if piece:
                        yield piece
                    data = decompressor.unconsumed_tail
                    if not data and len(piece) < _PIECE:
                        break
            tail = decompressor.flush()
            if received and not decompressor.eof:
                raise zlib.error("the compressed stream ends early")
        except zlib.error:
            raise InvalidResponse(
                f"the response body is not valid {coding} data",
                method=self._request.method,
                path=self._request.url.path,
                hint="the ATS sent a corrupt compressed body; retry, and report it if it persists",
            ) from None
        if tail:
            yield tail


def _size(count: int) -> str:
    """A byte count for people: `64 MiB`, `1.5 KiB`, `999 bytes`."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"
