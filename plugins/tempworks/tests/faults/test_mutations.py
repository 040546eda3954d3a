"""Data changing under the stream: records modified or inserted while a run pages.

Whatever one pass misses, the next incremental run from the saved state (with lookback) picks up: after
run N+1, the append log's last line of every employee shows what the sandbox held when run N+1 started.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ats_tempworks_sandbox import EMPLOYEE

from ats_core.sync import SyncProgress, SyncResult, client_page_fetcher, run_sync

SIZE = 500


class Run:
    """Runs `ats sync candidates` (the engine) against one sandbox, keeping each run's lines apart."""

    def __init__(self, sandbox: Any, kit: Any, tmp_path: Path) -> None:
        self.sandbox = sandbox
        self.kit = kit
        self.output = tmp_path / "candidates.jsonl"
        self.state = tmp_path / "state.json"
        self.runs: list[list[dict[str, Any]]] = []

    def __call__(self, page_size: int, on_page: Callable[[SyncProgress], None] | None = None) -> SyncResult:
        offset = self.output.stat().st_size if self.output.exists() else 0
        with self.kit.connect(self.sandbox) as client:
            result = run_sync(
                client_page_fetcher(client, "candidates"),
                provider="tempworks",
                entity="candidates",
                output=self.output,
                state_path=self.state,
                lookback_seconds=0,  # as `ats sync`: the provider re-reads its declared lookback itself
                page_size=page_size,
                on_page=on_page,
            )
        with self.output.open("rb") as log:
            log.seek(offset)
            self.runs.append([json.loads(line) for line in log.read().splitlines()])
        return result

    def latest(self) -> dict[str, str | None]:
        """first_name of every employee in the log, as an upserting consumer sees it."""
        return {line["remote_id"]: line["first_name"] for run in self.runs for line in run}

    def ids_of_run(self, number: int) -> Counter[str]:
        return Counter(line["remote_id"] for line in self.runs[number])


def _first_names(sandbox: Any) -> dict[str, str | None]:
    """What the sandbox holds now: employee id -> first name."""
    with sandbox.state.lock:
        ids = [int(remote_id) for remote_id in _all_ids(sandbox)]
        return {str(i): (sandbox.state.employee_detail(i) or {}).get("firstName") for i in ids}


def _all_ids(sandbox: Any) -> set[str]:
    state = sandbox.state
    return {str(state.data.employees.id_of(i)) for i in range(state.data.employees.count)} | {
        str(i) for i in state.created
    }


class TickingClock:
    """The sandbox's clock: real time plus one second per change the test makes, so changes get distinct times."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def _rename(sandbox: Any, index: int, label: str) -> str:
    employee_id = sandbox.state.data.employees.id_of(index)
    if isinstance(sandbox.state.clock, TickingClock):
        sandbox.state.clock.offset += 1
    with sandbox.state.lock:
        sandbox.state.touch(EMPLOYEE, employee_id, {"firstName": label, "note": label})
    return str(employee_id)


def _insert(sandbox: Any, label: str) -> str:
    with sandbox.state.lock:
        return str(sandbox.state.create_employee({"firstName": label, "lastName": "Inserted"}))


def test_changes_during_a_full_run_are_picked_up_by_the_next_incremental_run(
    faulty_sandbox: Any, kit: Any, tmp_path: Path
) -> None:
    sandbox = faulty_sandbox(size=SIZE, clock=TickingClock(), mutate_every="3", error_rate="0.05")
    run = Run(sandbox, kit, tmp_path)
    page_size = 50
    changed: list[str] = []

    def change_behind_and_ahead(progress: SyncProgress) -> None:
        if progress.pages in (2, 5, 8):
            read = progress.pages * page_size
            changed.append(_rename(sandbox, read - 7, f"Behind{progress.pages}"))  # already read: a pass misses it
            changed.append(_rename(sandbox, read + 30, f"Ahead{progress.pages}"))  # read later in its new state
            changed.append(_insert(sandbox, f"New{progress.pages}"))

    first = run(page_size, change_behind_and_ahead)
    expected = _first_names(sandbox)
    with sandbox.state.lock:  # run 2 reads a quiet tenant: what it must pick up is what run 1 missed
        sandbox.state.faults = dataclasses.replace(sandbox.state.faults, mutate_every=0)
    second = run(page_size)
    print(f"\nrun 1: {first.records_now} records, run 2: {second.records_now}; injected {sandbox.stats()['injected']}")

    assert first.state.status == second.state.status == "complete" and second.incremental
    for number in (0, 1):
        assert max(run.ids_of_run(number).values()) == 1, f"run {number + 1} wrote an employee twice"
    first_names_in_run_1 = {line["remote_id"]: line["first_name"] for line in run.runs[0]}
    missed_by_run_1 = {i for i in changed if first_names_in_run_1.get(i) != expected[i]}
    assert missed_by_run_1, "the scenario changes records run 1 had already read"
    assert missed_by_run_1 <= set(run.ids_of_run(1)), "run 2 picks up what run 1 missed"
    latest = run.latest()
    assert set(latest) == set(expected), "across the two runs no employee is missing"
    stale = {i: (latest[i], name) for i, name in expected.items() if latest[i] != name}
    assert not stale, f"{len(stale)} employees show an old version after run 2, e.g. {list(stale.items())[:3]}"
    assert sandbox.stats()["injected"].get("mutated", 0) + sandbox.stats()["injected"].get("inserted", 0) > 0


def test_a_record_modified_mid_incremental_run_shifts_no_other_record_out(
    faulty_sandbox: Any, kit: Any, tmp_path: Path
) -> None:
    sandbox = faulty_sandbox(size=SIZE, clock=TickingClock())
    run = Run(sandbox, kit, tmp_path)
    run(100)
    changed = [_rename(sandbox, index, f"Changed{index}") for index in range(0, SIZE, 25)]  # 20, all in run 2
    expected = _first_names(sandbox)

    def rename_one_already_read(progress: SyncProgress) -> None:
        if progress.pages == 1:
            _rename(sandbox, 0, "ChangedAgain")  # the first record of run 2's order moves to its end

    second = run(5, rename_one_already_read)
    print(f"\nincremental run: {second.records_now} records for {len(changed)} changed employees")
    missing = [i for i in changed if i not in run.ids_of_run(1)]
    assert not missing, f"run 2 never served {missing} although each changed before it started"
    latest = run.latest()
    stale = {i: (latest[i], name) for i, name in expected.items() if i != changed[0] and latest[i] != name}
    assert not stale
