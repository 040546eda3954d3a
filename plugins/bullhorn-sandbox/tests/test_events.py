"""Event subscriptions: every write publishes, reads consume in numbered batches, requestId replays a lost
batch, limits and TTL, and the sandbox-side helpers publish like Bullhorn users would."""

from __future__ import annotations

from typing import Any

import pytest

ALL = {"type": "entity", "names": "Candidate,JobSubmission,NoteEntity", "eventTypes": "INSERTED,UPDATED,DELETED"}


def _subscribe(bullhorn: Any, name: str = "sync1", **params: str) -> dict[str, Any]:
    return dict(bullhorn.ok("PUT", f"event/subscription/{name}", params=ALL | params))


def _read(bullhorn: Any, name: str = "sync1", max_events: int = 100) -> dict[str, Any] | None:
    response = bullhorn.get(f"event/subscription/{name}", maxEvents=max_events)
    assert response.status_code == 200
    return response.json() if response.content else None


def test_subscribe_answers_bullhorns_description(bullhorn: Any, clock: Any) -> None:
    answer = _subscribe(bullhorn, names="Candidate")
    assert answer["subscriptionId"] == "sync1" and answer["lastRequestId"] == 0 and answer["createdOn"] == clock.ms
    corporation = bullhorn.state.corporation_id
    assert answer["jmsSelector"] == (
        f"JMSType='ENTITY' AND BhCorpId={corporation} AND BhEntityName='Candidate' "
        "AND BhEntityEventType IN ('INSERTED','UPDATED','DELETED')"
    )


def test_writes_publish_inserted_updated_and_deleted(bullhorn: Any, clock: Any) -> None:
    _subscribe(bullhorn)
    assert _read(bullhorn) is None
    new_id = bullhorn.ok("PUT", "entity/Candidate", json={"firstName": "E", "lastName": "V"})["changedEntityId"]
    bullhorn.ok("POST", "entity/JobSubmission/20001", json={"status": "Placed", "comments": "done"})
    bullhorn.ok("DELETE", "entity/Candidate/10009")
    link_id = bullhorn.state.to_many("Note", 30001, "entities")[0]
    bullhorn.ok("DELETE", f"entity/NoteEntity/{link_id}")
    batch = _read(bullhorn)
    assert batch is not None and batch["requestId"] == 1
    events = batch["events"]
    assert [(e["entityName"], e["entityId"], e["entityEventType"]) for e in events] == [
        ("Candidate", new_id, "INSERTED"),
        ("JobSubmission", 20001, "UPDATED"),
        ("Candidate", 10009, "UPDATED"),
        ("NoteEntity", link_id, "DELETED"),
    ]
    assert "updatedProperties" not in events[0] and events[1]["updatedProperties"] == ["comments", "status"]
    assert events[2]["updatedProperties"] == ["isDeleted"]
    assert events[0]["eventType"] == "ENTITY" and events[0]["eventTimestamp"] == clock.ms
    assert events[0]["eventMetadata"] == {"PERSON_ID": str(bullhorn.state.api_user.user_id)}
    assert "TRANSACTION_ID" in events[1]["eventMetadata"] and events[0]["eventId"].startswith("ID:JBM-")
    assert _read(bullhorn) is None, "reading consumes the events"


def test_batches_respect_max_events_and_the_100_cap_and_replay_by_request_id(bullhorn: Any) -> None:
    _subscribe(bullhorn, names="Candidate", eventTypes="UPDATED")
    for candidate_id in range(10001, 10131):
        bullhorn.state.touch("Candidate", candidate_id)
    first = _read(bullhorn, max_events=7)
    second = _read(bullhorn, max_events=500)
    third = _read(bullhorn, max_events=500)
    assert first is not None and second is not None and third is not None
    assert len(first["events"]) == 7 and len(second["events"]) == 100 and len(third["events"]) == 23
    assert [first["requestId"], second["requestId"], third["requestId"]] == [1, 2, 3]
    replay = bullhorn.ok("GET", "event/subscription/sync1", params={"requestId": 2})
    assert replay == second
    assert bullhorn.ok("GET", "event/subscription/sync1/lastRequestId") == {"result": 3}
    assert bullhorn.get("event/subscription/sync1", requestId=99).status_code == 404


