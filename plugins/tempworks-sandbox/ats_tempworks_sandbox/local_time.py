"""The tenant's time zone: TempWorks writes most timestamps without an offset, in the tenant's local time."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["DEFAULT_TIME_ZONE", "NO_OFFSET_FORMAT", "LocalTime", "resolve_zone"]

DEFAULT_TIME_ZONE = "America/Chicago"
NO_OFFSET_FORMAT = "%Y-%m-%dT%H:%M:%S"
_DAY = 86400


def resolve_zone(name: str) -> ZoneInfo:
    """The ZoneInfo of an IANA name; ValueError says what to use instead."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}; use a name such as America/Chicago or UTC") from None


@functools.lru_cache(maxsize=32)
def _repeated(zone: ZoneInfo, start: int, end: int) -> tuple[tuple[float, float], ...]:
    def offset(moment: int) -> float:
        delta = datetime.fromtimestamp(moment, zone).utcoffset()
        return delta.total_seconds() if delta is not None else 0.0

    intervals: list[tuple[float, float]] = []
    for day in range(start, end, _DAY):
        before, after = offset(day), offset(day + _DAY)
        if after >= before:
            continue
        low, high = day, day + _DAY  # offset(low) == before, offset(high) == after
        while high - low > 1:
            middle = (low + high) // 2
            if offset(middle) == before:
                low = middle
            else:
                high = middle
        intervals.append((float(high), before - after))
    return tuple(intervals)


class LocalTime:
    """Writes and reads offset-less timestamps as wall time in one IANA time zone."""

    def __init__(self, name: str = DEFAULT_TIME_ZONE) -> None:
        self.zone = resolve_zone(name)
        self.name = name

    def format(self, epoch: float) -> str:
        """`epoch` as local wall time without an offset, e.g. 2024-05-01T07:30:00."""
        return datetime.fromtimestamp(int(epoch), self.zone).strftime(NO_OFFSET_FORMAT)

    def parse(self, text: str) -> float:
        """Epoch seconds of an ISO 8601 timestamp; without an offset it is local time. ValueError if not a date."""
        parsed = datetime.fromisoformat(text.strip())
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.zone)
        return parsed.timestamp()

    def normalise(self, text: str) -> str:
        """An ISO 8601 timestamp rewritten as local wall time without an offset (how the tenant stores it)."""
        return self.format(self.parse(text))

    def repeated_hours(self, start: float, end: float) -> tuple[tuple[float, float], ...]:
        """(start, seconds) of each interval in [start, end) whose local wall times repeat earlier ones.

        When clocks fall back, an offset-less wall time names two instants; these are the later ones.
        """
        return _repeated(self.zone, int(start), int(end))
