"""Writes persist for the life of the server and show up in reads and searches."""

from __future__ import annotations

from typing import Any

import pytest


def _employee_id(sandbox: Any) -> int:
    return int(sandbox.get("/Search/Employees", params={"take": 1}).json()["data"][0]["employeeId"])


def _action_id(sandbox: Any) -> int:
    return int(sandbox.get("/DataLists/messageActions", params={"active": "true"}).json()["data"][0]["actionId"])


def test_created_employee_is_readable_and_searchable(sandbox: Any) -> None:
    body = {
        "firstName": "Grace",
        "lastName": "Hopper",
        "primaryEmailAddress": "grace.hopper@example.com",
        "primaryPhoneNumber": "612-555-0199",
        "region": "MN",
        "postalCode": "55401",
        "countryCode": 840,
    }
    response = sandbox.post("/Employees", json=body)
    assert response.status_code == 201
    employee_id = response.json()["employeeId"]
    assert set(response.json()) == {"employeeId"}
    detail = sandbox.get(f"/Employees/{employee_id}").json()
    assert (detail["firstName"], detail["lastName"]) == ("Grace", "Hopper")
    assert detail["address"]["region"] == "MN   "
    hits = sandbox.get("/Search/UniversalEmail", params={"emailAddress": "grace.hopper@example.com"}).json()
    assert [h["employeeId"] for h in hits["employees"]["results"]["result"]] == [str(employee_id)]
    by_phone = sandbox.get("/Search/UniversalPhone", params={"phone": "(612) 555-0199"}).json()
    assert str(employee_id) in [h["employeeId"] for h in by_phone["employees"]["results"]["result"]]
    assert sandbox.state.stats()["writes"]["employees_created"] == 1


def test_create_employee_validation_problem(sandbox: Any) -> None:
    response = sandbox.post("/Employees", json={"lastName": "NoFirst", "branchId": 1})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"FirstName", "BranchId"}


def test_posted_message_is_listed_and_counted(sandbox: Any) -> None:
    employee_id, action_id = _employee_id(sandbox), _action_id(sandbox)
    before = sandbox.get(f"/Employees/{employee_id}/messages", params={"skip": 0, "take": 50}).json()["totalCount"]
    body = {
        "actionId": action_id,
        "message": "Checked in about Monday's shift.",
        "linkedEntities": [{"originTypeId": 1, "originId": employee_id}],
        "linkedDocumentIds": [],
        "shouldLinkRelatedEntities": False,
        "shouldLinkOriginsOneByOne": False,
    }
    response = sandbox.post(f"/Employees/{employee_id}/messages", json=body)
    assert response.status_code == 201
    created = response.json()
    assert set(created) == {
        "messageId",
        "failedToBeLinkedOrigins",
        "failedToBeLinkedDocuments",
        "numberOfSuccessfullyLinkedOrigins",
    }
    assert created["numberOfSuccessfullyLinkedOrigins"] == 1 and created["failedToBeLinkedOrigins"] == []
    listed = sandbox.get(f"/Employees/{employee_id}/messages", params={"skip": 0, "take": 50}).json()
    assert listed["totalCount"] == before + 1
    newest = listed["data"][-1]
    assert (newest["messageId"], newest["actionId"], newest["message"]) == (
        created["messageId"],
        action_id,
        body["message"],
    )
    assert sandbox.state.stats()["messages_by_employee"] == {str(employee_id): 1}


@pytest.mark.parametrize("action_id", [None, 1, "462"])
def test_message_with_a_foreign_action_id_is_refused(sandbox: Any, action_id: Any) -> None:
    response = sandbox.post(
        f"/Employees/{_employee_id(sandbox)}/messages", json={"actionId": action_id, "message": "x"}
    )
    assert response.status_code == 400 and "ActionId" in response.json()["errors"]
    assert sandbox.state.stats()["writes"] == {}


