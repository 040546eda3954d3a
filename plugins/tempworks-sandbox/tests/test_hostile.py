"""Hostile answers, each selectable on its own: repeated pages, lying totals, huge, endless, bombing, slow and deep
bodies, and rate-limit headers that lie."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from ats_core.sandbox import SandboxOptions, start_sandbox

MIB = 1 << 20


def _reset(response: httpx.Response) -> float:
    return datetime.fromisoformat(response.headers["x-rate-limit-reset"].replace("Z", "+00:00")).timestamp()


def test_repeat_pages_ignores_skip_in_lists_and_searches(make_sandbox: Any) -> None:
    sandbox = make_sandbox(repeat_pages="1")
    first = sandbox.get("/Search/Employees", params={"skip": 0, "take": 5}).json()
    later = sandbox.get("/Search/Employees", params={"Skip": 40, "take": 5}).json()
    assert later == first and first["totalCount"] == 500
    body = {"searchCriteria": {"rootGroup": {"condition": 0, "rules": []}, "returnColumnIds": []}, "take": 5}
    assert sandbox.post("/search/1", json={**body, "skip": 30}).json() == sandbox.post("/search/1", json=body).json()


@pytest.mark.parametrize(("lie", "total"), [("low", 250), ("negative", -1)])
def test_total_count_lies(make_sandbox: Any, lie: str, total: int) -> None:
    sandbox = make_sandbox(total_count=lie)
    page = sandbox.get("/Search/Employees", params={"skip": 0, "take": 20}).json()
    assert page["totalCount"] == total and len(page["data"]) == 20
    assert sandbox.state.stats()["injected"]["lying_total"] == 1


def test_deep_json(make_sandbox: Any) -> None:
    sandbox = make_sandbox(deep_json="5000")
    response = sandbox.get("/Search/Employees")
    assert response.status_code == 200 and response.content.startswith(b'{"data":[' + b"[" * 5000)
    with pytest.raises(RecursionError):
        json.loads(response.content)


def test_slow_body_sends_one_byte_per_wait(make_sandbox: Any) -> None:
    sandbox = make_sandbox(slow_body="7")
    sleeps: list[float] = []
    headers = sandbox.bearer()
    sandbox.app.sleep = sleeps.append
    response = sandbox.http.get("/Employees/" + str(sandbox.state.data.employees.first_id), headers=headers)
    assert response.json()["employeeId"] == sandbox.state.data.employees.first_id
    assert sleeps == [7.0] * (len(response.content) - 1)


def test_gzip_bomb_inflates_far_beyond_its_size(make_sandbox: Any) -> None:
    sandbox = make_sandbox(gzip_bomb="8")
    headers = sandbox.bearer()
    with sandbox.http.stream("GET", "/Search/Employees", headers=headers) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip" and len(raw) < MIB // 8
    inflated = zlib.decompress(raw, 31)
    assert len(inflated) == 8 * MIB and json.loads(inflated) == {"data": [], "totalCount": 0}


def test_rate_limit_header_lies(make_sandbox: Any, clock: Any) -> None:
    sandbox = make_sandbox(
        retry_after_on_200="999999", exhausted_remaining="86400", stale_429_reset="0", burst_429="1/2"
    )
    headers = sandbox.bearer()
    ok, limited = (sandbox.http.get("/Search/Employees", headers=headers) for _ in range(2))
    assert ok.status_code == 200 and ok.headers["Retry-After"] == "999999"
    assert ok.headers["x-rate-limit-remaining"] == "0" and _reset(ok) == clock.now + 86400
    assert limited.status_code == 429 and _reset(limited) <= clock.now


@pytest.fixture
def socket_sandbox(request: pytest.FixtureRequest, fetch_bearer: Any) -> Iterator[tuple[Any, httpx.Client]]:
    """A sandbox on a loopback socket with the test's faults, and a client holding a token for it."""
    faults = {"rate_limit": "off", **request.param}
    sandbox = start_sandbox("tempworks", SandboxOptions(size=20, faults=faults))
    try:
        with httpx.Client(base_url=sandbox.base_url, headers=fetch_bearer(sandbox.settings), timeout=30) as http:
            yield sandbox, http
    finally:
        sandbox.stop()


@pytest.mark.parametrize("socket_sandbox", [{"huge_body": "3"}], indirect=True)
def test_huge_body_declares_and_sends_its_length(socket_sandbox: tuple[Any, httpx.Client]) -> None:
    _sandbox, http = socket_sandbox
    with http.stream("GET", "/Search/Employees", params={"take": 3}) as response:
        assert response.headers["content-length"] == str(3 * MIB)
        body = b"".join(response.iter_bytes())
    assert len(body) == 3 * MIB and len(json.loads(body)["data"]) == 3


@pytest.mark.parametrize("socket_sandbox", [{"endless_body": "1"}], indirect=True)
def test_endless_body_never_ends(socket_sandbox: tuple[Any, httpx.Client]) -> None:
    sandbox, http = socket_sandbox
    read = 0
    with http.stream("GET", "/Search/Employees") as response:
        assert "content-length" not in response.headers and response.headers["transfer-encoding"] == "chunked"
        for chunk in response.iter_bytes():
            read += len(chunk)
            if read > 4 * MIB:
                break
    assert read > 4 * MIB
    assert sandbox.state.stats()["injected"]["hostile_body"] == 1
