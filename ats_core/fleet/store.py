"""What a slice reads and writes: its state and run, and each page with its rejects and cursor in one transaction.

The callers own the transactions (`connection.begin()`); these functions only read and write inside them.
A page commit first moves the saved cursor from the one the page was read at to the next one, in one
conditional UPDATE: a page delivered twice finds the cursor moved and commits nothing. Records are upserted
by (connection, remote_id) so a record read twice is one row, and an older version never replaces a newer
one. A completed full pass marks the records it did not return as deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal, cast

from sqlalchemy import Connection, Insert, RowMapping, Table, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ats_core.fleet.errors import FleetError
from ats_core.fleet.locks import SliceKey
from ats_core.fleet.schema import CANONICAL_COLUMNS, RECORD_TABLES, quarantine, sync_runs, sync_state
from ats_core.models import Record, RejectedRecord

__all__ = [
    "PageToCommit",
    "ProviderChanged",
    "RunPlan",
    "RunStatus",
    "SliceState",
    "StalePage",
    "commit_page",
    "mark_gone",
    "read_state",
    "record_failure",
    "start_or_resume",
    "upsert_refreshed",
]

RunStatus = Literal["running", "complete", "failed"]


class StalePage(FleetError):
    """The slice's saved cursor is no longer the one this page was read at: the page was committed already."""

    def __init__(self, key: SliceKey) -> None:
        self.key = key
        super().__init__(f"{key}: the saved cursor moved on since this page was read; it was not committed again")


class ProviderChanged(FleetError):
    """A connection's saved state belongs to another provider than the one now syncing it."""

    def __init__(self, key: SliceKey, saved: str, given: str) -> None:
        self.key = key
        super().__init__(
            f"{key}: the database holds this connection's records from provider '{saved}', not '{given}'; "
            "give this connection another name"
        )


@dataclass(frozen=True)
class SliceState:
    """One row of `sync_state`: where the slice's current run stands, and what came before it."""

    key: SliceKey
    provider: str
    status: RunStatus
    run: int
    run_id: int
    full_pass: bool
    pass_number: int
    cursor: str | None
    updated_after: datetime | None
    run_started_at: datetime
    next_updated_after: datetime | None
    pages: int
    records: int
    quarantined: int
    last_error: str | None
    last_error_hint: str | None
    last_error_at: datetime | None
    last_page_at: datetime | None
    last_success_at: datetime | None
    last_full_pass_at: datetime | None

    @classmethod
    def from_row(cls, row: RowMapping) -> SliceState:
        """From a `sync_state` row."""
        values = {name: row[name] for name in cls.__dataclass_fields__ if name != "key"}
        return cls(key=SliceKey(row["connection"], row["stream"]), **values)


@dataclass(frozen=True)
class RunPlan:
    """How a new run reads: a forced full pass, how often a full pass is due, and the first run's filter."""

    full: bool = False
    reconcile_every: timedelta | None = None
    since: datetime | None = None

    def updated_after(self, previous: SliceState | None, now: datetime) -> datetime | None:
        """The new run's filter; None (read everything) makes it a full pass."""
        if self.full:
            return None
        if self.reconcile_every is not None:
            last = previous.last_full_pass_at if previous is not None else None
            if last is None or now - last >= self.reconcile_every:
                return None
        if previous is None or previous.next_updated_after is None:
            return self.since
        return previous.next_updated_after


@dataclass(frozen=True)
class PageToCommit:
    """A page as fetched: its records, the records refused with their payloads, and the next page's cursor."""

    records: Sequence[Record]
    rejected: Sequence[RejectedRecord]
    next_cursor: str | None
    faults_retried: int | None = None


def _key_of(table: Table, key: SliceKey) -> Any:
    return (table.c.connection == key.connection) & (table.c.stream == key.stream)


def read_state(connection: Connection, key: SliceKey) -> SliceState | None:
    """The slice's saved state; None before its first run."""
    row = connection.execute(select(sync_state).where(_key_of(sync_state, key))).mappings().first()
    return None if row is None else SliceState.from_row(row)


