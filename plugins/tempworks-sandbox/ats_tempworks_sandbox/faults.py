"""Fault injection settings, and the tenant time zone: parsed from `SandboxOptions.faults` (name -> value string)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ats_tempworks_sandbox.local_time import DEFAULT_TIME_ZONE, resolve_zone

__all__ = ["ALL_SCOPES", "FAULT_HELP", "FaultConfig", "parse_faults"]

ALL_SCOPES: tuple[str, ...] = (
    "assignment-read",
    "assignment-write",
    "contact-read",
    "contact-write",
    "customer-read",
    "customer-write",
    "document-read",
    "document-write",
    "employee-read",
    "employee-write",
    "hotlist-write",
    "message-read",
    "message-write",
    "offline_access",
    "openid",
    "order-read",
    "order-write",
    "ordercandidate-write",
    "profile",
    "universal-search",
)

FAULT_HELP: dict[str, str] = {
    "error_rate": "fraction (0..1) of API requests answered with a server error instead (default 0)",
    "error_statuses": "comma-separated statuses used by error_rate (default 500,503,520,521)",
    "rate_limit": "REQUESTS/SECONDS per client credential, or 'off' (default 25/5)",
    "burst_429": "COUNT/EVERY: the last COUNT of every EVERY API requests get 429 (default off)",
    "drop_rate": "fraction of API responses cut off mid-body after the headers (default 0)",
    "malformed_rate": "fraction of records (fixed per record id) served malformed (default 0)",
    "mutate_rate": "fraction of list/search page requests that first modify or insert an employee (default 0)",
    "mutate_every": "every Nth list/search page request first modifies or inserts an employee (default off)",
    "token_ttl": "lifetime of OAuth access tokens in seconds (default 3600)",
    "lost_write_rate": "fraction of POST .../messages stored and then answered by a dropped connection (default 0)",
    "scopes": "comma-separated scopes granted to the sandbox OAuth client (default: all)",
    "time_zone": f"not a fault: the tenant's IANA time zone, in which offset-less timestamps are written and read "
    f"(default {DEFAULT_TIME_ZONE})",
}


@dataclass(frozen=True)
class FaultConfig:
    """Which faults a sandbox injects (all rates are fractions in [0, 1]), and the tenant's time zone."""

    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (500, 503, 520, 521)
    rate_limit: tuple[int, float] | None = (25, 5.0)
    burst_429: tuple[int, int] | None = None
    drop_rate: float = 0.0
    malformed_rate: float = 0.0
    mutate_rate: float = 0.0
    mutate_every: int = 0
    token_ttl: float = 3600.0
    lost_write_rate: float = 0.0
    scopes: tuple[str, ...] = field(default=ALL_SCOPES)
    time_zone: str = DEFAULT_TIME_ZONE


def _rate(name: str, value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        raise ValueError(f"fault {name}={value!r}: expected a number between 0 and 1") from None
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"fault {name}={value!r}: expected a number between 0 and 1")
    return rate


def _pair(name: str, value: str) -> tuple[int, float]:
    left, sep, right = value.partition("/")
    try:
        count, span = int(left), float(right)
    except ValueError:
        raise ValueError(f"fault {name}={value!r}: expected COUNT/NUMBER, e.g. 25/5") from None
    if not sep or count < 1 or span <= 0:
        raise ValueError(f"fault {name}={value!r}: expected positive COUNT/NUMBER, e.g. 25/5")
    return count, span


def _positive(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"fault {name}={value!r}: expected a positive number") from None
    if number <= 0:
        raise ValueError(f"fault {name}={value!r}: expected a positive number")
    return number


def parse_faults(faults: Mapping[str, str]) -> FaultConfig:
    """Parse fault strings; ValueError names the unknown or malformed fault and the known ones."""
    unknown = sorted(set(faults) - set(FAULT_HELP))
    if unknown:
        raise ValueError(f"unknown sandbox fault(s) {', '.join(unknown)}; known faults: {', '.join(FAULT_HELP)}")
    values: dict[str, object] = {}
    for name, raw in faults.items():
        value = str(raw).strip()
        if name in {"error_rate", "drop_rate", "malformed_rate", "mutate_rate", "lost_write_rate"}:
            values[name] = _rate(name, value)
        elif name == "error_statuses":
            try:
                values[name] = tuple(int(part) for part in value.split(",") if part.strip())
            except ValueError:
                raise ValueError(f"fault {name}={value!r}: expected statuses like 500,503,520,521") from None
        elif name == "rate_limit":
            values[name] = None if value.lower() in {"off", "none", "0"} else _pair(name, value)
        elif name == "burst_429":
            count, every = _pair(name, value)
            if count > every:
                raise ValueError(f"fault {name}={value!r}: COUNT must not exceed EVERY")
            values[name] = (count, int(every))
        elif name == "mutate_every":
            values[name] = int(_positive(name, value))
        elif name == "token_ttl":
            values[name] = _positive(name, value)
        elif name == "scopes":
            values[name] = tuple(part for part in value.replace(",", " ").split() if part)
        elif name == "time_zone":
            try:
                resolve_zone(value)
            except ValueError as error:
                raise ValueError(f"option {name}={value!r}: {error}") from None
            values[name] = value
    return FaultConfig(**values)  # type: ignore[arg-type]
