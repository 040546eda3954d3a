"""query/{Entity}: the JPQL subset, keyset and start/count paging, totals, and Bullhorn's refusals."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def _ids(body: dict[str, Any]) -> list[int]:
    return [record["id"] for record in body["data"]]


def _all_submissions(bullhorn: Any) -> list[dict[str, Any]]:
    space = bullhorn.state.data.spaces["JobSubmission"]
    return [bullhorn.state.get("JobSubmission", space.id_of(index)) for index in range(space.count)]


def test_changed_since_in_modification_order(bullhorn: Any) -> None:
    records = _all_submissions(bullhorn)
    since = sorted(r["dateLastModified"] for r in records)[len(records) // 2]
    where = f"dateLastModified>{since} AND isDeleted=false"
    body = bullhorn.ok(
        "GET",
        "query/JobSubmission",
        params={"where": where, "fields": "id,dateLastModified", "orderBy": "dateLastModified,id", "count": 500},
    )
    expected = sorted(
        (r for r in records if r["dateLastModified"] > since and not r["isDeleted"]),
        key=lambda r: (r["dateLastModified"], r["id"]),
    )
    assert _ids(body) == [r["id"] for r in expected] and body["start"] == 0 and body["count"] == len(expected)
    assert "total" not in body


def test_keyset_paging_by_id_visits_every_row_once(bullhorn: Any) -> None:
    seen: list[int] = []
    last = 0
    while True:
        page = bullhorn.ok(
            "GET", "query/JobSubmission", params={"where": f"id>{last}", "fields": "id", "orderBy": "id", "count": 37}
        )
        if not page["data"]:
            break
        seen += _ids(page)
        last = seen[-1]
    assert seen == sorted(set(seen)) and len(seen) == bullhorn.state.data.spaces["JobSubmission"].count


def test_a_write_moves_a_row_to_the_end_of_the_change_order(bullhorn: Any, clock: Any) -> None:
    clock.advance(60)
    bullhorn.ok("POST", "entity/JobSubmission/20003", json={"status": "Placed"})
    body = bullhorn.ok(
        "GET",
        "query/JobSubmission",
        params={"where": "dateLastModified>0", "fields": "id", "orderBy": "-dateLastModified", "count": 1},
    )
    assert _ids(body) == [20003]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("id=20005", [20005]),
        ("id IN (20002, 20004, 99999)", [20002, 20004]),
        ("id>=20010 AND id<20013", [20010, 20011, 20012]),
        ("candidate.id=10003", [20002, 20003]),
        ("id<20005 AND NOT (id=20002 OR id=20003)", [20001, 20004]),
        ("id<20004 AND sendingUser.id IS NOT NULL", [20001, 20002, 20003]),
        ("id<20004 AND dateWebResponse IS NULL AND status <> 'New Lead'", None),
    ],
)
def test_jpql_operators(bullhorn: Any, where: str, expected: list[int] | None) -> None:
    body = bullhorn.ok("GET", "query/JobSubmission", params={"where": where, "fields": "id,status", "count": 100})
    if expected is None:
        assert all(record["status"] != "New Lead" for record in body["data"]) and body["data"]
    else:
        assert _ids(body) == expected


def test_strings_compare_case_insensitively_through_to_one_paths(bullhorn: Any) -> None:
    record = bullhorn.state.get("JobSubmission", 20001)
    candidate = bullhorn.state.get("Candidate", record["candidate"]["id"])
    where = f"candidate.lastName='{candidate['lastName'].upper()}' AND id=20001"
    assert _ids(bullhorn.ok("GET", "query/JobSubmission", params={"where": where, "fields": "id"})) == [20001]


def test_start_count_total_and_total_only(bullhorn: Any) -> None:
    params = {"where": "isDeleted=false", "fields": "id", "orderBy": "id"}
    everything = bullhorn.ok("GET", "query/JobSubmission", params=params | {"count": 500})
    expected_total = len(everything["data"])
    page = bullhorn.ok(
        "GET", "query/JobSubmission", params=params | {"start": 10, "count": 5, "showTotalMatched": "true"}
    )
    assert page["total"] == expected_total and page["start"] == 10 and _ids(page) == _ids(everything)[10:15]
    default = bullhorn.ok("GET", "query/JobSubmission", params=params)
    assert default["count"] == 15
    only = bullhorn.ok("GET", "query/JobSubmission", params={"where": "isDeleted=false", "totalOnly": "true"})
    assert only == {"total": expected_total}


def test_count_is_capped_at_500(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(size=1200)
    body = bullhorn.ok("GET", "query/JobSubmission", params={"where": "id>0", "fields": "id", "count": 5000})
    assert body["count"] == 500


def test_post_query_takes_the_where_in_the_body(bullhorn: Any) -> None:
    ids = ", ".join(str(20001 + n) for n in range(30))
    body = bullhorn.ok(
        "POST", "query/JobSubmission", params={"fields": "id", "count": 50}, json={"where": f"id IN ({ids})"}
    )
    assert len(body["data"]) == 30


@pytest.mark.parametrize(
    ("entity", "where", "key", "fragment"),
    [
        ("Candidate", "id>0", "errors.queryIndexedEntity", "please use /search call instead"),
        ("Note", "id>0", "errors.queryIndexedEntity", "please use /search call instead"),
        ("ClientCorporation", "isDeleted=false", "errors.badQuery", "'isDeleted' is not a valid field name"),
        ("JobSubmission", 'status="Placed"', "errors.badQuery", "not a valid field name"),
        ("JobSubmission", "id >", "errors.badQuery", "Bad where clause"),
        ("JobSubmission", "candidate.submissions IS EMPTY", "errors.badQuery", "to-many"),
    ],
)
def test_refusals(bullhorn: Any, entity: str, where: str, key: str, fragment: str) -> None:
    response = bullhorn.get(f"query/{entity}", where=where, fields="id")
    assert response.status_code == 400
    assert response.json()["errorMessageKey"] == key and fragment in response.json()["errorMessage"]


def test_bad_order_and_paging_parameters(bullhorn: Any) -> None:
    assert (
        "Bad sort"
        in bullhorn.get("query/JobSubmission", where="id>0", fields="id", orderBy="nope").json()["errorMessage"]
    )
    assert bullhorn.get("query/JobSubmission", where="id>0", fields="id", count="ten").status_code == 400
    assert bullhorn.get("query/JobSubmission", fields="id").status_code == 400


@settings(max_examples=25)
@given(
    low=st.integers(min_value=20000, max_value=20210),
    width=st.integers(min_value=0, max_value=80),
    deleted=st.sampled_from([None, True, False]),
    descending=st.booleans(),
)
def test_id_windows_match_a_brute_force_filter(
    shared_bullhorn: Any, low: int, width: int, deleted: bool | None, descending: bool
) -> None:
    bullhorn = shared_bullhorn
    where = f"id>={low} AND id<{low + width}" + ("" if deleted is None else f" AND isDeleted={str(deleted).lower()}")
    params = {"where": where, "fields": "id", "count": 500, "orderBy": "-id" if descending else "id"}
    got = _ids(bullhorn.ok("GET", "query/JobSubmission", params=params))
    expected = [
        r["id"]
        for r in _all_submissions(bullhorn)
        if low <= r["id"] < low + width and (deleted is None or r["isDeleted"] == deleted)
    ]
    assert got == sorted(expected, reverse=descending)
