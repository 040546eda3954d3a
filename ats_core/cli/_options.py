"""Option parsing shared by the `ats` subcommands: points in time and sandbox faults."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import click

__all__ = ["fault_option", "parse_faults", "parse_when", "when_option_callback"]

_Command = TypeVar("_Command", bound=Callable[..., object] | click.Command)

_AGE = re.compile(r"^(\d+)\s*([dhm])$")
_AGE_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def parse_when(text: str, now: Callable[[], datetime] = _utc_now) -> datetime:
    """A time zone-aware point in time from YYYY-MM-DD, ISO 8601 (naive = UTC) or an age (30d, 12h, 15m)."""
    text = text.strip()
    age = _AGE.match(text)
    if age:
        return now() - timedelta(**{_AGE_UNITS[age.group(2)]: int(age.group(1))})
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date: use YYYY-MM-DD, an ISO 8601 time such as 2026-01-31T08:00:00Z, "
            "or an age such as 30d, 12h, 15m"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def when_option_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """Click callback turning a `--since` text into an aware datetime, or a usage error saying the formats."""
    if value is None:
        return None
    try:
        return parse_when(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


def parse_faults(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> dict[str, str]:
    """Click callback turning repeated `--fault NAME=VALUE` into the mapping SandboxOptions takes."""
    faults: dict[str, str] = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE (e.g. --fault error_rate=0.2)", ctx=ctx, param=param)
        faults[name.strip()] = setting.strip()
    return faults


def fault_option(help_text: str) -> Callable[[_Command], _Command]:
    """The repeatable `--fault NAME=VALUE` option, parsed into the command's `faults` mapping."""
    return click.option("--fault", "faults", multiple=True, callback=parse_faults, metavar="NAME=VALUE", help=help_text)
