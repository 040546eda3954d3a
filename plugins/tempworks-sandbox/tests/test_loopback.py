"""The sandbox over a real loopback socket, started through the `ats_core.sandboxes` entry point."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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
    assert set(settings) == {
        "base_url",
        "token_url",
        "webhooks_url",
        "tenant",
        "pid",
        "client_id",
        "client_secret",
        "time_zone",
    }
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


def _local_port(response: httpx.Response) -> int:
    """The client-side port of the connection a response came over."""
    return int(response.extensions["network_stream"].get_extra_info("client_addr")[1])


def test_connections_are_kept_alive_across_requests(running: Any, fetch_bearer: Any) -> None:
    headers = fetch_bearer(running.settings)
    with httpx.Client(base_url=running.base_url, headers=headers) as http:
        responses = [http.get("/search/employees", params={"skip": n, "take": 5}) for n in range(5)]
        ports = {_local_port(r) for r in responses}
    assert all(r.status_code == 200 and r.headers.get("connection", "").lower() != "close" for r in responses)
    assert len(ports) == 1, "five requests, one TCP connection"


def test_stop_closes_kept_alive_connections_and_releases_the_port(fetch_bearer: Any) -> None:
    sandbox = start_sandbox("tempworks", SandboxOptions(size=20, faults={"rate_limit": "off"}))
    http = httpx.Client(base_url=sandbox.base_url, headers=fetch_bearer(sandbox.settings))
    assert http.get("/search/employees").status_code == 200  # a connection now idles in the pool
    sandbox.stop()
    with pytest.raises(httpx.TransportError):
        http.get("/search/employees")
    http.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(sandbox.base_url + "/_sandbox/stats")


def test_requests_held_by_latency_are_served_concurrently(fetch_bearer: Any) -> None:
    """Eight requests held in their latency at the same time: each waits until all eight are in (a barrier)."""
    sandbox = start_sandbox("tempworks", SandboxOptions(size=20, latency_ms=1, faults={"rate_limit": "off"}))
    barrier = threading.Barrier(8)
    try:
        headers = fetch_bearer(sandbox.settings)
        sandbox.app.sleep = lambda _seconds: barrier.wait(timeout=30)
        limits = httpx.Limits(max_connections=8)
        with (
            httpx.Client(base_url=sandbox.base_url, headers=headers, limits=limits) as http,
            ThreadPoolExecutor(8) as pool,
        ):
            statuses = list(pool.map(lambda n: http.get("/search/employees", params={"skip": n}).status_code, range(8)))
    finally:
        sandbox.stop()
    assert statuses == [200] * 8 and not barrier.broken
