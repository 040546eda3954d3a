"""Opening the fleet database: URLs, migrations on first use, the schema they build, private SQLite files."""

from __future__ import annotations

import re
import stat
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import Column, MetaData, Table, insert, inspect, select

from ats_core.cli import main
from ats_core.fleet import Database, DatabaseError, open_database
from ats_core.fleet.database import current_revision, database_url, head_revision
from ats_core.fleet.schema import CANONICAL_COLUMNS, RECORD_TABLES, VERSION_TABLE, metadata
from ats_core.fleet.sqltypes import UTCDateTime
from ats_core.operations import Entity, stream_page_operation
from ats_core.sync import ENTITY_OPERATIONS


def test_the_migrations_build_exactly_the_schema_the_code_declares(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        differences = [d for d in compare_metadata(context, metadata) if not _is_version_table(d)]
    assert differences == []
    assert current_revision(database) == head_revision()


def _is_version_table(difference: object) -> bool:
    return isinstance(difference, tuple) and difference[0] == "remove_table" and difference[1].name == VERSION_TABLE


def test_every_stream_has_a_records_table_whose_columns_are_fields_of_its_model() -> None:
    assert set(RECORD_TABLES) == set(ENTITY_OPERATIONS)
    for entity in Entity:
        model = stream_page_operation(entity).model
        columns = CANONICAL_COLUMNS[entity.stream]
        attributes = set(model.model_fields) | {
            name for name in dir(model) if isinstance(getattr(model, name), property)
        }
        assert columns and set(columns) <= attributes, entity


def test_a_database_at_the_newest_revision_is_opened_without_migrating(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fleet.db'}"
    open_database(url).dispose()
    again = open_database(url)
    assert current_revision(again) == head_revision()
    assert VERSION_TABLE in inspect(again.engine).get_table_names()
    again.dispose()


def test_two_processes_opening_a_new_database_at_once_both_find_it_migrated(database_url: str) -> None:
    errors: list[BaseException] = []
    opened: list[Database] = []
    start = threading.Barrier(2)

    def open_it() -> None:
        start.wait()
        try:
            opened.append(open_database(database_url))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(opened) == 2
    assert all(current_revision(database) == head_revision() for database in opened)
    for database in opened:
        database.dispose()


def test_a_new_sqlite_file_and_its_journal_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "fleet.db"
    database = open_database(str(path))
    with database.engine.begin() as connection:  # a write, so the WAL file exists
        connection.execute(insert(RECORD_TABLES["jobs"]).values(**_job_row()))
    files = [path, path.with_name("fleet.db-wal")]
    assert all(file.exists() for file in files)
    assert {stat.S_IMODE(file.stat().st_mode) for file in files} == {0o600}
    database.dispose()


def _job_row() -> dict[str, object]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return {"connection": "c", "remote_id": "1", "provider": "p", "record": {}, "first_seen": now, "last_seen": now}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ats.db", "sqlite:///ats.db"),
        ("sqlite:////var/lib/ats.db", "sqlite:////var/lib/ats.db"),
        ("postgresql://u:p@db/ats", "postgresql+psycopg://u:***@db/ats"),
        ("postgres://u@db/ats", "postgresql+psycopg://u@db/ats"),
    ],
)
def test_database_urls_take_paths_and_use_psycopg_for_postgresql(given: str, expected: str) -> None:
    assert database_url(given).render_as_string(hide_password=True) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("mysql://u@db/ats", "only SQLite (sqlite:///PATH) and PostgreSQL"),
        ("postgresql+psycopg2://u:secret@db/ats", "PostgreSQL goes through psycopg 3"),
    ],
)
def test_other_databases_are_refused_naming_what_works(given: str, expected: str) -> None:
    with pytest.raises(DatabaseError, match=re.escape(expected)) as refused:
        database_url(given)
    assert "secret" not in str(refused.value)


def test_an_unreachable_database_is_a_database_error_without_the_password() -> None:
    with pytest.raises(DatabaseError, match="cannot be opened") as refused:
        open_database("postgresql://someone:hunter2@127.0.0.1:1/none?connect_timeout=5")
    assert "hunter2" not in str(refused.value) and "***" in str(refused.value)


def test_times_are_stored_in_utc_and_read_back_aware(database: Database) -> None:
    table = Table("times", MetaData(), Column("at", UTCDateTime))
    table.create(database.engine)
    berlin = datetime(2026, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=1)))
    with database.engine.begin() as connection:
        connection.execute(insert(table).values(at=berlin))
        stored = connection.execute(select(table.c.at)).scalar_one()
    assert stored == berlin and stored.utcoffset() == timedelta(0)
    with pytest.raises(Exception, match="naive datetime"), database.engine.begin() as connection:
        connection.execute(insert(table).values(at=datetime(2026, 3, 1)))


def test_ats_db_upgrade_migrates_and_says_the_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'explicit.db'}"
    result = CliRunner().invoke(main, ["db", "upgrade", "--db", url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"at schema revision {head_revision()}" in result.output
    again = CliRunner().invoke(main, ["db", "upgrade"], env={"ATS_DB_URL": url}, catch_exceptions=False)
    assert again.exit_code == 0 and "already" in again.output


def test_ats_db_upgrade_of_a_database_it_cannot_reach_is_one_line_without_the_password() -> None:
    url = "postgresql://someone:hunter2@127.0.0.1:1/none?connect_timeout=5"
    result = CliRunner().invoke(main, ["db", "upgrade", "--db", url], catch_exceptions=False)
    assert result.exit_code == 1
    assert "cannot be opened" in result.output and "hunter2" not in result.output and "Traceback" not in result.output