def start_or_resume(
    connection: Connection, key: SliceKey, provider: str, plan: RunPlan, now: datetime
) -> tuple[SliceState, bool]:
    """The run to continue (True), or a new run started after a completed one, or the first (False)."""
    previous = read_state(connection, key)
    if previous is not None and previous.provider != provider:
        raise ProviderChanged(key, previous.provider, provider)
    if previous is not None and previous.status != "complete":
        return previous, True
    updated_after = plan.updated_after(previous, now)
    full_pass = updated_after is None
    run = 1 if previous is None else previous.run + 1
    pass_number = (0 if previous is None else previous.pass_number) + int(full_pass)
    run_id = connection.execute(
        insert(sync_runs)
        .returning(sync_runs.c.id)
        .values(
            connection=key.connection,
            stream=key.stream,
            provider=provider,
            run=run,
            full_pass=full_pass,
            updated_after=updated_after,
            status="running",
            started_at=now,
            pages=0,
            records=0,
            quarantined=0,
            deleted=0,
        )
    ).scalar_one()
    values = {
        "provider": provider,
        "status": "running",
        "run": run,
        "run_id": run_id,
        "full_pass": full_pass,
        "pass_number": pass_number,
        "cursor": None,
        "updated_after": updated_after,
        "run_started_at": now,
        "pages": 0,
        "records": 0,
        "quarantined": 0,
    }
    if previous is None:
        connection.execute(insert(sync_state).values(connection=key.connection, stream=key.stream, **values))
    else:
        connection.execute(update(sync_state).where(_key_of(sync_state, key)).values(**values))
    started = read_state(connection, key)
    assert started is not None
    return started, False


def commit_page(connection: Connection, state: SliceState, page: PageToCommit, now: datetime) -> tuple[SliceState, int]:
    """Write one page, its rejects and its cursor; the new state and how many records the run marked deleted.

    StalePage (and nothing written, once the caller rolls back) when the saved cursor is not `state.cursor`.
    """
    key, finished = state.key, page.next_cursor is None
    progress: dict[str, Any] = {
        "cursor": page.next_cursor,
        "pages": state.pages + 1,
        "records": state.records + len(page.records),
        "quarantined": state.quarantined + len(page.rejected),
        "status": "complete" if finished else "running",
        "last_page_at": now,
    }
    if finished:
        progress |= {"next_updated_after": state.run_started_at, "last_success_at": now}
        if state.full_pass:
            progress["last_full_pass_at"] = state.run_started_at
    moved = connection.execute(
        update(sync_state)
        .where(
            _key_of(sync_state, key),
            sync_state.c.run_id == state.run_id,
            sync_state.c.status != "complete",
            sync_state.c.cursor.is_not_distinct_from(state.cursor),
        )
        .values(**progress)
    )
    if moved.rowcount != 1:
        raise StalePage(key)
    seen_pass = state.pass_number if state.full_pass else None
    _upsert_records(connection, key, page.records, now, seen_pass)
    _quarantine(connection, state, page, now, seen_pass)
    deleted = _mark_deleted(connection, key, state.pass_number, now) if finished and state.full_pass else 0
    run_values: dict[str, Any] = {
        "pages": sync_runs.c.pages + 1,
        "records": sync_runs.c.records + len(page.records),
        "quarantined": sync_runs.c.quarantined + len(page.rejected),
        "deleted": deleted,
        "status": progress["status"],
    }
    if finished:
        run_values["finished_at"] = now
    if page.faults_retried is not None:
        run_values["faults_retried"] = func.coalesce(sync_runs.c.faults_retried, 0) + page.faults_retried
    connection.execute(update(sync_runs).where(sync_runs.c.id == state.run_id).values(**run_values))
    return replace(state, **progress), deleted


def record_failure(
    connection: Connection, state: SliceState, error: str, hint: str | None, now: datetime, faults_retried: int | None
) -> None:
    """Keep why the slice stopped, on its state and its run; the run resumes from its saved cursor."""
    failure = {"status": "failed", "last_error": error, "last_error_hint": hint, "last_error_at": now}
    connection.execute(
        update(sync_state).where(_key_of(sync_state, state.key), sync_state.c.run_id == state.run_id).values(**failure)
    )
    run_values: dict[str, Any] = {"status": "failed", "error": error, "error_hint": hint}
    if faults_retried is not None:
        run_values["faults_retried"] = func.coalesce(sync_runs.c.faults_retried, 0) + faults_retried
    connection.execute(update(sync_runs).where(sync_runs.c.id == state.run_id).values(**run_values))


# --- records ---------------------------------------------------------------------------------------


def _replaces(new: Record, kept: Record) -> bool:
    """The upsert's rule: a record without updated_at replaces; otherwise the newer (or the same) time wins."""
    return new.updated_at is None or kept.updated_at is None or kept.updated_at <= new.updated_at


def _latest_per_id(records: Iterable[Record]) -> list[Record]:
    """One record per remote id, the one the upsert would keep (a statement may not update a row twice)."""
    latest: dict[str, Record] = {}
    for record in records:
        kept = latest.get(record.remote_id)
        if kept is None or _replaces(record, kept):
            latest[record.remote_id] = record
    return list(latest.values())


