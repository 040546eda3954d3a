"""Messages link employees (origin type 1), their assignments (14) and their documents; failures are reported."""

from __future__ import annotations

from typing import Any

import pytest

EMPLOYEE, ASSIGNMENT = 1, 14


def _action_id(sandbox: Any) -> int:
    return int(sandbox.get("/DataLists/messageActions", params={"active": "true"}).json()["data"][0]["actionId"])


def _two_assignments(sandbox: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    first, second = sandbox.get("/Search/Assignments", params={"skip": 0, "take": 2}).json()["data"]
    assert first["employeeId"] != second["employeeId"]
    return first, second


def _post(sandbox: Any, employee_id: int, **body: Any) -> Any:
    payload = {
        "actionId": _action_id(sandbox),
        "message": "Confirmed the Monday start with the supervisor.",
        "linkedEntities": [{"originTypeId": EMPLOYEE, "originId": employee_id}],
        "linkedDocumentIds": [],
        "shouldLinkRelatedEntities": False,
        "shouldLinkOriginsOneByOne": False,
        **body,
    }
    return sandbox.post(f"/Employees/{employee_id}/messages", json=payload)


def test_message_links_the_employees_assignment(sandbox: Any) -> None:
    assignment, _other = _two_assignments(sandbox)
    employee_id, assignment_id = assignment["employeeId"], assignment["assignmentId"]
    entities = [
        {"originTypeId": EMPLOYEE, "originId": employee_id},
        {"originTypeId": ASSIGNMENT, "originId": assignment_id},
    ]
    response = _post(sandbox, employee_id, linkedEntities=entities)
    assert response.status_code == 201
    created = response.json()
    assert created["numberOfSuccessfullyLinkedOrigins"] == 2
    assert created["failedToBeLinkedOrigins"] == [] and created["failedToBeLinkedDocuments"] == []
    newest = sandbox.get(f"/Employees/{employee_id}/messages", params={"skip": 0, "take": 50}).json()["data"][-1]
    assert newest["messageId"] == created["messageId"]
    assert newest["linkedEntities"] == entities
    on_assignment = sandbox.get(f"/Assignments/{assignment_id}/messages", params={"skip": 0, "take": 50}).json()
    assert on_assignment["totalCount"] == 1 and on_assignment["data"][0]["messageId"] == created["messageId"]


def test_unlinkable_origins_are_reported_and_not_linked(sandbox: Any) -> None:
    mine, someone_elses = _two_assignments(sandbox)
    employee_id = mine["employeeId"]
    missing_assignment = sandbox.state.data.assignments.id_of(sandbox.state.data.assignments.count)
    bad = [
        {"originTypeId": ASSIGNMENT, "originId": someone_elses["assignmentId"]},
        {"originTypeId": ASSIGNMENT, "originId": missing_assignment},
        {"originTypeId": 99, "originId": employee_id},
        {"originTypeId": ASSIGNMENT, "originId": str(mine["assignmentId"])},
        {"originId": employee_id},
        "not an object",
    ]
    response = _post(sandbox, employee_id, linkedEntities=[{"originTypeId": EMPLOYEE, "originId": employee_id}, *bad])
    assert response.status_code == 201
    created = response.json()
    assert created["numberOfSuccessfullyLinkedOrigins"] == 1
    assert created["failedToBeLinkedOrigins"] == bad
    for assignment in (mine, someone_elses):
        listed = sandbox.get(f"/Assignments/{assignment['assignmentId']}/messages", params={"skip": 0, "take": 5})
        assert listed.json()["totalCount"] == 0


def test_a_message_linked_to_another_employee_is_one_message_on_both(sandbox: Any) -> None:
    first, second = (a["employeeId"] for a in _two_assignments(sandbox))
    entities = [{"originTypeId": EMPLOYEE, "originId": first}, {"originTypeId": EMPLOYEE, "originId": second}]
    created = _post(sandbox, first, linkedEntities=entities).json()
    assert created["numberOfSuccessfullyLinkedOrigins"] == 2
    for employee_id in (first, second):
        newest = sandbox.get(f"/Employees/{employee_id}/messages", params={"skip": 0, "take": 50}).json()["data"][-1]
        assert newest["messageId"] == created["messageId"]
    assert sandbox.state.stats()["writes"]["messages"] == 1


def test_linked_documents_must_be_the_employees(sandbox: Any) -> None:
    employees = sandbox.get("/Search/Employees", params={"skip": 0, "take": 20}).json()["data"]
    with_resume = [e["employeeId"] for e in employees if e["hasResumeOnFile"]]
    employee_id, other = with_resume[0], with_resume[1]
    own = sandbox.get(f"/Employees/{employee_id}").json()["resumeDocumentId"]
    foreign = sandbox.get(f"/Employees/{other}").json()["resumeDocumentId"]
    response = _post(sandbox, employee_id, linkedDocumentIds=[own, foreign, 1, str(own), {"id": own}])
    assert response.status_code == 201
    assert response.json()["failedToBeLinkedDocuments"] == [foreign, 1, str(own), {"id": own}]
    newest = sandbox.get(f"/Employees/{employee_id}/messages", params={"skip": 0, "take": 50}).json()["data"][-1]
    assert newest["linkedDocumentIds"] == [own]


def test_seeded_messages_show_their_link_to_the_employee(sandbox: Any) -> None:
    space = sandbox.state.data.employees
    for index in range(20):
        employee_id = space.id_of(index)
        for message in sandbox.get(f"/Employees/{employee_id}/messages", params={"skip": 0, "take": 5}).json()["data"]:
            assert message["linkedEntities"] == [{"originTypeId": EMPLOYEE, "originId": employee_id}]
            assert message["linkedDocumentIds"] == []


@pytest.mark.parametrize(
    ("field", "value"), [("linkedEntities", {"originTypeId": 1, "originId": 1}), ("linkedDocumentIds", 5)]
)
def test_links_that_are_not_lists_are_400(sandbox: Any, field: str, value: Any) -> None:
    employee_id = _two_assignments(sandbox)[0]["employeeId"]
    response = _post(sandbox, employee_id, **{field: value})
    assert response.status_code == 400 and field[0].upper() + field[1:] in response.json()["errors"]
    assert sandbox.state.stats()["writes"] == {}


def test_messages_of_an_unknown_assignment_are_404(sandbox: Any) -> None:
    space = sandbox.state.data.assignments
    assert sandbox.get(f"/Assignments/{space.id_of(space.count)}/messages").status_code == 404
    assert sandbox.get(f"/assignments/{space.id_of(0)}/MESSAGES", params={"skip": 0, "take": 1}).status_code == 200
