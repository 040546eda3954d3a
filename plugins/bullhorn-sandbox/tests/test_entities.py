"""entity/{Entity}: reads with fields= (nested, to-one and to-many shapes), creates, updates, deletes,
404 and 400 bodies, and Bullhorn's side effects (note links, a company's archived contact)."""

from __future__ import annotations

from typing import Any

import pytest


def _first_candidate_with(bullhorn: Any, association: str, at_least: int) -> int:
    state = bullhorn.state
    for candidate_id in range(10001, 10001 + state.data.size):
        if len(state.to_many("Candidate", candidate_id, association)) >= at_least:
            return candidate_id
    raise AssertionError(f"no seeded candidate with {at_least} {association}")


def test_get_one_wraps_data_and_returns_id_first(bullhorn: Any) -> None:
    body = bullhorn.ok("GET", "entity/Candidate/10005", params={"fields": "lastName,firstName,email"})
    record = body["data"]
    assert list(record) == ["id", "lastName", "firstName", "email"]
    assert record["id"] == 10005 and "@" in record["email"]


def test_to_one_fields_carry_default_sub_fields_and_person_subtype(bullhorn: Any) -> None:
    fields = "candidate,jobOrder,sendingUser,status"
    record = bullhorn.ok("GET", "entity/JobSubmission/20001", params={"fields": fields})["data"]
    assert set(record["candidate"]) == {"id", "firstName", "lastName"}
    assert set(record["jobOrder"]) == {"id", "title"}
    assert record["sendingUser"]["_subtype"] == "CorporateUser" and "firstName" in record["sendingUser"]
    nested = bullhorn.ok("GET", "entity/JobSubmission/20001", params={"fields": "jobOrder(clientCorporation(name))"})
    assert set(nested["data"]["jobOrder"]["clientCorporation"]) == {"id", "name"}
    composite = bullhorn.ok("GET", "entity/Candidate/10001", params={"fields": "address(city,zip)"})
    assert set(composite["data"]["address"]) == {"city", "zip"}


