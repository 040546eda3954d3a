"""Benchmark 7: the change feed, from a change in the sandbox to the row updated in the database.

The TempWorks sandbox runs in its own process; a change is a CustomData PUT through its API, which
publishes `employee.custompropertyupdated`, delivered by the sandbox's webhook thread (one delivery at a
time) to `ats serve`'s app under uvicorn on loopback in this process; the receiver stores the event and
the in-process refresher reads the record by id and upserts it into SQLite. Latency is PUT sent -> row
committed; throughput is deliveries eight concurrent senders get answered (202) per second.
"""

from __future__ import annotations

import os
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

from ats_core.changes.refresh import RefreshKey
from ats_core.changes.service import build_service
from ats_core.client import ATSClient
from ats_core.connections import Connection
from ats_core.fleet import open_database
from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec

__all__ = ["run_change_feed"]

TARGET_P95_SECONDS = 2.0
SECRET = "benchmark-header-value"
WAIT_SECONDS = 120.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _writable_string_definition(client: ATSClient) -> str:
    """The id of an employee custom property the sandbox lets us write text to."""
    answer = client.passthrough("GET", "/CustomData/1/Definitions", None, None).body
    items = answer.get("data", answer) if isinstance(answer, dict) else answer
    return next(
        str(item["propertyDefinitionId"])
        for item in items
        if item.get("propertyType") == "string" and not item.get("isReadOnly") and not item.get("hasDatalist")
    )


def run_change_feed(plan: Plan) -> BenchmarkResult:
    """Publish `change_events` changes at `change_rate`/s; then post `change_burst` deliveries at once."""
    result = BenchmarkResult(
        key="change_feed",
        title="7. change feed",
        target=f"p95 <= {TARGET_P95_SECONDS:g} s from change to row at {plan.change_rate:g} events/s",
        parameters={
            "events": plan.change_events,
            "rate_per_second": plan.change_rate,
            "burst": plan.change_burst,
            "window_seconds": plan.change_window,
            "database": "SQLite file",
        },
    )
    employees = max(plan.change_events, plan.change_burst)
    sandbox = SandboxProcess(SandboxSpec(employees=employees, seed=9, faults={"rate_limit": "off"}))
    sandbox.start()
    workdir = Path(tempfile.mkdtemp(prefix="ats-bench-changes-"))
    database = open_database(f"sqlite:///{workdir / 'ats.db'}")
    settings = dict(sandbox.settings)
    os.environ["ATS_BENCH_CLIENT_SECRET"] = str(settings.pop("client_secret"))
    os.environ["ATS_BENCH_WEBHOOK_HEADER"] = SECRET
    connection = Connection(
        name="bench",
        provider="tempworks",
        settings={**settings, "requests_per_window": 1_000_000, "window_seconds": 1},
        secrets={
            "client_secret": {"env": "ATS_BENCH_CLIENT_SECRET"},
            "webhook_header_value": {"env": "ATS_BENCH_WEBHOOK_HEADER"},
        },
        streams={"candidates": {"every": "15m"}},
    )
    service = build_service(database, {"bench": connection}, window_seconds=plan.change_window)
    done: dict[str, float] = {}
    finished = threading.Condition()
    observe = service.refresher.on_refreshed

    def refreshed(key: RefreshKey, lag: float) -> None:
        if observe is not None:
            observe(key, lag)
        with finished:
            done.setdefault(key.remote_id, time.perf_counter())
            finished.notify_all()

    service.refresher.on_refreshed = refreshed
    received: dict[str, float] = {}
    submit = service.refresher.submit

    def submit_and_time(key: RefreshKey) -> None:
        received.setdefault(key.remote_id, time.perf_counter())
        submit(key)

    service.refresher.submit = submit_and_time  # type: ignore[method-assign]
    listener = socket.socket()
    # as uvicorn does for sockets it binds itself; without it every response waits ~40 ms for a delayed ACK
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    server = uvicorn.Server(uvicorn.Config(service.app, log_level="warning", lifespan="off", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    host, port = listener.getsockname()
    base = f"http://{host}:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            http.get("/health").raise_for_status()
            with connection.connect() as client:
                client.subscribe_changes(f"{base}/changes/bench", None, None, ["employee.custompropertyupdated"])
            with connection.connect() as writer:
                page = writer.fetch_candidates_page(None, None, employees)
                ids = [c.remote_id for c in page.items][: plan.change_events]
                definition = _writable_string_definition(writer)
                published: dict[str, float] = {}
                started = time.perf_counter()
                for n, employee_id in enumerate(ids):
                    time.sleep(max(0.0, started + n / plan.change_rate - time.perf_counter()))  # pacing the load
                    published[employee_id] = time.perf_counter()
                    body = [{"propertyDefinitionId": definition, "propertyValue": f"bench {n}"}]
                    writer.passthrough("PUT", f"/Employees/{employee_id}/CustomData", None, body)
            with finished:
                finished.wait_for(lambda: all(i in done for i in published), WAIT_SECONDS)
            latencies = [done[i] - published[i] for i in published if i in done]
            result.parameters["refreshed"] = len(latencies)
            result.metrics["latency_p50_seconds"] = summarise([statistics.median(latencies)], "s")
            result.metrics["latency_p95_seconds"] = summarise([_percentile(latencies, 0.95)], "s")
            result.metrics["latency_max_seconds"] = summarise([max(latencies)], "s")
            delivery = [received[i] - published[i] for i in published if i in received]
            result.metrics["delivery_p50_seconds"] = summarise([statistics.median(delivery)], "s")
            result.metrics["refresh_p50_seconds"] = summarise(
                [statistics.median(done[i] - received[i] for i in published if i in done and i in received)], "s"
            )

            bodies = [
                (
                    '{"subscriptionId": "s", "timestamp": "2026-12-02T08:00:00", "eventName": "employee.updated",'
                    f' "tenantName": "t", "payload": {{"employeeId": {ids[i % len(ids)]}, "n": {i}}}}}'
                ).encode()
                for i in range(plan.change_burst)
            ]
            headers = {"X-ATS-Webhook-Token": SECRET, "content-type": "application/json"}
            burst_started = time.perf_counter()
            with ThreadPoolExecutor(8) as senders:
                statuses = list(
                    senders.map(
                        lambda body: http.post("/changes/bench", content=body, headers=headers).status_code, bodies
                    )
                )
            absorbed = time.perf_counter() - burst_started
            result.parameters["burst_accepted"] = statuses.count(202)
            result.metrics["absorbed_events_per_second"] = summarise([len(bodies) / absorbed], "events/s")
        p95 = result.metrics["latency_p95_seconds"].median
        result.met = len(latencies) == plan.change_events and p95 <= TARGET_P95_SECONDS
        result.headline = (
            f"p50 {statistics.median(latencies):.2f} s, p95 {p95:.2f} s at {plan.change_rate:g}/s; "
            f"{result.metrics['absorbed_events_per_second'].median:.0f} events/s absorbed"
        )
    finally:
        server.should_exit = True
        thread.join(30)
        service.close()
        listener.close()
        database.dispose()
        sandbox.stop()
    return result