def test_only_subscribed_entities_and_event_types_are_queued(bullhorn: Any) -> None:
    _subscribe(bullhorn, names="JobSubmission", eventTypes="INSERTED")
    bullhorn.state.touch("JobSubmission", 20001)
    bullhorn.state.touch("Candidate", 10001)
    assert _read(bullhorn) is None
    bullhorn.ok(
        "PUT",
        "entity/JobSubmission",
        json={"candidate": {"id": 10001}, "jobOrder": {"id": 2001}, "status": "Submitted"},
    )
    batch = _read(bullhorn)
    assert batch is not None and [e["entityEventType"] for e in batch["events"]] == ["INSERTED"]


def test_sandbox_helpers_publish_like_bullhorn_users(bullhorn: Any) -> None:
    _subscribe(bullhorn)
    assert bullhorn.state.touch("Candidate", 10002, occupation="Welder") == ["occupation"]
    bullhorn.state.delete("JobSubmission", 20002)
    link_id = bullhorn.state.to_many("Note", 30002, "entities")[0]
    bullhorn.state.delete("NoteEntity", link_id)
    batch = _read(bullhorn)
    assert batch is not None
    assert [(e["entityName"], e["entityEventType"], e.get("updatedProperties")) for e in batch["events"]] == [
        ("Candidate", "UPDATED", ["occupation"]),
        ("JobSubmission", "UPDATED", ["isDeleted"]),
        ("NoteEntity", "DELETED", None),
    ]
    assert (
        bullhorn.ok("GET", "entity/Candidate/10002", params={"fields": "occupation"})["data"]["occupation"] == "Welder"
    )


def test_unread_events_expire_after_the_ttl(make_bullhorn: Any, clock: Any) -> None:
    bullhorn = make_bullhorn(event_ttl_days="1")
    _subscribe(bullhorn)
    bullhorn.state.touch("Candidate", 10001)
    clock.advance(86_400 + 1)
    bullhorn.state.touch("Candidate", 10002)
    batch = _read(bullhorn.login())
    assert batch is not None and [e["entityId"] for e in batch["events"]] == [10002]


def test_unsubscribe_limits_and_duplicates(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(max_subscriptions="2")
    _subscribe(bullhorn, "a")
    assert bullhorn.call("PUT", "event/subscription/a", params=ALL).status_code == 400
    _subscribe(bullhorn, "b")
    too_many = bullhorn.call("PUT", "event/subscription/c", params=ALL)
    assert too_many.status_code == 400 and too_many.json()["errorMessageKey"] == "errors.tooManySubscriptions"
    assert bullhorn.ok("DELETE", "event/subscription/a") == {"result": True}
    assert bullhorn.ok("DELETE", "event/subscription/a") == {"result": False}
    _subscribe(bullhorn, "c")
    assert bullhorn.get("event/subscription/a", maxEvents=1).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"type": "entity", "names": "Candidate", "eventTypes": "CREATED"},
        {"type": "entity", "names": "Nonsense", "eventTypes": "INSERTED"},
        {"type": "entity", "names": "", "eventTypes": "INSERTED"},
        {"type": "everything", "names": "Candidate", "eventTypes": "INSERTED"},
    ],
)
def test_bad_subscriptions_are_refused(bullhorn: Any, params: dict[str, str]) -> None:
    assert bullhorn.call("PUT", "event/subscription/x", params=params).status_code == 400


def test_max_events_is_required(bullhorn: Any) -> None:
    _subscribe(bullhorn)
    assert bullhorn.get("event/subscription/sync1").status_code == 400
