"""Faults and limits over loopback: rate limit with a fake clock, bursts of 429, seeded server errors,
latency spikes, cut-off answers, writes whose answer is lost, and sessions expiring mid-stream."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from ats_bullhorn_sandbox import parse_faults


def test_rate_limit_per_minute_answers_429_with_bullhorns_body_then_recovers(make_bullhorn: Any, clock: Any) -> None:
    bullhorn = make_bullhorn(rate_limit="3/60")
    statuses = [bullhorn.get("ping").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = bullhorn.get("ping")
    assert limited.json()["errorCode"] == 429 and "Wait 1 second" in limited.json()["errorMessage"]
    assert "retry-after" not in limited.headers
    clock.advance(59)
    assert bullhorn.get("ping").status_code == 429
    clock.advance(1)
    assert bullhorn.get("ping").status_code == 200
    assert bullhorn.state.stats()["injected"]["rate_limited"] == 3


def test_the_default_rate_limit_is_bullhorns_1500_per_minute() -> None:
    assert parse_faults({}).rate_limit == (1500, 60.0)


def test_burst_429(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(burst_429="2/5")
    assert [bullhorn.get("ping").status_code for _ in range(10)] == [200, 200, 200, 429, 429] * 2


def test_error_rate_is_seeded_and_uses_the_configured_statuses(make_bullhorn: Any) -> None:
    runs = []
    for _ in range(2):
        bullhorn = make_bullhorn(error_rate="0.4", error_statuses="500,503")
        runs.append([bullhorn.get("ping").status_code for _ in range(30)])
    assert runs[0] == runs[1] and {200, 500, 503} >= set(runs[0]) > {200}
    failed = make_bullhorn(error_rate="1", error_statuses="503").get("ping")
    assert failed.status_code == 503 and failed.json()["errorMessageKey"] == "errors.internalError"


def test_latency_spike_delays_the_answer(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(latency_spike_rate="1", latency_spike_ms="20")
    response = bullhorn.get("ping")
    assert response.status_code == 200 and response.elapsed.total_seconds() >= 0.02
    assert bullhorn.state.stats()["injected"]["latency_spike"] == 1


def test_drop_rate_cuts_the_answer_mid_body(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(drop_rate="1")
    with pytest.raises(httpx.RemoteProtocolError):
        bullhorn.get("entity/Candidate/10001", fields="id,firstName,lastName,email")
    assert bullhorn.state.stats()["injected"]["dropped"] == 1


def test_a_lost_write_is_applied_though_its_answer_never_arrives(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(lost_write_rate="1")
    with pytest.raises(httpx.RemoteProtocolError):
        bullhorn.call("POST", "entity/Candidate/10001", json={"occupation": "Lost Answer"})
    record = bullhorn.ok("GET", "entity/Candidate/10001", params={"fields": "occupation"})
    assert record["data"]["occupation"] == "Lost Answer"
    assert bullhorn.state.stats()["injected"]["lost_write"] == 1


def test_session_expires_mid_stream_and_a_new_login_continues(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(expire_session_every="3")
    statuses = [bullhorn.get("ping").status_code for _ in range(3)]
    assert statuses == [200, 200, 401]
    assert bullhorn.get("ping").status_code == 401, "the expired session stays expired"
    bullhorn.login()
    assert bullhorn.get("ping").status_code == 200
    assert bullhorn.state.stats()["injected"]["session_expired"] == 1


def test_mutate_every_changes_candidates_while_paging(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(mutate_every="2")
    bullhorn.ok("PUT", "event/subscription/s", params={"type": "entity", "names": "Candidate", "eventTypes": "UPDATED"})
    for start in range(0, 80, 20):
        bullhorn.ok("GET", "search/Candidate", params={"query": "isDeleted:0", "start": start})
    batch = bullhorn.ok("GET", "event/subscription/s", params={"maxEvents": 10})
    assert len(batch["events"]) == 2 and bullhorn.state.stats()["injected"]["mutated"] == 2


@pytest.mark.parametrize(
    "faults",
    [
        {"nonsense": "1"},
        {"error_rate": "2"},
        {"error_statuses": "200"},
        {"rate_limit": "fast"},
        {"burst_429": "5/2"},
        {"session_ttl": "-1"},
        {"expire_session_every": "1.5"},
        {"note_actions": "x" * 31},
    ],
)
def test_bad_fault_values_are_refused_with_the_name(faults: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=next(iter(faults))):
        parse_faults(faults)
