"""meta and settings: field types, custom fields with tenant labels, the tenant's option lists."""

from __future__ import annotations

from typing import Any


def _fields(meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for field in meta["fields"]}


def test_meta_lists_every_entity(bullhorn: Any) -> None:
    listed = bullhorn.ok("GET", "meta")
    names = [item["entity"] for item in listed]
    assert {"Candidate", "JobOrder", "JobSubmission", "Note", "NoteEntity", "CorporateUser"} <= set(names)
    assert listed[0]["metaUrl"] == f"{bullhorn.rest_url}meta/{names[0]}?fields=*"


def test_candidate_meta_types_and_custom_fields(bullhorn: Any) -> None:
    meta = bullhorn.ok("GET", "meta/Candidate", params={"fields": "*"})
    assert meta["entity"] == "Candidate" and meta["entityMetaUrl"].endswith("meta/Candidate?fields=*")
    fields = _fields(meta)
    assert fields["id"] == {"name": "id", "type": "ID", "dataType": "Integer"}
    assert fields["email"]["dataType"] == "String" and fields["email"]["maxLength"] == 100
    assert fields["dateLastModified"]["dataType"] == "Timestamp"
    assert fields["owner"]["type"] == "TO_ONE" and fields["owner"]["associatedEntity"]["entity"] == "CorporateUser"
    assert fields["submissions"]["type"] == "TO_MANY"
    assert [sub["name"] for sub in fields["address"]["fields"]][:2] == ["address1", "address2"]
    assert fields["customText1"]["label"] == "Shift Preference"
    assert fields["customDate1"]["dataSpecialization"] == "DATE"
    assert fields["customInt1"]["label"] == "Years of Experience" and fields["customInt1"]["dataType"] == "Integer"
    assert fields["customFloat1"]["dataType"] == "Double"
    assert fields["customText40"]["label"] == "customText40"
    assert sum(name.startswith("customFloat") for name in fields) == 23
    assert "required" not in fields["firstName"]


def test_meta_full_adds_required_and_read_only(bullhorn: Any) -> None:
    fields = _fields(bullhorn.ok("GET", "meta/Candidate", params={"fields": "firstName,dateAdded", "meta": "full"}))
    assert set(fields) == {"firstName", "dateAdded"}
    assert fields["firstName"]["required"] is True and fields["dateAdded"]["readOnly"] is True
    assert bullhorn.get("meta/Candidate", fields="nope").status_code == 400


def test_option_lists_follow_the_tenant_configuration(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(submission_statuses="Applied,Screened,Hired,Rejected", note_actions="Call,Email")
    fields = _fields(bullhorn.ok("GET", "meta/JobSubmission", params={"fields": "status"}))
    assert [option["value"] for option in fields["status"]["options"]] == ["Applied", "Screened", "Hired", "Rejected"]
    settings = bullhorn.ok("GET", "settings/jobResponseStatusList,commentActionList")
    assert settings == {
        "jobResponseStatusList": ["Applied", "Screened", "Hired", "Rejected"],
        "commentActionList": ["Call", "Email"],
    }
    statuses = {bullhorn.state.get("JobSubmission", 20001 + n)["status"] for n in range(100)}
    assert statuses <= {"Applied", "Screened", "Hired", "Rejected"}
    note = {"comments": "hi", "personReference": {"id": 10001}, "action": "Call"}
    assert bullhorn.call("PUT", "entity/Note", json=note).status_code == 200


def test_settings_list_and_values(bullhorn: Any) -> None:
    listed = {item["name"]: item for item in bullhorn.ok("GET", "settings")["data"]}
    assert listed["commentActionList"]["isArray"] is True and listed["userId"]["valueType"] == "INTEGER"
    assert bullhorn.ok("GET", "settings/userId,corporationId")["userId"] == bullhorn.state.api_user.user_id
    assert bullhorn.get("settings/nope").status_code == 400
