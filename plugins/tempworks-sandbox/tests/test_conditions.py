"""Realistic conditions: latency jitter, a skewed server clock, rate limits per credential kind, list orders and churn."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from ats_tempworks_sandbox import create_app
from ats_tempworks_sandbox.auth import RateLimiter
from hypothesis import given, settings
from hypothesis import strategies as st

from ats_core.sandbox import SandboxOptions


def _reset(response: Any) -> float:
    return datetime.fromisoformat(response.headers["x-rate-limit-reset"].replace("Z", "+00:00")).timestamp()


def _pat(sandbox: Any) -> dict[str, str]:
    return {"x-tw-token": sandbox.state.auth.personal_access_token}


# --- jitter and clock skew ----------------------------------------------------------------------


def test_jitter_holds_each_request_a_seeded_time_within_its_range(make_sandbox: Any) -> None:
    held: list[list[float]] = []
    for _ in range(2):
        sandbox = make_sandbox(jitter_ms="20-150")
        sleeps: list[float] = []
        sandbox.app.sleep = sleeps.append
        headers = sandbox.bearer()
        for _ in range(30):
            assert sandbox.http.get("/Search/Employees", headers=headers).status_code == 200
        held.append(sleeps)
    assert len(held[0]) == 31 and all(0.020 <= s <= 0.150 for s in held[0])
    assert len(set(held[0])) > 20, "the delay varies from request to request"
    assert held[0] == held[1], "the same seed jitters the same way"


def test_clock_skew_moves_written_timestamps_and_rate_limit_resets(make_sandbox: Any, clock: Any) -> None:
    sandbox = make_sandbox(clock_skew_s="-2", rate_limit="25/5", time_zone="UTC")
    response = sandbox.post("/Employees", json={"firstName": "Skew", "lastName": "Ed"})
    assert response.status_code == 201
    detail = sandbox.get(f"/Employees/{response.json()['employeeId']}")
    written = datetime.fromisoformat(detail.json()["activationDate"] + "+00:00").timestamp()
    assert written == int(clock.now) - 2
    assert _reset(detail) == clock.now - 2 + 5, "the window started at the server's (skewed) now"


def test_an_unknown_or_malformed_option_names_what_it_takes() -> None:
    with pytest.raises(ValueError, match="jitter_ms='9-3'.*LOW-HIGH"):
        create_app(SandboxOptions(faults={"jitter_ms": "9-3"}))
    with pytest.raises(ValueError, match="list_order='size'.*id\\|name\\|random-stable"):
        create_app(SandboxOptions(faults={"list_order": "size"}))


# --- rate limits per credential kind --------------------------------------------------------------


def test_personal_access_tokens_get_only_the_count_header(make_sandbox: Any) -> None:
    sandbox = make_sandbox(rate_limit="3/5")
    responses = [sandbox.http.get("/Search/Employees", headers=_pat(sandbox)) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.headers.get("x-rate-limit-count") for r in responses] == ["1", "2", "3", "3"]
    assert not any("x-rate-limit-remaining" in r.headers or "x-rate-limit-reset" in r.headers for r in responses)
    assert responses[-1].text == "3 requests / 5 sec limit"


def test_oauth_clients_have_their_own_limit_and_all_three_headers(make_sandbox: Any) -> None:
    sandbox = make_sandbox(rate_limit="2/5", oauth_limit="4/5")
    headers = sandbox.bearer()
    responses = [sandbox.http.get("/Search/Employees", headers=headers) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert [r.headers["x-rate-limit-remaining"] for r in responses] == ["3", "2", "1", "0", "0"]
    assert responses[-1].text == "4 requests / 5 sec limit"
    assert [sandbox.http.get("/Search/Employees", headers=_pat(sandbox)).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]


def test_the_window_slides(make_sandbox: Any, clock: Any) -> None:
    sandbox = make_sandbox(rate_limit="2/5")
    headers = sandbox.bearer()
    start = clock.now

    def at(offset: float) -> Any:
        clock.now = start + offset
        return sandbox.http.get("/Search/Employees", headers=headers)

    assert at(0).status_code == 200 and at(3).status_code == 200
    refused = at(4)
    assert refused.status_code == 429 and _reset(refused) == start + 5, "the request at 0 leaves the window at 5"
    assert at(5).status_code == 200, "a fixed window from 0 would still refuse; the sliding one has room"
    assert at(5.5).status_code == 429, "requests at 3 and 5 are within the last 5 s"
    assert at(8).status_code == 200


@settings(max_examples=60)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=60))
def test_sliding_window_property(gaps: list[int]) -> None:
    """At any moment at most `limit` admitted requests lie in the last `seconds`; a refusal means the window was full."""
    now = [0.0]
    limiter = RateLimiter(3, 5.0, lambda: now[0])
    admitted: list[float] = []
    for gap in gaps:
        now[0] += gap / 10
        decision = limiter.hit("key", oauth=True)
        in_window = [t for t in admitted if t > now[0] - 5.0]
        assert decision.allowed == (len(in_window) < 3)
        if decision.allowed:
            admitted.append(now[0])
        assert int(decision.headers["x-rate-limit-count"]) == len([t for t in admitted if t > now[0] - 5.0])


# --- list orders and churn ----------------------------------------------------------------------


def _all_pages(sandbox: Any, take: int = 7, **params: Any) -> list[dict[str, Any]]:
    headers = sandbox.bearer()
    items: list[dict[str, Any]] = []
    skip = 0
    while True:
        page = sandbox.http.get(
            "/Search/Employees", params={"skip": skip, "take": take, **params}, headers=headers
        ).json()
        items += page["data"]
        skip += take
        if skip >= page["totalCount"]:
            return items


def test_list_order_by_name(make_sandbox: Any) -> None:
    sandbox = make_sandbox(size=80, list_order="name")
    items = _all_pages(sandbox, isActive="true")
    keys = [(i["lastName"].lower(), i["firstName"].lower(), i["employeeId"]) for i in items]
    assert keys == sorted(keys) and len(items) == len({i["employeeId"] for i in items})
    ids = [i["employeeId"] for i in items]
    assert ids != sorted(ids), "not the id order"
    assert all(i["isActive"] for i in items)


def test_list_order_random_stable_is_a_seeded_permutation(make_sandbox: Any) -> None:
    first = [i["employeeId"] for i in _all_pages(make_sandbox(size=80, list_order="random-stable"))]
    again = [i["employeeId"] for i in _all_pages(make_sandbox(size=80, list_order="random-stable"))]
    by_id = [i["employeeId"] for i in _all_pages(make_sandbox(size=80))]
    assert first == again and sorted(first) == by_id and first != by_id


def test_churn_shifts_records_across_page_boundaries(make_sandbox: Any) -> None:
    sandbox = make_sandbox(size=60, list_order="name", churn="2/1")
    seen = [i["employeeId"] for i in _all_pages(sandbox, take=10)]
    injected = sandbox.state.stats()["injected"]
    assert injected["churn_inserted"] == injected["churn_deleted"] > 0
    final = [i["employeeId"] for i in _all_pages(make_sandbox(size=60, list_order="name"))]
    now_listed = {int(i) for i in sandbox.state.listing.page(list(range(60)), lambda _d: True, 0, 10_000)[0]}
    assert len(seen) != len(set(seen)) or set(seen) != now_listed, "paging under churn repeats or misses records"
    assert set(final) != now_listed
    deleted = next(iter(sandbox.state.deleted))
    assert sandbox.get(f"/Employees/{deleted}").status_code == 404
    assert deleted not in now_listed


def test_deleted_employees_leave_advanced_search(make_sandbox: Any) -> None:
    sandbox = make_sandbox(size=30)
    doomed = sandbox.state.data.employees.id_of(3)
    with sandbox.state.lock:
        sandbox.state.delete_employee(doomed)
    body = {"searchCriteria": {"rootGroup": {"condition": 0, "rules": []}, "returnColumnIds": []}, "take": 100}
    rows = sandbox.post("/search/1", json=body).json()
    assert rows["totalCount"] == 29 and doomed not in [row["Id"]["value"] for row in rows["data"]]


def test_ordered_lists_refuse_tenants_too_large_to_sort() -> None:
    with pytest.raises(ValueError, match="list_order=name.*200,000"):
        create_app(SandboxOptions(size=200_001, faults={"list_order": "name"}))
