"""Status per connection and stream: freshness, counts, errors and the next run, from the database and the file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fleet_support import Clock, ListSource, candidate

from ats_core.cli import main
from ats_core.connections import load_connections
from ats_core.errors import ProviderUnavailable
from ats_core.fleet import Database, RunPlan, SliceKey, open_database, run_slice
from ats_core.fleet.status import read_status

FILE = """
[connections.acme]
provider = "fake"
reconcile_every = "1d"
streams = { candidates = { every = "15m" }, jobs = { every = "1h" } }
"""


def test_status_reads_freshness_counts_errors_and_the_schedule(
    database: Database, clock: Clock, tmp_path: Path
) -> None:
    (tmp_path / "c.toml").write_text(FILE)
    connections = load_connections(tmp_path / "c.toml")
    source = ListSource([candidate(n) for n in range(12)], invalid_ids=frozenset({"11"}))
    started = clock.now
    run_slice(database, SliceKey("acme", "candidates"), source.source(), page_budget=None, page_size=5, now=clock)
    del source.records[0]
    clock.advance(minutes=10)
    run_slice(
        database,
        SliceKey("acme", "candidates"),
        source.source(),
        page_budget=None,
        plan=RunPlan(full=True),
        page_size=5,
        now=clock,
    )
    second_start = clock.now
    failing = ListSource([candidate(n) for n in range(30)], fail_on_call=2)
    with pytest.raises(ProviderUnavailable):
        run_slice(
            database, SliceKey("globex", "candidates"), failing.source(), page_budget=None, page_size=5, now=clock
        )
    clock.advance(minutes=7)

    statuses = {(s.connection, s.stream): s for s in read_status(database, connections, clock.now)}
    assert list(statuses) == [("acme", "candidates"), ("acme", "jobs"), ("globex", "candidates")]

    acme = statuses["acme", "candidates"]
    assert (acme.status, acme.run, acme.records, acme.deleted, acme.quarantined) == ("complete", 2, 10, 1, 1)
    assert acme.last_success_at == second_start and acme.current_as_of == second_start
    assert acme.lag == timedelta(minutes=7) and started < second_start
    assert acme.next_run_at == second_start + timedelta(minutes=15) and not acme.due(clock.now)
    assert acme.due(clock.now + timedelta(minutes=8))
    assert acme.next_full_pass_at == second_start + timedelta(days=1)
    assert not acme.failing

    never = statuses["acme", "jobs"]
    assert (never.status, never.records, never.provider, never.every) == ("never run", 0, "fake", timedelta(hours=1))
    assert never.due(clock.now)

    globex = statuses["globex", "candidates"]
    assert globex.status == "failed" and globex.failing and globex.due(clock.now)  # resumes at once
    assert "HTTP 503" in (globex.last_error or "") and globex.last_error_hint == ProviderUnavailable.hint
    assert globex.every is None and globex.run_records == 5  # not in the file: no schedule
    assert globex.lag is None and globex.last_success_at is None


def test_ats_status_json_and_table(database_url: str, clock: Clock, tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(FILE)
    database = open_database(database_url)
    failing = ListSource([candidate(n) for n in range(30)], fail_on_call=2)
    with pytest.raises(ProviderUnavailable):
        run_slice(database, SliceKey("acme", "candidates"), failing.source(), page_budget=None, page_size=5)
    database.dispose()
    runner = CliRunner()
    listed = runner.invoke(main, ["status", "--json", "--db", database_url, "--connections", str(tmp_path / "c.toml")])
    assert listed.exit_code == 0, listed.output
    slices = {(s["connection"], s["stream"]): s for s in json.loads(listed.output)["slices"]}
    assert slices["acme", "candidates"]["status"] == "failed" and slices["acme", "candidates"]["failing"]
    assert slices["acme", "candidates"]["records"] == 5 and slices["acme", "candidates"]["every_seconds"] == 900
    assert slices["acme", "jobs"]["status"] == "never run"
    shown = runner.invoke(main, ["status", "--db", database_url], env={"ATS_CONNECTIONS": str(tmp_path / "c.toml")})
    assert shown.exit_code == 0, shown.output
    assert "failed" in shown.output and "HTTP 503" in shown.output and ProviderUnavailable.hint in shown.output
    assert "due now" in shown.output and "never run" in shown.output


def test_ats_status_without_a_database_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["status", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database at" in result.output and "run `ats sync` first" in result.output
    assert not (tmp_path / "none.db").exists()
