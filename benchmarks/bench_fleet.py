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
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

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


def _postgres_url() -> str:
    import os

    url = os.environ.get("ATS_TEST_POSTGRES_URL")
    if not url:
        raise RuntimeError("no PostgreSQL: run through `make bench` (it starts one), or set ATS_TEST_POSTGRES_URL")
    return url


def _connections(path: Path, tenants: list[SandboxProcess], plan: Plan) -> dict[str, str]:
    """The connections file of these tenants; returns the environment holding their secrets."""
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
    total = 0
    for tenant in tenants:
        stats = httpx.get(f"{tenant.base_url}/_sandbox/stats", timeout=10).json()
        total += int(stats["injected"].get("rate_limited", 0))
    return total


def run_fleet(plan: Plan) -> BenchmarkResult:
    """Aggregate records/s for each tenants x workers cell against the ceiling the tenants' limits allow."""
    windows, per_window = plan.fleet_windows, plan.fleet_requests * plan.fleet_page_size
    # Each task opens its own connection, whose first request (the stream's column lookup) fetches no records:
    # the tenant's records fill its windows with those requests in, so the run ends at a window's start.
    requests = windows * plan.fleet_requests
    pages = requests - math.ceil(requests / (PAGE_BUDGET + 1))
    records_per_tenant = pages * plan.fleet_page_size
    first_burst = (plan.fleet_requests - 1) * plan.fleet_page_size
    per_tenant_ceiling = per_window / plan.fleet_window_seconds
    limit = f"{plan.fleet_requests}/{plan.fleet_window_seconds:g}"
    result = BenchmarkResult(
        key="fleet",
        title="6. fleet: tenants x workers",
        target=f">= {TARGET_SHARE:.0%} of the tenants' combined limit at {max(plan.fleet_tenants)} tenants, zero 429",
        parameters={
            "tenant_rate_limit": f"{limit} (requests/seconds), each tenant its own",
            "page_size": plan.fleet_page_size,
            "records_per_tenant": records_per_tenant,
            "tenants": list(plan.fleet_tenants),
            "workers": list(plan.fleet_workers),
            "pool": f"threads, {THREADS_PER_WORKER} per worker",
            "page_budget": PAGE_BUDGET,
            "database": "PostgreSQL",
        },
    )
    base = make_url(_postgres_url())
    admin = create_engine(base)
    refused_total, best_share_at_most = 0.0, 0.0
    directory = Path(tempfile.mkdtemp(prefix="ats-bench-fleet-"))
    redis = OwnRedis(directory)
    redis.start()
    tenants: list[SandboxProcess] = []
    try:
        spec = SandboxSpec(employees=records_per_tenant, faults={"rate_limit": limit})
        for seed in range(max(plan.fleet_tenants)):
            tenant = SandboxProcess(SandboxSpec(**{**spec.__dict__, "seed": seed + 1}))
            tenant.start()
            tenants.append(tenant)
        for count in plan.fleet_tenants:
            for workers in plan.fleet_workers:
                schema = f"bench_{uuid.uuid4().hex[:10]}"
                with admin.begin() as connection:
                    connection.execute(text(f"CREATE SCHEMA {schema}"))
                url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
                open_database(url).dispose()
                cell = directory / f"{count}x{workers}"
                cell.mkdir()
                secrets = _connections(cell / "connections.toml", tenants[:count], plan)
                environment = {
                    **secrets,
                    "ATS_DB_URL": url,
                    "ATS_CONNECTIONS": str(cell / "connections.toml"),
                    "ATS_BROKER_URL": redis.url,
                    "ATS_PAGE_BUDGET": str(PAGE_BUDGET),
                }
                # every server window and shared window empty: the first burst of each cell is the same
                time.sleep(plan.fleet_window_seconds * 1.2)
                redis_client = redis_connection(redis.url)
                redis_client.flushall()
                redis_client.set("ats-rate:store-born", "0")
                refused_before = _refused(tenants[:count])
                database = open_database(url)
                with running_fleet(
                    environment, cell, workers, pool="threads", concurrency=THREADS_PER_WORKER, beat=False
                ) as fleet:
                    app = fleet.app
                    started = time.perf_counter()
                    for number in range(count):
                        app.send_task(SYNC_SLICE_TASK, args=(f"tenant-{number}", "candidates"))

                    def complete(database=database, count=count) -> bool:
                        with database.engine.connect() as connection:
                            done = connection.execute(
                                select(func.count()).where(
                                    sync_runs.c.status == "complete", sync_runs.c.records == records_per_tenant
                                )
                            ).scalar_one()
                        return int(done) == count

                    wait_until(
                        complete,
                        f"{count} tenants synced by {workers} workers",
                        timeout=windows * plan.fleet_window_seconds * 6 + 60,
                    )
                    dispatch_to_done = time.perf_counter() - started
                with database.engine.connect() as connection:
                    first_start, last_commit = connection.execute(
                        select(func.min(sync_runs.c.started_at), func.max(sync_runs.c.finished_at))
                    ).one()
                seconds = (last_commit - first_start).total_seconds()
                database.dispose()
                refused = _refused(tenants[:count]) - refused_before
                sustained = count * (records_per_tenant - first_burst) / seconds
                ceiling = count * per_tenant_ceiling
                share = 100.0 * sustained / ceiling
                key = f"{count}t_{workers}w"
                result.metrics[f"{key}_records_per_s"] = summarise([sustained], "records/s")
                result.metrics[f"{key}_share_of_ceiling"] = summarise([share], "%")
                result.metrics[f"{key}_responses_429"] = summarise([float(refused)], "responses")
                result.metrics[f"{key}_dispatch_to_done"] = summarise([dispatch_to_done], "s")
                refused_total += refused
                if count == max(plan.fleet_tenants):
                    best_share_at_most = max(best_share_at_most, share)
                with admin.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    finally:
        for tenant in tenants:
            tenant.stop()
        redis.kill()
        admin.dispose()
        shutil.rmtree(directory, ignore_errors=True)
    result.met = best_share_at_most / 100.0 >= TARGET_SHARE and refused_total == 0
    result.headline = (
        f"{max(plan.fleet_tenants)} tenants: {best_share_at_most:.0f}% of the ceiling "
        f"({max(plan.fleet_tenants) * per_tenant_ceiling:g} records/s) at best; 429s: {int(refused_total)}"
    )
    return result


def redis_connection(url: str):  # type: ignore[no-untyped-def]
    import redis

    return redis.Redis.from_url(url, socket_timeout=10)
