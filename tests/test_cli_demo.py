"""`ats demo` through click: every step's outcome in the summary, skips with the manifest's reason, failures."""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner, Result

from ats_core.cli import main
from ats_core.client import ATSClient
from ats_core.models import Candidate
from ats_core.registry import discover
from ats_core.sandbox import available_sandboxes

STEPS = ("fetch_candidates_page", "find_candidates_by_details", "get_resume_for_candidate_id")
STEPS += ("add_note_to_candidate", "add_attachment_to_candidate", "get_candidate_by_id")
PIPELINE = ("move_application_to_stage", "reject_application")
EXAMPLE_ENV = {"ATS_EXAMPLE_SIZE": "40", "ATS_EXAMPLE_SEED": "11"}


def demo(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["demo", *args], env=env, catch_exceptions=False)


def outcome_of(output: str, operation: str) -> str:
    """The result column of the summary row whose step cell names `operation` (on the row's second line)."""
    rows = [line.split("│") for line in output.splitlines() if line.startswith("│")]
    for previous, row in itertools.pairwise(rows):
        if row[2].strip() == operation:
            return previous[3].split()[-1]
    raise AssertionError(f"{operation} is not in the summary:\n{output}")


def test_the_example_demo_does_what_the_provider_supports_and_skips_the_rest_with_reasons() -> None:
    result = demo("--provider", "example", "--no-sandbox", env=EXAMPLE_ENV)
    assert result.exit_code == 0, result.output
    outcomes = {operation: outcome_of(result.output, operation) for operation in STEPS}
    assert outcomes == {
        "fetch_candidates_page": "done",
        "find_candidates_by_details": "done",
        "get_resume_for_candidate_id": "skipped",
        "add_note_to_candidate": "done",
        "add_attachment_to_candidate": "skipped",
        "get_candidate_by_id": "done",
    }
    assert "not_implemented: the template stores no files" in result.output
    assert {operation: outcome_of(result.output, operation) for operation in PIPELINE} == dict.fromkeys(
        PIPELINE, "skipped"
    )
    assert "4 done, 4 skipped, 0 failed" in result.output


def test_a_given_since_date_is_used_and_a_date_after_every_record_fails_clearly() -> None:
    result = demo("--provider", "example", "--no-sandbox", "--since", "2999-01-01", env=EXAMPLE_ENV)
    assert result.exit_code == 1
    assert "no candidate updated since 2999-01-01 00:00 UTC (given)" in result.output
    assert "needs a candidate from the stream step" in result.output
    assert "1 step(s) failed" in result.output


def test_a_step_with_a_wrong_answer_fails_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    def finds_nobody(self: ATSClient, **details: str | None) -> list[Candidate]:
        return []

    monkeypatch.setattr(ATSClient, "find_candidates_by_details", finds_nobody)
    result = demo("--provider", "example", "--no-sandbox", env=EXAMPLE_ENV)
    assert result.exit_code == 1
    assert "is not among the 0 matches of its email" in result.output
    assert outcome_of(result.output, "find_candidates_by_details") == "failed"


def test_a_provider_without_a_sandbox_is_a_clear_error() -> None:
    result = demo("--provider", "example", env=EXAMPLE_ENV)
    assert result.exit_code == 1
    assert "could not start the example sandbox" in result.output and "--no-sandbox" in result.output


def test_bad_since_is_a_usage_error() -> None:
    result = demo("--provider", "example", "--no-sandbox", "--since", "soon")
    assert result.exit_code == 2 and "is not a date" in result.output


@pytest.mark.skipif(
    "tempworks" not in discover().providers or "tempworks" not in available_sandboxes(),
    reason="the tempworks plugin or its sandbox is not installed",
)
def test_the_tempworks_demo_completes_every_step_against_its_sandbox() -> None:
    result = demo("--provider", "tempworks", "--size", "50", "--limit", "20")
    assert result.exit_code == 0, result.output
    assert {operation: outcome_of(result.output, operation) for operation in STEPS} == dict.fromkeys(STEPS, "done")
    assert "starts with %PDF" in result.output
    assert {operation: outcome_of(result.output, operation) for operation in PIPELINE} == dict.fromkeys(
        PIPELINE, "skipped"
    )  # TempWorks has no pipeline: both declared, with reasons
    assert "6 done, 2 skipped, 0 failed" in result.output


def test_a_provider_without_pages_is_streamed_and_the_limit_stops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    supports = ATSClient.supports
    monkeypatch.setattr(ATSClient, "supports", lambda self, op: op != "fetch_candidates_page" and supports(self, op))
    result = demo("--provider", "example", "--no-sandbox", "--limit", "5", env=EXAMPLE_ENV)
    assert result.exit_code == 0, result.output
    assert outcome_of(result.output, "stream_candidates") == "done"
    assert "5 candidates since" in result.output and "stopped at --limit 5" in result.output
