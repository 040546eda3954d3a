"""`ats sync`'s files: one run at a time, one role per file, regular files only, full disks and stale temps."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ats_core import sync as sync_module
from ats_core.models import Page
from ats_core.sync import SyncError, SyncLocked, load_state, run_sync
from tests.test_sync import T0, FakeSource, candidate, ids_in, sync

RECORDS = [candidate(n, T0) for n in range(25)]


def test_a_second_run_on_the_same_state_or_output_stops_at_once_and_the_first_completes(tmp_path: Path) -> None:
    source = FakeSource(list(RECORDS))
    refused: list[str] = []

    def fetch_and_collide(updated_after: Any, cursor: str | None, page_size: int | None) -> Page[Any]:
        if cursor is None:
            for other_state, other_out in (("s.json", "other.jsonl"), ("other.json", "out.jsonl")):
                with pytest.raises(SyncLocked) as caught:
                    run_sync(
                        FakeSource(list(RECORDS)),
                        provider="fake",
                        entity="candidates",
                        output=tmp_path / other_out,
                        state_path=tmp_path / other_state,
                    )
                refused.append(str(caught.value))
        return source(updated_after, cursor, page_size)

    result = run_sync(
        fetch_and_collide,
        provider="fake",
        entity="candidates",
        output=tmp_path / "out.jsonl",
        state_path=tmp_path / "s.json",
        page_size=10,
    )
    assert result.state.status == "complete" and sorted(ids_in(tmp_path / "out.jsonl"), key=int) == [
        str(n) for n in range(25)
    ]
    assert "state file" in refused[0] and "output" in refused[1]
    assert not (tmp_path / "other.jsonl").exists() or (tmp_path / "other.jsonl").stat().st_size == 0


HOLDER = """
import sys
from pathlib import Path
from ats_core.sync import _exclusive
with _exclusive(Path(sys.argv[1]), "state file"):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_a_lock_held_by_a_killed_process_is_released(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLDER), str(state)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(SyncLocked):
            sync(FakeSource(list(RECORDS)), tmp_path)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        holder.kill()
    assert sync(FakeSource(list(RECORDS)), tmp_path).state.records == 25


@pytest.mark.parametrize(
    ("out", "state", "quarantine"),
    [("same", "same", None), ("out.jsonl", "s.json", "out.jsonl"), ("out.jsonl", "q.jsonl", "q.jsonl")],
)
def test_one_file_in_two_roles_is_refused_before_anything_is_written(
    tmp_path: Path, out: str, state: str, quarantine: str | None
) -> None:
    with pytest.raises(SyncError, match="same file"):
        run_sync(
            FakeSource(list(RECORDS)),
            provider="fake",
            entity="candidates",
            output=tmp_path / out,
            state_path=tmp_path / state,
            quarantine=None if quarantine is None else tmp_path / quarantine,
        )
    assert not any(path.suffix in (".jsonl", ".json") for path in tmp_path.iterdir())


def test_a_fifo_or_device_as_output_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(SyncError, match="not a regular file"):
        sync(FakeSource(list(RECORDS)), tmp_path)
    with pytest.raises(SyncError, match="not a regular file"):
        run_sync(
            FakeSource(list(RECORDS)),
            provider="fake",
            entity="candidates",
            output=Path("/dev/full"),
            state_path=tmp_path / "s2.json",
        )


def test_a_full_disk_names_the_file_keeps_the_committed_pages_and_a_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = sync_module._durable_write
    writes = 0

    def second_write_fails(stream: Any, data: bytes) -> int:
        nonlocal writes
        writes += 1
        if writes == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(stream, data)

    monkeypatch.setattr(sync_module, "_durable_write", second_write_fails)
    with pytest.raises(SyncError) as caught:
        sync(FakeSource(list(RECORDS)), tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "out.jsonl") in message and "1 page(s) committed" in message
    state = load_state(tmp_path / "s.json")
    assert state is not None and state.pages == 1 and state.status == "running"
    monkeypatch.setattr(sync_module, "_durable_write", real_write)
    assert sync(FakeSource(list(RECORDS)), tmp_path).state.status == "complete"
    assert sorted(ids_in(tmp_path / "out.jsonl"), key=int) == [str(n) for n in range(25)]


def test_temp_state_files_a_killed_run_left_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".s.json.abc123.tmp"
    stale.write_text("{half a state", encoding="utf-8")
    unrelated = tmp_path / ".other.json.abc.tmp"
    unrelated.write_text("kept", encoding="utf-8")
    sync(FakeSource(list(RECORDS)), tmp_path)
    assert not stale.exists() and unrelated.exists()


def test_a_recorded_offset_inside_a_line_is_refused(tmp_path: Path) -> None:
    source = FakeSource(list(RECORDS), fail_on_page=2)
    with pytest.raises(Exception):  # noqa: B017 - the fake's 503, whatever its class
        sync(source, tmp_path)
    state_path = tmp_path / "s.json"
    text = state_path.read_text(encoding="utf-8")
    state = load_state(state_path)
    assert state is not None and state.output_offset > 5
    state_path.write_text(text.replace(f'"output_offset": {state.output_offset}', '"output_offset": 5'), "utf-8")
    with pytest.raises(SyncError, match="inside a line"):
        sync(FakeSource(list(RECORDS)), tmp_path)


def test_output_and_quarantine_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    source = FakeSource(list(RECORDS), invalid_ids=frozenset({"3"}))
    sync(source, tmp_path, quarantine=tmp_path / "q.jsonl")
    for name in ("out.jsonl", "q.jsonl", "s.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def test_a_state_file_that_is_not_utf8_is_a_sync_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_bytes(b"\xff\xfe{not ours")
    with pytest.raises(SyncError, match="not UTF-8"):
        sync(FakeSource(list(RECORDS)), tmp_path)
