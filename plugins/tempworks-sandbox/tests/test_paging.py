"""Paging: pages add up to totalCount without duplicates, filters agree with the records."""

from __future__ import annotations

from typing import Any

import pytest
from ats_tempworks_sandbox.paging import OrderedIds, periodic_count, periodic_indices
from hypothesis import given, settings
from hypothesis import strategies as st


def _walk(sandbox: Any, path: str, id_key: str, take: int, **params: Any) -> tuple[list[Any], set[int]]:
    headers = sandbox.bearer()
    ids: list[Any] = []
    totals = set()
    skip = 0
    while True:
        body = sandbox.get(path, params={"skip": skip, "take": take, **params}, headers=headers).json()
        totals.add(body["totalCount"])
        ids += [record[id_key] for record in body["data"]]
        if len(body["data"]) < take:
            return ids, totals
        skip += take


@pytest.mark.parametrize(
    ("path", "id_key"),
    [("/Search/Employees", "employeeId"), ("/Search/JobOrders", "orderId"), ("/Search/Assignments", "assignmentId")],
)
def test_pages_sum_to_total_without_duplicates(sandbox: Any, path: str, id_key: str) -> None:
    ids, totals = _walk(sandbox, path, id_key, take=37)
    assert len(totals) == 1
    assert len(ids) == len(set(ids)) == totals.pop()
    assert ids == sorted(ids)


@pytest.mark.parametrize("is_active", ["true", "false"])
def test_filters_match_records_and_totals(sandbox: Any, is_active: str) -> None:
    branch = sandbox.get("/DataLists/branches").json()["data"][0]["branchId"]
    ids, totals = _walk(sandbox, "/Search/Employees", "employeeId", take=50, isActive=is_active, branchId=branch)
    assert len(ids) == totals.pop()
    all_ids, _ = _walk(sandbox, "/Search/Employees", "employeeId", take=500)
    expected = []
    for employee_id in all_ids:
        detail = sandbox.state.employee_detail(employee_id)
        if detail["branchId"] == branch and detail["isActive"] == (is_active == "true"):
            expected.append(employee_id)
    assert ids == expected and ids


def test_assignments_of_a_job_order_come_from_advanced_search_not_a_query_filter(sandbox: Any) -> None:
    """The reference lists no jobOrderId filter on /Search/Assignments: like ASP.NET, unknown parameters are ignored."""
    everything = sandbox.get("/Search/Assignments", params={"skip": 0, "take": 100}).json()
    job_order_id = everything["data"][0]["jobOrderId"]
    ignored = sandbox.get("/Search/Assignments", params={"skip": 0, "take": 100, "jobOrderId": job_order_id}).json()
    assert ignored["totalCount"] == everything["totalCount"] > len({a["jobOrderId"] for a in everything["data"]}) > 1
    column = sandbox.column(14, "Job Order Id")
    rule = {"columnId": column, "operatorId": 7, "values": [str(job_order_id)]}
    body = {"searchCriteria": {"rootGroup": {"condition": 0, "rules": [rule]}}, "skip": 0, "take": 100}
    found = sandbox.post("/search/14", json=body).json()
    ids = [row["Id"]["value"] for row in found["data"]]
    assert found["totalCount"] == len(ids) >= 1
    assert all(sandbox.get(f"/Assignments/{i}").json()["jobOrderId"] == job_order_id for i in ids)


def test_created_employees_page_after_the_seeded_ones(sandbox: Any) -> None:
    created = sandbox.post("/Employees", json={"firstName": "Ada", "lastName": "Lovelace"}).json()["employeeId"]
    ids, totals = _walk(sandbox, "/Search/Employees", "employeeId", take=99)
    assert totals == {501} and ids[-1] == created and len(set(ids)) == 501


@settings(max_examples=150, deadline=None)
@given(
    lo=st.integers(0, 50),
    width=st.integers(0, 60),
    excluded=st.lists(st.integers(0, 120), max_size=12),
    extras=st.lists(st.integers(0, 200), max_size=12),
    merge=st.booleans(),
    skip=st.integers(0, 130),
    take=st.integers(0, 40),
    descending=st.booleans(),
)
def test_ordered_ids_page_like_a_list(
    lo: int, width: int, excluded: list[int], extras: list[int], merge: bool, skip: int, take: int, descending: bool
) -> None:
    hi = lo + width
    ranged = [x for x in range(lo, hi) if x not in set(excluded)]
    extra = sorted(set(extras) - set(ranged))
    ids = OrderedIds(lo, hi, excluded, extra, merge=merge)
    whole = sorted(ranged + extra) if merge else ranged + extra
    assert ids.total == len(whole)
    assert list(ids) == whole
    expected = whole[::-1][skip : skip + take] if descending else whole[skip : skip + take]
    assert ids.page(skip, take, descending=descending) == expected


@given(
    count=st.integers(0, 400), residues=st.sets(st.integers(0, 59)), skip=st.integers(0, 400), take=st.integers(0, 50)
)
def test_periodic_indices_match_a_scan(count: int, residues: set[int], skip: int, take: int) -> None:
    ordered = sorted(residues)
    scan = [i for i in range(count) if i % 60 in residues]
    assert periodic_count(count, ordered) == len(scan)
    assert periodic_indices(count, ordered, skip, take) == scan[skip : skip + take]
