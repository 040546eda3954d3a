"""The fleet path for real: Celery workers and beat as processes, Redis, PostgreSQL, three sandbox tenants.

Each test runs the fleet through one disruption: a worker process SIGKILLed mid-slice, Redis killed and
restarted, the database's connections cut. Afterwards every tenant's table equals what its sandbox serves
(none lost, none duplicated), no tenant saw a 429, and every slice's state is complete and adds up.

The Redis is the test's own (a free port, appendonly, so it can be killed); the database is a fresh schema
in the PostgreSQL `make test` provides. "The database restarted" is every session of this test's workers
ended by pg_terminate_backend (they connect with an application_name of their own): restarting the
PostgreSQL cluster would cut the other test runs sharing it, and to a worker both look the same, a
connection that died mid-transaction. Needs PostgreSQL and Redis (ATS_TEST_POSTGRES_URL, ATS_TEST_REDIS_URL).
"""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fleet_support import service_url
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from ats_core import connect
from ats_core.fleet import Database, SliceKey, open_database, read_state
from ats_core.fleet.schema import RECORD_TABLES, sync_runs
from ats_core.http.ratelimit import use_shared_rate_limits
from ats_core.sandbox import RunningSandbox, SandboxOptions, available_sandboxes, start_sandbox
from ats_core.sync import client_page_fetcher
from benchmarks.fleet_processes import Fleet, OwnRedis, running_fleet, wait_until

pytestmark = pytest.mark.timeout(120)

TENANTS, SIZE, PAGE_SIZE, LIMIT, WORKERS = 3, 60, 5, 10, 3
STREAM = "candidates"


@pytest.fixture(scope="module")
def tenants() -> Iterator[list[RunningSandbox]]:
    """Three TempWorks tenants on loopback, each limited to LIMIT requests in any second."""
    if "tempworks" not in available_sandboxes():
        pytest.skip("the TempWorks sandbox is not installed")
    running: list[RunningSandbox] = []
    try:
        for seed in range(TENANTS):
            options = SandboxOptions(size=SIZE, seed=seed + 1, faults={"rate_limit": f"{LIMIT}/1"})
            running.append(start_sandbox("tempworks", options))
        yield running
    finally:
        for sandbox in running:
            sandbox.stop()


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[OwnRedis]:
    service_url("ATS_TEST_REDIS_URL", "Redis")  # Redis is installed: this test starts its own on another port
    own = OwnRedis(tmp_path)
    own.start()
    try:
        yield own
    finally:
        own.kill()


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """The test's PostgreSQL schema, with an application_name its sessions can be found (and ended) by."""
    return (
        make_url(postgres_url)
        .update_query_dict({"application_name": f"ats-fleet-{uuid.uuid4().hex[:8]}"})
        .render_as_string(hide_password=False)
    )


def tenant_settings(sandbox: RunningSandbox) -> dict[str, Any]:
    return {**sandbox.settings, "requests_per_window": LIMIT, "window_seconds": 1, "lookback_seconds": 0}


def write_connections(path: Path, tenants: list[RunningSandbox]) -> dict[str, str]:
    """The connections file (beat runs each tenant's candidates every 2 s); returns the secrets' variables."""
    lines, secrets = [], {}
    for number, sandbox in enumerate(tenants):
        settings = tenant_settings(sandbox)
        secrets[f"TENANT_{number}_SECRET"] = settings.pop("client_secret")
        inline = ", ".join(
            f"{key} = {value!r}" if isinstance(value, str) else f"{key} = {value}" for key, value in settings.items()
        )
        lines += [
            f"[connections.tenant-{number}]",
            'provider = "tempworks"',
            f"settings = {{ {inline.replace(chr(39), chr(34))} }}",
            f'secrets = {{ client_secret = {{ env = "TENANT_{number}_SECRET" }} }}',
            f'streams = {{ {STREAM} = {{ every = "2s", page_size = {PAGE_SIZE} }} }}',
            "",
        ]
    path.write_text("\n".join(lines))
    return secrets


@pytest.fixture
def fleet_environment(
    tmp_path: Path, tenants: list[RunningSandbox], redis: OwnRedis, database_url: str
) -> dict[str, str]:
    connections = tmp_path / "connections.toml"
    secrets = write_connections(connections, tenants)
    open_database(database_url).dispose()  # migrated once here, not raced by the workers
    return {
        **secrets,
        "ATS_DB_URL": database_url,
        "ATS_CONNECTIONS": str(connections),
        "ATS_BROKER_URL": redis.url,
        "ATS_PAGE_BUDGET": "4",
    }


def rate_limited(tenants: list[RunningSandbox]) -> list[int]:
    return [int(sandbox.stats()["injected"].get("rate_limited", 0)) for sandbox in tenants]  # type: ignore[attr-defined]


def states(database: Database) -> dict[str, Any]:
    with database.engine.connect() as connection:
        return {f"tenant-{n}": read_state(connection, SliceKey(f"tenant-{n}", STREAM)) for n in range(TENANTS)}


def slices_in_flight(database: Database) -> bool:
    """True once some tenant's first run has committed a page and is not finished: mid-slice."""
    return any(
        state is not None and state.status == "running" and state.pages >= 1 for state in states(database).values()
    )


