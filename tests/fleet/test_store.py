"""Upserts and page commits on SQLite and PostgreSQL: idempotent, newest version wins, a page commits once."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fleet_support import T0, Clock, ListSource, candidate
from sqlalchemy import func, select

from ats_core.fleet import Database, ProviderChanged, SliceKey, StalePage, StreamSource, run_slice
from ats_core.fleet.schema import RECORD_TABLES, quarantine, sync_runs
from ats_core.fleet.store import PageToCommit, RunPlan, commit_page, read_state, start_or_resume
from ats_core.models import Candidate, EmailAddress, Page, RejectedRecord

KEY = SliceKey("acme", "candidates")
candidates = RECORD_TABLES["candidates"]


def rows(database: Database) -> dict[str, dict[str, Any]]:
    with database.engine.connect() as connection:
        found = connection.execute(select(candidates).order_by(candidates.c.remote_id)).mappings().all()
    return {row["remote_id"]: dict(row) for row in found}


def quarantined(database: Database) -> list[dict[str, Any]]:
    with database.engine.connect() as connection:
        found = connection.execute(select(quarantine).order_by(quarantine.c.id)).mappings().all()
    return [dict(row) for row in found]


def sync(database: Database, source: ListSource, clock: Clock, **options: Any) -> Any:
    options.setdefault("page_budget", None)
    return run_slice(database, KEY, source.source(), page_size=10, now=clock, **options)


def test_a_run_stores_each_record_once_with_its_canonical_columns_and_whole_record(
    database: Database, clock: Clock
) -> None:
    records = [
        candidate(n, T0 + timedelta(minutes=n), emails=[EmailAddress(value=f"p{n}@example.com")]) for n in range(25)
    ]
    result = sync(database, ListSource(records), clock)
    assert (result.pages, result.records, result.run_completed, result.more_remaining) == (3, 25, True, False)
    stored = rows(database)
    assert len(stored) == 25
    row = stored["7"]
    assert (row["connection"], row["provider"], row["first_name"], row["email"]) == (
        "acme",
        "fake",
        "Name7",
        "p7@example.com",
    )
    assert Candidate.model_validate(row["record"]) == records[7]
    assert row["updated_at"] == records[7].updated_at
    assert row["first_seen"] == row["last_seen"] == clock.now and row["deleted_at"] is None


def test_reading_the_same_records_again_changes_no_row_but_when_they_were_last_seen(
    database: Database, clock: Clock
) -> None:
    records = [candidate(n) for n in range(12)]
    sync(database, ListSource(records), clock, plan=RunPlan(full=True))
    first = rows(database)
    clock.advance(hours=1)
    sync(database, ListSource(records), clock, plan=RunPlan(full=True))
    second = rows(database)
    assert second.keys() == first.keys()
    for remote_id, row in second.items():
        assert row["record"] == first[remote_id]["record"] and row["first_seen"] == first[remote_id]["first_seen"]
        assert row["last_seen"] == clock.now


def test_an_older_version_never_overwrites_a_newer_one_and_one_without_updated_at_replaces(
    database: Database, clock: Clock
) -> None:
    newer = candidate(1, T0 + timedelta(days=2), job_title="Austin")
    older = candidate(1, T0, job_title="Boston")
    sync(database, ListSource([newer, candidate(2, T0)]), clock, plan=RunPlan(full=True))
    clock.advance(hours=1)
    sync(database, ListSource([older]), clock, plan=RunPlan(full=True))
    stored = rows(database)["1"]
    assert stored["record"]["job_title"] == "Austin" and stored["updated_at"] == newer.updated_at
    assert stored["last_seen"] == clock.now  # it was returned, so it exists: seen, not replaced
    undated = candidate(1, None, job_title="Denver")
    sync(database, ListSource([undated]), clock, plan=RunPlan(full=True))
    assert rows(database)["1"]["record"]["job_title"] == "Denver" and rows(database)["1"]["updated_at"] is None


def test_one_page_holding_a_record_twice_keeps_the_newer(database: Database, clock: Clock) -> None:
    page = [candidate(5, T0 + timedelta(hours=3), job_title="New"), candidate(5, T0, job_title="Old"), candidate(6)]
    sync(database, ListSource(page), clock)
    stored = rows(database)
    assert stored.keys() == {"5", "6"} and stored["5"]["record"]["job_title"] == "New"


def test_a_page_delivered_twice_commits_once(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n) for n in range(30)], invalid_ids=frozenset({"3"}))
    with database.engine.connect() as connection:
        with connection.begin():
            state, _ = start_or_resume(connection, KEY, "fake", RunPlan(), clock())
        page = source.fetch(None, None, 10)
        delivery = PageToCommit(page.items, page.rejected, page.next_cursor)
        with connection.begin():
            after_first, _ = commit_page(connection, state, delivery, clock())
        with pytest.raises(StalePage, match="acme candidates: the saved cursor moved on"), connection.begin():
            commit_page(connection, state, delivery, clock())  # the same page, from the same state, again
        saved = read_state(connection, KEY)
        run = connection.execute(select(sync_runs)).mappings().one()
    assert saved == after_first and saved.cursor == "10" and saved.pages == 1 and saved.records == 9
    assert (run["pages"], run["records"], run["quarantined"]) == (1, 9, 1)
    assert len(rows(database)) == 9 and len(quarantined(database)) == 1


def test_rejected_records_keep_their_payload_once_and_leave_quarantine_when_they_validate(
    database: Database, clock: Clock
) -> None:
    records = [candidate(n) for n in range(8)]
    result = sync(database, ListSource(records, invalid_ids=frozenset({"2", "5"})), clock, plan=RunPlan(full=True))
    assert (result.records, result.quarantined) == (6, 2)
    kept = quarantined(database)
    assert [(q["remote_id"], q["error"], q["stream"]) for q in kept] == [
        ("2", "email: invalid", "candidates"),
        ("5", "email: invalid", "candidates"),
    ]
    assert kept[0]["remote_data"] == {"id": "2", "email": "not-an-email"}
    clock.advance(hours=1)
    sync(database, ListSource(records, invalid_ids=frozenset({"5"})), clock, plan=RunPlan(full=True))
    again = quarantined(database)
    assert [q["remote_id"] for q in again] == ["5"]  # 2 now validates; 5 is one row, not two
    assert again[0]["first_quarantined_at"] == kept[1]["first_quarantined_at"]
    assert again[0]["last_quarantined_at"] == clock.now
    assert "2" in rows(database)


def test_a_connection_name_keeps_its_provider(database: Database, clock: Clock) -> None:
    sync(database, ListSource([candidate(1)]), clock)
    other = StreamSource("another", ListSource([candidate(1)]).fetch)
    with pytest.raises(ProviderChanged, match="from provider 'fake', not 'another'; give this connection another name"):
        run_slice(database, KEY, other, page_budget=None, now=clock)


def test_counts_in_the_run_history_add_up_over_resumed_slices(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n) for n in range(45)], invalid_ids=frozenset({"44"}))
    results = [sync(database, source, clock, page_budget=2) for _ in range(3)]
    assert [r.more_remaining for r in results] == [True, True, False]
    assert [r.resumed for r in results] == [False, True, True]
    with database.engine.connect() as connection:
        run = connection.execute(select(sync_runs)).mappings().one()
        total = connection.execute(select(func.count()).select_from(candidates)).scalar_one()
    assert (run["status"], run["pages"], run["records"], run["quarantined"], run["full_pass"]) == (
        "complete",
        5,
        44,
        1,
        True,
    )
    assert total == 44


def test_records_a_page_carries_as_rejected_are_quarantined(database: Database, clock: Clock) -> None:
    refused = RejectedRecord(
        provider="fake", entity="Candidate", remote_id="9", error="phone: invalid", remote_data={"id": 9}
    )

    def fetch(updated_after: Any, cursor: str | None, page_size: int | None) -> Page[Candidate]:
        page = SimpleNamespace(items=[candidate(1)], next_cursor=None, rejected=[refused])
        return cast(Page[Candidate], page)  # as pages will carry their rejects

    result = run_slice(database, KEY, StreamSource("fake", fetch), page_budget=1, now=clock)
    assert result.run_completed and (result.records, result.quarantined) == (1, 1)
    assert [(q["remote_id"], q["error"]) for q in quarantined(database)] == [("9", "phone: invalid")]
