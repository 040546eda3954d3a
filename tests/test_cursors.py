"""Core cursors: any text decodes to what was encoded or raises InvalidInput; bound to stream and version."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ats_core.cursors import CursorContent, decode_cursor, encode_cursor
from ats_core.errors import InvalidInput

STREAM = "acme.candidates"
CONTENT = CursorContent(datetime(2026, 11, 1, tzinfo=UTC), {"statuses": ("open",)}, {"mode": "list", "skip": 40})


def test_a_cursor_round_trips() -> None:
    assert decode_cursor(STREAM, encode_cursor(STREAM, CONTENT)) == CONTENT


def test_a_cursor_of_another_stream_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput, match=r"issued by the stream acme\.candidates, not acme\.jobs"):
        decode_cursor("acme.jobs", encode_cursor(STREAM, CONTENT))


def test_a_forged_position_or_version_is_refused() -> None:
    text, tag = encode_cursor(STREAM, CONTENT).split(".")
    payload = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    payload["p"]["skip"] = 0
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=") + "." + tag
    for bad in (forged, "not-a-cursor", encode_cursor(STREAM, CONTENT)[:-3], "", "a.b.c"):
        with pytest.raises(InvalidInput) as refused:
            decode_cursor(STREAM, bad)
        assert refused.value.field == "cursor"


@st.composite
def cursors(draw: st.DrawFn) -> tuple[str, CursorContent | None]:
    """Arbitrary text, or a real cursor with characters replaced (damaged in transit or storage) and its content."""
    if draw(st.booleans()):
        return draw(st.text(max_size=80)), None
    content = CursorContent(None, {}, {"skip": draw(st.integers(0, 10**6)), "take": 50})
    text = list(encode_cursor(STREAM, content))
    for _ in range(draw(st.integers(1, 3))):
        text[draw(st.integers(0, len(text) - 1))] = draw(st.sampled_from("AZaz09-_=+/. "))
    return "".join(text), content


@given(cursor=cursors())
@settings(max_examples=300)
def test_any_cursor_text_decodes_or_raises_invalid_input(cursor: tuple[str, CursorContent | None]) -> None:
    text, issued = cursor
    try:
        content = decode_cursor(STREAM, text)
    except InvalidInput as error:
        assert error.field == "cursor"
        return
    assert decode_cursor(STREAM, encode_cursor(STREAM, content)) == content
    if issued is not None:
        assert content == issued, "a damaged cursor never decodes to another position"
