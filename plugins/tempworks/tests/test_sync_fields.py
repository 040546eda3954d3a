"""The new canonical fields travel end to end: sandbox -> plugin -> `ats sync` JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ats_core.cli import main
from ats_core.models import Application, Candidate, Job

ENV = {"ATS_TEMPWORKS_REQUESTS_PER_WINDOW": "10000", "ATS_TEMPWORKS_WINDOW_SECONDS": "0.01"}


def _synced(tmp_path: Path, stream: str) -> list[dict[str, object]]:
    out = tmp_path / f"{stream}.jsonl"
    arguments = ["sync", stream, "--provider", "tempworks", "--sandbox", "--size", "60", "--seed", "5"]
    arguments += ["--state", str(tmp_path / f"{stream}.state.json"), "--out", str(out)]
    result = CliRunner().invoke(main, arguments, env=ENV, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("stream", "model", "filled"),
    [
        ("candidates", Candidate, ("emails", "phone_numbers", "addresses", "owner_name")),
        ("jobs", Job, ("company_id", "office")),
        ("applications", Application, ("candidate_id", "job_id", "start_date")),
    ],
)
def test_synced_records_carry_the_v2_fields_and_their_extensions(
    tmp_path: Path, stream: str, model: type[Candidate | Job | Application], filled: tuple[str, ...]
) -> None:
    lines = _synced(tmp_path, stream)
    assert lines
    records = [model.model_validate(line) for line in lines]
    for field in filled:
        assert any(getattr(record, field) for record in records), f"no synced {stream} record has {field}"
    assert all(record.extensions for record in records), f"{stream}: the declared extensions are missing"
    assert all(line["remote_data"] for line in lines)
