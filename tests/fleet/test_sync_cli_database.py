"""`ats sync ENTITY` into the database through click: the default ats.db, --db, --connection, busy slices, errors."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fleet_support import ListSource, candidate
from sqlalchemy import func, select

from ats_core.cli import _sync_database, main
from ats_core.client import ATSClient
from ats_core.errors import ProviderUnavailable
from ats_core.fleet import SliceKey, StreamSource, open_database, run_slice
from ats_core.fleet.schema import RECORD_TABLES, quarantine
from ats_core.sandbox import available_sandboxes

SIZE = 57
ENV = {"ATS_EXAMPLE_SIZE": str(SIZE), "ATS_EXAMPLE_SEED": "3"}


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["sync", *args], env={**ENV, **(env or {})}, catch_exceptions=False)


def _summary(output: str) -> dict[str, str]:
    """The rows of the summary table: what -> value."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in re.split(r"[│|]", line) if cell.strip()]
        if len(cells) == 2:
            rows[cells[0]] = cells[1]
    return rows


def count(url: str, stream: str = "candidates", connection: str | None = None) -> int:
    database = open_database(url)
    table = RECORD_TABLES[stream]
    query = select(func.count()).select_from(table).where(table.c.deleted_at.is_(None))
    if connection is not None:
        query = query.where(table.c.connection == connection)
    with database.engine.connect() as db:
        found = db.execute(query).scalar_one()
    database.dispose()
    return int(found)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_an_output_it_writes_ats_db_here_and_reruns_incrementally(in_tmp: Path) -> None:
    first = invoke("candidates", "--provider", "example", "--page-size", "10")
    assert first.exit_code == 0, first.output
    assert "first run, a full read" in first.output and f"{SIZE}" in first.output and "sqlite:///ats.db" in first.output
    assert (in_tmp / "ats.db").exists() and count("sqlite:///ats.db", connection="example") == SIZE
    second = invoke("candidates", "--provider", "example")
    assert second.exit_code == 0, second.output
    assert "run 2, records updated after" in second.output


def test_db_takes_another_database(database_url: str) -> None:
    result = invoke("jobs", "--provider", "example", "--db", database_url)
    assert result.exit_code == 0, result.output
    assert count(database_url, "jobs") == SIZE // 3
    assert "ats_test:" not in result.output or "***" in result.output  # a PostgreSQL password is never shown


def test_a_connection_of_the_connections_file_is_synced_with_its_settings(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(
        '[connections.acme]\nprovider = "example"\nsettings = { size = 23 }\n'
        'streams = { candidates = { every = "15m", page_size = 5 } }\n'
    )
    url = f"sqlite:///{tmp_path / 'fleet.db'}"
    result = invoke("candidates", "--connection", "acme", "--connections", str(tmp_path / "c.toml"), "--db", url)
    assert result.exit_code == 0, result.output
    assert count(url, connection="acme") == 23  # its settings, not ATS_EXAMPLE_SIZE
    assert _summary(result.output)["pages"] == "5"  # the stream's declared page size
    assert "due every 15m" in result.output
    undeclared = invoke("jobs", "--connection", "acme", "--connections", str(tmp_path / "c.toml"), "--db", url)
    assert undeclared.exit_code == 1 and "has no jobs (it has candidates)" in undeclared.output
    unknown = invoke("jobs", "--connection", "nope", "--connections", str(tmp_path / "c.toml"), "--db", url)
    assert unknown.exit_code == 1 and "has no connection 'nope'" in unknown.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--out", "x.jsonl"], "--out and --state go together"),
        (
            ["--out", "x.jsonl", "--state", "s.json", "--db", "y.db"],
            "--db, --connection and --full sync into the database",
        ),
        (["--out", "x.jsonl", "--state", "s.json", "--full"], "--db, --connection and --full sync into the database"),
        (
            ["--on-invalid", "quarantine", "--quarantine", "q.jsonl"],
            "the database keeps rejected records in its quarantine",
        ),
        (["--connection", "acme"], "drop --provider"),
        (["--fault", "error_rate=0.1"], "--fault needs --sandbox"),
    ],
)
def test_options_of_the_other_mode_are_refused_saying_why(in_tmp: Path, args: list[str], expected: str) -> None:
    result = invoke("candidates", "--provider", "example", *args)
    assert result.exit_code == 2 and expected in result.output
    assert not (in_tmp / "ats.db").exists() and not (in_tmp / "x.jsonl").exists()