def all_complete(database: Database) -> bool:
    """True once every tenant's first run (the full read) is complete; beat's later runs find nothing new."""
    with database.engine.connect() as connection:
        done = connection.execute(
            select(func.count()).where(sync_runs.c.run == 1, sync_runs.c.status == "complete")
        ).scalar_one()
    return int(done) == TENANTS


def served(sandbox: RunningSandbox, redis_url: str) -> dict[str, Any]:
    """Every candidate the tenant serves, read within its shared limit (so this read draws no 429 either)."""
    records: dict[str, Any] = {}
    use_shared_rate_limits(redis_url)
    try:
        with connect("tempworks", tenant_settings(sandbox)) as client:
            fetch, cursor = client_page_fetcher(client, STREAM), None
            while True:
                page = fetch(None, cursor, 50)
                records |= {record.remote_id: record.model_dump(mode="json") for record in page.items}
                if page.next_cursor is None:
                    return records
                cursor = page.next_cursor
    finally:
        use_shared_rate_limits(None)


def check_consistent(database: Database, tenants: list[RunningSandbox], redis: OwnRedis, before_429: list[int]) -> None:
    """Every tenant's table equals its sandbox, no 429, and each slice's runs add up to its records."""
    table = RECORD_TABLES[STREAM]
    for number, sandbox in enumerate(tenants):
        name = f"tenant-{number}"
        with database.engine.connect() as connection:
            stored = dict(
                connection.execute(select(table.c.remote_id, table.c.record).where(table.c.connection == name)).all()
            )
            first_run = (
                connection.execute(select(sync_runs).where(sync_runs.c.connection == name, sync_runs.c.run == 1))
                .mappings()
                .one()
            )
            rows = connection.execute(
                select(func.count()).select_from(table).where(table.c.connection == name)
            ).scalar_one()
        assert rows == SIZE and stored == served(sandbox, redis.url), name
        assert (first_run["status"], first_run["records"], first_run["full_pass"]) == ("complete", SIZE, True), name
    assert rate_limited(tenants) == before_429  # not one 429, for any tenant, during the run or the check


def run_to_completion(fleet: Fleet, database: Database) -> None:
    wait_until(lambda: all_complete(database), "every tenant's first run completes", timeout=90)


def kill_a_task_mid_slice(fleet: Fleet, database: Database) -> bool:
    """SIGKILL the pool process of a running task once a slice is mid-run; True once Celery saw a task lost.

    A task may finish between being listed and the kill (then an idle process died): False, try again.
    """
    lost_before = fleet.logs(tail=None).count("WorkerLostError")
    active = fleet.active_tasks() if slices_in_flight(database) else []
    if not active:
        return False
    os.kill(int(active[0]["worker_pid"]), signal.SIGKILL)
    try:
        wait_until(lambda: fleet.logs(tail=None).count("WorkerLostError") > lost_before, "the task lost", timeout=5)
    except AssertionError:
        return False
    return True


def test_a_worker_killed_mid_slice_loses_and_duplicates_nothing(
    fleet_environment: dict[str, str], tenants: list[RunningSandbox], redis: OwnRedis, database_url: str, tmp_path: Path
) -> None:
    before = rate_limited(tenants)
    database = open_database(database_url)
    with running_fleet(fleet_environment, tmp_path, WORKERS) as fleet:
        try:
            wait_until(lambda: kill_a_task_mid_slice(fleet, database), "a pool process killed while running a slice")
            run_to_completion(fleet, database)
        except AssertionError:
            print(fleet.logs())
            raise
    check_consistent(database, tenants, redis, before)
    database.dispose()


def test_redis_restarted_mid_run_loses_and_duplicates_nothing(
    fleet_environment: dict[str, str], tenants: list[RunningSandbox], redis: OwnRedis, database_url: str, tmp_path: Path
) -> None:
    before = rate_limited(tenants)
    database = open_database(database_url)
    with running_fleet(fleet_environment, tmp_path, WORKERS) as fleet:
        try:
            wait_until(lambda: slices_in_flight(database), "a slice is mid-run")
            redis.restart()
            run_to_completion(fleet, database)
        except AssertionError:
            print(fleet.logs())
            raise
    check_consistent(database, tenants, redis, before)
    database.dispose()


def test_the_database_cut_off_mid_run_loses_and_duplicates_nothing(
    fleet_environment: dict[str, str], tenants: list[RunningSandbox], redis: OwnRedis, database_url: str, tmp_path: Path
) -> None:
    before = rate_limited(tenants)
    database = open_database(database_url)
    application = make_url(database_url).query["application_name"]
    admin = create_engine(service_url("ATS_TEST_POSTGRES_URL", "PostgreSQL"))
    with running_fleet(fleet_environment, tmp_path, WORKERS) as fleet:
        try:
            wait_until(lambda: slices_in_flight(database), "a slice is mid-run")
            with admin.connect() as connection:
                ended = connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": application},
                ).scalar_one()
            assert ended >= 1
            run_to_completion(fleet, database)
        except AssertionError:
            print(fleet.logs())
            raise
    admin.dispose()
    check_consistent(database, tenants, redis, before)
    database.dispose()
