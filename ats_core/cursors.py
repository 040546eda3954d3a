"""Opaque stream cursors, owned by the core: versioned, signed, bound to one provider's stream and query.

A cursor is base64url JSON `{v, s, q, p}` (version, stream, query, position) and a keyed BLAKE2 tag.
The tag detects a damaged or hand-made cursor and one of another provider or stream; it is not a secret
(anyone can read a cursor), so a cursor holds positions only, never credentials or record values.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ats_core.errors import InvalidInput

__all__ = ["CURSOR_VERSION", "CursorContent", "decode_cursor", "encode_cursor"]

CURSOR_VERSION = 1
_TAG_BYTES = 12
_MAX_CURSOR = 4096


@dataclass(frozen=True)
class CursorContent:
    """What a cursor holds: the query it was made for and where the next page starts."""

    updated_after: datetime | None
    filters: Mapping[str, tuple[str, ...]]
    position: Mapping[str, Any]


def _tag(stream: str, body: bytes) -> str:
    key = hashlib.sha256(f"ats-core cursor v{CURSOR_VERSION} {stream}".encode()).digest()
    digest = hashlib.blake2b(body, key=key, digest_size=_TAG_BYTES).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def encode_cursor(stream: str, content: CursorContent) -> str:
    """The opaque text of a cursor of `stream` (e.g. `tempworks.candidates`)."""
    body = json.dumps(
        {
            "v": CURSOR_VERSION,
            "s": stream,
            "q": {
                "u": None if content.updated_after is None else content.updated_after.isoformat(),
                "f": {name: list(values) for name, values in sorted(content.filters.items())},
            },
            "p": dict(content.position),
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode("utf-8")
    text = base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return f"{text}.{_tag(stream, body)}"


def decode_cursor(stream: str, cursor: str) -> CursorContent:
    """The content of a cursor this stream issued; InvalidInput (field `cursor`) for anything else."""
    refused = InvalidInput("cursor", "is not a cursor this stream issued; pass the next_cursor of a previous page")
    if not isinstance(cursor, str) or len(cursor) > _MAX_CURSOR or cursor.count(".") != 1:
        raise refused
    text, tag = cursor.split(".")
    try:
        body = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(body)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise refused from None
    if not isinstance(payload, dict) or payload.get("s") != stream:
        issued_by = payload.get("s") if isinstance(payload, dict) else None
        if isinstance(issued_by, str) and hmac.compare_digest(tag, _tag(issued_by, body)):
            raise InvalidInput("cursor", f"was issued by the stream {issued_by}, not {stream}")
        raise refused
    if not hmac.compare_digest(tag, _tag(stream, body)):
        raise refused
    if payload.get("v") != CURSOR_VERSION:
        raise InvalidInput("cursor", f"is of cursor version {payload.get('v')}; start again with cursor=None")
    try:
        query, position = payload["q"], payload["p"]
        updated_after = None if query["u"] is None else datetime.fromisoformat(query["u"])
        filters = {str(name): tuple(str(v) for v in values) for name, values in query["f"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        raise refused from None
    if not isinstance(position, dict):
        raise refused
    return CursorContent(updated_after, filters, position)
