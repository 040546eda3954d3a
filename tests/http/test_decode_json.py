"""`decode_json` decodes every body exactly as `json.loads` does, and refuses what it refuses."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ats_core.http.client import decode_json
from ats_core.http.jsonbody import MAX_JSON_DEPTH, JSONTooDeep

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(exclude_categories=["Cs"])),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=25,
)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


@settings(max_examples=300, deadline=None)
@given(value=json_values, ensure_ascii=st.booleans())
def test_decodes_like_json_loads(value: Any, ensure_ascii: bool) -> None:
    body = json.dumps(value, ensure_ascii=ensure_ascii).encode()
    assert _same(decode_json(body), json.loads(body))


@pytest.mark.parametrize(
    "body",
    [
        b"\xef\xbb\xbf{}",  # UTF-8 BOM
        '{"a": [1, "x"]}'.encode("utf-16"),
        b'"\\ud800"',  # a lone surrogate escape
        b"NaN",
        b"-Infinity",
        b"1e400",
        b'{"a": 1, "a": 2}',
    ],
)
def test_bodies_the_fast_parser_refuses_or_bends_decode_like_json_loads(body: bytes) -> None:
    assert _same(decode_json(body), json.loads(body))


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2,]", b'{"a": 1} trailing', b'"a\x01b"', b"1" * 5000])
def test_invalid_bodies_raise_value_error(body: bytes) -> None:
    with pytest.raises(ValueError):
        json.loads(body)
    with pytest.raises(ValueError):
        decode_json(body)


def _nested(depth: int, opener: bytes = b"[", closer: bytes = b"]") -> bytes:
    return opener * depth + closer * depth


@pytest.mark.parametrize(("opener", "closer"), [(b"[", b"]"), (b'{"a":', b"}")])
@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["fast-parser", "json-loads-fallback"])
def test_nesting_up_to_the_limit_decodes_and_one_level_more_is_refused(
    opener: bytes, closer: bytes, prefix: bytes
) -> None:
    inner = b"1" if opener.startswith(b"{") else b""
    at_limit = prefix + opener * MAX_JSON_DEPTH + inner + closer * MAX_JSON_DEPTH
    decode_json(at_limit)
    too_deep = prefix + opener * (MAX_JSON_DEPTH + 1) + inner + closer * (MAX_JSON_DEPTH + 1)
    with pytest.raises(JSONTooDeep, match=f"nested deeper than {MAX_JSON_DEPTH} levels"):
        decode_json(too_deep)


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["fast-parser", "json-loads-fallback"])
def test_a_body_nested_a_hundred_thousand_levels_is_refused_not_a_recursion_error(prefix: bytes) -> None:
    with pytest.raises(JSONTooDeep):
        decode_json(prefix + _nested(100_000))
