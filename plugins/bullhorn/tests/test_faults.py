"""Bullhorn against a faulty sandbox: transient errors and dropped answers are ridden out, a lost create is not re-sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ats_core import connect
from ats_core.errors import WriteOutcomeUnknown
from ats_core.sandbox import RunningSandbox

NO_WAITING = {"retry_attempts": 10, "retry_base_delay_seconds": 0, "retry_max_delay_seconds": 0, "page_size": 20}


def test_a_stream_rides_out_server_errors_and_dropped_answers(
    sandbox_with_faults: Callable[..., RunningSandbox], sandbox_settings: dict[str, Any]
) -> None:
    flaky_sandbox = sandbox_with_faults(error_rate="0.2", drop_rate="0.1")  # a fifth fail, a tenth cut off
    with connect("bullhorn", sandbox_settings) as clean:
        expected = [candidate.remote_id for candidate in clean.stream_candidates()]
    with connect("bullhorn", {**flaky_sandbox.settings, **NO_WAITING}) as client:
        ids = [candidate.remote_id for candidate in client.stream_candidates()]
        retries = client.provider.http_stats()["retries"]
    assert ids == expected
    assert retries > 0, "the faults were met and retried"


def test_a_create_whose_answer_is_lost_is_not_sent_again(sandbox_with_faults: Callable[..., RunningSandbox]) -> None:
    running = sandbox_with_faults(lost_write_rate="1.0")
    with connect("bullhorn", {**running.settings, **NO_WAITING}) as client:
        candidate = next(client.stream_candidates())
        before = len(client.list_candidate_notes(candidate.remote_id))
        with pytest.raises(WriteOutcomeUnknown) as raised:
            client.add_note_to_candidate(candidate.remote_id, "<p>lost answer</p>", None)
        after = client.list_candidate_notes(candidate.remote_id)
    assert "read the record back" in raised.value.hint
    assert len(after) == before + 1, "stored once: the PUT was not re-sent"
