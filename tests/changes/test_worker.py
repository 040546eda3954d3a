"""The in-process refresher's coalescing window, on a fake clock."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ats_core.changes.refresh import RefreshKey
from ats_core.changes.worker import InProcessRefresher


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Calls:
    def __init__(self, fail_for: str | None = None) -> None:
        self.calls: list[tuple[str, str, list[str]]] = []
        self.fail_for = fail_for

    def __call__(self, connection: str, entity: str, remote_ids: Sequence[str]) -> None:
        if connection == self.fail_for:
            raise RuntimeError("tenant down")
        self.calls.append((connection, entity, list(remote_ids)))


def test_a_burst_is_held_until_the_window_ends_then_each_record_is_read_once() -> None:
    clock, calls = FakeClock(), Calls()
    refresher = InProcessRefresher(calls, window_seconds=0.5, clock=clock)
    for n in range(1000):
        refresher.submit(RefreshKey("acme", "candidate", str(n % 40)))
        clock.now += 0.0001  # 0.1 s for the whole burst, inside one window
    assert refresher.take_due() is None
    clock.now = 100.5
    batch = refresher.take_due()
    assert batch is not None
    refresher.run(batch)
    assert calls.calls == [("acme", "candidate", [str(n) for n in range(40)])]
    assert refresher.take_due() is None


def test_a_change_after_the_window_opens_the_next_window() -> None:
    clock, calls = FakeClock(), Calls()
    refresher = InProcessRefresher(calls, window_seconds=1.0, clock=clock)
    refresher.submit(RefreshKey("acme", "candidate", "1"))
    clock.now += 1.0
    first = refresher.take_due()
    refresher.submit(RefreshKey("acme", "candidate", "1"))
    assert first is not None and refresher.take_due() is None
    clock.now += 1.0
    assert refresher.take_due() is not None


def test_groups_are_per_connection_and_entity_and_a_failing_one_does_not_stop_the_others() -> None:
    clock, calls = FakeClock(), Calls(fail_for="down")
    failures: list[str] = []
    lags: list[tuple[RefreshKey, float]] = []
    refresher = InProcessRefresher(
        calls,
        window_seconds=0.0,
        clock=clock,
        on_failure=lambda connection, _entity, _error: failures.append(connection),
        on_refreshed=lambda key, lag: lags.append((key, lag)),
    )
    for key in (
        RefreshKey("down", "candidate", "1"),
        RefreshKey("acme", "job", "2"),
        RefreshKey("acme", "candidate", "3"),
    ):
        refresher.submit(key)
    clock.now += 2.0
    refresher.drain()
    assert calls.calls == [("acme", "job", ["2"]), ("acme", "candidate", ["3"])]
    assert failures == ["down"]
    assert sorted(lags) == [(RefreshKey("acme", "candidate", "3"), 2.0), (RefreshKey("acme", "job", "2"), 2.0)]


@pytest.mark.parametrize("pending", [0, 3])
def test_close_refreshes_what_is_pending_and_stops_the_thread(pending: int) -> None:
    calls = Calls()
    refresher = InProcessRefresher(calls, window_seconds=60.0).start()
    for n in range(pending):
        refresher.submit(RefreshKey("acme", "candidate", str(n)))
    refresher.close()
    assert refresher._thread is not None and not refresher._thread.is_alive()
    assert sum(len(ids) for _, _, ids in calls.calls) == pending