def test_without_provider_or_connection_it_says_what_to_give(in_tmp: Path) -> None:
    result = invoke("candidates")
    assert result.exit_code == 2 and "give --provider NAME, or --connection NAME" in result.output


def test_json_lines_output_works_as_before_and_ignores_ats_db_url(in_tmp: Path) -> None:
    args = ("candidates", "--provider", "example", "--out", "out.jsonl", "--state", "state.json")
    result = invoke(*args, env={"ATS_DB_URL": "sqlite:///never.db"})
    assert result.exit_code == 0, result.output
    assert len((in_tmp / "out.jsonl").read_text().splitlines()) == SIZE
    assert not (in_tmp / "never.db").exists() and not (in_tmp / "ats.db").exists()


def test_a_second_run_on_a_slice_being_synced_exits_at_once_saying_so(in_tmp: Path) -> None:
    database = open_database("sqlite:///ats.db")
    inside, release = threading.Event(), threading.Event()

    def hold(call: int) -> None:
        inside.set()
        assert release.wait(60)

    holder = ListSource([candidate(1)], before_fetch=hold)
    source = StreamSource("example", holder.fetch)
    worker = threading.Thread(
        target=lambda: run_slice(database, SliceKey("example", "candidates"), source, page_budget=None)
    )
    worker.start()
    try:
        assert inside.wait(60)
        result = invoke("candidates", "--provider", "example")
    finally:
        release.set()
        worker.join(60)
        database.dispose()
    assert result.exit_code == _sync_database.BUSY_EXIT_CODE
    assert "example candidates is being synced by another process right now; this run did nothing" in result.output


def test_a_failed_run_says_progress_is_saved_and_the_rerun_resumes(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"count": 0}
    original = _sync_database.client_source

    def failing_on_third_page(client: ATSClient, stream: str) -> StreamSource:
        source = original(client, stream)

        def fetch(updated_after: datetime | None, cursor: str | None, page_size: int | None) -> Any:
            calls["count"] += 1
            if calls["count"] == 3:
                raise ProviderUnavailable(status_code=503)
            return source.fetch_page(updated_after, cursor, page_size)

        return StreamSource(source.provider, fetch, source.faults_retried)

    monkeypatch.setattr(_sync_database, "client_source", failing_on_third_page)
    failed = invoke("candidates", "--provider", "example", "--page-size", "10")
    assert failed.exit_code == 1
    assert "HTTP 503" in failed.output
    assert "20 records in 2 page(s) of run 1 committed): rerun the same command to resume" in failed.output
    rerun = invoke("candidates", "--provider", "example", "--page-size", "10")
    assert rerun.exit_code == 0, rerun.output
    assert "(resumed)" in rerun.output and f"{SIZE - 20} now, {SIZE} in this run" in rerun.output
    assert count("sqlite:///ats.db") == SIZE


@pytest.fixture
def tempworks_sandbox() -> Iterator[None]:
    if "tempworks" not in available_sandboxes():
        pytest.skip("the TempWorks sandbox is not installed")
    yield


def test_a_faulty_sandbox_ends_with_every_record_stored_or_quarantined(in_tmp: Path, tempworks_sandbox: None) -> None:
    size = 120
    faults = ("error_rate=0.1", "burst_429=1/4", "malformed_rate=0.1", "rate_limit=off")
    args = ["candidates", "--provider", "tempworks", "--sandbox", "--size", str(size), "--page-size", "20"]
    for fault in faults:
        args += ["--fault", fault]
    env = {"ATS_TEMPWORKS_LOOKBACK_SECONDS": "0", "ATS_TEMPWORKS_REQUESTS_PER_WINDOW": "10000"}
    result = invoke(*args, "--on-invalid", "quarantine", env=env)
    assert result.exit_code == 0, result.output
    database = open_database("sqlite:///ats.db")
    table = RECORD_TABLES["candidates"]
    with database.engine.connect() as connection:
        stored = set(
            connection.execute(select(table.c.remote_id).where(table.c.connection == "tempworks-sandbox")).scalars()
        )
        held = list(connection.execute(select(quarantine.c.remote_id, quarantine.c.remote_data)))
    database.dispose()
    assert held and all(payload for _, payload in held), "malformed records are kept with their payloads"
    assert not stored & {remote_id for remote_id, _ in held}
    assert len(stored) + len(held) == size, "stored + quarantined == what the sandbox serves"
    assert "faults retried" in result.output and "not reported" not in result.output
