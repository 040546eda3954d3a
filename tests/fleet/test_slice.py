"""The unit of work on SQLite and PostgreSQL: budgets, incremental runs, failures, one worker per slice, deletes."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fleet_support import T0, Clock, ListSource, candidate
from sqlalchemy import select

from ats_core.connections import Connection
from ats_core.errors import ConfigurationError, InvalidResponse, ProviderUnavailable
from ats_core.fleet import Database, SliceKey, SliceLockLost, StreamSource, read_state, run_slice, sync_slice
from ats_core.fleet.locks import AdvisoryLock, LeaseLock
from ats_core.fleet.schema import RECORD_TABLES, slice_locks, sync_runs
from ats_core.fleet.store import RunPlan
from ats_core.models import Candidate, Page

KEY = SliceKey("acme", "candidates")
candidates = RECORD_TABLES["candidates"]


def sync(database: Database, source: ListSource, clock: Clock, **options: Any) -> Any:
    options.setdefault("page_budget", None)
    return run_slice(database, KEY, source.source(), page_size=10, now=clock, **options)


def state_of(database: Database) -> Any:
    with database.engine.connect() as connection:
        return read_state(connection, KEY)


def live_ids(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        query = select(candidates.c.remote_id).where(candidates.c.deleted_at.is_(None))
        return set(connection.execute(query).scalars())


def deleted_ids(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        query = select(candidates.c.remote_id).where(candidates.c.deleted_at.is_not(None))
        return set(connection.execute(query).scalars())


def runs(database: Database) -> list[dict[str, Any]]:
    with database.engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(sync_runs).order_by(sync_runs.c.id)).mappings()]


def test_a_budget_of_pages_per_slice_resumes_at_the_saved_cursor_until_nothing_remains(
    database: Database, clock: Clock
) -> None:
    source = ListSource([candidate(n) for n in range(35)])
    first = sync(database, source, clock, page_budget=3)
    assert (first.pages, first.records, first.more_remaining) == (3, 30, True)
    assert state_of(database).cursor == "30"
    second = sync(database, source, clock, page_budget=3)
    assert (second.pages, second.records, second.more_remaining, second.resumed) == (1, 5, False, True)
    assert [cursor for _, cursor in source.calls] == [None, "10", "20", "30"]
    assert live_ids(database) == {str(n) for n in range(35)}


def test_a_completed_run_starts_the_next_from_its_own_start_time(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n, T0 + timedelta(minutes=n)) for n in range(20)])
    first_start = clock.now
    sync(database, source, clock, plan=RunPlan(since=T0 - timedelta(days=1)))
    assert source.calls[0][0] == T0 - timedelta(days=1)  # the first run's filter
    source.records[4] = candidate(4, first_start + timedelta(minutes=5), job_title="Moved")
    source.calls.clear()
    clock.advance(hours=2)
    result = sync(database, source, clock)
    assert source.calls == [(first_start, None)]
    assert (result.records, result.state.run, result.state.full_pass) == (1, 2, False)
    assert result.state.next_updated_after == clock.now
    assert [run["updated_after"] for run in runs(database)] == [T0 - timedelta(days=1), first_start]


def test_a_provider_error_is_kept_with_its_hint_and_the_rerun_resumes_without_loss(
    database: Database, clock: Clock
) -> None:
    source = ListSource([candidate(n) for n in range(35)], fail_on_call=3)
    with pytest.raises(ProviderUnavailable):
        sync(database, source, clock)
    failed = state_of(database)
    assert (failed.status, failed.cursor, failed.records) == ("failed", "20", 20)
    assert "HTTP 503" in failed.last_error and failed.last_error_hint == ProviderUnavailable.hint
    assert failed.last_error_at == clock.now
    assert runs(database)[0]["status"] == "failed" and "HTTP 503" in runs(database)[0]["error"]
    clock.advance(minutes=5)
    result = sync(database, source, clock)
    assert result.resumed and result.run_completed and result.records == 15
    assert result.state.records == 35 and result.state.status == "complete"
    assert runs(database)[0]["status"] == "complete" and len(runs(database)) == 1
    assert live_ids(database) == {str(n) for n in range(35)}


def test_a_provider_repeating_a_cursor_stops_the_slice_with_invalid_response(database: Database, clock: Clock) -> None:
    def fetch(updated_after: Any, cursor: str | None, page_size: int | None) -> Page[Candidate]:
        return Page[Candidate](items=[candidate(1)], next_cursor="loop")

    with pytest.raises(InvalidResponse, match="already returned"):
        run_slice(database, KEY, StreamSource("fake", fetch), page_budget=None, now=clock)
    assert state_of(database).status == "failed" and state_of(database).cursor == "loop"


def test_a_second_worker_on_a_held_slice_returns_busy_at_once(database: Database, clock: Clock) -> None:
    inside, release = threading.Event(), threading.Event()

    def hold_on_second_fetch(call: int) -> None:
        if call == 2:
            inside.set()
            assert release.wait(60), "the test never released the first worker"

    first_source = ListSource([candidate(n) for n in range(30)], before_fetch=hold_on_second_fetch)
    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(sync(database, first_source, clock)))
    worker.start()
    try:
        assert inside.wait(60), "the first worker never reached its second page"
        second_source = ListSource([candidate(n) for n in range(30)])
        busy = sync(database, second_source, clock)
        assert busy.busy and busy.more_remaining and busy.pages == 0 and second_source.calls == []
    finally:
        release.set()
        worker.join(60)
    assert outcome and outcome[0].run_completed and outcome[0].records == 30
    after = sync(database, ListSource([candidate(n) for n in range(30)]), clock)
    assert not after.busy  # released: the next worker runs


def test_workers_on_different_slices_do_not_wait_for_each_other(database: Database, clock: Clock) -> None:
    inside, release = threading.Event(), threading.Event()

    def hold(call: int) -> None:
        inside.set()
        assert release.wait(60)

    worker = threading.Thread(target=lambda: sync(database, ListSource([candidate(1)], before_fetch=hold), clock))
    worker.start()
    try:
        assert inside.wait(60)
        other = run_slice(
            database, SliceKey("globex", "candidates"), ListSource([candidate(2)]).source(), page_budget=None, now=clock
        )
        assert not other.busy and other.run_completed
    finally:
        release.set()
        worker.join(60)


def test_a_postgresql_lock_is_confirmed_only_on_the_session_holding_it(
    postgres_database: Database, clock: Clock
) -> None:
    database = postgres_database
    lock = AdvisoryLock()
    with database.engine.connect() as holder, database.engine.connect() as other:
        assert lock.acquire(holder, KEY, clock())
        assert not lock.acquire(other, KEY, clock())
        with holder.begin():
            lock.confirm(holder, KEY, clock())
        with pytest.raises(SliceLockLost), other.begin():
            lock.confirm(other, KEY, clock())
        with pytest.raises(SliceLockLost), holder.begin():
            lock.confirm(holder, SliceKey("acme", "jobs"), clock())  # another slice's key is not held
        lock.release(holder, KEY)
        assert lock.acquire(other, KEY, clock())
        lock.release(other, KEY)


def test_a_sqlite_lease_past_its_time_is_taken_over_and_its_old_holder_commits_nothing(
    sqlite_database: Database, clock: Clock
) -> None:
    database, records = sqlite_database, [candidate(n) for n in range(30)]
    inside, release = threading.Event(), threading.Event()

    def stall_on_second_fetch(call: int) -> None:
        if call == 2:
            inside.set()
            assert release.wait(60), "the test never released the stalled worker"

    outcome: list[BaseException] = []

    def stalled_worker() -> None:
        try:
            sync(database, ListSource(records, before_fetch=stall_on_second_fetch), clock, lease=timedelta(minutes=10))
        except SliceLockLost as lost:
            outcome.append(lost)

    worker = threading.Thread(target=stalled_worker)
    worker.start()
    try:
        assert inside.wait(60), "the stalled worker never reached its second page"
        clock.advance(minutes=9)
        assert sync(database, ListSource(records), clock).busy  # the lease still runs
        clock.advance(minutes=2)
        takeover = sync(database, ListSource(records), clock)
        assert not takeover.busy and takeover.resumed and takeover.run_completed and takeover.pages == 2
    finally:
        release.set()
        worker.join(60)
    assert len(outcome) == 1 and "lost the slice's lock" in str(outcome[0])
    state = state_of(database)
    assert (state.status, state.pages, state.records) == ("complete", 3, 30)
    assert runs(database)[0]["pages"] == 3 and live_ids(database) == {str(n) for n in range(30)}


def test_a_sqlite_lease_of_a_process_that_is_gone_is_taken_over_at_once(
    sqlite_database: Database, clock: Clock
) -> None:
    database = sqlite_database
    dead = LeaseLock(owner=f"{LeaseLock().owner.split(':')[0]}:{2**22 + 12345}:gone")  # above pid_max
    with database.engine.connect() as connection:
        assert dead.acquire(connection, KEY, clock())
    result = sync(database, ListSource([candidate(1)]), clock)
    assert not result.busy and result.run_completed
    with database.engine.connect() as connection:
        assert connection.execute(select(slice_locks)).first() is None  # released after the slice


# --- deletes ---------------------------------------------------------------------------------------


def test_a_completed_full_pass_marks_what_it_no_longer_saw_deleted(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n) for n in range(25)])
    sync(database, source, clock)  # the first run reads everything: a full pass
    del source.records[20:]
    del source.records[3]
    clock.advance(days=1)
    result = sync(database, source, clock, plan=RunPlan(full=True))
    assert result.state.full_pass and result.deleted == 6
    assert deleted_ids(database) == {"3", "20", "21", "22", "23", "24"}
    assert live_ids(database) == {str(n) for n in range(20)} - {"3"}
    assert runs(database)[-1]["deleted"] == 6


def test_a_partial_full_pass_marks_nothing_deleted(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n) for n in range(25)])
    sync(database, source, clock)
    del source.records[3]
    clock.advance(days=1)
    partial = sync(database, source, clock, plan=RunPlan(full=True), page_budget=2)
    assert partial.more_remaining and partial.deleted == 0
    assert deleted_ids(database) == set()
    source.fail_on_call = len(source.calls) + 1
    with pytest.raises(ProviderUnavailable):
        sync(database, source, clock)
    assert deleted_ids(database) == set()  # a failed pass deletes nothing either
    finished = sync(database, source, clock)
    assert finished.run_completed and deleted_ids(database) == {"3"}


def test_an_incremental_run_never_deletes(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n, T0) for n in range(10)])
    sync(database, source, clock)
    source.records = [candidate(1, clock.now + timedelta(minutes=1))]
    clock.advance(hours=1)
    result = sync(database, source, clock)
    assert not result.state.full_pass and result.deleted == 0 and deleted_ids(database) == set()


def test_a_deleted_record_that_comes_back_is_undeleted(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n) for n in range(5)])
    sync(database, source, clock)
    gone = source.records.pop(2)
    clock.advance(days=1)
    sync(database, source, clock, plan=RunPlan(full=True))
    assert deleted_ids(database) == {"2"}
    source.records.append(candidate(2, clock.now + timedelta(minutes=5)))
    clock.advance(hours=1)
    result = sync(database, source, clock)  # an incremental run brings it back
    assert not result.state.full_pass and deleted_ids(database) == set() and gone.remote_id in live_ids(database)


def test_a_record_the_full_pass_saw_but_quarantined_is_not_deleted(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n) for n in range(5)])
    sync(database, source, clock)
    source.invalid_ids = frozenset({"4"})
    clock.advance(days=1)
    result = sync(database, source, clock, plan=RunPlan(full=True))
    assert result.quarantined == 1 and deleted_ids(database) == set()


def test_a_full_pass_comes_when_the_reconciliation_interval_has_passed(database: Database, clock: Clock) -> None:
    source = ListSource([candidate(n) for n in range(3)])
    daily = RunPlan(reconcile_every=timedelta(days=1))
    kinds, start = [], clock.now
    for hours in (0, 6, 12, 23, 24, 30):
        clock.now = start + timedelta(hours=hours)
        kinds.append(sync(database, source, clock, plan=daily).state.full_pass)
    assert kinds == [True, False, False, False, True, False]  # 24 h after the first pass started


def test_sync_slice_reads_in_full_when_the_connections_reconciliation_is_due(database: Database, clock: Clock) -> None:
    declared = {
        "name": "acme",
        "provider": "example",
        "reconcile_every": "1d",
        "streams": {"candidates": {"every": "1h"}},
    }
    bigger = Connection.model_validate({**declared, "settings": {"size": 25}})
    smaller = Connection.model_validate({**declared, "settings": {"size": 20}})  # the same first 20 candidates
    first = sync_slice(database, bigger, "candidates", None, now=clock)
    assert first.state.full_pass and first.records == 25
    clock.advance(hours=2)
    incremental = sync_slice(database, smaller, "candidates", None, now=clock)
    assert not incremental.state.full_pass and incremental.deleted == 0
    clock.advance(days=1)
    reconciled = sync_slice(database, smaller, "candidates", None, now=clock)
    assert reconciled.state.full_pass and reconciled.deleted == 5
    with pytest.raises(ConfigurationError, match="has no jobs"):
        sync_slice(database, smaller, "jobs", None, now=clock)