def test_to_many_fields_give_total_and_at_most_the_requested_items(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(size=300)
    job_id = next(j for j in range(2001, 2031) if len(bullhorn.state.to_many("JobOrder", j, "submissions")) >= 11)
    every = [
        s for s in bullhorn.state.to_many("JobOrder", job_id, "submissions")
        if not bullhorn.state.get("JobSubmission", s)["isDeleted"]
    ]  # fmt: skip
    default = bullhorn.ok("GET", f"entity/JobOrder/{job_id}", params={"fields": "submissions"})["data"]["submissions"]
    assert default["total"] == len(every) and len(default["data"]) == 5 and set(default["data"][0]) == {"id"}
    three = bullhorn.ok("GET", f"entity/JobOrder/{job_id}", params={"fields": "submissions[3](status)"})
    assert [set(item) for item in three["data"]["submissions"]["data"]] == [{"id", "status"}] * 3
    capped = bullhorn.ok("GET", f"entity/JobOrder/{job_id}", params={"fields": "submissions[50]"})
    assert len(capped["data"]["submissions"]["data"]) == 10
    status = bullhorn.state.get("JobSubmission", every[0])["status"]
    filtered = bullhorn.ok(
        "GET", f"entity/JobOrder/{job_id}", params={"fields": f"submissions(status){{status='{status}'}}"}
    )
    assert {item["status"] for item in filtered["data"]["submissions"]["data"]} == {status}


@pytest.mark.parametrize(
    ("fields", "status", "key"),
    [
        ("*", 400, "errors.allFieldsNotAllowed"),
        ("id,nope", 400, "errors.invalidField"),
        ("owner(submissions)", 400, "errors.invalidField"),
        ("jobOrder(submissions)", 400, "errors.badFields"),
        ("id,address(", 400, "errors.badFields"),
    ],
)
def test_bad_fields_are_refused(make_bullhorn: Any, fields: str, status: int, key: str) -> None:
    bullhorn = make_bullhorn(size=20)
    entity = "JobSubmission/20001" if "jobOrder" in fields else "Candidate/10001"
    response = bullhorn.get(f"entity/{entity}", fields=fields)
    assert response.status_code == status and response.json()["errorMessageKey"] == key


def test_fields_are_required(bullhorn: Any) -> None:
    response = bullhorn.get("entity/Candidate/10001")
    assert response.status_code == 400 and "fields" in response.json()["errorMessage"]


def test_several_ids_answer_the_found_ones_and_404_only_when_none_exist(bullhorn: Any) -> None:
    body = bullhorn.ok("GET", "entity/Candidate/10001,10002,99999999", params={"fields": "id"})
    assert [record["id"] for record in body["data"]] == [10001, 10002]
    missing = bullhorn.get("entity/Candidate/99999998,99999999", fields="id")
    assert missing.status_code == 404
    one = bullhorn.get("entity/Candidate/99999999", fields="id")
    assert one.status_code == 404
    assert one.json() == {
        "errorMessage": "Cannot find entity of type Candidate with id 99999999.",
        "errorMessageKey": "errors.cannotFindEntity",
        "errorCode": 404,
    }
    assert bullhorn.get("entity/Nonsense/1", fields="id").json()["errorMessageKey"] == "errors.invalidEntityType"


def test_create_answers_insert_and_the_record_reads_back(bullhorn: Any, clock: Any) -> None:
    body = {"firstName": "Ada", "lastName": "Lovelace", "name": "Ada Lovelace", "email": "ada@example.com"}
    answer = bullhorn.ok("PUT", "entity/Candidate", json=body)
    assert answer["changedEntityType"] == "Candidate" and answer["changeType"] == "INSERT"
    new_id = answer["changedEntityId"]
    assert new_id == bullhorn.state.data.spaces["Candidate"].end_id
    record = bullhorn.ok(
        "GET", f"entity/Candidate/{new_id}", params={"fields": "name,status,owner,dateAdded,isDeleted"}
    )
    assert record["data"]["status"] == "New Lead" and record["data"]["owner"] == {"id": 1}
    assert record["data"]["dateAdded"] == clock.ms and record["data"]["isDeleted"] is False


def test_create_does_not_compute_name(bullhorn: Any) -> None:
    new_id = bullhorn.ok("PUT", "entity/Candidate", json={"firstName": "No", "lastName": "Name"})["changedEntityId"]
    assert bullhorn.ok("GET", f"entity/Candidate/{new_id}", params={"fields": "name"})["data"]["name"] is None


def test_create_refuses_unknown_and_missing_mandatory_fields(bullhorn: Any) -> None:
    unknown = bullhorn.call("PUT", "entity/Candidate", json={"firstName": "A", "lastName": "B", "title": "Dev"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["propertyName"] == "title"
    missing = bullhorn.call("PUT", "entity/JobSubmission", json={"candidate": {"id": 10001}})
    body = missing.json()
    assert missing.status_code == 400 and body["errorMessageKey"] == "errors.cannotPersistEntity"
    assert {e["propertyName"] for e in body["errors"] if e["type"] == "REQUIRED_FIELD"} == {"jobOrder", "status"}
    assert body["entityName"] == "JobSubmission"


@pytest.mark.parametrize(
    ("entity", "body", "field"),
    [
        ("Candidate", {"firstName": "A", "lastName": "B", "dateAvailable": "2026-01-01"}, "dateAvailable"),
        ("Candidate", {"firstName": "A", "lastName": "B", "owner": {"id": 999}}, "owner"),
        ("Candidate", {"firstName": "A" * 51, "lastName": "B"}, "firstName"),
        ("JobSubmission", {"candidate": {"id": 10001}, "jobOrder": {"id": 2001}, "status": "Hired!"}, "status"),
        ("Note", {"comments": "x", "personReference": {"id": 10001}, "action": "Smoke Signal"}, "action"),
    ],
)
def test_values_are_checked_against_the_model(bullhorn: Any, entity: str, body: dict[str, Any], field: str) -> None:
    response = bullhorn.call("PUT", f"entity/{entity}", json=body)
    assert response.status_code == 400
    assert [problem["propertyName"] for problem in response.json()["errors"]] == [field]


def test_update_answers_update_and_warns_about_to_many_fields(bullhorn: Any) -> None:
    answer = bullhorn.ok("POST", "entity/Candidate/10003", json={"occupation": "CTO", "notes": [{"id": 1}]})
    assert answer["changeType"] == "UPDATE" and answer["changedEntityId"] == 10003
    assert answer["messages"] == [{"propertyName": "notes", "severity": "WARNING", "type": "ATTEMPT_TO_SET_TO_MANY"}]
    record = bullhorn.ok("GET", "entity/Candidate/10003", params={"fields": "occupation,address"})["data"]
    assert record["occupation"] == "CTO"
    bullhorn.ok("POST", "entity/Candidate/10003", json={"address": {"city": "Salem"}})
    address = bullhorn.ok("GET", "entity/Candidate/10003", params={"fields": "address"})["data"]["address"]
    assert address["city"] == "Salem" and address["state"] == record["address"]["state"]
    assert bullhorn.call("POST", "entity/Candidate/99999999", json={"occupation": "x"}).status_code == 404


def test_delete_is_soft_hard_or_refused_by_entity(bullhorn: Any) -> None:
    answer = bullhorn.ok("DELETE", "entity/Candidate/10004")
    assert answer == {"changedEntityType": "Candidate", "changedEntityId": 10004, "changeType": "DELETE"}
    assert bullhorn.ok("GET", "entity/Candidate/10004", params={"fields": "isDeleted"})["data"]["isDeleted"] is True
    immutable = bullhorn.call("DELETE", "entity/ClientCorporation/101")
    assert immutable.status_code == 400 and bullhorn.get("entity/ClientCorporation/101", fields="id").status_code == 200
    link_id = bullhorn.state.to_many("Note", 30001, "entities")[0]
    bullhorn.ok("DELETE", f"entity/NoteEntity/{link_id}")
    assert bullhorn.get(f"entity/NoteEntity/{link_id}", fields="id").status_code == 404


def test_a_note_links_itself_to_its_person_and_job_and_duplicate_links_fail(bullhorn: Any) -> None:
    body = {
        "action": "Submission Note",
        "comments": "Sent to the client.",
        "personReference": {"id": 10002},
        "jobOrder": {"id": 2001},
    }
    note_id = bullhorn.ok("PUT", "entity/Note", json=body)["changedEntityId"]
    links = bullhorn.ok(
        "GET", "query/NoteEntity", params={"where": f"note.id={note_id}", "fields": "targetEntityID,targetEntityName"}
    )["data"]
    assert {(link["targetEntityName"], link["targetEntityID"]) for link in links} == {
        ("User", 10002),
        ("JobOrder", 2001),
    }
    note = bullhorn.ok(
        "GET", f"entity/Note/{note_id}", params={"fields": "commentingPerson,personReference,candidates"}
    )
    assert note["data"]["commentingPerson"] == {"id": 1, "_subtype": "CorporateUser"}
    assert note["data"]["personReference"]["_subtype"] == "Candidate"
    assert note["data"]["candidates"]["data"] == [{"id": 10002}]
    notes = bullhorn.ok("GET", "entity/Candidate/10002/notes", params={"fields": "id,action", "count": 50})["data"]
    assert note_id in [item["id"] for item in notes]
    duplicate = bullhorn.call(
        "PUT", "entity/NoteEntity", json={"note": {"id": note_id}, "targetEntityID": 10002, "targetEntityName": "User"}
    )
    assert duplicate.status_code == 500
    assert duplicate.json()["errors"] == [{"propertyName": None, "severity": "ERROR", "type": "DUPLICATE_VALUE"}]


def test_a_new_company_gets_an_archived_contact(bullhorn: Any) -> None:
    corporation_id = bullhorn.ok("PUT", "entity/ClientCorporation", json={"name": "Widgets Inc"})["changedEntityId"]
    contacts = bullhorn.ok(
        "GET", f"entity/ClientCorporation/{corporation_id}/clientContacts", params={"fields": "status"}
    )
    assert [contact["status"] for contact in contacts["data"]] == ["Archive"]


def test_association_reads_include_soft_deleted_items_and_page(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(size=100)
    candidate_id = _first_candidate_with(bullhorn, "notes", 2)
    note_ids = bullhorn.state.to_many("Candidate", candidate_id, "notes")
    bullhorn.state.delete("Note", note_ids[0])
    listed = bullhorn.ok("GET", f"entity/Candidate/{candidate_id}/notes", params={"fields": "isDeleted"})
    assert listed["start"] == 0 and [item["id"] for item in listed["data"]] == note_ids
    assert listed["data"][0]["isDeleted"] is True
    embedded = bullhorn.ok("GET", f"entity/Candidate/{candidate_id}", params={"fields": "notes"})["data"]["notes"]
    assert embedded["total"] == len(note_ids) - 1
    page = bullhorn.ok("GET", f"entity/Candidate/{candidate_id}/notes", params={"fields": "id", "start": 1, "count": 1})
    assert [item["id"] for item in page["data"]] == note_ids[1:2]
    bad = bullhorn.get(f"entity/Candidate/{candidate_id}/owner", fields="id")
    assert bad.status_code == 400
