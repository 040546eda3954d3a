"""Benchmark 6: the fleet path (Celery workers, Redis, PostgreSQL) syncing many rate-limited tenants at once.

Each tenant is a TempWorks sandbox process with its own limit; every tenant's candidates are synced from
scratch, one task per tenant sent as beat would on its first tick, by 1, 2 or 4 workers (threads pool:
a task waiting for its tenant's window holds a thread, not a core). The ceiling is what the tenants'
limits allow together: tenants x requests per window x page size / window. Like benchmark 1, the first
window's burst is free (every limiter starts empty), so the sustained rate leaves it out; its time runs
from the first slice's start to the last page's commit, as the database records them (a worker's first
task imports the provider and opens the database before that: start-up, not throughput).
Needs PostgreSQL (ATS_TEST_POSTGRES_URL: `make bench` starts it through .ci/services.sh) and redis-server.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import redis
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import URL, make_url

from ats_core.fleet import open_database
from ats_core.fleet.celery_engine import SYNC_SLICE_TASK
from ats_core.fleet.schema import sync_runs
from benchmarks.fleet_processes import OwnRedis, running_fleet, wait_until
from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec

__all__ = ["run_fleet"]

TARGET_SHARE = 0.80
THREADS_PER_WORKER = 8
PAGE_BUDGET = 20


@dataclass(frozen=True)
class Shape:
    """What every tenant holds and allows: records sized to fill `windows` windows of its limit exactly."""

    plan: Plan

    @property
    def limit(self) -> str:
        return f"{self.plan.fleet_requests}/{self.plan.fleet_window_seconds:g}"

    @property
    def records(self) -> int:
        # A slice on a new connection spends one request on the stream's column lookup, which fetches no
        # records: counting one per slice, the tenant's pages and lookups fill its windows and no more.
        requests = self.plan.fleet_windows * self.plan.fleet_requests
        return (requests - math.ceil(requests / (PAGE_BUDGET + 1))) * self.plan.fleet_page_size

    @property
    def first_burst(self) -> int:
        """Records of the first window (the lookup and the rest pages), which go at once: not sustained."""
        return (self.plan.fleet_requests - 1) * self.plan.fleet_page_size

    @property
    def ceiling(self) -> float:
        """Records per second one tenant's limit allows."""
        return self.plan.fleet_requests * self.plan.fleet_page_size / self.plan.fleet_window_seconds


def _postgres_url() -> URL:
    url = os.environ.get("ATS_TEST_POSTGRES_URL")
    if not url:
        raise RuntimeError("no PostgreSQL: run through `make bench` (it starts one), or set ATS_TEST_POSTGRES_URL")
    return make_url(url)


def _write_connections(path: Path, tenants: list[SandboxProcess], plan: Plan) -> dict[str, str]:
    """The connections file of these tenants; returns the environment variables holding their secrets."""
    lines, secrets = [], {}
    for number, tenant in enumerate(tenants):
        settings = dict(tenant.settings)
        secrets[f"BENCH_TENANT_{number}_SECRET"] = str(settings.pop("client_secret"))
        settings |= {
            "requests_per_window": plan.fleet_requests,
            "window_seconds": plan.fleet_window_seconds,
            "lookback_seconds": 0,
        }
        inline = ", ".join(f"{key} = {value!r}".replace("'", '"') for key, value in settings.items())
        lines += [
            f"[connections.tenant-{number}]",
            'provider = "tempworks"',
            f"settings = {{ {inline} }}",
            f'secrets = {{ client_secret = {{ env = "BENCH_TENANT_{number}_SECRET" }} }}',
            f'streams = {{ candidates = {{ every = "1h", page_size = {plan.fleet_page_size} }} }}',
            "",
        ]
    path.write_text("\n".join(lines))
    return secrets


def _refused(tenants: list[SandboxProcess]) -> int:
    """429 answers the tenants have given so far."""
    total = 0
    for tenant in tenants:
        stats = httpx.get(f"{tenant.base_url}/_sandbox/stats", timeout=10).json()
        total += int(stats["injected"].get("rate_limited", 0))
    return total


