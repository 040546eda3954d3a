"""Shapes recorded from live tenants: placeholder job titles, mixed money, staffing fields, CustomData of every
type, and tenants whose advanced-search columns are named otherwise or missing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ats_tempworks_sandbox import ASSIGNMENT, EMPLOYEE, JOB_ORDER

EVERY_TYPE = {"string", "integer", "decimal", "money", "boolean", "date", "datetime", "time", "guid"}


def _job_orders(sandbox: Any) -> list[dict[str, Any]]:
    space = sandbox.state.data.job_orders
    headers = sandbox.bearer()
    return [sandbox.http.get(f"/JobOrders/{space.id_of(i)}", headers=headers).json() for i in range(space.count)]


def test_a_share_of_job_orders_carry_the_placeholder_title(make_sandbox: Any) -> None:
    orders = _job_orders(make_sandbox(size=600))
    placeholders = [o for o in orders if o["jobTitle"] == "Default"]
    assert 0.1 * len(orders) < len(placeholders) < 0.3 * len(orders), "about a fifth, as on live tenants"
    for order in placeholders:
        assert order["jobDescription"] is None and order["publicJobTitle"] not in (None, "Default")
        assert order["publicJobDescription"].startswith("<p>")
    assert all(o["jobTitle"] == o["publicJobTitle"] for o in orders if o["jobTitle"] != "Default")
    assert not any(o["jobTitle"] == "Default" for o in _job_orders(make_sandbox(size=600, placeholder_titles="0")))


def test_money_is_written_both_ways(make_sandbox: Any) -> None:
    sandbox = make_sandbox(size=600)
    raw = sandbox.get("/Search/JobOrders", params={"take": 60}).text
    rates = re.findall(r'"payRate":(-?[0-9.]+)', raw)
    assert any(len(r.split(".")[1]) == 4 for r in rates) and any(len(r.split(".")[1]) < 4 for r in rates)
    assert re.search(r'"billRate":[0-9]+\.[0-9]{4}[,}]', raw)


def test_employee_detail_staffing_fields(sandbox: Any) -> None:
    listed = sandbox.get("/Search/Employees", params={"take": 50}).json()["data"]
    with_resume = next(e for e in listed if e["hasResumeOnFile"])
    detail = sandbox.get(f"/Employees/{with_resume['employeeId']}").json()
    assert isinstance(detail["resumeDocumentId"], int) and "hasResumeOnFile" not in detail
    for key in ("alias", "nameSuffix", "isAssigned", "serviceRep", "activationDate", "driverLicenseNumber"):
        assert key in detail
    assert detail["driverLicenseExpire"] == "0001-01-01T00:00:00+00:00", "flat key, the sentinel when none"
    assert re.fullmatch(r"\d{2}/\d{2}", detail["birthday"]), "month/day, no year"


def test_job_order_posting_and_assignment_fields(sandbox: Any) -> None:
    order = _job_orders(sandbox)[0]
    for key in ("publicPostingDate", "supervisorContactId", "supervisorFirstName", "branchId", "branch"):
        assert order[key] is not None
    assignment = sandbox.get("/Search/Assignments", params={"take": 1}).json()["data"][0]
    assert assignment["expectedEndDate"] and assignment["supervisor"]


def test_a_created_message_answers_a_numeric_id(sandbox: Any) -> None:
    employee = sandbox.state.data.employees.first_id
    action = sandbox.state.data.active_action_ids[0]
    answer = sandbox.post(f"/Employees/{employee}/messages", json={"actionId": action, "message": "hi"}).json()
    assert isinstance(answer["messageId"], int) and not isinstance(answer["messageId"], bool)


@pytest.mark.parametrize(
    ("kind", "path"), [(EMPLOYEE, "Employees"), (JOB_ORDER, "JobOrders"), (ASSIGNMENT, "Assignments")]
)
def test_custom_data_of_every_type(sandbox: Any, kind: int, path: str) -> None:
    space = sandbox.state.data.space(kind)
    items = [
        item
        for index in range(min(space.count, 40))
        for item in sandbox.get(f"/{path}/{space.id_of(index)}/CustomData").json()["data"]
    ]
    assert {item["propertyType"] for item in items} == EVERY_TYPE
    assert any(i["hasDatalist"] for i in items) and any(i["allowMultipleValues"] for i in items)
    valued = [i for i in items if i["propertyValue"] is not None]
    by_type = {i["propertyType"]: i["propertyValue"] for i in valued if not i["allowMultipleValues"]}
    assert isinstance(by_type["integer"], int) and isinstance(by_type["money"], float)
    assert re.fullmatch(r"\d{2}:\d{2}:00", by_type["time"]) and len(by_type["guid"]) == 36
    assert all(isinstance(i["propertyValue"], list) for i in valued if i["allowMultipleValues"])


def _definition(sandbox: Any, name: str) -> str:
    return next(d.definition_id for d in sandbox.state.data.custom_definitions[EMPLOYEE] if d.name == name)


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("Dependents", 3, 3),
        ("Referral Bonus", 17.5, 17.5),
        ("Shift Start", "07:30", "07:30:00"),
        ("Uniform Size", "XL", "XL"),
        ("Languages", ["Spanish", "English", "Spanish"], ["Spanish", "English"]),
    ],
)
def test_custom_data_writes_of_every_type(sandbox: Any, name: str, value: Any, stored: Any) -> None:
    employee = sandbox.state.data.employees.first_id
    body = [{"propertyDefinitionId": _definition(sandbox, name), "propertyValue": value}]
    answer = sandbox.put(f"/Employees/{employee}/CustomData", json=body)
    assert answer.status_code == 200, answer.text
    assert next(i for i in answer.json()["data"] if i["propertyName"] == name)["propertyValue"] == stored


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Dependents", 2.5),
        ("Badge Guid", "not-a-guid"),
        ("Uniform Size", "XXXL"),
        ("Languages", "English"),
        ("Shift Start", "25:00"),
    ],
)
def test_custom_data_writes_that_do_not_fit_are_refused(sandbox: Any, name: str, value: Any) -> None:
    employee = sandbox.state.data.employees.first_id
    body = [{"propertyDefinitionId": _definition(sandbox, name), "propertyValue": value}]
    answer = sandbox.put(f"/Employees/{employee}/CustomData", json=body)
    assert answer.status_code == 400 and "[0].propertyValue" in answer.json()["errors"]


def _names(sandbox: Any, origin: int) -> dict[str, str]:
    return {c["columnDisplayName"]: c["columnId"] for c in sandbox.get(f"/search/{origin}/columns").json()}


def test_alternate_and_minimal_search_columns(make_sandbox: Any) -> None:
    standard = _names(make_sandbox(), EMPLOYEE)
    alternate = _names(make_sandbox(search_columns="alternate"), EMPLOYEE)
    minimal = _names(make_sandbox(search_columns="minimal"), EMPLOYEE)
    assert "First Name" in standard and "First Name" not in alternate
    assert alternate["Employee First Name"] == standard["First Name"], "the same column under another name"
    assert set(alternate.values()) == set(standard.values())
    assert "Middle Name" not in minimal and "Cell Phone Number" not in minimal
    assert {"Employee Id", "First Name", "Last Name", "Last Modified"} <= set(minimal)
    assert "Active" in _names(make_sandbox(search_columns="alternate"), ASSIGNMENT), "a recorded live name"
