"""Bullhorn against its sandbox over loopback HTTP: server-side filters, expiring sessions, the auth helper, `ats demo`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ats_bullhorn.auth import main as authorize
from ats_bullhorn.streams import lucene_date
from click.testing import CliRunner

from ats_core import connect
from ats_core.cli import main as ats
from ats_core.sandbox import RunningSandbox, SandboxOptions, start_sandbox


def test_timestamps_are_epoch_milliseconds_read_as_utc_instants(sandbox_settings: dict[str, Any]) -> None:
    with connect("bullhorn", sandbox_settings) as client:
        candidate = next(client.stream_candidates())
    stamp = candidate.remote_data["dateLastModified"]
    assert candidate.updated_at == datetime.fromtimestamp(stamp / 1000, UTC)
    assert candidate.updated_at is not None and candidate.updated_at.tzinfo is UTC


def test_filters_are_applied_by_bullhorn(sandbox_settings: dict[str, Any]) -> None:
    with connect("bullhorn", sandbox_settings) as client:
        jobs = list(client.stream_jobs())
        status = jobs[0].status
        assert status is not None
        wanted = [job.remote_id for job in jobs if job.status == status]
        assert [job.remote_id for job in client.stream_jobs(statuses=[status])] == wanted
        job_id = jobs[0].remote_id
        applications = list(client.stream_applications(for_job_ids=[job_id]))
        assert applications and {a.job_id for a in applications} == {job_id}
        before = client.provider.http_stats()["requests"]
        list(client.stream_applications(for_job_ids=[job_id]))
        assert client.provider.http_stats()["requests"] - before == 1, "one query: the filter ran on the server"


def test_a_change_is_read_by_the_next_incremental_stream(
    sandbox: RunningSandbox, sandbox_settings: dict[str, Any]
) -> None:
    with connect("bullhorn", sandbox_settings) as client:
        first = next(client.stream_candidates())
        started = datetime.now(UTC)
        sandbox.state.touch("Candidate", int(first.remote_id), occupation="Welder")  # type: ignore[attr-defined]
        changed = {c.remote_id: c for c in client.stream_candidates(updated_after=started)}
    assert first.remote_id in changed and changed[first.remote_id].job_title == "Welder"


@pytest.fixture(scope="module")
def expiring_sandbox() -> Iterator[RunningSandbox]:
    """A sandbox where every 7th REST call finds its session expired (401, the session stays dead)."""
    options = SandboxOptions(size=60, seed=5, faults={"rate_limit": "off", "expire_session_every": "7"})
    running = start_sandbox("bullhorn", options)
    try:
        yield running
    finally:
        running.stop()


def test_a_stream_survives_sessions_that_expire_mid_stream(expiring_sandbox: RunningSandbox) -> None:
    settings = {**expiring_sandbox.settings, "page_size": 5}
    with connect("bullhorn", settings) as client:
        ids = [candidate.remote_id for candidate in client.stream_candidates()]
        logins = client.provider.chain.counts["logins"]  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids)) >= 55, "every live candidate once"
    assert logins >= 2, "the provider logged in again after a 401"


def test_the_auth_helper_stores_a_refresh_token_that_later_connections_use(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = tmp_path / "bullhorn-token"
    for name, value in {**sandbox.settings, "refresh_token_file": str(stored)}.items():
        monkeypatch.setenv(f"ATS_BULLHORN_{name.upper()}", str(value))
    assert authorize(["--headless"]) == 0
    assert "refresh token stored" in capsys.readouterr().out
    monkeypatch.delenv("ATS_BULLHORN_PASSWORD")
    settings = {key: value for key, value in sandbox.settings.items() if key != "password"}
    with connect("bullhorn", {**settings, "refresh_token_file": stored}) as client:
        assert next(client.stream_jobs()).remote_id
    assert sandbox.settings["password"] not in stored.read_text()


def test_the_auth_helper_names_a_missing_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ATS_BULLHORN_CLIENT_ID", "c")
    assert authorize(["--headless"]) == 1
    assert "refresh_token_file" in capsys.readouterr().err


def test_ats_demo_walks_the_sourcing_and_pipeline_flows_against_the_bullhorn_sandbox() -> None:
    result = CliRunner().invoke(ats, ["demo", "--provider", "bullhorn", "--size", "50", "--limit", "20"])
    assert result.exit_code == 0, result.output
    assert "8 done, 0 skipped, 0 failed" in result.output
    assert "Move an application" in result.output and "rejected:" in result.output


def test_both_lucene_date_styles_read_the_same_incremental_set(sandbox_settings: dict[str, Any]) -> None:
    """Bullhorn does not document its Lucene date format; the digits style reads early and the core trims."""
    with connect("bullhorn", sandbox_settings) as client:
        stamps = sorted(c.updated_at for c in client.stream_candidates() if c.updated_at is not None)
        pivot = stamps[len(stamps) // 2]
        by_millis = [c.remote_id for c in client.stream_candidates(updated_after=pivot)]
    with connect("bullhorn", {**sandbox_settings, "search_date_format": "digits"}) as client:
        by_digits = [c.remote_id for c in client.stream_candidates(updated_after=pivot)]
    assert by_digits == by_millis and 0 < len(by_millis) < len(stamps)


def test_a_digits_bound_starts_early_enough_for_any_zone() -> None:
    moment = datetime(2024, 7, 1, 12, 30, 15, tzinfo=UTC)
    assert lucene_date(moment, "epoch_ms") == "1719837015000"
    assert lucene_date(moment, "digits") == "20240630223015"