_INSERTS: Mapping[str, Callable[[Table], Any]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@cache
def _record_upsert(dialect: str, stream: str) -> Insert:
    table = RECORD_TABLES[stream]
    statement = _INSERTS[dialect](table)
    incoming = statement.excluded
    newer = or_(incoming.updated_at.is_(None), table.c.updated_at.is_(None), table.c.updated_at <= incoming.updated_at)
    content = ("provider", *CANONICAL_COLUMNS[stream], "record", "updated_at")
    values: dict[str, Any] = {name: case((newer, incoming[name]), else_=table.c[name]) for name in content}
    values |= {
        "last_seen": incoming.last_seen,
        "last_seen_pass": func.coalesce(incoming.last_seen_pass, table.c.last_seen_pass),
        "deleted_at": None,
    }
    upsert = statement.on_conflict_do_update(index_elements=["connection", "remote_id"], set_=values)
    return cast(Insert, upsert)  # both dialects' on_conflict_do_update return their Insert subclass


def _upsert_records(
    connection: Connection, key: SliceKey, records: Sequence[Record], now: datetime, seen_pass: int | None
) -> None:
    if not records:
        return
    columns = CANONICAL_COLUMNS[key.stream]
    rows = [
        {
            "connection": key.connection,
            "remote_id": record.remote_id,
            "provider": record.provider,
            **{column: getattr(record, column, None) for column in columns},
            "record": record.model_dump(mode="json"),
            "updated_at": record.updated_at,
            "first_seen": now,
            "last_seen": now,
            "last_seen_pass": seen_pass,
            "deleted_at": None,
        }
        for record in _latest_per_id(records)
    ]
    connection.execute(_record_upsert(connection.dialect.name, key.stream), rows)


def upsert_refreshed(connection: Connection, key: SliceKey, records: Sequence[Record], now: datetime) -> None:
    """Upsert records read again by id (a change event's refresh): the same rule as a page, no full pass seen."""
    _upsert_records(connection, key, records, now, None)


def mark_gone(connection: Connection, key: SliceKey, remote_ids: Sequence[str], now: datetime) -> int:
    """Mark deleted the records the ATS answers 404 for (a deleted record's refresh); returns how many."""
    if not remote_ids:
        return 0
    table = RECORD_TABLES[key.stream]
    result = connection.execute(
        update(table)
        .where(table.c.connection == key.connection, table.c.remote_id.in_(remote_ids), table.c.deleted_at.is_(None))
        .values(deleted_at=now)
    )
    return int(result.rowcount)


def _mark_deleted(connection: Connection, key: SliceKey, pass_number: int, now: datetime) -> int:
    """Mark deleted every record of the connection the completed full pass `pass_number` did not return."""
    table = RECORD_TABLES[key.stream]
    result = connection.execute(
        update(table)
        .where(
            table.c.connection == key.connection,
            table.c.deleted_at.is_(None),
            or_(table.c.last_seen_pass.is_(None), table.c.last_seen_pass != pass_number),
        )
        .values(deleted_at=now)
    )
    return int(result.rowcount)


# --- quarantine ------------------------------------------------------------------------------------


@cache
def _quarantine_upsert(dialect: str) -> Insert:
    statement = _INSERTS[dialect](quarantine)
    incoming = statement.excluded
    values = {name: incoming[name] for name in ("provider", "run_id", "error", "remote_data", "last_quarantined_at")}
    upsert = statement.on_conflict_do_update(index_elements=["connection", "stream", "remote_id"], set_=values)
    return cast(Insert, upsert)  # both dialects' on_conflict_do_update return their Insert subclass


def _quarantine(
    connection: Connection, state: SliceState, page: PageToCommit, now: datetime, seen_pass: int | None
) -> None:
    """Keep the page's rejects (one row per remote id, the latest error); clear those that now validate.

    A rejected record still exists in the ATS: its stored version (if any) counts as seen by the pass.
    """
    key = state.key
    valid_ids = [record.remote_id for record in page.records]
    if valid_ids:
        connection.execute(delete(quarantine).where(_key_of(quarantine, key), quarantine.c.remote_id.in_(valid_ids)))
    if not page.rejected:
        return
    latest = {(reject.remote_id if reject.remote_id is not None else object()): reject for reject in page.rejected}
    rows = [
        {
            "connection": key.connection,
            "stream": key.stream,
            "remote_id": reject.remote_id,
            "provider": reject.provider,
            "run_id": state.run_id,
            "error": reject.error,
            "remote_data": reject.remote_data,
            "first_quarantined_at": now,
            "last_quarantined_at": now,
        }
        for reject in latest.values()
    ]
    connection.execute(_quarantine_upsert(connection.dialect.name), rows)
    rejected_ids = [reject.remote_id for reject in page.rejected if reject.remote_id is not None]
    if rejected_ids:
        table = RECORD_TABLES[key.stream]
        seen: dict[str, Any] = {"last_seen": now, "deleted_at": None}
        if seen_pass is not None:
            seen["last_seen_pass"] = seen_pass
        connection.execute(
            update(table)
            .where(table.c.connection == key.connection, table.c.remote_id.in_(rejected_ids))
            .values(**seen)
        )
