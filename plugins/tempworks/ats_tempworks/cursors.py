"""Opaque, resumable stream cursors: base64url JSON of the paging state with a checksum.

A cursor names the stream it belongs to and the filter it was made for, so it cannot resume another
stream or another filter; anything that does not decode and verify is refused as InvalidInput.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ats_core.errors import InvalidInput

__all__ = ["CursorState", "decode_cursor", "encode_cursor"]

_VERSION: Literal[1] = 1
_CHECK_LENGTH = 16


class CursorState(BaseModel):
    """Where a stream stands: which stream and filter, which read mode, the next offset and page size."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1] = _VERSION
    stream: str = Field(min_length=1)
    mode: Literal["list", "modified"]
    skip: int = Field(ge=0)
    take: int = Field(ge=1)
    since: str | None = None
    filters: tuple[str, ...] = ()


def _check(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:_CHECK_LENGTH]


def encode_cursor(state: CursorState) -> str:
    """The opaque text of a cursor."""
    body = state.model_dump_json()
    envelope = json.dumps({"s": json.loads(body), "c": _check(body)}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(envelope.encode()).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, *, stream: str) -> CursorState:
    """The state of a cursor this provider issued for `stream`; InvalidInput for anything else."""
    refused = InvalidInput("cursor", "is not a cursor this stream issued; pass the next_cursor of a previous page")
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
        envelope = json.loads(text)
        state = CursorState.model_validate(envelope["s"])
        if envelope.get("c") != _check(state.model_dump_json()):
            raise refused
    except (binascii.Error, UnicodeDecodeError, ValueError, ValidationError, KeyError, TypeError):
        raise refused from None
    if state.stream != stream:
        raise InvalidInput("cursor", f"was issued by {state.stream}, not {stream}")
    return state
