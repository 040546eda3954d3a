"""Header values checked before they are sent: a credential with a stray newline is a setting to fix, not an outage."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ats_core.errors import ConfigurationError

__all__ = ["ensure_header_safe", "ensure_headers_safe", "is_header_safe"]

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
UNSAFE_VALUE = (
    "contains a line break, NUL or other control character, or starts or ends with whitespace "
    "(often a trailing newline read from a file); remove it"
)


def is_header_safe(value: str) -> bool:
    """True when `value` can travel in an HTTP header as is: no control characters, no surrounding whitespace."""
    return value == value.strip() and not any(unicodedata.category(char) == "Cc" for char in value)


def ensure_header_safe(value: str, setting: str) -> str:
    """`value` if it can travel in an HTTP header as is; else ConfigurationError naming `setting`, never the value."""
    if not is_header_safe(value):
        raise ConfigurationError(setting, UNSAFE_VALUE)
    return value


def ensure_headers_safe(headers: Mapping[str, str], setting: str) -> None:
    """Check every name and value of extra headers; the error names the header, never its value."""
    for name, value in headers.items():
        if not _HEADER_NAME.fullmatch(name):
            raise ConfigurationError(setting, f"has a header name that is not an HTTP token ({name!r})")
        if not is_header_safe(value):
            raise ConfigurationError(setting, f"value of {name!r} {UNSAFE_VALUE}")
