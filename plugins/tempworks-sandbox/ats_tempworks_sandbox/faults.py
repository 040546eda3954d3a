"""Sandbox options: faults, realistic conditions, hostile answers and tenant choices.

All are parsed from `SandboxOptions.faults` (name -> value string, `--fault name=value` on `ats sandbox
serve`). Each option is declared once in `_OPTIONS` (its help and its parser); `FAULT_HELP` and the
unknown-name check derive from it. Defaults change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ats_tempworks_sandbox.local_time import DEFAULT_TIME_ZONE, resolve_zone

__all__ = [
    "ALL_SCOPES",
    "COLUMN_LISTS",
    "FAULT_HELP",
    "LIST_ORDERS",
    "SEARCH_COLUMN_SETS",
    "TOTAL_COUNT_LIES",
    "FaultConfig",
    "parse_faults",
]

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
LIST_ORDERS = ("id", "name", "random-stable")
SEARCH_COLUMN_SETS = ("standard", "alternate", "minimal")
COLUMN_LISTS = ("array", "envelope")
TOTAL_COUNT_LIES = ("true", "low", "negative")


@dataclass(frozen=True)
class FaultConfig:
    """What a sandbox injects and how its tenant looks (rates are fractions in [0, 1]); defaults inject nothing."""

    # faults
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (500, 503, 520, 521)
    rate_limit: tuple[int, float] | None = (25, 5.0)
    oauth_limit: tuple[int, float] | None = None
    burst_429: tuple[int, int] | None = None
    drop_rate: float = 0.0
    malformed_rate: float = 0.0
    mutate_rate: float = 0.0
    mutate_every: int = 0
    token_ttl: float = 3600.0
    lost_write_rate: float = 0.0
    scopes: tuple[str, ...] = field(default=ALL_SCOPES)
    # realistic conditions
    jitter_ms: tuple[float, float] = (0.0, 0.0)
    clock_skew_s: float = 0.0
    list_order: str = "id"
    churn: tuple[int, int] | None = None
    # hostile answers
    repeat_pages: bool = False
    total_count: str = "true"
    huge_body_mb: float = 0.0
    endless_body: bool = False
    gzip_bomb_mb: float = 0.0
    slow_body_s: float = 0.0
    deep_json: int = 0
    retry_after_on_200: int | None = None
    exhausted_remaining_s: float | None = None
    stale_429_reset_s: float | None = None
    # the tenant
    time_zone: str = DEFAULT_TIME_ZONE
    search_columns: str = "standard"
    column_list: str = "array"
    placeholder_title_rate: float = 0.2
    search_max_take: int = 1000

    @property
    def oauth_rate_limit(self) -> tuple[int, float] | None:
        """The limit of OAuth clients: `oauth_limit` when given, else the personal access token's `rate_limit`."""
        return self.oauth_limit if self.oauth_limit is not None else self.rate_limit

    @property
    def hostile_body(self) -> bool:
        """Whether successful answers are replaced or sent in a hostile way (huge, endless, bomb, slow, deep)."""
        return bool(self.huge_body_mb or self.endless_body or self.gzip_bomb_mb or self.slow_body_s or self.deep_json)


def _rate(value: str) -> float:
    rate = float(value)
    if not 0.0 <= rate <= 1.0:
        raise ValueError
    return rate


def _pair(value: str) -> tuple[int, float]:
    left, sep, right = value.partition("/")
    count, span = int(left), float(right)
    if not sep or count < 1 or span <= 0:
        raise ValueError
    return count, span


def _limit(value: str) -> tuple[int, float] | None:
    return None if value.lower() in {"off", "none", "0"} else _pair(value)


def _every(value: str) -> tuple[int, int]:
    count, every = _pair(value)
    if count > every or every != int(every):
        raise ValueError
    return count, int(every)


def _churn(value: str) -> tuple[int, int]:
    count, sep, every = value.partition("/")
    if not sep:
        raise ValueError
    return _whole(count), _whole(every)


def _positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError
    return number


