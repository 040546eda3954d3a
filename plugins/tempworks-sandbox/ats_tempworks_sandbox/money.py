"""JSON with TempWorks quirks: money written as a bare number, with four decimals (0.0000) or as short as it goes (17.5)."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["Money", "dumps"]

_MARK = "\x00money:"
_PATTERN = re.compile(r'"\\u0000money:(-?[0-9]+\.[0-9]+)"')


class Money:
    """A decimal amount rendered in JSON as a number: four decimals, or `compact` (17.5, 18.0), as live tenants mix."""

    __slots__ = ("text",)

    def __init__(self, amount: float, *, compact: bool = False) -> None:
        self.text = repr(round(float(amount), 4)) if compact else f"{amount:.4f}"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Money({self.text})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _default(value: Any) -> str:
    if isinstance(value, Money):
        return _MARK + value.text
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(payload: Any) -> bytes:
    """Encode `payload` as compact JSON bytes, writing Money values as bare 4-decimal numbers."""
    text = json.dumps(payload, default=_default, separators=(",", ":"))
    if "\\u0000money:" in text:
        text = _PATTERN.sub(r"\1", text)
    return text.encode("utf-8")