def test_seeded_resume_downloads_as_a_real_pdf(sandbox: Any) -> None:
    ids = sandbox.get("/Search/Employees", params={"take": 20}).json()["data"]
    employee_id = next(e["employeeId"] for e in ids if e["hasResumeOnFile"])
    detail = sandbox.get(f"/Employees/{employee_id}").json()
    response = sandbox.get(f"/Employees/{employee_id}/Documents/{detail['resumeDocumentId']}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert detail["resumeFileName"] in response.headers["content-disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    start_xref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[start_xref:].startswith(b"xref")
    first_object = int(pdf[start_xref:].split(b"\n")[3].split()[0])
    assert pdf[first_object:].startswith(b"1 0 obj")
    assert detail["lastName"].encode() in pdf


def test_uploaded_document_is_listed_and_downloadable(sandbox: Any) -> None:
    employee_id = _employee_id(sandbox)
    types = sandbox.get("/DataLists/documentTypes").json()["data"]
    type_id = next(t["documentTypeId"] for t in types if t["documentType"] == "Certification")
    content = b"%PDF-1.4 fake certificate bytes"
    response = sandbox.post(
        f"/Employees/{employee_id}/Documents",
        files={"file": ("cert.pdf", content, "application/pdf")},
        data={"documentTypeId": str(type_id), "description": "Forklift certificate"},
    )
    assert response.status_code == 201
    document_id = response.json()["documentId"]
    listed = sandbox.get(f"/Employees/{employee_id}/Documents", params={"skip": 0, "take": 10}).json()["data"]
    document = next(d for d in listed if d["documentId"] == document_id)
    assert (document["documentTypeId"], document["fileName"], document["description"]) == (
        type_id,
        "cert.pdf",
        "Forklift certificate",
    )
    download = sandbox.get(f"/Employees/{employee_id}/Documents/{document_id}")
    assert download.content == content and 'filename="cert.pdf"' in download.headers["content-disposition"]
    other = _employee_id(sandbox) + 1
    assert sandbox.get(f"/Employees/{other}/Documents/{document_id}").status_code == 404
    refused = sandbox.post(f"/Employees/{employee_id}/Documents", json={"file": "base64"})
    assert refused.status_code == 400


@pytest.mark.parametrize(("kind", "path"), [(1, "/Employees/{}"), (4, "/JobOrders/{}"), (14, "/Assignments/{}")])
def test_custom_data_put_round_trips(sandbox: Any, kind: int, path: str) -> None:
    list_path = {1: "/Search/Employees", 4: "/Search/JobOrders", 14: "/Search/Assignments"}[kind]
    id_key = {1: "employeeId", 4: "orderId", 14: "assignmentId"}[kind]
    record_id = sandbox.get(list_path, params={"take": 1}).json()["data"][0][id_key]
    definitions = sandbox.get(f"/CustomData/{kind}/definitions").json()["data"]
    target = next(d for d in definitions if d["propertyType"] == "string" and not d["isReadOnly"])
    url = path.format(record_id) + "/CustomData"
    response = sandbox.put(url, json=[{"propertyDefinitionId": target["propertyDefinitionId"], "propertyValue": "XYZ"}])
    assert response.status_code == 200
    values = {c["propertyDefinitionId"]: c["propertyValue"] for c in sandbox.get(url).json()["data"]}
    assert values[target["propertyDefinitionId"]] == "XYZ"
    unknown = sandbox.put(
        url, json=[{"propertyDefinitionId": "00000000-0000-0000-0000-000000000000", "propertyValue": 1}]
    )
    assert unknown.status_code == 400


def test_uploaded_resume_becomes_the_resume_on_file(sandbox: Any, clock: Any) -> None:
    employee_id = _employee_id(sandbox)
    before = sandbox.get(f"/Employees/{employee_id}/Documents", params={"take": 50}).json()["data"]
    resume_type = next(
        t for t in sandbox.get("/DataLists/documentTypes").json()["data"] if t["documentType"] == "Resume"
    )
    response = sandbox.post(
        f"/Employees/{employee_id}/Documents",
        files={"file": ("new_resume.pdf", b"%PDF-1.4 new", "application/pdf")},
        data={"documentTypeId": str(resume_type["documentTypeId"])},
    )
    document_id = response.json()["documentId"]
    detail = sandbox.get(f"/Employees/{employee_id}").json()
    assert (detail["resumeDocumentId"], detail["resumeFileName"]) == (document_id, "new_resume.pdf")
    after = sandbox.get(f"/Employees/{employee_id}/Documents", params={"take": 50}).json()["data"]
    assert [d["documentId"] for d in after] == [d["documentId"] for d in before] + [document_id]
    for document in before:
        assert sandbox.get(f"/Employees/{employee_id}/Documents/{document['documentId']}").status_code == 200
    assert sandbox.state.modified_of(1, employee_id) == int(clock.now)
    item = sandbox.get("/Search/Employees", params={"take": 1}).json()["data"][0]
    assert item["hasResumeOnFile"] is True


def test_create_employee_refuses_wrong_types(sandbox: Any) -> None:
    response = sandbox.post(
        "/Employees", json={"firstName": "A", "lastName": "B", "countryCode": "US", "postalCode": 55401}
    )
    assert response.status_code == 400 and set(response.json()["errors"]) == {"CountryCode", "PostalCode"}