def _whole(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError
    return number


def _seconds(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError
    return number


def _range(value: str) -> tuple[float, float]:
    low, sep, high = value.partition("-")
    bounds = (float(low), float(high)) if sep else (float(low), float(low))
    if not 0 <= bounds[0] <= bounds[1]:
        raise ValueError
    return bounds


def _flag(value: str) -> bool:
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError
        return value.lower()

    return parse


def _zone(value: str) -> str:
    resolve_zone(value)
    return value


def _scopes(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.replace(",", " ").split() if part)


def _statuses(value: str) -> tuple[int, ...]:
    return tuple(int(part) for part in value.split(",") if part.strip())


_Option = tuple[str, str, Callable[[str], Any]]
"""(help, what a value looks like, parser raising ValueError on a bad value)."""

_OPTIONS: dict[str, _Option] = {
    "error_rate": ("fraction of API requests answered with a server error instead (default 0)", "0..1", _rate),
    "error_statuses": ("statuses used by error_rate (default 500,503,520,521)", "e.g. 500,503", _statuses),
    "rate_limit": (
        "REQUESTS/SECONDS sliding window per credential, or 'off'; also OAuth clients' unless oauth_limit "
        "(default 25/5)",
        "N/S or off",
        _limit,
    ),
    "oauth_limit": (
        "REQUESTS/SECONDS per OAuth client (TempWorks sets it per client; default: rate_limit)",
        "N/S",
        _limit,
    ),
    "burst_429": ("COUNT/EVERY: the last COUNT of every EVERY API requests get 429 (default off)", "N/M", _every),
    "drop_rate": ("fraction of API responses cut off mid-body after the headers (default 0)", "0..1", _rate),
    "malformed_rate": ("fraction of records (fixed per record id) served malformed (default 0)", "0..1", _rate),
    "mutate_rate": ("fraction of list/search page requests that first modify or insert an employee", "0..1", _rate),
    "mutate_every": ("every Nth list/search page request first modifies or inserts an employee", "N", _whole),
    "token_ttl": ("lifetime of OAuth access tokens in seconds (default 3600)", "seconds", _positive),
    "lost_write_rate": ("fraction of POST .../messages stored, then answered by a dropped connection", "0..1", _rate),
    "scopes": ("comma-separated scopes of the sandbox OAuth client and PAT (default: all)", "a,b,c", _scopes),
    "jitter_ms": ("a seeded random delay per request, in milliseconds (default 0)", "LOW-HIGH, e.g. 0-150", _range),
    "clock_skew_s": (
        "seconds added to the server's clock: timestamps it writes, token expiry, rate-limit resets",
        "seconds, e.g. -2",
        float,
    ),
    "list_order": (
        "order of GET /Search/Employees: id (default), name, random-stable",
        "|".join(LIST_ORDERS),
        _one_of(*LIST_ORDERS),
    ),
    "churn": (
        "N/M: N employees inserted and N deleted per M list/search page requests (default off)",
        "N/M",
        _churn,
    ),
    "repeat_pages": ("list endpoints ignore skip: every page is the first (default off)", "1", _flag),
    "total_count": (
        "totalCount of list envelopes: true (default), low (half), negative (-1)",
        "true|low|negative",
        _one_of(*TOTAL_COUNT_LIES),
    ),
    "huge_body": ("successful answers padded with JSON whitespace to MB megabytes (Content-Length)", "MB", _positive),
    "endless_body": ("successful answers sent chunked, never ending (until the client hangs up)", "1", _flag),
    "gzip_bomb": ("successful answers gzip-encoded, inflating to MB megabytes", "MB", _positive),
    "slow_body": ("successful answers sent one byte every SECONDS", "seconds", _positive),
    "deep_json": ("successful answers replaced by arrays nested DEPTH deep inside data", "DEPTH", _whole),
    "retry_after_on_200": ("successful answers carry Retry-After: SECONDS (e.g. 999999)", "seconds", _whole),
    "exhausted_remaining": (
        "successful answers carry x-rate-limit-remaining: 0 and a reset SECONDS ahead of the server's now",
        "seconds",
        _seconds,
    ),
    "stale_429_reset": (
        "every 429 carries x-rate-limit-reset SECONDS before the server's now (0 = now)",
        "seconds",
        _seconds,
    ),
    "time_zone": (
        f"not a fault: the tenant's IANA time zone of offset-less timestamps (default {DEFAULT_TIME_ZONE})",
        "IANA name",
        _zone,
    ),
    "search_columns": (
        "not a fault: the tenant's advanced-search display names: standard, alternate (other names for the same "
        "columns), minimal (optional columns missing)",
        "|".join(SEARCH_COLUMN_SETS),
        _one_of(*SEARCH_COLUMN_SETS),
    ),
    "column_list": (
        "not a fault: GET /search/{o}/columns as a bare array (default) or a {data, totalCount} envelope, as a "
        "recorded live tenant answers",
        "|".join(COLUMN_LISTS),
        _one_of(*COLUMN_LISTS),
    ),
    "placeholder_titles": (
        "not a fault: fraction of job orders whose jobTitle is the placeholder 'Default' (the title only in "
        "publicJobTitle, jobDescription null), as on live tenants (default 0.2)",
        "0..1",
        _rate,
    ),
    "search_max_take": (
        "not a fault: the largest take POST /search/{o} accepts; larger ones get a 400 (default 1000; TempWorks "
        "documents none)",
        "records",
        _whole,
    ),
}
_FIELDS = {
    "huge_body": "huge_body_mb",
    "gzip_bomb": "gzip_bomb_mb",
    "slow_body": "slow_body_s",
    "exhausted_remaining": "exhausted_remaining_s",
    "stale_429_reset": "stale_429_reset_s",
    "placeholder_titles": "placeholder_title_rate",
}
FAULT_HELP: dict[str, str] = {name: help_text for name, (help_text, _shape, _parser) in _OPTIONS.items()}


def parse_faults(faults: Mapping[str, str]) -> FaultConfig:
    """Parse option strings; ValueError names the unknown or malformed option and what it takes."""
    unknown = sorted(set(faults) - set(_OPTIONS))
    if unknown:
        raise ValueError(f"unknown sandbox fault(s) {', '.join(unknown)}; known faults: {', '.join(_OPTIONS)}")
    values: dict[str, Any] = {}
    for name, raw in faults.items():
        _help, shape, parser = _OPTIONS[name]
        value = str(raw).strip()
        try:
            values[_FIELDS.get(name, name)] = parser(value)
        except ValueError as error:
            detail = f": {error}" if str(error) else ""
            raise ValueError(f"fault {name}={value!r}: expected {shape}{detail}") from None
    return FaultConfig(**values)
