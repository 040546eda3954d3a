"""Fault injection: server errors, malformed records, mutations while paging, lost writes, dropped bodies."""

from __future__ import annotations

from typing import Any

import pytest
from ats_tempworks_sandbox import parse_faults


def test_error_rate_answers_with_the_configured_statuses(make_sandbox: Any) -> None:
    sandbox = make_sandbox(error_rate="1", error_statuses="520")
    response = sandbox.get("/Search/Employees", params={"take": 1})
    assert response.status_code == 520 and "message" in response.json()
    assert sandbox.state.stats()["injected"] == {"status_520": 1}


def test_error_rate_is_seeded(make_sandbox: Any) -> None:
    runs = []
    for _ in range(2):
        sandbox = make_sandbox(error_rate="0.4")
        headers = sandbox.bearer()
        runs.append([sandbox.get("/Search/Employees", headers=headers).status_code for _ in range(30)])
    assert runs[0] == runs[1]
    assert {200} < set(runs[0]) <= {200, 500, 503, 520, 521}


def test_malformed_records_are_fixed_per_id(make_sandbox: Any) -> None:
    sandbox = make_sandbox(malformed_rate="0.2")
    headers = sandbox.bearer()
    first = sandbox.get("/Search/Employees", params={"take": 200}, headers=headers).json()["data"]
    second = sandbox.get("/Search/Employees", params={"take": 200}, headers=headers).json()["data"]
    assert first == second
    missing = [r for r in first if "employeeId" not in r]
    stringly = [r for r in first if isinstance(r.get("isActive"), str)]
    assert missing and stringly and len(missing) + len(stringly) < 100
    bad_id = stringly[0]["employeeId"]
    assert isinstance(sandbox.get(f"/Employees/{bad_id}", headers=headers).json()["isActive"], str)
    assert sandbox.state.stats()["injected"]["malformed"] == 2 * (len(missing) + len(stringly)) + 1


def test_malformed_records_are_malformed_in_advanced_search_rows_too(make_sandbox: Any) -> None:
    """The same records (fixed per id) lose their "Id" cell or get text Booleans in advanced-search rows."""
    sandbox = make_sandbox(size=200, malformed_rate="0.2")
    headers = sandbox.bearer()
    listed = sandbox.get("/Search/Employees", params={"skip": 0, "take": 200}, headers=headers).json()["data"]
    stringly = {r["employeeId"] for r in listed if isinstance(r.get("isActive"), str)}
    active, last_name = sandbox.column(1, "Is Active"), sandbox.column(1, "Last Name")
    body = {"searchCriteria": {"rootGroup": {"rules": []}, "returnColumnIds": [active, last_name]}, "take": 200}
    rows = sandbox.post("/search/1", json=body, headers=headers).json()["data"]
    assert len(rows) == 200
    without_id = [row for row in rows if "Id" not in row]
    assert len(without_id) == sum(1 for r in listed if "employeeId" not in r) > 0
    assert all(row[last_name]["originId"] for row in without_id), "the other cells still name the record"
    text_booleans = {row["Id"]["value"] for row in rows if "Id" in row and isinstance(row[active]["value"], str)}
    assert text_booleans == stringly and stringly


def test_mutate_every_changes_data_while_paging(make_sandbox: Any) -> None:
    sandbox = make_sandbox(size=100, mutate_every="2")
    headers = sandbox.bearer()
    totals = [
        sandbox.get("/Search/Employees", params={"skip": 25 * n, "take": 25}, headers=headers).json()["totalCount"]
        for n in range(8)
    ]
    injected = sandbox.state.stats()["injected"]
    assert injected.get("mutated", 0) + injected.get("inserted", 0) == 4
    assert totals[-1] == 100 + injected.get("inserted", 0)
    assert sandbox.state.stats()["writes"].get("employees_created", 0) == 0


def test_lost_write_stores_the_message_then_drops_the_response(make_sandbox: Any) -> None:
    sandbox = make_sandbox(lost_write_rate="1")
    employee_id = sandbox.get("/Search/Employees", params={"take": 1}).json()["data"][0]["employeeId"]
    action_id = sandbox.get("/DataLists/messageActions", params={"active": "true"}).json()["data"][0]["actionId"]
    with pytest.raises(ConnectionAbortedError):
        sandbox.post(f"/Employees/{employee_id}/messages", json={"actionId": action_id, "message": "lost?"})
    listed = sandbox.get(f"/Employees/{employee_id}/messages", params={"take": 50}).json()["data"]
    assert listed[-1]["message"] == "lost?"
    stats = sandbox.state.stats()
    assert stats["injected"]["lost_write"] == 1 and stats["messages_by_employee"] == {str(employee_id): 1}


def test_drop_rate_cuts_the_body_in_process(make_sandbox: Any) -> None:
    sandbox = make_sandbox(drop_rate="1")
    with pytest.raises(ConnectionAbortedError):
        sandbox.get("/Search/Employees", params={"take": 5})
    assert sandbox.state.stats()["injected"]["dropped"] == 1


@pytest.mark.parametrize(
    "faults",
    [{"nonsense": "1"}, {"error_rate": "2"}, {"rate_limit": "fast"}, {"burst_429": "5/2"}, {"token_ttl": "-1"}],
)
def test_bad_fault_values_are_refused_with_the_name(faults: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=next(iter(faults))):
        parse_faults(faults)
