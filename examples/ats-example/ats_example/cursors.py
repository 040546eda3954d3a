"""Opaque page cursors: the sort key of the last record served, so a saved cursor resumes exactly after it."""

from __future__ import annotations

import base64
import binascii
import json

from ats_core.errors import InvalidInput
from ats_example.store import SortKey

__all__ = ["decode_cursor", "encode_cursor"]


def encode_cursor(key: SortKey) -> str:
    """A cursor callers store and pass back unchanged."""
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode("ascii")


def decode_cursor(cursor: str | None) -> SortKey | None:
    """The sort key inside a cursor we issued; InvalidInput for anything else."""
    if cursor is None:
        return None
    try:
        modified, record_id = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
        if isinstance(modified, str) and isinstance(record_id, int):
            return (modified, record_id)
    except (ValueError, TypeError, binascii.Error):
        pass
    raise InvalidInput("cursor", "was not issued by this provider; start again with cursor=None")
