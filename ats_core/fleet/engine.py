"""What every engine (Celery, Dramatiq, Temporal, a loop) needs around `sync_slice`, and nothing engine-specific.

An engine's adapter calls `run_engine_slice(settings, connection, stream)` in its task, sends the same task
again while `more_remaining`, retries after `retry_delay(error, attempt)` when that is not None (a transient
error: the ATS or the database briefly unreachable, a rate limit) and gives up otherwise, and schedules
`scheduled_streams(settings)` at their intervals. Duplicate deliveries are harmless: a second task on a
slice finds it busy or its cursor advanced.
"""

from __future__ import annotations

import os
import random
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

from ats_core.client import ATSClient
from ats_core.connections import Connection, ConnectionsFile, load_connections
from ats_core.errors import ConfigurationError, ProviderUnavailable, RateLimited
from ats_core.fleet.database import Database, DatabaseError, open_database
from ats_core.fleet.slice import SliceResult, sync_slice
from ats_core.http.ratelimit import STORAGE_VARIABLE, use_shared_rate_limits

__all__ = [
    "DEFAULT_BROKER_URL",
    "DEFAULT_PAGE_BUDGET",
    "EngineSettings",
    "ScheduledStream",
    "retry_delay",
    "run_engine_slice",
    "scheduled_streams",
]

DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PAGE_BUDGET = 10
"""Pages per task: short tasks (seconds, not hours), so a lost worker costs little and tenants take turns."""
OPEN_CLIENTS_PER_THREAD = 32
"""Tenants whose client a worker thread keeps open between slices (the least recently used is closed)."""
RETRY_BASE_SECONDS = 2.0
RETRY_MAX_SECONDS = 300.0


@dataclass(frozen=True)
class EngineSettings:
    """Where an engine's tasks find the database, the connections and the broker: `ATS_*` environment variables."""

    database: str
    connections: Path
    broker: str = DEFAULT_BROKER_URL
    page_budget: int = DEFAULT_PAGE_BUDGET
    rate_limit_storage: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> EngineSettings:
        """ATS_DB_URL, ATS_CONNECTIONS, ATS_BROKER_URL, ATS_PAGE_BUDGET (the same names the `ats` commands read),
        and ATS_RATE_LIMIT_STORAGE: where rate limits are shared, by default the broker when it is Redis."""
        environ = os.environ if environ is None else environ
        budget = environ.get("ATS_PAGE_BUDGET", str(DEFAULT_PAGE_BUDGET))
        if not budget.isdigit() or int(budget) < 1:
            raise ConfigurationError("ATS_PAGE_BUDGET", f"must be a whole number of pages, at least 1 (not {budget!r})")
        broker = environ.get("ATS_BROKER_URL", DEFAULT_BROKER_URL)
        return cls(
            database=environ.get("ATS_DB_URL", "sqlite:///ats.db"),
            connections=Path(environ.get("ATS_CONNECTIONS", "connections.toml")),
            broker=broker,
            page_budget=int(budget),
            rate_limit_storage=environ.get(STORAGE_VARIABLE) or (broker if broker.startswith("redis") else None),
        )


@lru_cache(maxsize=4)
def _database(url: str) -> Database:
    """One engine (and its pool) per process and URL, opened on first use: after a fork, never before."""
    return open_database(url)


def _connections(path: Path) -> ConnectionsFile:
    """The connections file, read again whenever it changes on disk."""
    return _connections_at(path, path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=4)
def _connections_at(path: Path, _modified: int) -> ConnectionsFile:
    return load_connections(path)


class _OpenClients(threading.local):
    """Each thread's connected clients, most recently used last: a tenant's next slice reuses its token and
    lookups instead of paying for them again (one request of the tenant's rate limit per slice, for some)."""

    def __init__(self) -> None:
        self.clients: OrderedDict[str, ATSClient] = OrderedDict()

    def client(self, connection: Connection) -> ATSClient:
        key = connection.model_dump_json()  # a changed connections file is another key: connected afresh
        client = self.clients.pop(key, None) or connection.connect()
        self.clients[key] = client
        while len(self.clients) > OPEN_CLIENTS_PER_THREAD:
            self.clients.popitem(last=False)[1].close()
        return client

    def discard(self, connection: Connection) -> None:
        client = self.clients.pop(connection.model_dump_json(), None)
        if client is not None:
            client.close()


_OPEN_CLIENTS = _OpenClients()


def run_engine_slice(settings: EngineSettings, connection: str, stream: str, *, full: bool = False) -> SliceResult:
    """One slice of a connection's stream, up to the settings' page budget, in this process's database.

    Its requests count against the credential's rate limit shared with every worker (`rate_limit_storage`).
    The thread keeps the tenant's client open for its next slice; after an error it connects afresh.
    """
    use_shared_rate_limits(settings.rate_limit_storage)
    tenant = _connections(settings.connections).get(connection)
    database = _database(settings.database)
    try:
        return sync_slice(
            database, tenant, stream, settings.page_budget, full=full, client=_OPEN_CLIENTS.client(tenant)
        )
    except BaseException:
        _OPEN_CLIENTS.discard(tenant)
        raise


def retry_delay(error: BaseException, attempt: int, rng: random.Random | None = None) -> float | None:
    """Seconds to wait before trying a slice again after `error` (attempt 0 is the first retry); None: do not.

    Transient: the ATS unreachable or failing (ProviderUnavailable), a rate limit not waited out
    (RateLimited: at least its retry_after), the database unreachable (connection lost, restarting).
    Everything else (bad credentials, a missing scope, invalid records under on_invalid=raise, a bad
    setting, another worker holding the slice) needs a person or nothing at all: retrying cannot help.
    Backoff is exponential with full jitter, capped.
    """
    if not _transient(error):
        return None
    ceiling = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, attempt))
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    if isinstance(error, RateLimited) and error.retry_after is not None:
        delay = max(delay, error.retry_after)
    return min(delay, RETRY_MAX_SECONDS)


def _transient(error: BaseException) -> bool:
    if isinstance(error, ProviderUnavailable | RateLimited):
        return True
    if isinstance(error, OperationalError):  # the server went away, refused, or is starting up
        return True
    if isinstance(error, DBAPIError):
        return bool(error.connection_invalidated)
    return isinstance(error, DatabaseError) and error.unreachable


@dataclass(frozen=True)
class ScheduledStream:
    """A stream to run at an interval: what beat (or cron, or a loop) schedules."""

    connection: str
    stream: str
    every: timedelta

    @property
    def name(self) -> str:
        """`connection:stream`, unique in a connections file."""
        return f"{self.connection}:{self.stream}"


def scheduled_streams(settings: EngineSettings) -> list[ScheduledStream]:
    """Every stream of every connection in the connections file, with its interval, in the file's order."""
    connections = _connections(settings.connections)
    return [
        ScheduledStream(name, stream, schedule.every)
        for name, connection in connections.connections.items()
        for stream, schedule in connection.streams.items()
    ]
