"""Decoding JSON bodies: pydantic-core's fast parser where it can, `json.loads` otherwise, to a bounded depth."""

from __future__ import annotations

import json
from typing import Any

import pydantic_core

__all__ = ["MAX_JSON_DEPTH", "JSONTooDeep", "decode_json"]

MAX_JSON_DEPTH = 201
"""The deepest nesting accepted: the depth pydantic-core's parser takes; the `json.loads` fallback is held to it too."""


class JSONTooDeep(ValueError):
    """A JSON body nested deeper than `MAX_JSON_DEPTH` (code walking it would exhaust Python's recursion)."""

    def __init__(self) -> None:
        super().__init__(f"nested deeper than {MAX_JSON_DEPTH} levels")


def decode_json(content: bytes | str) -> Any:
    """A JSON body decoded as `json.loads` would, by pydantic-core's faster parser where it can.

    Object keys are cached (list pages repeat them per record). Bodies the fast parser refuses (a BOM,
    UTF-16/32, lone surrogate escapes, deep nesting) go through `json.loads`, so results and errors are
    unchanged: ValueError when the body is not JSON, `JSONTooDeep` (a ValueError) when it nests too deep.
    """
    try:
        return pydantic_core.from_json(content, cache_strings="keys")
    except ValueError:
        pass
    try:
        value = json.loads(content)
    except RecursionError:
        raise JSONTooDeep() from None
    if _deeper_than(value, MAX_JSON_DEPTH):
        raise JSONTooDeep()
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """True when arrays and objects nest more than `limit` levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
