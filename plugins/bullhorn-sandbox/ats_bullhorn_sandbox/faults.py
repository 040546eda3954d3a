"""Faults and tenant options, parsed from `SandboxOptions.faults` (name -> value string); README lists them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = [
    "DEFAULT_NOTE_ACTIONS",
    "DEFAULT_SUBMISSION_STATUSES",
    "FAULT_HELP",
    "FaultConfig",
    "parse_faults",
]

DEFAULT_SUBMISSION_STATUSES: tuple[str, ...] = (
    "New Lead",
    "Submitted",
    "Client Submission",
    "Interview Scheduled",
    "Offer Extended",
    "Placed",
    "Client Rejected",
    "Candidate Not Interested",
)
DEFAULT_NOTE_ACTIONS: tuple[str, ...] = (
    "Outbound Call",
    "Left Message",
    "Inbound Call",
    "Email",
    "Meeting",
    "Submission Note",
    "Interview Feedback",
    "Reference Check",
)

FAULT_HELP: dict[str, str] = {
    "error_rate": "fraction (0..1) of REST API requests answered with a server error instead (default 0)",
    "error_statuses": "comma-separated statuses used by error_rate (default 500,503)",
    "rate_limit": "REQUESTS/SECONDS per API user, or 'off' (default 1500/60, Bullhorn's documented per-minute limit)",
    "burst_429": "COUNT/EVERY: the last COUNT of every EVERY REST API requests get 429 (default off)",
    "latency_spike_rate": "fraction of REST API requests delayed by latency_spike_ms (default 0)",
    "latency_spike_ms": "delay of a latency spike in milliseconds (default 2000)",
    "drop_rate": "fraction of successful REST API answers cut off mid-body (default 0)",
    "lost_write_rate": "fraction of writes applied, then answered by a cut-off connection (default 0)",
    "expire_session_every": "every Nth REST API request finds its BhRestToken session expired (default off)",
    "mutate_every": "every Nth query/search page request first updates a seeded candidate (default off)",
    "session_ttl": "lifetime of a BhRestToken session in seconds when login sends no ttl (default 3600)",
    "access_token_ttl": "lifetime of an OAuth access token in seconds (default 600, as Bullhorn documents)",
    "auth_code_ttl": "lifetime of an OAuth authorization code in seconds (default 120)",
    "max_subscriptions": "event subscriptions allowed per corporation (default 50)",
    "event_ttl_days": "days an unread event is kept before it expires (default 30)",
    "submission_statuses": "not a fault: comma-separated JobSubmission status list of the tenant",
    "note_actions": "not a fault: comma-separated Note action list (commentActionList) of the tenant",
}


@dataclass(frozen=True)
class FaultConfig:
    """Which faults the sandbox injects (rates are fractions in [0, 1]), and the tenant's option lists."""

    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (500, 503)
    rate_limit: tuple[int, float] | None = (1500, 60.0)
    burst_429: tuple[int, int] | None = None
    latency_spike_rate: float = 0.0
    latency_spike_ms: float = 2000.0
    drop_rate: float = 0.0
    lost_write_rate: float = 0.0
    expire_session_every: int = 0
    mutate_every: int = 0
    session_ttl: float = 3600.0
    access_token_ttl: float = 600.0
    auth_code_ttl: float = 120.0
    max_subscriptions: int = 50
    event_ttl_days: float = 30.0
    submission_statuses: tuple[str, ...] = DEFAULT_SUBMISSION_STATUSES
    note_actions: tuple[str, ...] = DEFAULT_NOTE_ACTIONS


def _rate(name: str, value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"fault {name}={value!r}: expected a number between 0 and 1")
    return rate


def _positive(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if number <= 0:
        raise ValueError(f"fault {name}={value!r}: expected a positive number")
    return number


def _count(name: str, value: str) -> int:
    number = _positive(name, value)
    if number != int(number):
        raise ValueError(f"fault {name}={value!r}: expected a positive whole number")
    return int(number)


def _pair(name: str, value: str) -> tuple[int, float]:
    left, sep, right = value.partition("/")
    try:
        count, span = int(left), float(right)
    except ValueError:
        count, span = 0, 0.0
    if not sep or count < 1 or span <= 0:
        raise ValueError(f"fault {name}={value!r}: expected positive COUNT/NUMBER, e.g. 1500/60")
    return count, span


def _rate_limit(name: str, value: str) -> tuple[int, float] | None:
    return None if value.lower() in {"off", "none", "0"} else _pair(name, value)


def _burst(name: str, value: str) -> tuple[int, int]:
    count, every = _pair(name, value)
    if count > every or every != int(every):
        raise ValueError(f"fault {name}={value!r}: expected COUNT/EVERY with COUNT <= EVERY, e.g. 2/10")
    return count, int(every)


def _statuses(name: str, value: str) -> tuple[int, ...]:
    try:
        statuses = tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        statuses = ()
    if not statuses or not all(400 <= status <= 599 for status in statuses):
        raise ValueError(f"fault {name}={value!r}: expected HTTP error statuses like 500,503")
    return statuses


def _names(name: str, value: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in value.split(",") if part.strip())
    if not names or any(len(item) > 30 for item in names):
        raise ValueError(f"fault {name}={value!r}: expected a comma-separated list of values of at most 30 characters")
    return names


_PARSERS: dict[str, Callable[[str, str], object]] = {
    "error_rate": _rate,
    "error_statuses": _statuses,
    "rate_limit": _rate_limit,
    "burst_429": _burst,
    "latency_spike_rate": _rate,
    "latency_spike_ms": _positive,
    "drop_rate": _rate,
    "lost_write_rate": _rate,
    "expire_session_every": _count,
    "mutate_every": _count,
    "session_ttl": _positive,
    "access_token_ttl": _positive,
    "auth_code_ttl": _positive,
    "max_subscriptions": _count,
    "event_ttl_days": _positive,
    "submission_statuses": _names,
    "note_actions": _names,
}


def parse_faults(faults: Mapping[str, str]) -> FaultConfig:
    """Parse fault strings; ValueError names the unknown or malformed fault and lists the known ones."""
    unknown = sorted(set(faults) - set(FAULT_HELP))
    if unknown:
        raise ValueError(f"unknown sandbox fault(s) {', '.join(unknown)}; known faults: {', '.join(FAULT_HELP)}")
    values = {name: _PARSERS[name](name, str(raw).strip()) for name, raw in faults.items()}
    return FaultConfig(**values)  # type: ignore[arg-type]
