"""Where each slice stands: last success, lag behind now, records, quarantine, the last error, the next run due.

The schedule (each stream's interval and reconciliation interval) comes from the connections file; the rest
from the database. `SliceStatus.due` is what a scheduler asks to decide which slices to run now.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection as DatabaseConnection
from sqlalchemy import case, func, select

from ats_core.connections import ConnectionsFile
from ats_core.fleet.database import Database
from ats_core.fleet.locks import SliceKey
from ats_core.fleet.schema import RECORD_TABLES, quarantine, sync_state
from ats_core.fleet.store import SliceState

__all__ = ["SliceStatus", "read_status"]


@dataclass(frozen=True)
class SliceStatus:
    """One (connection, stream): its run, freshness, counts, last error and schedule. Times are UTC."""

    connection: str
    stream: str
    provider: str | None
    status: str = "never run"
    run: int | None = None
    run_pages: int = 0
    run_records: int = 0
    last_success_at: datetime | None = None
    current_as_of: datetime | None = None
    lag: timedelta | None = None
    records: int = 0
    deleted: int = 0
    quarantined: int = 0
    last_error: str | None = None
    last_error_hint: str | None = None
    last_error_at: datetime | None = None
    every: timedelta | None = None
    next_run_at: datetime | None = None
    next_full_pass_at: datetime | None = None

    @property
    def failing(self) -> bool:
        """True when the last error came after the last success (or there was no success)."""
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at

    def due(self, now: datetime) -> bool:
        """True when a scheduler should run this slice now: its run is unfinished, or its interval came round."""
        return self.next_run_at is not None and self.next_run_at <= now

    def to_json_dict(self) -> dict[str, Any]:
        """JSON-ready: times as ISO 8601, durations as seconds."""
        result: dict[str, Any] = {}
        for name, value in asdict(self).items():
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, timedelta):
                name, value = f"{name}_seconds", value.total_seconds()
            result[name] = value
        result["failing"] = self.failing
        return result


def _record_counts(connection: DatabaseConnection) -> dict[SliceKey, tuple[int, int]]:
    counts: dict[SliceKey, tuple[int, int]] = {}
    for stream, table in RECORD_TABLES.items():
        live = func.sum(case((table.c.deleted_at.is_(None), 1), else_=0))
        rows = connection.execute(
            select(table.c.connection, live, func.count(table.c.deleted_at)).group_by(table.c.connection)
        )
        counts |= {SliceKey(name, stream): (int(alive or 0), int(gone)) for name, alive, gone in rows}
    return counts


def _quarantine_counts(connection: DatabaseConnection) -> dict[SliceKey, int]:
    rows = connection.execute(
        select(quarantine.c.connection, quarantine.c.stream, func.count()).group_by(
            quarantine.c.connection, quarantine.c.stream
        )
    )
    return {SliceKey(name, stream): int(count) for name, stream, count in rows}


def read_status(database: Database, connections: ConnectionsFile | None, now: datetime) -> list[SliceStatus]:
    """Every slice the database has a state for, and every slice the connections file declares, sorted."""
    with database.engine.connect() as connection:
        states = {
            state.key: state for state in map(SliceState.from_row, connection.execute(select(sync_state)).mappings())
        }
        records = _record_counts(connection)
        held = _quarantine_counts(connection)
    declared = {
        SliceKey(name, stream): declaration
        for name, declaration in (connections.connections.items() if connections else ())
        for stream in declaration.streams
    }
    statuses = []
    for key in sorted({*states, *declared}):
        state, declaration = states.get(key), declared.get(key)
        every = declaration.streams[key.stream].every if declaration else None
        reconcile = declaration.reconcile_interval(key.stream) if declaration else None
        live, deleted = records.get(key, (0, 0))
        status = SliceStatus(
            connection=key.connection,
            stream=key.stream,
            provider=state.provider if state else declaration.provider if declaration else None,
            records=live,
            deleted=deleted,
            quarantined=held.get(key, 0),
            every=every,
        )
        if state is None:
            statuses.append(replace(status, next_run_at=now if declaration else None))
            continue
        statuses.append(
            replace(
                status,
                status=state.status,
                run=state.run,
                run_pages=state.pages,
                run_records=state.records,
                last_success_at=state.last_success_at,
                current_as_of=state.next_updated_after,
                lag=None if state.next_updated_after is None else now - state.next_updated_after,
                last_error=state.last_error,
                last_error_hint=state.last_error_hint,
                last_error_at=state.last_error_at,
                next_run_at=_next_run(state, every, now),
                next_full_pass_at=_next_full_pass(state, reconcile, now),
            )
        )
    return statuses


def _next_run(state: SliceState, every: timedelta | None, now: datetime) -> datetime | None:
    """Now while a run is unfinished; else the last success plus the stream's interval (None: no schedule)."""
    if state.status != "complete":
        return now
    if every is None or state.last_success_at is None:
        return None
    return state.last_success_at + every


def _next_full_pass(state: SliceState, reconcile: timedelta | None, now: datetime) -> datetime | None:
    if reconcile is None:
        return None
    return now if state.last_full_pass_at is None else state.last_full_pass_at + reconcile
