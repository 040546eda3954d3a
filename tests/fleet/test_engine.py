"""The engine-neutral pieces (settings, retry decisions, schedules) and the Celery task run eagerly in process."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from ats_core.cli import main
from ats_core.errors import (
    AuthenticationFailed,
    ConfigurationError,
    InvalidResponse,
    PermissionDenied,
    ProviderUnavailable,
    RateLimited,
)
from ats_core.fleet import DatabaseError, SliceKey, SliceLockLost, open_database, read_state
from ats_core.fleet.celery_engine import SYNC_SLICE_TASK, create_app
from ats_core.fleet.engine import (
    RETRY_MAX_SECONDS,
    EngineSettings,
    ScheduledStream,
    retry_delay,
    scheduled_streams,
)
from ats_core.fleet.schema import RECORD_TABLES

CONNECTIONS = """
[connections.acme]
provider = "example"
settings = { size = 37 }
streams = { candidates = { every = "15m", page_size = 5 }, jobs = { every = "1h" } }

[connections.globex]
provider = "example"
settings = { size = 12, seed = 4 }
streams = { candidates = { every = "30s" } }
"""

TRANSIENT = [
    ProviderUnavailable(status_code=503),
    RateLimited(retry_after=3),
    OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly")),
    DatabaseError("postgresql://ats@db/ats cannot be opened: connection refused", unreachable=True),
]
PERMANENT = [
    AuthenticationFailed(status_code=401),
    PermissionDenied(status_code=403),
    InvalidResponse("email: not an email"),
    ConfigurationError("tenant", "is required"),
    DatabaseError("sqlite:///x: only SQLite and PostgreSQL are supported"),
    SliceLockLost(SliceKey("acme", "candidates")),
    ValueError("a bug"),
]


@pytest.fixture
def settings(tmp_path: Path) -> EngineSettings:
    path = tmp_path / "connections.toml"
    path.write_text(CONNECTIONS)
    return EngineSettings(database=f"sqlite:///{tmp_path / 'fleet.db'}", connections=path, page_budget=2)


@pytest.mark.parametrize("error", TRANSIENT, ids=lambda error: type(error).__name__)
@given(attempt=st.integers(min_value=0, max_value=40), seed=st.integers())
def test_transient_errors_are_retried_after_a_growing_capped_backoff(error: Exception, attempt: int, seed: int) -> None:
    delay = retry_delay(error, attempt, random.Random(seed))
    assert delay is not None and 0 < delay <= RETRY_MAX_SECONDS
    ceiling = min(RETRY_MAX_SECONDS, 2.0 * 2**attempt)
    assert delay >= ceiling / 2 or isinstance(error, RateLimited)


def test_a_rate_limit_is_retried_no_sooner_than_it_asks() -> None:
    assert retry_delay(RateLimited(retry_after=45), 0, random.Random(1)) == pytest.approx(45)


@pytest.mark.parametrize("error", PERMANENT, ids=lambda error: type(error).__name__)
def test_errors_a_retry_cannot_fix_are_not_retried(error: Exception) -> None:
    assert retry_delay(error, 0) is None


def test_settings_come_from_the_ats_environment_variables() -> None:
    environ = {
        "ATS_DB_URL": "postgresql://ats@db/ats",
        "ATS_CONNECTIONS": "/etc/ats/connections.toml",
        "ATS_BROKER_URL": "redis://broker:6379/2",
        "ATS_PAGE_BUDGET": "25",
    }
    assert EngineSettings.from_environment(environ) == EngineSettings(
        "postgresql://ats@db/ats",
        Path("/etc/ats/connections.toml"),
        "redis://broker:6379/2",
        25,
        rate_limit_storage="redis://broker:6379/2",  # rate limits are shared where the broker is
    )
    elsewhere = {**environ, "ATS_RATE_LIMIT_STORAGE": "redis://limits:6379/0"}
    assert EngineSettings.from_environment(elsewhere).rate_limit_storage == "redis://limits:6379/0"
    with pytest.raises(ConfigurationError, match="ATS_PAGE_BUDGET"):
        EngineSettings.from_environment({"ATS_PAGE_BUDGET": "0"})


def test_beat_schedules_every_stream_of_the_connections_file_at_its_interval(settings: EngineSettings) -> None:
    assert scheduled_streams(settings) == [
        ScheduledStream("acme", "candidates", timedelta(minutes=15)),
        ScheduledStream("acme", "jobs", timedelta(hours=1)),
        ScheduledStream("globex", "candidates", timedelta(seconds=30)),
    ]
    schedule = create_app(settings).conf.beat_schedule
    assert schedule["globex:candidates"] == {
        "task": SYNC_SLICE_TASK,
        "schedule": 30.0,
        "args": ("globex", "candidates"),
    }
    assert set(schedule) == {"acme:candidates", "acme:jobs", "globex:candidates"}


def test_the_task_is_acknowledged_late_and_requeued_when_its_worker_dies(settings: EngineSettings) -> None:
    task = create_app(settings).tasks[SYNC_SLICE_TASK]
    assert task.acks_late and task.reject_on_worker_lost


def test_a_task_continues_itself_until_the_run_is_complete(
    settings: EngineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATS_BROKER_URL", "memory://")  # not Redis: no shared rate limit (the example has none)
    for variable, value in {
        "ATS_DB_URL": settings.database,
        "ATS_CONNECTIONS": str(settings.connections),
        "ATS_PAGE_BUDGET": "2",
    }.items():
        monkeypatch.setenv(variable, value)
    celery = create_app(settings)
    celery.conf.task_always_eager = True  # continuations run in this process, one after the other
    celery.tasks[SYNC_SLICE_TASK].apply_async(args=("acme", "candidates"))

    database = open_database(settings.database)
    table = RECORD_TABLES["candidates"]
    with database.engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(table)).scalar_one()
        state = read_state(connection, SliceKey("acme", "candidates"))
    database.dispose()
    assert stored == 37
    assert state is not None and state.status == "complete" and state.pages == 8  # 37 records, 5 a page


def test_ats_beat_refuses_to_start_without_a_connections_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["beat", "--connections", str(tmp_path / "none.toml")])
    assert result.exit_code == 1
    assert "no connections file at" in result.output and "--connections FILE" in result.output


def test_ats_worker_hands_its_options_to_the_tasks_through_the_environment(
    settings: EngineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr("celery.Celery.start", lambda _app, argv: started.append(argv))
    for variable in ("ATS_DB_URL", "ATS_CONNECTIONS", "ATS_BROKER_URL"):
        monkeypatch.setenv(variable, "before")  # restored after the test, which the command's values overwrite
    arguments = ["worker", "--db", settings.database, "--connections", str(settings.connections)]
    result = CliRunner().invoke(main, [*arguments, "--broker", "redis://b:6379/1", "--", "--pool", "threads"])
    assert result.exit_code == 0, result.output
    assert started == [["worker", "--loglevel", "INFO", "--pool", "threads"]]
    assert EngineSettings.from_environment() == EngineSettings(
        settings.database, settings.connections, "redis://b:6379/1", rate_limit_storage="redis://b:6379/1"
    )
