"""The in-process refresh engine: one thread that reads each changed record once per coalescing window.

A burst of events about the same records becomes one read of each: ids submitted during a window wait
until it ends (counted from the first submission), then each distinct record is refreshed once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ats_core.changes.refresh import RefreshKey

__all__ = ["Batch", "InProcessRefresher", "RefreshFunction"]

logger = logging.getLogger("ats_core.changes")

RefreshFunction = Callable[[str, str, Sequence[str]], object]
"""refresh(connection, entity, remote_ids): read those records again and store them."""


@dataclass
class Batch:
    """The records of one window, each with when it was first asked for (to measure refresh lag)."""

    started_at: float
    keys: dict[RefreshKey, float] = field(default_factory=dict)

    def groups(self) -> dict[tuple[str, str], list[str]]:
        """(connection, entity) -> remote ids, in the order they were first submitted."""
        grouped: dict[tuple[str, str], list[str]] = {}
        for key in self.keys:
            grouped.setdefault((key.connection, key.entity), []).append(key.remote_id)
        return grouped


class InProcessRefresher:
    """A `RefreshEngine` in this process: a daemon thread, a coalescing window, a bounded wait to stop."""

    def __init__(
        self,
        refresh: RefreshFunction,
        *,
        window_seconds: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        on_refreshed: Callable[[RefreshKey, float], None] | None = None,
        on_failure: Callable[[str, str, BaseException], None] | None = None,
    ) -> None:
        self.refresh = refresh
        self.window_seconds = window_seconds
        self.clock = clock
        self.on_refreshed = on_refreshed
        self.on_failure = on_failure
        self._pending: Batch | None = None
        self._changed = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> InProcessRefresher:
        """Start the worker thread (tests may instead call `take_due` and `run` themselves)."""
        self._thread = threading.Thread(target=self._loop, name="ats-change-refresh", daemon=True)
        self._thread.start()
        return self

    def submit(self, key: RefreshKey) -> None:
        """Add a record to the current window (opening one if none is open)."""
        with self._changed:
            now = self.clock()
            if self._pending is None:
                self._pending = Batch(now)
            self._pending.keys.setdefault(key, now)
            self._changed.notify_all()

    def take_due(self) -> Batch | None:
        """The pending batch if its window has ended, emptying it; None otherwise."""
        with self._changed:
            batch = self._pending
            if batch is None or self.clock() < batch.started_at + self.window_seconds:
                return None
            self._pending = None
            return batch

    def run(self, batch: Batch) -> None:
        """Refresh each group of a batch; a failing group is reported and left to the scheduled sync."""
        for (connection, entity), remote_ids in batch.groups().items():
            try:
                self.refresh(connection, entity, remote_ids)
            except Exception as error:  # the worker outlives a failing tenant; polling repairs
                logger.warning(
                    "%s %s: refresh failed (%s); the scheduled sync will catch up", connection, entity, error
                )
                if self.on_failure is not None:
                    self.on_failure(connection, entity, error)
                continue
            if self.on_refreshed is not None:
                done = self.clock()
                for key, submitted in batch.keys.items():
                    if (key.connection, key.entity) == (connection, entity):
                        self.on_refreshed(key, done - submitted)

    def _loop(self) -> None:
        while True:
            with self._changed:
                while self._pending is None and not self._stopping:
                    self._changed.wait()
                if self._stopping:
                    return
                remaining = self._pending.started_at + self.window_seconds - self.clock() if self._pending else 0.0
                if remaining > 0:
                    self._changed.wait(remaining)
            batch = self.take_due()
            if batch is not None:
                self.run(batch)

    def drain(self) -> None:
        """Refresh whatever is pending now, window or not (on shutdown, and in tests)."""
        with self._changed:
            batch, self._pending = self._pending, None
        if batch is not None:
            self.run(batch)

    def close(self, timeout: float = 10.0) -> None:
        """Stop the thread (bounded wait), then refresh what was still pending."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
        self.drain()
