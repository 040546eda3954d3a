"""The sync engine with a fake page function: full runs, resumption, incremental runs, quarantine, state."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ats_core.errors import PagingLoopError, ProviderUnavailable
from ats_core.models import Candidate, Page, RejectedRecord
from ats_core.sync import SyncError, SyncState, load_state, run_sync, write_state

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def candidate(number: int, updated_at: datetime) -> Candidate:
    return Candidate(provider="fake", remote_id=str(number), updated_at=updated_at, first_name=f"Name{number}")


@dataclass
class FakeSource:
    """Records paged by offset cursor, filtered by updated_after; can fail once on a chosen page."""

    records: list[Candidate]
    fail_on_page: int | None = None
    calls: list[tuple[datetime | None, str | None]] = field(default_factory=list)
    invalid_ids: frozenset[str] = frozenset()

    def __call__(self, updated_after: datetime | None, cursor: str | None, page_size: int | None) -> Page[Any]:
        self.calls.append((updated_after, cursor))
        if self.fail_on_page is not None and len(self.calls) == self.fail_on_page:
            self.fail_on_page = None
            raise ProviderUnavailable(status_code=503)
        size = page_size or 10
        matching = [r for r in self.records if updated_after is None or (r.updated_at and r.updated_at > updated_after)]
        start = int(cursor or 0)
        items = matching[start : start + size]
        good = [r for r in items if r.remote_id not in self.invalid_ids]
        rejected = [
            RejectedRecord(
                provider="fake",
                entity="Candidate",
                remote_id=r.remote_id,
                error="email: invalid",
                remote_data={"id": 1},
            )
            for r in items
            if r.remote_id in self.invalid_ids
        ]
        next_cursor = str(start + size) if start + size < len(matching) else None
        return Page[Candidate](items=good, next_cursor=next_cursor, rejected=rejected)


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["remote_id"] for line in path.read_text(encoding="utf-8").splitlines()]


def clock(*times: datetime) -> Callable[[], datetime]:
    remaining = list(times)
    return lambda: remaining.pop(0) if len(remaining) > 1 else remaining[0]


def sync(source: FakeSource, tmp_path: Path, **options: Any) -> Any:
    options.setdefault("page_size", 10)
    return run_sync(
        source,
        provider="fake",
        entity="candidates",
        output=tmp_path / "out.jsonl",
        state_path=tmp_path / "s.json",
        **options,
    )


def test_a_full_run_writes_every_record_once_as_canonical_json(tmp_path: Path) -> None:
    records = [candidate(n, T0 + timedelta(minutes=n)) for n in range(35)]
    result = sync(FakeSource(records), tmp_path, now=clock(T0 + timedelta(days=1)))
    assert ids_in(tmp_path / "out.jsonl") == [str(n) for n in range(35)]
    assert Candidate.model_validate_json((tmp_path / "out.jsonl").read_text().splitlines()[3]) == records[3]
    assert (result.pages_now, result.records_now, result.resumed) == (4, 35, False)
    state = load_state(tmp_path / "s.json")
    assert state is not None and state.status == "complete" and state.cursor is None
    assert state.next_updated_after == T0 + timedelta(days=1)
    assert state.output_offset == (tmp_path / "out.jsonl").stat().st_size


@pytest.mark.parametrize("fail_on_page", [1, 2, 4])
def test_an_interrupted_run_resumes_from_the_saved_cursor_without_loss_or_duplicates(
    tmp_path: Path, fail_on_page: int
) -> None:
    source = FakeSource([candidate(n, T0) for n in range(35)], fail_on_page=fail_on_page)
    with pytest.raises(ProviderUnavailable):
        sync(source, tmp_path)
    interrupted = load_state(tmp_path / "s.json")
    assert interrupted is not None and interrupted.status == "running"
    assert interrupted.cursor == (None if fail_on_page == 1 else str((fail_on_page - 1) * 10))
    result = sync(source, tmp_path)
    assert result.resumed
    assert ids_in(tmp_path / "out.jsonl") == [str(n) for n in range(35)]
    assert result.state.records == 35


def test_a_page_written_but_not_recorded_is_truncated_before_resuming(tmp_path: Path) -> None:
    source = FakeSource([candidate(n, T0) for n in range(25)], fail_on_page=3)
    with pytest.raises(ProviderUnavailable):
        sync(source, tmp_path)
    with (tmp_path / "out.jsonl").open("ab") as out:  # as if killed after writing, before the state commit
        out.write(b'{"remote_id":"10"}\n{"remote_id":"11"}\n{"remo')
    sync(source, tmp_path)
    assert ids_in(tmp_path / "out.jsonl") == [str(n) for n in range(25)]


def test_an_incremental_rerun_writes_only_records_updated_since_the_last_run_minus_lookback(tmp_path: Path) -> None:
    first_start = T0 + timedelta(hours=1)
    source = FakeSource([candidate(n, T0 + timedelta(minutes=n)) for n in range(20)])
    sync(source, tmp_path, since=T0 - timedelta(days=1), now=clock(first_start))
    source.records[4] = candidate(4, first_start + timedelta(minutes=5))
    source.records.append(candidate(99, first_start + timedelta(minutes=6)))
    source.records.append(candidate(98, first_start - timedelta(seconds=30)))  # inside the lookback window
    source.calls.clear()
    result = sync(
        source, tmp_path, since=T0 - timedelta(days=1), lookback_seconds=60, now=clock(T0 + timedelta(hours=2))
    )
    assert result.incremental and not result.resumed
    assert source.calls[0][0] == first_start - timedelta(seconds=60)
    assert ids_in(tmp_path / "out.jsonl")[20:] == ["4", "99", "98"]
    assert result.state.run == 2 and result.state.next_updated_after == T0 + timedelta(hours=2)


def test_quarantined_records_go_to_their_file_with_payload_and_error(tmp_path: Path) -> None:
    source = FakeSource([candidate(n, T0) for n in range(12)], invalid_ids=frozenset({"3", "11"}))
    result = sync(source, tmp_path, quarantine=tmp_path / "bad.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "bad.jsonl").read_text().splitlines()]
    assert [line["remote_id"] for line in lines] == ["3", "11"]
    assert lines[0] == {
        "provider": "fake",
        "entity": "Candidate",
        "remote_id": "3",
        "error": "email: invalid",
        "remote_data": {"id": 1},
    }
    assert result.quarantined_now == 2 and result.state.quarantined == 2
    assert len(ids_in(tmp_path / "out.jsonl")) == 10


def test_quarantined_records_without_a_quarantine_file_stop_the_run(tmp_path: Path) -> None:
    source = FakeSource([candidate(n, T0) for n in range(3)], invalid_ids=frozenset({"1"}))
    with pytest.raises(SyncError, match="--quarantine"):
        sync(source, tmp_path)


def test_a_repeated_cursor_is_reported_as_a_paging_loop(tmp_path: Path) -> None:
    def looping(updated_after: datetime | None, cursor: str | None, page_size: int | None) -> Page[Any]:
        return Page[Candidate](items=[candidate(1, T0)], next_cursor="same")

    with pytest.raises(PagingLoopError, match="same records as the page before"):
        run_sync(looping, provider="fake", entity="candidates", output=tmp_path / "o", state_path=tmp_path / "s")
    assert ids_in(tmp_path / "o") == ["1"]


def test_a_state_of_another_provider_entity_or_output_is_refused(tmp_path: Path) -> None:
    sync(FakeSource([candidate(1, T0)]), tmp_path)
    with pytest.raises(SyncError, match="not `other` jobs"):
        run_sync(
            FakeSource([]),
            provider="other",
            entity="jobs",
            output=tmp_path / "out.jsonl",
            state_path=tmp_path / "s.json",
        )
    with pytest.raises(SyncError, match="pass that --out"):
        run_sync(
            FakeSource([]),
            provider="fake",
            entity="candidates",
            output=tmp_path / "x.jsonl",
            state_path=tmp_path / "s.json",
        )


def test_an_output_shortened_outside_sync_is_refused(tmp_path: Path) -> None:
    source = FakeSource([candidate(n, T0) for n in range(15)], fail_on_page=2)
    with pytest.raises(ProviderUnavailable):
        sync(source, tmp_path)
    (tmp_path / "out.jsonl").write_bytes(b"")
    with pytest.raises(SyncError, match="changed outside"):
        sync(source, tmp_path)


def test_a_state_file_that_is_not_ours_is_reported(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text('{"hello": 1}')
    with pytest.raises(SyncError, match="is not an `ats sync` state"):
        sync(FakeSource([]), tmp_path)


def test_the_state_is_replaced_atomically_and_a_failed_write_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.json"
    old = SyncState(
        provider="p",
        entity="jobs",
        status="running",
        output="o",
        output_offset=1,
        updated_after=None,
        run_started_at=T0,
    )
    write_state(path, old)

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_state(path, old.model_copy(update={"output_offset": 2}))
    assert load_state(path) == old
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


@settings(max_examples=25, deadline=None)
@given(count=st.integers(0, 40), page_size=st.integers(1, 9), failures=st.lists(st.integers(1, 8), max_size=3))
def test_any_sequence_of_interruptions_yields_every_record_exactly_once(
    tmp_path_factory: pytest.TempPathFactory, count: int, page_size: int, failures: list[int]
) -> None:
    tmp_path = tmp_path_factory.mktemp("sync")
    source = FakeSource([candidate(n, T0) for n in range(count)])
    for failure in failures:
        source.fail_on_page = len(source.calls) + failure
        with contextlib.suppress(ProviderUnavailable):
            sync(source, tmp_path, page_size=page_size)
    source.fail_on_page = None
    sync(source, tmp_path, page_size=page_size)
    assert ids_in(tmp_path / "out.jsonl") == [str(n) for n in range(count)]