@contextmanager
def _fresh_schema(admin: Engine, base: URL) -> Iterator[str]:
    """The URL of a new, migrated PostgreSQL schema, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        open_database(url).dispose()
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))


@dataclass(frozen=True)
class CellResult:
    """One cell: records per second sustained, its share of the ceiling, 429s, wall time from dispatch."""

    sustained: float
    share: float
    refused: int
    dispatch_to_done: float


def _run_cell(
    tenants: list[SandboxProcess], workers: int, shape: Shape, own_redis: OwnRedis, url: str, directory: Path
) -> CellResult:
    """Sync every tenant's candidates once with `workers` workers; measure it."""
    plan = shape.plan
    secrets = _write_connections(directory / "connections.toml", tenants, plan)
    environment = {
        **secrets,
        "ATS_DB_URL": url,
        "ATS_CONNECTIONS": str(directory / "connections.toml"),
        "ATS_BROKER_URL": own_redis.url,
        "ATS_PAGE_BUDGET": str(PAGE_BUDGET),
    }
    time.sleep(plan.fleet_window_seconds * 1.2)  # every server window empty: each cell starts alike
    store = redis.Redis.from_url(own_redis.url, socket_timeout=10)
    store.flushall()
    store.set("ats-rate:store-born", "0")  # empty because nothing was sent, not because Redis lost it
    refused_before = _refused(tenants)
    database = open_database(url)

    def complete() -> bool:
        with database.engine.connect() as connection:
            done = connection.execute(
                select(func.count()).where(sync_runs.c.status == "complete", sync_runs.c.records == shape.records)
            ).scalar_one()
        return int(done) == len(tenants)

    try:
        options = {"pool": "threads", "concurrency": THREADS_PER_WORKER, "beat": False}
        with running_fleet(environment, directory, workers, **options) as fleet:
            started = time.perf_counter()
            app = fleet.app
            for number in range(len(tenants)):
                app.send_task(SYNC_SLICE_TASK, args=(f"tenant-{number}", "candidates"))
            timeout = plan.fleet_windows * plan.fleet_window_seconds * 6 + 60
            wait_until(complete, f"{len(tenants)} tenants synced by {workers} workers", timeout=timeout)
            dispatch_to_done = time.perf_counter() - started
        with database.engine.connect() as connection:
            first_start, last_commit = connection.execute(
                select(func.min(sync_runs.c.started_at), func.max(sync_runs.c.finished_at))
            ).one()
    finally:
        database.dispose()
    sustained = len(tenants) * (shape.records - shape.first_burst) / (last_commit - first_start).total_seconds()
    share = 100.0 * sustained / (len(tenants) * shape.ceiling)
    return CellResult(sustained, share, _refused(tenants) - refused_before, dispatch_to_done)


def run_fleet(plan: Plan) -> BenchmarkResult:
    """Aggregate records/s for each tenants x workers cell against the ceiling the tenants' limits allow."""
    shape = Shape(plan)
    most = max(plan.fleet_tenants)
    result = BenchmarkResult(
        key="fleet",
        title="6. fleet: tenants x workers",
        target=f">= {TARGET_SHARE:.0%} of the tenants' combined limit at {most} tenants, zero 429",
        parameters={
            "tenant_rate_limit": f"{shape.limit} (requests/seconds), each tenant its own",
            "page_size": plan.fleet_page_size,
            "records_per_tenant": shape.records,
            "tenants": list(plan.fleet_tenants),
            "workers": list(plan.fleet_workers),
            "pool": f"threads, {THREADS_PER_WORKER} per worker",
            "page_budget": PAGE_BUDGET,
            "database": "PostgreSQL",
        },
    )
    base = _postgres_url()
    admin = create_engine(base)
    directory = Path(tempfile.mkdtemp(prefix="ats-bench-fleet-"))
    own_redis = OwnRedis(directory)
    tenants: list[SandboxProcess] = []
    cells: dict[tuple[int, int], CellResult] = {}
    try:
        own_redis.start()
        spec = SandboxSpec(employees=shape.records, faults={"rate_limit": shape.limit})
        for seed in range(most):
            tenants.append(SandboxProcess(replace(spec, seed=seed + 1)))
            tenants[-1].start()
        for count in plan.fleet_tenants:
            for workers in plan.fleet_workers:
                cell_directory = directory / f"{count}x{workers}"
                cell_directory.mkdir()
                with _fresh_schema(admin, base) as url:
                    cells[count, workers] = _run_cell(tenants[:count], workers, shape, own_redis, url, cell_directory)
    finally:
        for tenant in tenants:
            tenant.stop()
        own_redis.kill()
        admin.dispose()
        shutil.rmtree(directory, ignore_errors=True)
    for (count, workers), cell in cells.items():
        key = f"{count}t_{workers}w"
        result.metrics[f"{key}_records_per_s"] = summarise([cell.sustained], "records/s")
        result.metrics[f"{key}_share_of_ceiling"] = summarise([cell.share], "%")
        result.metrics[f"{key}_responses_429"] = summarise([float(cell.refused)], "responses")
        result.metrics[f"{key}_dispatch_to_done"] = summarise([cell.dispatch_to_done], "s")
    best = max(cell.share for (count, _), cell in cells.items() if count == most)
    refused = sum(cell.refused for cell in cells.values())
    result.met = best / 100.0 >= TARGET_SHARE and refused == 0
    result.headline = (
        f"{most} tenants: {best:.0f}% of the ceiling ({most * shape.ceiling:g} records/s) at best; 429s: {refused}"
    )
    return result
