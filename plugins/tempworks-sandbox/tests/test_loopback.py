"""The sandbox over a real loopback socket, started through the `ats_core.sandboxes` entry point."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ats_core.sandbox import SandboxOptions, available_sandboxes, start_sandbox


@pytest.fixture
def running() -> Iterator[Any]:
    sandbox = start_sandbox("tempworks", SandboxOptions(port=0, size=200, seed=5, faults={"rate_limit": "off"}))
    yield sandbox
    sandbox.stop()


def test_entry_point_serves_over_loopback(running: Any, fetch_bearer: Any) -> None:
    assert "tempworks" in available_sandboxes()
    settings = running.settings
    assert set(settings) == {"base_url", "token_url", "tenant", "pid", "client_id", "client_secret", "time_zone"}
    assert settings["time_zone"] == "America/Chicago"
    assert settings["base_url"] == running.base_url and running.base_url.startswith("http://127.0.0.1:")
    headers = fetch_bearer(settings)
    with httpx.Client(base_url=running.base_url, headers=headers) as http:
        body = http.get("/search/employees", params={"skip": 0, "take": 50}).json()
        assert body["totalCount"] == 200 and len(body["data"]) == 50
        stats = http.get("/_sandbox/stats").json()
    assert stats["api_requests"] == 1 == running.state.stats()["api_requests"]


def test_faults_cut_connections_over_loopback(fetch_bearer: Any) -> None:
    options = SandboxOptions(size=50, faults={"rate_limit": "off", "drop_rate": "1", "lost_write_rate": "1"})
    sandbox = start_sandbox("tempworks", options)
    try:
        headers = fetch_bearer(sandbox.settings)
        with httpx.Client(base_url=sandbox.base_url, headers=headers) as http:
            with pytest.raises(httpx.RemoteProtocolError):
                http.get("/Search/Employees", params={"take": 20})
            employee_id = sandbox.state.data.employees.id_of(0)
            action_id = sandbox.state.data.active_action_ids[0]
            with pytest.raises(httpx.RemoteProtocolError):
                http.post(f"/Employees/{employee_id}/messages", json={"actionId": action_id, "message": "stored"})
        assert sandbox.state.messages_of(employee_id)[-1]["message"] == "stored"
        injected = sandbox.state.stats()["injected"]
        assert injected["dropped"] == 1 and injected["lost_write"] == 1
    finally:
        sandbox.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(sandbox.base_url + "/_sandbox/stats")
