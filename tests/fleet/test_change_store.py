"""The change inbox and the targeted refresh against the fleet database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from ats_core.changes.inbox import store_events
from ats_core.changes.refresh import refresh_records
from ats_core.errors import NotFound
from ats_core.fleet import Database
from ats_core.fleet.schema import RECORD_TABLES, change_inbox
from ats_core.models import Candidate, ChangeEvent, ChangeKind

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _event(remote_id: str) -> ChangeEvent:
    return ChangeEvent(
        provider="p", entity="candidate", remote_id=remote_id, kind=ChangeKind.UPDATED, raw={"id": remote_id}
    )


def _candidate(remote_id: str, first_name: str, updated_at: datetime) -> Candidate:
    return Candidate(provider="p", remote_id=remote_id, first_name=first_name, last_name="X", updated_at=updated_at)


class FakeClient:
    """Answers lookups from a dict; a missing id is NotFound, as a real provider answers a deleted record."""

    def __init__(self, records: dict[str, Candidate]) -> None:
        self.records = records
        self.reads: list[str] = []

    def get_candidate_by_id(self, candidate_id: str) -> Candidate:
        self.reads.append(candidate_id)
        if candidate_id not in self.records:
            raise NotFound("gone", status_code=404)
        return self.records[candidate_id]


def _row(database: Database, remote_id: str) -> Any:
    table = RECORD_TABLES["candidates"]
    with database.engine.connect() as db:
        return db.execute(select(table).where(table.c.remote_id == remote_id)).mappings().one_or_none()


def test_an_older_read_never_replaces_a_newer_row(database: Database) -> None:
    newer, older = _candidate("7", "New", NOW), _candidate("7", "Old", NOW - timedelta(hours=1))
    refresh_records(database, "acme", FakeClient({"7": newer}), "candidate", ["7"], lambda: NOW)  # type: ignore[arg-type]
    refresh_records(database, "acme", FakeClient({"7": older}), "candidate", ["7"], lambda: NOW)  # type: ignore[arg-type]
    row = _row(database, "7")
    assert (row["first_name"], row["deleted_at"]) == ("New", None)


def test_a_record_the_ats_no_longer_has_is_marked_deleted_and_comes_back(database: Database) -> None:
    kept = _candidate("8", "Kept", NOW)
    refresh_records(database, "acme", FakeClient({"8": kept}), "candidate", ["8"], lambda: NOW)  # type: ignore[arg-type]
    outcome = refresh_records(database, "acme", FakeClient({}), "candidate", ["8"], lambda: NOW)  # type: ignore[arg-type]
    assert outcome.gone == 1 and _row(database, "8")["deleted_at"] is not None
    refresh_records(database, "acme", FakeClient({"8": kept}), "candidate", ["8"], lambda: NOW)  # type: ignore[arg-type]
    assert _row(database, "8")["deleted_at"] is None


def test_a_refresh_reads_each_id_once_and_stamps_its_events(database: Database) -> None:
    body = b'{"id": "9"}'
    store_events(database, "acme", body, [_event("9")], NOW)
    client = FakeClient({"9": _candidate("9", "A", NOW)})
    refresh_records(database, "acme", client, "candidate", ["9", "9", "9"], lambda: NOW)  # type: ignore[arg-type]
    assert client.reads == ["9"]
    with database.engine.connect() as db:
        assert db.scalar(select(change_inbox.c.refreshed_at)) is not None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deliveries=st.lists(st.sampled_from(["1", "2", "3"]), min_size=1, max_size=12))
def test_each_delivery_is_stored_once_however_often_it_comes(database: Database, deliveries: list[str]) -> None:
    with database.engine.begin() as db:
        db.execute(delete(change_inbox))
    seen: set[str] = set()
    for remote_id in deliveries:
        stored = store_events(database, "acme", json.dumps({"id": remote_id}).encode(), [_event(remote_id)], NOW)
        assert (len(stored.new), stored.duplicates) == ((0, 1) if remote_id in seen else (1, 0))
        seen.add(remote_id)
    with database.engine.connect() as db:
        assert db.scalar(select(func.count()).select_from(change_inbox)) == len(seen)
