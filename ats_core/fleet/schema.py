"""The fleet database (SQLAlchemy Core): one table of records per stream, sync state, run history, quarantine, locks.

Every table is keyed by the connection's name, so many tenants share one database. The Alembic migrations
in `migrations/versions/` build exactly this schema; a test compares the two on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

from ats_core.fleet.sqltypes import JSONDocument, UTCDateTime

__all__ = [
    "CANONICAL_COLUMNS",
    "RECORD_TABLES",
    "VERSION_TABLE",
    "change_inbox",
    "metadata",
    "quarantine",
    "slice_locks",
    "sync_runs",
    "sync_state",
]

VERSION_TABLE = "ats_schema_version"
"""Alembic's version table, named so it cannot clash with an application's own `alembic_version`."""

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_RECORD_KEYS = ("connection", "remote_id")
_RECORD_BOOKKEEPING = ("provider", "record", "updated_at", "first_seen", "last_seen", "last_seen_pass", "deleted_at")


def _record_table(name: str, *canonical: Column[object], indexes: tuple[Index, ...] = ()) -> Table:
    """A stream's records: keys, a few canonical columns to query by, the whole canonical record, and bookkeeping."""
    return Table(
        name,
        metadata,
        Column("connection", Text, primary_key=True),
        Column("remote_id", Text, primary_key=True),
        Column("provider", Text, nullable=False),
        *canonical,
        Column("record", JSONDocument, nullable=False, comment="the canonical record, model_dump(mode='json')"),
        Column("updated_at", UTCDateTime, comment="the ATS's modification time; an older version never wins"),
        Column("first_seen", UTCDateTime, nullable=False),
        Column("last_seen", UTCDateTime, nullable=False),
        Column("last_seen_pass", Integer, comment="the last full pass that returned the record"),
        Column("deleted_at", UTCDateTime, comment="set when a completed full pass no longer returned the record"),
        Index(None, "connection", "updated_at"),
        *indexes,
    )


candidates = _record_table(
    "candidates",
    Column("first_name", Text),
    Column("last_name", Text),
    Column("email", Text),
    Column("status", Text),
    Column("is_active", Boolean),
    Column("created_at", UTCDateTime),
)
jobs = _record_table(
    "jobs",
    Column("title", Text),
    Column("status", Text),
    Column("is_active", Boolean),
    Column("company_name", Text),
    Column("created_at", UTCDateTime),
)
applications = _record_table(
    "applications",
    Column("candidate_id", Text),
    Column("job_id", Text),
    Column("status", Text),
    Column("stage", Text),
    Column("is_active", Boolean),
    Column("created_at", UTCDateTime),
    indexes=(Index(None, "connection", "candidate_id"), Index(None, "connection", "job_id")),
)

RECORD_TABLES: Mapping[str, Table] = MappingProxyType(
    {"candidates": candidates, "jobs": jobs, "applications": applications}
)
"""Stream name -> its records table."""

CANONICAL_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        stream: tuple(c.name for c in table.columns if c.name not in (*_RECORD_KEYS, *_RECORD_BOOKKEEPING))
        for stream, table in RECORD_TABLES.items()
    }
)
"""Stream name -> the canonical fields copied into columns of their own (the record's attributes of that name)."""

sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection", Text, nullable=False),
    Column("stream", Text, nullable=False),
    Column("provider", Text, nullable=False),
    Column("run", Integer, nullable=False, comment="1 for the first run of this connection and stream"),
    Column("full_pass", Boolean, nullable=False, comment="reads everything (no updated_after): finds deletes"),
    Column("updated_after", UTCDateTime),
    Column("status", Text, nullable=False, comment="running | complete | failed (resumes from the cursor)"),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("pages", Integer, nullable=False, default=0),
    Column("records", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
    Column("deleted", Integer, nullable=False, default=0),
    Column("faults_retried", Integer, comment="NULL when the provider reports no retry count"),
    Column("error", Text),
    Column("error_hint", Text),
    Index(None, "connection", "stream", "run"),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("connection", Text, primary_key=True),
    Column("stream", Text, primary_key=True),
    Column("provider", Text, nullable=False),
    Column("status", Text, nullable=False, comment="running | complete | failed (the run resumes from the cursor)"),
    Column("run", Integer, nullable=False),
    Column("run_id", Integer, ForeignKey("sync_runs.id"), nullable=False),
    Column("full_pass", Boolean, nullable=False),
    Column("pass_number", Integer, nullable=False, comment="full passes started; the current one's if full_pass"),
    Column("cursor", Text, comment="cursor of the next page; NULL = the first page (or none left when complete)"),
    Column("updated_after", UTCDateTime, comment="the current (or last) run's filter"),
    Column("run_started_at", UTCDateTime, nullable=False),
    Column("next_updated_after", UTCDateTime, comment="where the next incremental run starts; set on completion"),
    Column("pages", Integer, nullable=False),
    Column("records", Integer, nullable=False),
    Column("quarantined", Integer, nullable=False),
    Column("last_error", Text),
    Column("last_error_hint", Text),
    Column("last_error_at", UTCDateTime),
    Column("last_page_at", UTCDateTime),
    Column("last_success_at", UTCDateTime, comment="when the last run completed"),
    Column("last_full_pass_at", UTCDateTime, comment="when the last completed full pass started"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection", Text, nullable=False),
    Column("stream", Text, nullable=False),
    Column("remote_id", Text, comment="NULL when the payload had no usable id"),
    Column("provider", Text, nullable=False),
    Column("run_id", Integer, ForeignKey("sync_runs.id"), nullable=False),
    Column("error", Text, nullable=False),
    Column("remote_data", JSONDocument, comment="the payload exactly as the ATS sent it"),
    Column("first_quarantined_at", UTCDateTime, nullable=False),
    Column("last_quarantined_at", UTCDateTime, nullable=False),
    UniqueConstraint("connection", "stream", "remote_id"),
)

slice_locks = Table(
    "slice_locks",
    metadata,
    Column("connection", Text, primary_key=True),
    Column("stream", Text, primary_key=True),
    Column("owner", Text, nullable=False, comment="host:pid:token of the worker holding the slice"),
    Column("acquired_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, comment="the lease: renewed with every page committed"),
    comment="slice leases on SQLite; PostgreSQL uses advisory locks instead",
)

change_inbox = Table(
    "change_inbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection", Text, nullable=False),
    Column("dedupe_key", Text, nullable=False, comment="sha256 of the delivered body and the event's place in it"),
    Column("provider", Text, nullable=False),
    Column("entity", Text, nullable=False, comment="candidate, job, application, or the provider's own name"),
    Column("remote_id", Text, nullable=False),
    Column("kind", Text, nullable=False, comment="created | updated | deleted | custom_fields_updated"),
    Column("topic", Text),
    Column("occurred_at", UTCDateTime),
    Column("received_at", UTCDateTime, nullable=False),
    Column("refreshed_at", UTCDateTime, comment="when the record was read again; NULL: pending or not refreshable"),
    Column("raw", JSONDocument, nullable=False, comment="the event exactly as the ATS sent it"),
    UniqueConstraint("connection", "dedupe_key"),
    Index(None, "connection", "received_at"),
    comment="change events received by `ats serve`, each stored once",
)
