"""Property: advanced search on "Last Modified" equals a brute-force scan, whatever the writes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EMPLOYEE = 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    size=st.integers(0, 60),
    touched=st.lists(st.integers(0, 59), max_size=6),
    created=st.integers(0, 3),
    pivot=st.floats(0, 1),
    operator=st.sampled_from([3, 4]),
    sort=st.sampled_from([None, False, True]),
    take=st.integers(1, 25),
    seconds_later=st.integers(0, 100),
)
def test_modified_rules_match_a_scan(
    make_sandbox: Any,
    clock: Any,
    size: int,
    touched: list[int],
    created: int,
    pivot: float,
    operator: int,
    sort: bool | None,
    take: int,
    seconds_later: int,
) -> None:
    sandbox = make_sandbox(size=size)
    state = sandbox.state
    space = state.data.employees
    for n, index in enumerate(touched):
        if index < size:
            clock.advance(n)
            state.touch(EMPLOYEE, space.id_of(index))
    for _ in range(created):
        clock.advance(seconds_later)
        state.create_employee({"firstName": "A", "lastName": "B"})
    every = [space.id_of(i) for i in range(size)] + sorted(state.created)
    times = sorted(state.modified_of(EMPLOYEE, i) for i in every) or [0.0]
    instant = float(int(times[min(int(pivot * len(times)), len(times) - 1)]))
    if operator == 3:
        expected = [i for i in every if state.modified_of(EMPLOYEE, i) > instant]
    else:
        expected = [i for i in every if state.modified_of(EMPLOYEE, i) < instant]
    modified = sandbox.column(EMPLOYEE, "Last Modified")
    if sort is not None:
        expected.sort(key=lambda i: (state.modified_of(EMPLOYEE, i), i), reverse=sort)
    headers = sandbox.bearer()
    found: list[int] = []
    skip = 0
    while True:
        body = {
            "searchCriteria": {
                "rootGroup": {
                    "condition": 0,
                    "rules": [
                        {"columnId": modified, "operatorId": operator, "values": [state.data.local.format(instant)]}
                    ],
                }
            },
            "sortByColumns": [] if sort is None else [{"columnId": modified, "isDescending": sort}],
            "skip": skip,
            "take": take,
        }
        page = sandbox.post("/search/1", json=body, headers=headers).json()
        assert page["totalCount"] == len(expected)
        found += [row["Id"]["value"] for row in page["data"]]
        if len(page["data"]) < take:
            break
        skip += take
    assert found == expected
