"""The same seed gives the same tenant; a 1,000,000-employee tenant pages in bounded memory."""

from __future__ import annotations

import itertools
import tracemalloc
from typing import Any


def _snapshot(sandbox: Any) -> list[Any]:
    headers = sandbox.bearer()
    employees = sandbox.get("/Search/Employees", params={"skip": 7, "take": 30}, headers=headers).json()
    first = employees["data"][0]["employeeId"]
    return [
        employees,
        sandbox.get(f"/Employees/{first}", headers=headers).json(),
        sandbox.get(f"/Employees/{first}/CustomData", headers=headers).json(),
        sandbox.get("/Search/Assignments", params={"take": 20}, headers=headers).json(),
        sandbox.get("/DataLists/messageActions", headers=headers).json(),
        sandbox.get("/search/1/columns", headers=headers).json(),
    ]


def test_same_seed_same_data_other_seed_other_data(make_sandbox: Any) -> None:
    assert _snapshot(make_sandbox(size=300, seed=11)) == _snapshot(make_sandbox(size=300, seed=11))
    assert _snapshot(make_sandbox(size=300, seed=11)) != _snapshot(make_sandbox(size=300, seed=12))


def test_base_modified_times_increase_with_the_id(make_sandbox: Any) -> None:
    space = make_sandbox(size=5000).state.data.employees
    times = [space.modified(i) for i in range(space.count)]
    assert all(a < b for a, b in itertools.pairwise(times))
    assert space.first_index_above(times[1234]) == 1235
    assert space.first_index_at_or_above(times[1234]) == 1234


def test_a_million_employees_page_in_bounded_memory(make_sandbox: Any) -> None:
    tracemalloc.start()
    try:
        sandbox = make_sandbox(size=1_000_000, seed=3)
        app, http = sandbox.app, sandbox.http
        headers = sandbox.bearer()
        totals = set()
        last_ids = []
        for skip in (0, 500_000, 999_000):
            page = http.get("/Search/Employees", params={"skip": skip, "take": 1000}, headers=headers).json()
            totals.add(page["totalCount"])
            last_ids.append(page["data"][-1]["employeeId"])
        columns = http.get("/search/1/columns", headers=headers).json()
        modified = next(c["columnId"] for c in columns if c["columnDisplayName"] == "Last Modified")
        space = app.state.data.employees
        body = {
            "searchCriteria": {
                "rootGroup": {
                    "condition": 0,
                    "rules": [
                        {
                            "columnId": modified,
                            "operatorId": 3,
                            "values": [app.state.data.local.format(space.modified(998_499))],
                        }
                    ],
                },
                "returnColumnIds": [modified],
            },
            "skip": 500,
            "take": 1000,
        }
        search = http.post("/search/1", json=body, headers=headers).json()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert totals == {1_000_000}
    assert last_ids[-1] == space.id_of(999_999)
    assert search["totalCount"] == 1_500 and len(search["data"]) == 1000
    assert search["data"][0]["Id"]["value"] == space.id_of(999_000)
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
