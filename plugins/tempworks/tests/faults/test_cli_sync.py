"""`ats sync candidates --provider tempworks --sandbox --fault ...` against a faulty sandbox, through click's CliRunner.

Each run finishes with a summary of records written, faults retried and records quarantined; the output and
the quarantine file hold exactly the records the sandbox serves (for the --since filter), none twice.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from ats_tempworks_sandbox import create_app
from click.testing import CliRunner, Result

from ats_core.cli import main
from ats_core.sandbox import SandboxOptions

SIZE = 200
SEED = 13
SINCE = "2024-01-01"
FAULTS = ("error_rate=0.1", "burst_429=1/4", "drop_rate=0.05", "malformed_rate=0.1", "rate_limit=off")
ENV = {  # no lookback, so the expected set is exact; no client-side limit worth waiting for
    "ATS_TEMPWORKS_LOOKBACK_SECONDS": "0",
    "ATS_TEMPWORKS_REQUESTS_PER_WINDOW": "10000",
    "ATS_TEMPWORKS_WINDOW_SECONDS": "0.01",
}


def _sync(tmp_path: Path, since: str | None) -> Result:
    arguments = ["sync", "candidates", "--provider", "tempworks", "--sandbox", "--size", str(SIZE), "--seed", str(SEED)]
    for fault in FAULTS:
        arguments += ["--fault", fault]
    if since is not None:
        arguments += ["--since", since]
    arguments += ["--state", str(tmp_path / "state.json"), "--out", str(tmp_path / "out.jsonl")]
    arguments += ["--on-invalid", "quarantine", "--page-size", "20"]
    return CliRunner().invoke(main, arguments, env=ENV, catch_exceptions=False)


def _summary(output: str) -> dict[str, str]:
    """The rows of the summary table: what -> value."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in re.split(r"[│|]", line) if cell.strip()]
        if len(cells) == 2:
            rows[cells[0]] = cells[1]
    return rows


def _number(text: str) -> int:
    match = re.match(r"([\d,]+)", text)
    assert match, f"{text!r} does not start with a count"
    return int(match.group(1).replace(",", ""))


def _expected_ids(since: str | None) -> set[str]:
    """Employees of the same seeded tenant modified after `since` (what a fault-free read returns)."""
    employees = create_app(SandboxOptions(size=SIZE, seed=SEED)).state.data.employees
    first = 0
    if since is not None:
        first = employees.first_index_above(datetime.fromisoformat(since).replace(tzinfo=UTC).timestamp())
    return {str(employees.id_of(index)) for index in range(first, employees.count)}


@pytest.fixture(scope="module", params=[SINCE, None], ids=["since", "full"])
def synced(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str | None, Result]:
    tmp_path = tmp_path_factory.mktemp("cli-sync")
    return tmp_path, request.param, _sync(tmp_path, request.param)


def _twin_of_the_cli_sandbox() -> Any:
    """An in-process copy of the tenant `ats sync --sandbox` starts (same size and seed: same secrets and PII)."""
    return SimpleNamespace(state=create_app(SandboxOptions(size=SIZE, seed=SEED)).state)


def test_sync_under_faults_summarises_written_retried_and_quarantined(
    synced: tuple[Path, str | None, Result], leaks: Any
) -> None:
    tmp_path, since, result = synced
    print(f"\n{result.output}")
    leaks.watch(_twin_of_the_cli_sandbox())
    leaks.check_text(result.output, "the `ats sync` output")
    assert result.exit_code == 0, result.output
    summary = _summary(result.output)
    written = [json.loads(line)["remote_id"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    quarantined = [json.loads(line) for line in (tmp_path / "out.quarantine.jsonl").read_text().splitlines()]

    assert _number(summary["records written"]) == len(written)
    assert _number(summary["records quarantined"]) == len(quarantined)
    assert _number(summary["faults retried"]) > 0, "the sandbox's faults were retried and counted"
    assert max(Counter(written).values()) == 1
    expected = _expected_ids(since)
    assert len(written) + len(quarantined) == len(expected), "streamed + quarantined == what the sandbox serves"
    assert set(written) <= expected
    if since is None:  # the full read meets the sandbox's malformed records (it malforms list and detail records)
        assert quarantined, "malformed records are quarantined, not dropped"
    for line in quarantined:
        assert line["provider"] == "tempworks" and line["entity"] == "Candidate" and line["error"]
        assert isinstance(line["remote_data"], dict) and line["remote_data"], "the raw payload is kept"
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["status"] == "complete" and state["records"] == len(written)
    assert state["quarantined"] == len(quarantined)


def test_a_second_run_is_incremental_and_appends_only_changes(
    synced: tuple[Path, str | None, Result], leaks: Any
) -> None:
    tmp_path, _since, _first = synced
    before = (tmp_path / "out.jsonl").stat().st_size
    leaks.watch(_twin_of_the_cli_sandbox())  # the autouse check scans this run's log records for its secrets/PII
    again = _sync(tmp_path, None)
    leaks.check_text(again.output, "the `ats sync` output")
    assert again.exit_code == 0, again.output
    summary = _summary(again.output)
    assert summary["run"].startswith("incremental run 2")
    assert _number(summary["records written"]) == 0, "a fresh sandbox of the same seed has no changes since run 1"
    assert (tmp_path / "out.jsonl").stat().st_size == before
