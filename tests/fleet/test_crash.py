"""A worker SIGKILLed mid-slice (inside a page's transaction, or between pages) loses and duplicates nothing.

The worker is a real process syncing TempWorks candidates from the sandbox over HTTP into SQLite and PostgreSQL;
after the kill, a rerun completes the run and the table equals what the sandbox serves.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from ats_core import connect
from ats_core.fleet import Database, SliceKey, client_source, open_database, read_state, run_slice
from ats_core.fleet.locks import advisory_lock_key
from ats_core.fleet.schema import RECORD_TABLES, sync_runs
from ats_core.sandbox import RunningSandbox, SandboxOptions, available_sandboxes, start_sandbox
from ats_core.sync import client_page_fetcher

WORKER = Path(__file__).with_name("slice_worker.py")
KEY = SliceKey("acme", "candidates")
SIZE, PAGE_SIZE, STOP_PAGE = 45, 10, 3


@pytest.fixture(scope="module")
def tempworks_settings() -> Iterator[dict[str, Any]]:
    if "tempworks" not in available_sandboxes():
        pytest.skip("the TempWorks sandbox is not installed")
    running: RunningSandbox = start_sandbox("tempworks", SandboxOptions(size=SIZE, faults={"rate_limit": "off"}))
    try:
        yield {**running.settings, "requests_per_window": 10_000, "window_seconds": 1, "lookback_seconds": 0}
    finally:
        running.stop()


def served(settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every candidate the sandbox serves, page by page, as the database should hold it."""
    records: dict[str, dict[str, Any]] = {}
    with connect("tempworks", settings) as client:
        fetch, cursor = client_page_fetcher(client, "candidates"), None
        while True:
            page = fetch(None, cursor, PAGE_SIZE)
            records |= {record.remote_id: record.model_dump(mode="json") for record in page.items}
            if page.next_cursor is None:
                return records
            cursor = page.next_cursor


def wait_until_the_slice_is_free(database: Database) -> None:
    """PostgreSQL drops a killed session's advisory lock when it notices; block on the lock until it has."""
    if database.dialect != "postgresql":
        return  # a SQLite lease whose process is gone is taken over at once
    with database.engine.connect() as connection, connection.begin():
        connection.execute(text("SET LOCAL lock_timeout = '60s'"))
        connection.execute(select(func.pg_advisory_xact_lock(advisory_lock_key(KEY))))


@pytest.mark.parametrize("stop", ["commit", "fetch"])
def test_a_worker_killed_mid_slice_loses_and_duplicates_nothing(
    database_url: str, tempworks_settings: dict[str, Any], stop: str
) -> None:
    arguments = [sys.executable, str(WORKER), database_url, json.dumps(tempworks_settings), stop, str(STOP_PAGE)]
    worker = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "stopped"
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=60) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=60)

    database = open_database(database_url)
    try:
        table = RECORD_TABLES["candidates"]
        with database.engine.connect() as connection:
            interrupted = read_state(connection, KEY)
            rows_left = connection.execute(select(func.count()).select_from(table)).scalar_one()
        committed = STOP_PAGE - 1  # the page being written (or fetched) when killed is not committed
        assert interrupted is not None and interrupted.status == "running"
        assert (interrupted.pages, interrupted.records, rows_left) == (
            committed,
            committed * PAGE_SIZE,
            committed * PAGE_SIZE,
        )

        wait_until_the_slice_is_free(database)
        with connect("tempworks", tempworks_settings, on_invalid="quarantine") as client:
            source = client_source(client, KEY.stream)
            rerun = run_slice(database, KEY, source, page_budget=None, page_size=PAGE_SIZE)
        assert not rerun.busy and rerun.resumed and rerun.run_completed

        with database.engine.connect() as connection:
            stored = {
                remote_id: record for remote_id, record in connection.execute(select(table.c.remote_id, table.c.record))
            }
            run = connection.execute(select(sync_runs)).mappings().one()
        expected = served(tempworks_settings)
        assert len(expected) == SIZE and stored == expected
        assert (run["records"], run["pages"], run["status"]) == (SIZE, -(-SIZE // PAGE_SIZE), "complete")
    finally:
        database.dispose()
