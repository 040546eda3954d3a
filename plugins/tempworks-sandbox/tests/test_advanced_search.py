"""Advanced search: column metadata and "modified after" queries that see overlay writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

EMPLOYEE, JOB_ORDER, ASSIGNMENT = 1, 4, 14


def _search(
    sandbox: Any, origin: int, rules: list[Any], *, condition: int = 0, returns: tuple[str, ...] = (), **body: Any
) -> Any:
    payload = {
        "searchCriteria": {
            "rootGroup": {"condition": condition, "not": False, "rules": rules},
            "returnColumnIds": list(returns),
        },
        "sortByColumns": body.pop("sort", []),
        "ignoreCachedResults": True,
        "skip": body.pop("skip", 0),
        "take": body.pop("take", 1000),
    }
    response = sandbox.post(f"/search/{origin}", json=payload)
    assert response.status_code == 200, response.text
    return response.json()


def _all_ids(sandbox: Any, origin: int, rules: list[Any], take: int = 45, **body: Any) -> tuple[list[int], int]:
    ids: list[int] = []
    skip = 0
    while True:
        page = _search(sandbox, origin, rules, skip=skip, take=take, **body)
        ids += [row["Id"]["value"] for row in page["data"]]
        if len(page["data"]) < take:
            return ids, page["totalCount"]
        skip += take


def _every_employee_id(sandbox: Any) -> list[int]:
    space = sandbox.state.data.employees
    return [space.id_of(i) for i in range(space.count)] + sorted(sandbox.state.created)


def _modified_after(sandbox: Any, instant: float) -> list[int]:
    return [i for i in _every_employee_id(sandbox) if sandbox.state.modified_of(EMPLOYEE, i) > instant]


@pytest.mark.parametrize("origin", [EMPLOYEE, JOB_ORDER, ASSIGNMENT])
@pytest.mark.parametrize("column_list", ["array", "envelope"])
def test_columns_include_a_last_modified_date_column(make_sandbox: Any, origin: int, column_list: str) -> None:
    listed = make_sandbox(column_list=column_list).get(f"/search/{origin}/columns").json()
    if column_list == "envelope":  # as a recorded live tenant answers
        assert listed["totalCount"] == len(listed["data"])
        listed = listed["data"]
    columns = listed
    assert {  # the keys of a recorded live column list
        "columnId",
        "categoryId",
        "category",
        "tableId",
        "columnType",
        "columnName",
        "columnDisplayName",
        "returnedColumnName",
        "returnedColumnType",
        "datalistId",
        "isNullable",
        "isCustomData",
        "isCustomDataJsonArray",
        "canBeIncludedInResults",
        "originTypeId",
        "originIdColumn",
        "displayMaskId",
        "invertBooleanValue",
    } == set(columns[0])
    assert columns[0]["originTypeId"] == origin and not columns[0]["isNullable"], "the id column names its origin"
    modified = [c for c in columns if c["columnDisplayName"] == "Last Modified"]
    assert len(modified) == 1 and modified[0]["columnType"] == "date"


def test_column_guids_differ_per_tenant(make_sandbox: Any) -> None:
    first, second = make_sandbox(size=10, seed=1), make_sandbox(size=10, seed=2)
    assert first.column(EMPLOYEE, "Last Modified") != second.column(EMPLOYEE, "Last Modified")
    assert first.column(EMPLOYEE, "Last Modified") == make_sandbox(size=99, seed=1).column(EMPLOYEE, "Last Modified")


def test_modified_after_is_exact_including_overlay_writes(sandbox: Any) -> None:
    modified = sandbox.column(EMPLOYEE, "Last Modified")
    space = sandbox.state.data.employees
    instant = space.modified(300)
    rule = {"columnId": modified, "operatorId": 3, "values": [sandbox.state.data.local.format(instant)]}
    ids, total = _all_ids(sandbox, EMPLOYEE, [rule])
    assert ids == [space.id_of(i) for i in range(301, 500)] and total == 199

    old = space.id_of(10)
    definition = sandbox.get("/CustomData/1/definitions").json()["data"][0]["propertyDefinitionId"]
    assert (
        sandbox.put(
            f"/Employees/{old}/CustomData", json=[{"propertyDefinitionId": definition, "propertyValue": "L"}]
        ).status_code
        == 200
    )
    new = sandbox.post("/Employees", json={"firstName": "New", "lastName": "Hire"}).json()["employeeId"]
    ids, total = _all_ids(sandbox, EMPLOYEE, [rule])
    assert ids == _modified_after(sandbox, instant) and total == 201
    assert old in ids and new in ids and len(set(ids)) == len(ids)


def test_modified_after_accepts_offsets_and_returns_columns(sandbox: Any, clock: Any) -> None:
    modified = sandbox.column(EMPLOYEE, "Last Modified")
    first_name = sandbox.column(EMPLOYEE, "First Name")
    new = sandbox.post("/Employees", json={"firstName": "Zed", "lastName": "Fresh"}).json()["employeeId"]
    since = datetime.fromtimestamp(clock.now - 60, UTC).isoformat()
    page = _search(
        sandbox, EMPLOYEE, [{"columnId": modified, "operatorId": 3, "values": [since]}], returns=(first_name, modified)
    )
    assert page["totalCount"] == 1
    row = page["data"][0]
    assert row["Id"] == {"value": new, "originId": new, "originTypeId": EMPLOYEE}
    assert row[first_name]["value"] == "Zed"
    assert row[modified]["value"] == sandbox.state.data.local.format(clock.now)
    assert [c["columnId"] for c in page["columns"]] == [first_name, modified]


def test_sort_by_last_modified_puts_writes_last(sandbox: Any) -> None:
    modified = sandbox.column(EMPLOYEE, "Last Modified")
    space = sandbox.state.data.employees
    touched = space.id_of(3)
    definition = sandbox.get("/CustomData/1/definitions").json()["data"][0]["propertyDefinitionId"]
    sandbox.put(f"/Employees/{touched}/CustomData", json=[{"propertyDefinitionId": definition, "propertyValue": "S"}])
    ascending, total = _all_ids(sandbox, EMPLOYEE, [], sort=[{"columnId": modified, "isDescending": False}])
    assert total == 500 and ascending[-1] == touched and ascending[:3] == [space.id_of(i) for i in (0, 1, 2)]
    times = [sandbox.state.modified_of(EMPLOYEE, i) for i in ascending]
    assert times == sorted(times)
    descending, _ = _all_ids(sandbox, EMPLOYEE, [], sort=[{"columnId": modified, "isDescending": True}])
    assert descending == ascending[::-1]


def test_modified_before_and_combined_rules(sandbox: Any) -> None:
    modified = sandbox.column(EMPLOYEE, "Last Modified")
    active = sandbox.column(EMPLOYEE, "Is Active")
    space = sandbox.state.data.employees
    before = {"columnId": modified, "operatorId": 4, "values": [sandbox.state.data.local.format(space.modified(100))]}
    after = {"columnId": modified, "operatorId": 3, "values": [sandbox.state.data.local.format(space.modified(40))]}
    ids, total = _all_ids(sandbox, EMPLOYEE, [after, before])
    assert ids == [space.id_of(i) for i in range(41, 100)] and total == 59
    is_active = {"columnId": active, "operatorId": 7, "values": ["true"]}
    ids, total = _all_ids(sandbox, EMPLOYEE, [after, before, is_active])
    expected = [space.id_of(i) for i in range(41, 100) if sandbox.state.employee_detail(space.id_of(i))["isActive"]]
    assert ids == expected and total == len(expected) and 0 < total < 59


def test_nested_or_and_not_groups(sandbox: Any) -> None:
    branch = sandbox.column(EMPLOYEE, "Branch Id")
    active = sandbox.column(EMPLOYEE, "Is Active")
    branches = [b["branchId"] for b in sandbox.get("/DataLists/branches").json()["data"][:2]]
    group = {
        "condition": 1,
        "not": True,
        "rules": [{"columnId": branch, "operatorId": 7, "values": [str(b)]} for b in branches],
    }
    ids, _ = _all_ids(sandbox, EMPLOYEE, [{"columnId": active, "operatorId": 20, "values": []}, group])
    expected = [i for i in _every_employee_id(sandbox) if sandbox.state.employee_detail(i)["branchId"] not in branches]
    assert ids == expected and ids


def test_has_value_on_a_custom_column(sandbox: Any) -> None:
    shirt = sandbox.column(EMPLOYEE, "Shirt Size")
    ids, total = _all_ids(sandbox, EMPLOYEE, [{"columnId": shirt, "operatorId": 20, "values": []}])
    definition = next(
        d for d in sandbox.get("/CustomData/1/definitions").json()["data"] if d["propertyName"] == "Shirt Size"
    )
    expected = [
        i
        for i in _every_employee_id(sandbox)
        if next(
            c
            for c in sandbox.state.custom_data(EMPLOYEE, i)
            if c["propertyDefinitionId"] == definition["propertyDefinitionId"]
        )["propertyValue"]
    ]
    assert ids == expected and 0 < total < 500


def test_assignment_status_equals_and_last_modified(sandbox: Any) -> None:
    status = sandbox.column(ASSIGNMENT, "Assignment Status")
    ids, total = _all_ids(sandbox, ASSIGNMENT, [{"columnId": status, "operatorId": 7, "values": ["26"]}])
    assert total == len(ids) > 0
    assert all(sandbox.get(f"/Assignments/{i}").json()["assignmentStatusId"] == 26 for i in ids[:5])
    modified = sandbox.column(ASSIGNMENT, "Last Modified")
    space = sandbox.state.data.assignments
    rule = {
        "columnId": modified,
        "operatorId": 3,
        "values": [sandbox.state.data.local.format(space.modified(space.count - 3))],
    }
    assert _all_ids(sandbox, ASSIGNMENT, [rule])[0] == [space.id_of(space.count - 2), space.id_of(space.count - 1)]


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (
            {"columnId": "00000000-0000-0000-0000-000000000000", "operatorId": 7, "values": ["x"]},
            "searchCriteria.rootGroup.rules[0].columnId",
        ),
        ({"operatorId": 99, "values": []}, "searchCriteria.rootGroup.rules[0].operatorId"),
        ({"operatorId": 3, "values": ["yesterday"]}, "searchCriteria.rootGroup.rules[0].values"),
    ],
)
def test_bad_rules_are_400_problems(sandbox: Any, rule: dict[str, Any], field: str) -> None:
    rule = {"columnId": sandbox.column(EMPLOYEE, "Last Modified"), **rule}
    body = {"searchCriteria": {"rootGroup": {"condition": 0, "rules": [rule]}}, "skip": 0, "take": 10}
    response = sandbox.post("/search/1", json=body)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_unknown_origin_type_is_404(sandbox: Any) -> None:
    assert sandbox.get("/search/99/columns").status_code == 404


def test_unnarrowed_scans_beyond_the_cap_are_refused(make_sandbox: Any, monkeypatch: Any) -> None:
    from ats_tempworks_sandbox import search

    monkeypatch.setattr(search, "MAX_SCANNED_ROWS", 100)
    sandbox = make_sandbox(size=300)
    active = sandbox.column(EMPLOYEE, "Is Active")
    modified = sandbox.column(EMPLOYEE, "Last Modified")
    is_active = {"columnId": active, "operatorId": 7, "values": ["true"]}
    body = {"searchCriteria": {"rootGroup": {"condition": 0, "rules": [is_active]}}, "skip": 0, "take": 10}
    refused = sandbox.post("/search/1", json=body)
    assert refused.status_code == 400 and "Last Modified" in refused.json()["errors"]["searchCriteria.rootGroup"][0]
    space = sandbox.state.data.employees
    narrowed = [
        is_active,
        {"columnId": modified, "operatorId": 3, "values": [sandbox.state.data.local.format(space.modified(250))]},
    ]
    ids, total = _all_ids(sandbox, EMPLOYEE, narrowed)
    assert 0 < total == len(ids) < 49
