"""Opening the fleet database: a URL or a path to an Engine whose schema is migrated to the latest revision.

SQLite (the embedded default, `sqlite:///ats.db`) needs nothing beyond SQLAlchemy: its file is created
0600 (it holds candidates' details), runs in WAL mode so readers never block the writer, and every
transaction is BEGIN IMMEDIATE so two writers queue instead of failing to upgrade a read lock.
PostgreSQL (`postgresql://...`) goes through psycopg 3: `pip install 'ats-core[postgres]'`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from ats_core.fleet.errors import FleetError
from ats_core.fleet.schema import VERSION_TABLE

__all__ = [
    "DEFAULT_DATABASE_URL",
    "Database",
    "DatabaseError",
    "database_url",
    "head_revision",
    "migrate_to_head",
    "open_database",
    "upgrade",
]

DEFAULT_DATABASE_URL = "sqlite:///ats.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK_KEY = 0x6174735F736368  # "ats_sch": one migration at a time on a PostgreSQL database

Dialect = Literal["sqlite", "postgresql"]


class DatabaseError(FleetError):
    """The database cannot be opened or migrated; the message names it (password hidden) and what to do.

    `unreachable`: the server could not be reached (down, restarting), so trying again later may succeed.
    """

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


def database_url(text: str | URL) -> URL:
    """A SQLAlchemy URL: given as one, or a path to a SQLite file; `postgresql://` means psycopg 3."""
    if isinstance(text, str) and "://" not in text:
        return URL.create("sqlite", database=text)
    try:
        url = make_url(text)
    except ArgumentError:
        raise DatabaseError(
            f"'{text}' is not a database URL: use sqlite:///PATH or postgresql://USER@HOST/DB"
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"{_shown(url)}: only SQLite (sqlite:///PATH) and PostgreSQL (postgresql://...) are supported"
        )
    if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
        raise DatabaseError(f"{_shown(url)}: PostgreSQL goes through psycopg 3; write postgresql+psycopg://...")
    return url


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


@dataclass(frozen=True)
class Database:
    """An opened fleet database: the engine, and which dialect it speaks."""

    engine: Engine

    @property
    def dialect(self) -> Dialect:
        """`sqlite` or `postgresql`."""
        return "sqlite" if self.engine.dialect.name == "sqlite" else "postgresql"

    @property
    def url(self) -> str:
        """The URL with its password hidden, for messages."""
        return _shown(self.engine.url)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url!r})"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def open_database(url: str | URL, *, migrate: bool = True) -> Database:
    """Open the database at `url`, creating a SQLite file 0600, and migrate it to the latest schema first."""
    url = database_url(url)
    sqlite_file = (
        Path(url.database)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        else None
    )
    if sqlite_file is not None:
        _create_private_file(sqlite_file)
    try:
        engine = create_engine(url, json_serializer=_json, pool_pre_ping=url.get_backend_name() == "postgresql")
    except NoSuchModuleError:
        raise DatabaseError(f"{_shown(url)}: no driver installed; pip install 'ats-core[postgres]'") from None
    except ModuleNotFoundError as missing:
        raise DatabaseError(
            f"{_shown(url)}: {missing.name} is not installed; pip install 'ats-core[postgres]'"
        ) from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    database = Database(engine)
    if migrate:
        try:
            with _opening(sqlite_file):
                migrate_to_head(database)
        except DatabaseError:
            engine.dispose()
            raise
    return database


@contextlib.contextmanager
def _opening(sqlite_file: Path | None) -> Iterator[None]:
    """One process at a time switches a new SQLite file to WAL and migrates it (PostgreSQL locks in SQL).

    SQLite answers "database is locked" without waiting when two connections race to convert a new file's
    journal; a lock file beside it orders them, waited on no longer than SQLite's own busy timeout.
    """
    if sqlite_file is None:
        yield
        return
    handle = os.open(sqlite_file.with_name(f".{sqlite_file.name}.open-lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DatabaseError(
                        f"{sqlite_file} is being opened by another process for longer than "
                        f"{SQLITE_BUSY_TIMEOUT_MS // 1000} s; try again when it has finished"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(handle)


def migrate_to_head(database: Database) -> tuple[str | None, str]:
    """Migrate unless the database is at the newest revision already; (revision before, revision now)."""
    try:
        before = current_revision(database)
        return before, (upgrade(database) if before != head_revision() else before)
    except SQLAlchemyError as error:
        unreachable = isinstance(error, OperationalError)
        raise DatabaseError(f"{database.url} cannot be opened: {_first_line(error)}", unreachable=unreachable) from None


def _first_line(error: SQLAlchemyError) -> str:
    """The driver's own message when there is one (SQLAlchemy's adds the statement and a link)."""
    cause = getattr(error, "orig", None) or error
    return (str(cause).strip().splitlines() or [type(error).__name__])[0]


def _create_private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only; SQLite gives its -wal and -shm files the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not the driver, begins transactions
        cursor = dbapi_connection.cursor()
        # busy_timeout first: switching a new file to WAL takes a lock another process may hold this instant
        for pragma in (f"busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}", "journal_mode = WAL", "foreign_keys = ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


@cache
def head_revision() -> str:
    """The newest schema revision this package ships."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the package ships no migration"
    return head


def current_revision(database: Database) -> str | None:
    """The database's schema revision; None before the first migration."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def upgrade(database: Database) -> str:
    """Run the migrations up to the newest revision in one transaction (one process at a time); return it."""
    config = _alembic_config()
    with database.engine.begin() as connection:
        if database.dialect == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()
