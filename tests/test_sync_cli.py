"""`ats sync` end to end through click, against the in-memory example provider (a real entry point)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ats_core.cli import main
from ats_core.cli import sync as sync_cli
from ats_core.client import ATSClient
from ats_core.errors import ProviderUnavailable
from ats_core.models import Page, RejectedRecord
from ats_core.provider import Provider
from ats_core.sandbox import available_sandboxes
from ats_core.sync import PageFetcher, SyncState, client_page_fetcher, load_state, write_state

SIZE = 57
ENV = {"ATS_EXAMPLE_SIZE": str(SIZE), "ATS_EXAMPLE_SEED": "3"}


def run(tmp_path: Path, *extra: str, entity: str = "candidates") -> Result:
    args = ["sync", entity, "--provider", "example", "--state", str(tmp_path / "state.json")]
    args += ["--out", str(tmp_path / "out.jsonl"), "--since", "2020-01-01", "--page-size", "10", *extra]
    return CliRunner().invoke(main, args, env=ENV, catch_exceptions=False)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def wrap_fetcher(
    monkeypatch: pytest.MonkeyPatch, wrapper: Callable[[ATSClient, PageFetcher, int], Page[Any] | None]
) -> None:
    """Replace the page fetcher the CLI builds with one that calls `wrapper(client, fetch, call_number)` first."""

    def patched(client: ATSClient, entity: str) -> PageFetcher:
        fetch = client_page_fetcher(client, entity)
        calls = 0

        def wrapped(updated_after: datetime | None, cursor: str | None, page_size: int | None) -> Page[Any]:
            nonlocal calls
            calls += 1
            replaced = wrapper(client, fetch, calls)
            return replaced if replaced is not None else fetch(updated_after, cursor, page_size)

        return wrapped

    monkeypatch.setattr(sync_cli, "client_page_fetcher", patched)


def test_a_full_run_writes_every_candidate_once_and_summarises(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    records = lines(tmp_path / "out.jsonl")
    assert len(records) == SIZE == len({r["remote_id"] for r in records})
    assert {r["provider"] for r in records} == {"example"} and all(r["remote_data"] for r in records)
    assert "records written" in result.output and f"{SIZE}" in result.output
    assert "pages" in result.output and "first run" in result.output
    state = load_state(tmp_path / "state.json")
    assert state is not None and state.status == "complete" and state.records == SIZE and state.pages == 6


def test_an_interrupted_run_resumes_with_no_record_lost_or_duplicated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail_on_third_page(client: ATSClient, fetch: PageFetcher, call: int) -> None:
        if call == 3:
            raise ProviderUnavailable(status_code=503)

    wrap_fetcher(monkeypatch, fail_on_third_page)
    failed = run(tmp_path)
    assert failed.exit_code == 1
    assert "HTTP 503" in failed.output and "rerun the same command to resume" in failed.output
    assert len(lines(tmp_path / "out.jsonl")) == 20
    monkeypatch.undo()
    resumed = run(tmp_path)
    assert resumed.exit_code == 0, resumed.output
    assert "(resumed)" in resumed.output
    ids = [r["remote_id"] for r in lines(tmp_path / "out.jsonl")]
    assert len(ids) == SIZE == len(set(ids))


def test_an_incremental_rerun_appends_only_records_updated_since_the_last_run(tmp_path: Path) -> None:
    assert run(tmp_path).exit_code == 0
    first = lines(tmp_path / "out.jsonl")
    # Pretend the completed run started in the middle of the seeded history.
    stamps = sorted(r["updated_at"] for r in first)
    middle = datetime.fromisoformat(stamps[len(stamps) // 2])
    state = load_state(tmp_path / "state.json")
    assert state is not None
    write_state(tmp_path / "state.json", state.model_copy(update={"next_updated_after": middle}))
    rerun = run(tmp_path)
    assert rerun.exit_code == 0, rerun.output
    appended = lines(tmp_path / "out.jsonl")[len(first) :]
    expected = sorted(r["remote_id"] for r in first if datetime.fromisoformat(r["updated_at"]) >= middle)
    assert sorted(r["remote_id"] for r in appended) == expected and 0 < len(appended) < SIZE
    assert "incremental run 2" in rerun.output


def test_quarantined_records_are_written_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = RejectedRecord(
        provider="example", entity="Candidate", remote_id="x1", error="email: not an address", remote_data={"id": "x1"}
    )

    def patched(client: ATSClient, entity: str) -> PageFetcher:
        fetch = client_page_fetcher(client, entity)

        def with_a_rejected_record(updated_after: datetime | None, cursor: str | None, size: int | None) -> Page[Any]:
            page = fetch(updated_after, cursor, size)
            rejected = [bad] if cursor is None else []
            return Page[Any](items=page.items, next_cursor=page.next_cursor, rejected=rejected)

        return with_a_rejected_record

    monkeypatch.setattr(sync_cli, "client_page_fetcher", patched)
    result = run(tmp_path, "--on-invalid", "quarantine")
    assert result.exit_code == 0, result.output
    quarantined = lines(tmp_path / "out.quarantine.jsonl")
    assert quarantined == [
        {
            "provider": "example",
            "entity": "Candidate",
            "remote_id": "x1",
            "error": "email: not an address",
            "remote_data": {"id": "x1"},
        }
    ]
    assert "records quarantined" in result.output and "1 ->" in result.output


def test_jobs_sync_through_their_page_operation(tmp_path: Path) -> None:
    result = run(tmp_path, entity="jobs")
    assert result.exit_code == 0, result.output
    assert len(lines(tmp_path / "out.jsonl")) == SIZE // 3


def test_an_unsupported_entity_names_the_declared_status_and_reason(tmp_path: Path) -> None:
    result = run(tmp_path, entity="applications")
    assert result.exit_code == 1
    assert "fetch_applications_page" in result.output and "not_implemented" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"], "is not a date"),
        (["--quarantine", "q.jsonl"], "--quarantine needs --on-invalid quarantine"),
        (["--fault", "error_rate=1"], "--fault needs --sandbox"),
        (["--page-size", "0"], "--page-size"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(tmp_path, *args)
    assert result.exit_code == 2 and message in result.output


def test_invalid_settings_are_reported_with_the_variable_to_set(tmp_path: Path) -> None:
    args = ["sync", "candidates", "--provider", "example", "--state", str(tmp_path / "s"), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(main, args, env={"ATS_EXAMPLE_SIZE": "lots"})
    assert result.exit_code == 1
    assert "setting 'size'" in result.output and "ATS_EXAMPLE_SIZE" in result.output


def test_a_state_of_another_output_is_refused_without_touching_it(tmp_path: Path) -> None:
    assert run(tmp_path).exit_code == 0
    before = (tmp_path / "state.json").read_text()
    other = CliRunner().invoke(
        main,
        [
            "sync",
            "candidates",
            "--provider",
            "example",
            "--state",
            str(tmp_path / "state.json"),
            "--out",
            str(tmp_path / "x"),
        ],
        env=ENV,
    )
    assert other.exit_code == 1 and "pass that --out" in other.output
    assert (tmp_path / "state.json").read_text() == before
    assert SyncState.model_validate_json(before).status == "complete"


def test_ctrl_c_keeps_the_committed_pages_and_says_how_to_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt_on_second_page(client: ATSClient, fetch: PageFetcher, call: int) -> None:
        if call == 2:
            raise KeyboardInterrupt

    wrap_fetcher(monkeypatch, interrupt_on_second_page)
    interrupted = run(tmp_path)
    assert interrupted.exit_code == 130
    assert "interrupted" in interrupted.output and "(10 records in 1 page(s) committed)" in interrupted.output
    monkeypatch.undo()
    assert run(tmp_path).exit_code == 0
    assert len({r["remote_id"] for r in lines(tmp_path / "out.jsonl")}) == len(lines(tmp_path / "out.jsonl")) == SIZE


def test_missing_directories_are_created_and_unusable_paths_are_one_clear_line(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    assert run(nested).exit_code == 0
    assert len(lines(nested / "out.jsonl")) == SIZE
    (tmp_path / "plain-file").write_text("x")
    blocked = run(tmp_path / "plain-file")
    assert blocked.exit_code == 1 and blocked.output.startswith("error: ") and "Traceback" not in blocked.output


def test_sandbox_of_a_provider_without_one_is_a_clear_error(tmp_path: Path) -> None:
    result = run(tmp_path, "--sandbox")
    assert result.exit_code == 1 and "ships no sandbox" in result.output
    assert not (tmp_path / "state.json").exists()


TEMPWORKS_SANDBOX = pytest.mark.skipif(
    "tempworks" not in available_sandboxes(), reason="the tempworks plugin's sandbox is not installed"
)


@TEMPWORKS_SANDBOX
def test_sandbox_sync_over_http_with_quarantine_then_an_empty_incremental_run(tmp_path: Path) -> None:
    args = ["sync", "candidates", "--provider", "tempworks", "--sandbox", "--size", "120", "--page-size", "50"]
    args += ["--state", str(tmp_path / "s.json"), "--out", str(tmp_path / "o.jsonl")]
    args += ["--fault", "malformed_rate=0.1", "--on-invalid", "quarantine"]
    first = CliRunner().invoke(main, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    written, quarantined = lines(tmp_path / "o.jsonl"), lines(tmp_path / "o.quarantine.jsonl")
    assert quarantined and all(q["remote_data"] and q["error"] for q in quarantined)
    assert len(written) + len(quarantined) == 120 and len({r["remote_id"] for r in written}) == len(written)
    assert f"{len(quarantined)} ->" in first.output
    again = CliRunner().invoke(main, args, catch_exceptions=False)
    assert again.exit_code == 0 and "incremental run 2" in again.output
    assert len(lines(tmp_path / "o.jsonl")) == len(written)


@TEMPWORKS_SANDBOX
def test_a_fault_the_sandbox_refuses_is_a_usage_error(tmp_path: Path) -> None:
    args = ["sync", "candidates", "--provider", "tempworks", "--sandbox", "--fault", "error_rate=2"]
    result = CliRunner().invoke(main, [*args, "--state", str(tmp_path / "s"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "error_rate" in result.output


def test_the_summary_reports_the_providers_http_counters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Provider, "http_stats", lambda self: {"requests": 9, "retries": 3, "rate_limit_waits": 1})
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert re.search(r"faults retried\s+│ 3\b", result.output)
    assert "requests 9, rate limit waits 1" in result.output
