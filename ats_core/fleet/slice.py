"""The unit of work of fleet sync, the same under any engine: one slice (connection, stream), a page budget at most.

`run_slice` takes the slice's lock in the database (or returns at once, busy), continues the run from its
saved cursor (or starts the next: incremental from the last run's start, or a full pass when one is due),
commits each page with its rejects and its cursor in one transaction, releases the lock, and says whether
more remains. `sync_slice` does the same for a connection of the connections file. A scheduler (a loop,
cron, Celery) only calls these again while `more_remaining`, and when a stream's interval comes round.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from ats_core.client import ATSClient
from ats_core.connections import Connection
from ats_core.errors import ATSError, ConfigurationError, InvalidResponse, ProviderError
from ats_core.fleet.database import Database
from ats_core.fleet.locks import DEFAULT_LEASE, AdvisoryLock, LeaseLock, SliceKey, SliceLock, SliceLockLost
from ats_core.fleet.store import (
    PageToCommit,
    RunPlan,
    SliceState,
    StalePage,
    commit_page,
    record_failure,
    start_or_resume,
)
from ats_core.sync import ENTITY_OPERATIONS, PageFetcher, SyncProgress, client_page_fetcher

__all__ = ["SliceResult", "StreamSource", "client_source", "run_slice", "sync_slice"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class StreamSource:
    """What a slice reads: the provider's name, a page fetcher (pages carry their rejected records), retries."""

    provider: str
    fetch_page: PageFetcher
    faults_retried: Callable[[], int | None] = lambda: None


def client_source(client: ATSClient, stream: str) -> StreamSource:
    """A connected client's page operation for `stream` (connect it with on_invalid='quarantine' to keep rejects)."""

    def retries() -> int | None:
        return client.provider.http_stats().get("retries")

    return StreamSource(client.name, client_page_fetcher(client, stream), retries)


@dataclass(frozen=True)
class SliceResult:
    """How a slice ended: busy (another worker holds it), or what it committed and whether more remains."""

    key: SliceKey
    busy: bool
    more_remaining: bool
    pages: int = 0
    records: int = 0
    quarantined: int = 0
    deleted: int = 0
    faults_retried: int | None = None
    resumed: bool = False
    run_completed: bool = False
    state: SliceState | None = None


def _lock_for(database: Database, lease: timedelta) -> SliceLock:
    return AdvisoryLock() if database.dialect == "postgresql" else LeaseLock(lease)


def run_slice(
    database: Database,
    key: SliceKey,
    source: StreamSource,
    *,
    page_budget: int | None,
    plan: RunPlan | None = None,
    page_size: int | None = None,
    on_page: Callable[[SyncProgress], None] | None = None,
    now: Callable[[], datetime] = _utc_now,
    lease: timedelta = DEFAULT_LEASE,
) -> SliceResult:
    """Sync up to `page_budget` pages (None: to the end of the run) of one slice; busy at once if it is held.

    An ATSError from the provider is kept on the slice's state and run (with its hint) and raised; the
    committed pages stay, and the next slice resumes from the saved cursor.
    """
    if key.stream not in ENTITY_OPERATIONS:
        raise ConfigurationError(
            "stream", f"'{key.stream}' is none of {', '.join(ENTITY_OPERATIONS)}", provider=source.provider
        )
    if page_budget is not None and page_budget < 1:
        raise ValueError("page_budget must be at least 1 (or None for the whole run)")
    lock = _lock_for(database, lease)
    with database.engine.connect() as connection:
        if not lock.acquire(connection, key, now()):
            return SliceResult(key, busy=True, more_remaining=True)
        try:
            with connection.begin():
                state, resumed = start_or_resume(connection, key, source.provider, plan or RunPlan(), now())
            retries_at_start = retries_before = source.faults_retried()
            pages = records = quarantined = deleted = 0
            seen_cursors = {state.cursor}
            try:
                while page_budget is None or pages < page_budget:
                    page = source.fetch_page(state.updated_after, state.cursor, page_size)
                    rejected = page.rejected
                    if page.next_cursor is not None and page.next_cursor in seen_cursors:
                        raise InvalidResponse(
                            "the provider returned a cursor it had already returned",
                            provider=source.provider,
                            operation=ENTITY_OPERATIONS[key.stream],
                            hint="its paging loops; report it to the plugin's maintainers",
                        )
                    seen_cursors.add(page.next_cursor)
                    retries_now = source.faults_retried()
                    retried = _difference(retries_now, retries_before)
                    retries_before = retries_now
                    with connection.begin():
                        lock.confirm(connection, key, now())
                        state, deleted_now = commit_page(
                            connection, state, PageToCommit(page.items, rejected, page.next_cursor, retried), now()
                        )
                    pages, records, quarantined = pages + 1, records + len(page.items), quarantined + len(rejected)
                    deleted += deleted_now
                    if on_page is not None:
                        on_page(SyncProgress(state.pages, state.records, state.quarantined))
                    if state.status == "complete":
                        break
            except (SliceLockLost, StalePage):
                raise  # the slice is another worker's now: its state is not this worker's to write
            except ATSError as error:
                hint = error.hint if isinstance(error, ProviderError) else None
                with connection.begin():
                    retried = _difference(source.faults_retried(), retries_before)
                    record_failure(connection, state, str(error), hint, now(), retried)
                raise
        finally:
            if connection.in_transaction():
                connection.rollback()
            with contextlib.suppress(SQLAlchemyError):  # a lost session took its lock with it; a lease runs out
                lock.release(connection, key)
    complete = state.status == "complete"
    return SliceResult(
        key,
        busy=False,
        more_remaining=not complete,
        pages=pages,
        records=records,
        quarantined=quarantined,
        deleted=deleted,
        faults_retried=_difference(source.faults_retried(), retries_at_start),
        resumed=resumed,
        run_completed=complete,
        state=state,
    )


def _difference(now: int | None, before: int | None) -> int | None:
    return None if now is None else now - (before or 0)


def sync_slice(
    database: Database,
    connection: Connection,
    stream: str,
    page_budget: int | None,
    *,
    full: bool = False,
    page_size: int | None = None,
    on_page: Callable[[SyncProgress], None] | None = None,
    now: Callable[[], datetime] = _utc_now,
    client: ATSClient | None = None,
) -> SliceResult:
    """`run_slice` for a stream of a connections-file connection: its provider, settings, secrets and schedule.

    `full` forces a full pass now; `page_size` overrides the stream's declared one. `client`: an open client
    of this connection to use (an engine keeps one per tenant, with its token and lookups); else one is
    connected for this slice and closed after it.
    """
    if stream not in connection.streams:
        declared = ", ".join(connection.streams)
        problem = f"of connection '{connection.name}' has no {stream} (it has {declared})"
        raise ConfigurationError("streams", problem, provider=connection.provider)
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(connection.connect())
        return run_slice(
            database,
            SliceKey(connection.name, stream),
            client_source(client, stream),
            page_budget=page_budget,
            plan=RunPlan(full=full, reconcile_every=connection.reconcile_interval(stream)),
            page_size=page_size or connection.streams[stream].page_size,
            on_page=on_page,
            now=now,
        )
