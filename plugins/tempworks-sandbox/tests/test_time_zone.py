"""The tenant time zone: offset-less timestamps are written and read as its local wall time."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from ats_tempworks_sandbox import create_app
from ats_tempworks_sandbox.seeded import SENTINEL_DATE

from ats_core.sandbox import SandboxOptions

EMPLOYEE = 1


def _search_ids(sandbox: Any, operator: int, value: str) -> list[int]:
    modified = sandbox.column(EMPLOYEE, "Last Modified")
    body = {
        "searchCriteria": {
            "rootGroup": {"condition": 0, "rules": [{"columnId": modified, "operatorId": operator, "values": [value]}]}
        },
        "skip": 0,
        "take": 1000,
    }
    response = sandbox.post("/search/1", json=body)
    assert response.status_code == 200, response.text
    return [row["Id"]["value"] for row in response.json()["data"]]


def test_default_zone_is_chicago_and_is_in_the_settings(sandbox: Any) -> None:
    assert sandbox.settings["time_zone"] == "America/Chicago"
    # the fake clock is 2026-06-01T12:00:00Z, which is 07:00 in Chicago (CDT, UTC-5)
    new = sandbox.post("/Employees", json={"firstName": "Local", "lastName": "Time"}).json()["employeeId"]
    detail = sandbox.get(f"/Employees/{new}").json()
    assert detail["activationDate"] == "2026-06-01T07:00:00"
    assert detail["deactivationDate"] == SENTINEL_DATE == "0001-01-01T00:00:00+00:00"


def test_zone_option_changes_written_times(make_sandbox: Any) -> None:
    utc = make_sandbox(time_zone="UTC")
    berlin = make_sandbox(time_zone="Europe/Berlin")
    assert (utc.settings["time_zone"], berlin.settings["time_zone"]) == ("UTC", "Europe/Berlin")
    for sandbox, expected in ((utc, "2026-06-01T12:00:00"), (berlin, "2026-06-01T14:00:00")):
        new = sandbox.post("/Employees", json={"firstName": "A", "lastName": "B"}).json()["employeeId"]
        assert sandbox.get(f"/Employees/{new}").json()["activationDate"] == expected
    assert utc.state.data.employees.first_id == berlin.state.data.employees.first_id


def test_date_rules_without_an_offset_are_local_time(sandbox: Any) -> None:
    new = sandbox.post("/Employees", json={"firstName": "Zed", "lastName": "Local"}).json()["employeeId"]
    # written at 12:00:00Z = 07:00:00 local; read as UTC these values would give the opposite answers
    assert new not in _search_ids(sandbox, 3, "2026-06-01T07:00:00")
    assert new in _search_ids(sandbox, 3, "2026-06-01T06:59:59")
    assert new in _search_ids(sandbox, 4, "2026-06-01T07:00:01")
    assert new in _search_ids(sandbox, 3, "2026-06-01T11:59:59+00:00")
    assert new not in _search_ids(sandbox, 3, "2026-06-01T12:00:00Z")
    modified = sandbox.column(EMPLOYEE, "Last Modified")
    body = {
        "searchCriteria": {
            "rootGroup": {
                "condition": 0,
                "rules": [{"columnId": modified, "operatorId": 3, "values": ["2026-06-01T06:00:00"]}],
            },
            "returnColumnIds": [modified],
        },
        "skip": 0,
        "take": 10,
    }
    row = sandbox.post("/search/1", json=body).json()["data"][-1]
    assert row[modified]["value"] == "2026-06-01T07:00:00"


def test_seeded_last_modified_names_one_instant_even_when_clocks_fall_back() -> None:
    """Seeded modification times skip the repeated hour, so every seeded local timestamp parses back exactly."""
    state = create_app(SandboxOptions(size=100_000, seed=5, faults={"rate_limit": "off"})).state
    local, space = state.data.local, state.data.employees
    assert space.gaps and space.step < 3600, (
        "every hour holds a record: without the skip, some would fall in a repeated hour"
    )
    times = [space.modified(i) for i in range(space.count)]
    assert all(a < b for a, b in itertools.pairwise(times))
    assert all(local.parse(local.format(moment)) == int(moment) for moment in times)
    hours = {local.format(moment)[:13] for moment in times}
    assert "2024-11-03T01" in hours, "the first 01:00 hour of 2024-11-03 is used; only the repeated one is skipped"


def test_custom_date_written_with_an_offset_is_stored_as_local_time(sandbox: Any) -> None:
    employee_id = sandbox.get("/Search/Employees", params={"skip": 0, "take": 1}).json()["data"][0]["employeeId"]
    definitions = sandbox.get("/CustomData/1/definitions").json()["data"]
    date_definition = next(d["propertyDefinitionId"] for d in definitions if d["propertyType"] == "date")
    url = f"/Employees/{employee_id}/CustomData"
    winter = [{"propertyDefinitionId": date_definition, "propertyValue": "2025-01-15T18:00:00Z"}]
    assert sandbox.put(url, json=winter).status_code == 200
    values = {c["propertyDefinitionId"]: c["propertyValue"] for c in sandbox.get(url).json()["data"]}
    assert values[date_definition] == "2025-01-15T12:00:00"  # CST, UTC-6
    local = [{"propertyDefinitionId": date_definition, "propertyValue": "2025-07-04T09:30:00"}]
    sandbox.put(url, json=local)
    values = {c["propertyDefinitionId"]: c["propertyValue"] for c in sandbox.get(url).json()["data"]}
    assert values[date_definition] == "2025-07-04T09:30:00"


def test_unknown_zone_is_refused_naming_the_option() -> None:
    with pytest.raises(ValueError, match="time_zone='Mars/Olympus'.*America/Chicago"):
        create_app(SandboxOptions(faults={"time_zone": "Mars/Olympus"}))
