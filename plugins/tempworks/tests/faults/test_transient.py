"""Transient faults: a full candidate stream survives 5xx/520, 429 bursts, dropped connections and expiring tokens.

The stream must end with exactly the sandbox's employee ids: none missing, none twice.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

EMPLOYEES = 5000
TRANSIENT_FAULTS = {
    "error_rate": "0.1",
    "error_statuses": "500,502,503,520",
    "burst_429": "2/25",
    "drop_rate": "0.08",
    "token_ttl": "600",
}
"""10% server errors, the last 2 of every 25 requests refused with 429, 8% of bodies cut off mid-response, and
tokens that the sandbox expires after 600 sandbox-seconds (30 requests at 20 s per clock reading) while the
client believes them good for minutes."""


@pytest.mark.parametrize("prefetch", [1, 4], ids=["sequential", "prefetching"])
def test_full_stream_under_transient_faults_has_every_id_once(faulty_sandbox: Any, kit: Any, prefetch: int) -> None:
    sandbox = faulty_sandbox(size=EMPLOYEES, clock=kit.StepClock(step=20.0), **TRANSIENT_FAULTS)
    with kit.connect(sandbox, page_size=50, prefetch=prefetch) as client:
        streamed = [candidate.remote_id for candidate in client.stream_candidates()]
        counts = kit.counts(sandbox, client)
    print(f"\n5,000-employee stream, prefetch={prefetch}: {counts}")

    duplicates = [remote_id for remote_id, seen in Counter(streamed).items() if seen > 1]
    expected = kit.employee_ids(sandbox)
    assert len(expected) == EMPLOYEES
    assert not duplicates, f"{len(duplicates)} ids streamed twice, e.g. {duplicates[:3]}"
    assert set(streamed) == expected, f"missing {len(expected - set(streamed))}, extra {len(set(streamed) - expected)}"

    injected = counts["injected"]
    server_errors = sum(count for kind, count in injected.items() if kind.startswith("status_"))
    transient = server_errors + injected.get("burst_429", 0) + injected.get("dropped", 0)
    assert server_errors > 0 and injected.get("burst_429", 0) > 0, injected
    assert injected.get("token_expired", 0) > 0, "no token expired mid-stream"
    assert sandbox.stats()["tokens_issued"] >= 1 + 1, "an expired token was not replaced"
    # Every fault injected before a response cost the client exactly one retry (a 429 also cut off counts
    # once), and nothing else was retried.
    assert server_errors <= counts["retries_total"] <= transient
    retried_statuses = {reason for reason in counts["retried"] if reason.isdigit()}
    assert retried_statuses <= {"429", "500", "502", "503", "520"}, "only retryable statuses were retried"
    assert all(reason.isdigit() or reason.endswith("Error") for reason in counts["retried"]), counts["retried"]
    if prefetch == 1:  # one request at a time: the sandbox's seeded fault sequence is the same on every run
        assert injected.get("dropped", 0) > 0, injected
    assert kit.api_of(client).stats.responses_by_status[200] >= EMPLOYEES // 50


def test_transient_faults_on_page_reads_resume_from_cursors(faulty_sandbox: Any, kit: Any) -> None:
    sandbox = faulty_sandbox(size=600, **TRANSIENT_FAULTS)
    with kit.connect(sandbox) as client:
        seen: list[str] = []
        cursor = None
        while True:
            page = client.fetch_candidates_page(cursor=cursor, page_size=15)
            seen.extend(candidate.remote_id for candidate in page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        counts = kit.counts(sandbox, client)
    print(f"\n600 employees by page: {counts}")
    assert len(seen) == len(set(seen)) and set(seen) == kit.employee_ids(sandbox)
    assert counts["retries_total"] > 0


def test_incremental_stream_under_transient_faults_has_every_changed_id_once(faulty_sandbox: Any, kit: Any) -> None:
    sandbox = faulty_sandbox(size=2000, clock=kit.StepClock(step=20.0), **TRANSIENT_FAULTS)
    since = datetime(2023, 1, 1, tzinfo=UTC)
    employees = sandbox.state.data.employees
    expected = {str(employees.id_of(i)) for i in range(employees.first_index_above(since.timestamp()), employees.count)}
    with kit.connect(sandbox, page_size=25, lookback_seconds=0) as client:
        streamed = [candidate.remote_id for candidate in client.stream_candidates(updated_after=since)]
        counts = kit.counts(sandbox, client)
    print(f"\nincremental stream of {len(expected)} changed employees: {counts}")
    assert len(streamed) == len(set(streamed)) and set(streamed) == expected
    assert counts["retries_total"] > 0, "the advanced-search POSTs (reads) were retried, not refused as writes"
