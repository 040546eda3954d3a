"""Fixtures of the fleet tests: the database under test (SQLite always, PostgreSQL for real), services, a clock.

PostgreSQL and Redis come from ATS_TEST_POSTGRES_URL / ATS_TEST_REDIS_URL, which `make test` exports after
.ci/services.sh has started them. Without them a test needing one skips saying so; with CI=true it fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fleet_support import Clock, service_url
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ats_core.fleet import Database, open_database


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    base = make_url(service_url("ATS_TEST_POSTGRES_URL", "PostgreSQL"))
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: a SQLite file, and a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fleet.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """The database at `database_url`, migrated."""
    opened = open_database(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def clock() -> Clock:
    """A fake clock a month after the fake records' times."""
    return Clock()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database, for what only SQLite does (leases)."""
    opened = open_database(f"sqlite:///{tmp_path / 'fleet.db'}")
    yield opened
    opened.dispose()


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[Database]:
    """A migrated PostgreSQL database, for what only PostgreSQL does (advisory locks)."""
    opened = open_database(postgres_url)
    yield opened
    opened.dispose()
