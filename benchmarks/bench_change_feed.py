"""Benchmark 6: the change feed, from a change in the sandbox to the row updated in the database.

The TempWorks sandbox (in this process, its webhook thread delivering) posts to `ats serve`'s app under
uvicorn on loopback; the receiver stores each event, and the in-process refresher reads the record by id
and upserts it into SQLite. Latency is publish -> row committed; throughput is deliveries a few
concurrent senders get answered (202) per second. Everything shares one process (and its GIL).
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
from ats_tempworks_sandbox.server import start_sandbox
from ats_tempworks_sandbox.state import SandboxOptions
from ats_tempworks_sandbox.tenant import EMPLOYEE

from ats_core.changes.refresh import RefreshKey
from ats_core.changes.service import build_service
from ats_core.connections import Connection
from ats_core.fleet import open_database
from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise

__all__ = ["run_change_feed"]

TARGET_P95_SECONDS = 2.0
SECRET = "benchmark-header-value"
WAIT_SECONDS = 120.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_change_feed(plan: Plan) -> BenchmarkResult:
    """Publish `change_events` changes at `change_rate`/s; then post `change_burst` deliveries at once."""
    result = BenchmarkResult(
        key="change_feed",
        title="6. change feed",
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
    sandbox = start_sandbox(SandboxOptions(size=employees, seed=9, faults={"rate_limit": "off"}))
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
    listener = socket.socket()
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
                client.subscribe_changes(f"{base}/changes/bench", None, None, ["employee.updated"])
            state = sandbox.state
            ids = [state.data.employees.id_of(i) for i in range(plan.change_events)]
            published: dict[str, float] = {}
            started = time.perf_counter()
            for n, employee_id in enumerate(ids):
                time.sleep(max(0.0, started + n / plan.change_rate - time.perf_counter()))  # pacing the load
                with state.lock:
                    state.touch(EMPLOYEE, employee_id, {"firstName": f"Bench{n}"})
                    published[str(employee_id)] = time.perf_counter()
                    state.webhooks.publish("employee.updated", {"employeeId": employee_id})
            with finished:
                finished.wait_for(lambda: all(i in done for i in published), WAIT_SECONDS)
            latencies = [done[i] - published[i] for i in published if i in done]
            result.parameters["refreshed"] = len(latencies)
            result.metrics["latency_p50_seconds"] = summarise([statistics.median(latencies)], "s")
            result.metrics["latency_p95_seconds"] = summarise([_percentile(latencies, 0.95)], "s")
            result.metrics["latency_max_seconds"] = summarise([max(latencies)], "s")

            bodies = [
                (
                    '{"subscriptionId": "s", "timestamp": "2026-12-02T08:00:00", "eventName": "employee.updated",'
                    f' "tenantName": "t", "payload": {{"employeeId": {state.data.employees.id_of(i)}, "n": {i}}}}}'
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
