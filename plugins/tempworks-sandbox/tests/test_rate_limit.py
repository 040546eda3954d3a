"""Rate limiting: 25 requests per 5 s per client by default, x-rate-limit-* headers, plain-text 429."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def test_headers_count_down_then_429_then_reset(make_sandbox: Any, clock: Any) -> None:
    sandbox = make_sandbox(rate_limit="25/5")
    headers = sandbox.bearer()
    for n in range(1, 26):
        response = sandbox.get("/Search/Employees", params={"take": 1}, headers=headers)
        assert response.status_code == 200
        assert response.headers["x-rate-limit-count"] == str(n)
        assert response.headers["x-rate-limit-remaining"] == str(25 - n)
    limited = sandbox.get("/Search/Employees", params={"take": 1}, headers=headers)
    assert limited.status_code == 429
    assert limited.text == "25 requests / 5 sec limit"
    assert limited.headers["content-type"].startswith("text/plain")
    assert limited.headers["x-rate-limit-remaining"] == "0"
    reset = datetime.fromisoformat(limited.headers["x-rate-limit-reset"].replace("Z", "+00:00"))
    assert reset.timestamp() == clock.now + 5
    assert "Retry-After" not in limited.headers
    clock.advance(5)
    assert sandbox.get("/Search/Employees", params={"take": 1}, headers=headers).status_code == 200
    assert sandbox.state.stats()["injected"]["rate_limited"] == 1


def test_window_is_per_client_and_configurable(make_sandbox: Any) -> None:
    sandbox = make_sandbox(rate_limit="2/1")
    sandbox.state.auth.register_client("other", "secret", ["employee-read"])
    mine, theirs = sandbox.bearer(), sandbox.bearer(client_id="other", client_secret="secret")
    statuses = [sandbox.get("/Search/Employees", headers=mine).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert sandbox.get("/Search/Employees", headers=theirs).status_code == 200
    refreshed = sandbox.bearer()
    assert sandbox.get("/Search/Employees", headers=refreshed).status_code == 429


def test_burst_429_fault(make_sandbox: Any) -> None:
    sandbox = make_sandbox(burst_429="2/5")
    headers = sandbox.bearer()
    statuses = [sandbox.get("/Search/Employees", headers=headers).status_code for _ in range(10)]
    assert statuses == [200, 200, 200, 429, 429, 200, 200, 200, 429, 429]
    assert sandbox.state.stats()["injected"]["burst_429"] == 4
