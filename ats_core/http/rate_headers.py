"""Reading a server's rate-limit answers: Retry-After, the reset time, and the count or remaining of its window."""

from __future__ import annotations

import math
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime

import httpx

__all__ = [
    "MAX_SERVER_WAIT_SECONDS",
    "RETRY_AFTER_STATUSES",
    "header_count",
    "parse_reset",
    "parse_retry_after",
    "server_used",
    "server_wait",
]

MAX_SERVER_WAIT_SECONDS = 3600.0
"""A server-advised wait longer than this is taken as this (a guard against nonsense headers)."""
RETRY_AFTER_STATUSES = frozenset({429, 503})
"""The statuses whose Retry-After is obeyed; on any other answer (a 200 above all) it is ignored."""

_EPOCH_SECONDS_FLOOR = 1e9  # numbers above this are epoch timestamps, below it durations in seconds
_EPOCH_MILLIS_FLOOR = 1e12  # numbers above this are epoch milliseconds


def _clamp(seconds: float) -> float | None:
    """Seconds bounded to [0, MAX_SERVER_WAIT_SECONDS]; None for NaN."""
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_SERVER_WAIT_SECONDS)


def _parse_timestamp(value: str, zone: tzinfo) -> float | None:
    """Epoch seconds of an HTTP date or an ISO 8601 timestamp (one without an offset is in `zone`), or None."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    try:
        return parsed.timestamp()
    except (OverflowError, ValueError):
        return None


def parse_retry_after(value: str | None, now: float, zone: tzinfo = UTC) -> float | None:
    """Seconds to wait from a Retry-After value (delta seconds or HTTP date), given wall time `now`."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return _clamp(float(value))
    except ValueError:
        pass
    stamp = _parse_timestamp(value, zone)
    return None if stamp is None else _clamp(stamp - now)


def parse_reset(value: str | None, now: float, zone: tzinfo = UTC) -> float | None:
    """Seconds until a rate-limit reset: epoch seconds or millis, seconds-from-now, HTTP date or ISO time.

    An ISO time without an offset is read in `zone`, the server's time zone (UTC unless the provider says).
    A reset at or before `now` gives 0.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        stamp = _parse_timestamp(value, zone)
        return None if stamp is None else _clamp(stamp - now)
    if not math.isfinite(number):
        return None
    if number >= _EPOCH_MILLIS_FLOOR:
        return _clamp(number / 1000.0 - now)
    if number >= _EPOCH_SECONDS_FLOOR:
        return _clamp(number - now)
    return _clamp(number)


def header_count(response: httpx.Response, header: str | None) -> int | None:
    """A non-negative whole number from a header (`x-rate-limit-remaining: 3`), or None if absent or unreadable."""
    raw = None if header is None else response.headers.get(header)
    if raw is None:
        return None
    try:
        number = int(float(raw.strip()))
    except (ValueError, OverflowError):
        return None
    return number if number >= 0 else None


def server_wait(
    response: httpx.Response,
    now: float,
    *,
    remaining_header: str | None = None,
    reset_header: str | None = None,
    zone: tzinfo = UTC,
) -> float | None:
    """Seconds the server asks us to wait: Retry-After on a 429 or 503, else the reset when nothing remains.

    The rate-limit header names are the provider's (its manifest's `RateLimit` declares them); None: not sent.

    None when it asks nothing; 0 when the time it names has already passed (no usable wait).
    """
    if response.status_code in RETRY_AFTER_STATUSES:
        retry_after = parse_retry_after(response.headers.get("retry-after"), now, zone)
        if retry_after is not None:
            return retry_after
    if reset_header is not None and (response.status_code == 429 or header_count(response, remaining_header) == 0):
        return parse_reset(response.headers.get(reset_header), now, zone)
    return None


def server_used(
    response: httpx.Response, requests: int, *, count_header: str | None, remaining_header: str | None
) -> int | None:
    """How many of its `requests` per window the server counts as used now, as far as its count or remaining tell."""
    counted = header_count(response, count_header)
    remaining = header_count(response, remaining_header)
    from_remaining = None if remaining is None or remaining > requests else requests - remaining
    known = [used for used in (counted, from_remaining) if used is not None]
    return min(max(known), requests) if known else None
