"""Fleet schema: records per stream, sync state, run history, quarantine, slice locks.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from ats_core.fleet.sqltypes import JSONDocument, UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_RECORD_TABLES: dict[str, tuple[tuple[str, sa.types.TypeEngine[Any]], ...]] = {
    "candidates": (
        ("first_name", sa.Text()),
        ("last_name", sa.Text()),
        ("email", sa.Text()),
        ("status", sa.Text()),
        ("is_active", sa.Boolean()),
        ("created_at", UTCDateTime()),
    ),
    "jobs": (
        ("title", sa.Text()),
        ("status", sa.Text()),
        ("is_active", sa.Boolean()),
        ("company_name", sa.Text()),
        ("created_at", UTCDateTime()),
    ),
    "applications": (
        ("candidate_id", sa.Text()),
        ("job_id", sa.Text()),
        ("status", sa.Text()),
        ("stage", sa.Text()),
        ("is_active", sa.Boolean()),
        ("created_at", UTCDateTime()),
    ),
}


def _create_record_table(name: str, canonical: tuple[tuple[str, sa.types.TypeEngine[Any]], ...]) -> None:
    op.create_table(
        name,
        sa.Column("connection", sa.Text(), nullable=False),
        sa.Column("remote_id", sa.Text(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        *(sa.Column(column, column_type, nullable=True) for column, column_type in canonical),
        sa.Column("record", JSONDocument, nullable=False, comment="the canonical record, model_dump(mode='json')"),
        sa.Column("updated_at", UTCDateTime(), comment="the ATS's modification time; an older version never wins"),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen_pass", sa.Integer(), comment="the last full pass that returned the record"),
        sa.Column("deleted_at", UTCDateTime(), comment="set when a completed full pass no longer returned the record"),
        sa.PrimaryKeyConstraint("connection", "remote_id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_connection_updated_at"), name, ["connection", "updated_at"])


def upgrade() -> None:
    """Create every table of the fleet database."""
    for name, canonical in _RECORD_TABLES.items():
        _create_record_table(name, canonical)
    op.create_index(op.f("ix_applications_connection_candidate_id"), "applications", ["connection", "candidate_id"])
    op.create_index(op.f("ix_applications_connection_job_id"), "applications", ["connection", "job_id"])
    op.create_table(
        "slice_locks",
        sa.Column("connection", sa.Text(), nullable=False),
        sa.Column("stream", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False, comment="host:pid:token of the worker holding the slice"),
        sa.Column("acquired_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False, comment="the lease: renewed with every page committed"),
        sa.PrimaryKeyConstraint("connection", "stream", name=op.f("pk_slice_locks")),
        comment="slice leases on SQLite; PostgreSQL uses advisory locks instead",
    )
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("connection", sa.Text(), nullable=False),
        sa.Column("stream", sa.Text(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("run", sa.Integer(), nullable=False, comment="1 for the first run of this connection and stream"),
        sa.Column(
            "full_pass", sa.Boolean(), nullable=False, comment="reads everything (no updated_after): finds deletes"
        ),
        sa.Column("updated_after", UTCDateTime()),
        sa.Column("status", sa.Text(), nullable=False, comment="running | complete | failed (resumes from the cursor)"),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.Column("faults_retried", sa.Integer(), comment="NULL when the provider reports no retry count"),
        sa.Column("error", sa.Text()),
        sa.Column("error_hint", sa.Text()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    op.create_index(op.f("ix_sync_runs_connection_stream_run"), "sync_runs", ["connection", "stream", "run"])
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("connection", sa.Text(), nullable=False),
        sa.Column("stream", sa.Text(), nullable=False),
        sa.Column("remote_id", sa.Text(), comment="NULL when the payload had no usable id"),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("remote_data", JSONDocument, comment="the payload exactly as the ATS sent it"),
        sa.Column("first_quarantined_at", UTCDateTime(), nullable=False),
        sa.Column("last_quarantined_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["sync_runs.id"], name=op.f("fk_quarantine_run_id_sync_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
        sa.UniqueConstraint(
            "connection", "stream", "remote_id", name=op.f("uq_quarantine_connection_stream_remote_id")
        ),
    )
    op.create_table(
        "sync_state",
        sa.Column("connection", sa.Text(), nullable=False),
        sa.Column("stream", sa.Text(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Text(),
            nullable=False,
            comment="running | complete | failed (the run resumes from the cursor)",
        ),
        sa.Column("run", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("full_pass", sa.Boolean(), nullable=False),
        sa.Column(
            "pass_number", sa.Integer(), nullable=False, comment="full passes started; the current one's if full_pass"
        ),
        sa.Column(
            "cursor", sa.Text(), comment="cursor of the next page; NULL = the first page (or none left when complete)"
        ),
        sa.Column("updated_after", UTCDateTime(), comment="the current (or last) run's filter"),
        sa.Column("run_started_at", UTCDateTime(), nullable=False),
        sa.Column(
            "next_updated_after", UTCDateTime(), comment="where the next incremental run starts; set on completion"
        ),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("last_error_hint", sa.Text()),
        sa.Column("last_error_at", UTCDateTime()),
        sa.Column("last_page_at", UTCDateTime()),
        sa.Column("last_success_at", UTCDateTime(), comment="when the last run completed"),
        sa.Column("last_full_pass_at", UTCDateTime(), comment="when the last completed full pass started"),
        sa.ForeignKeyConstraint(["run_id"], ["sync_runs.id"], name=op.f("fk_sync_state_run_id_sync_runs")),
        sa.PrimaryKeyConstraint("connection", "stream", name=op.f("pk_sync_state")),
    )


def downgrade() -> None:
    """Drop every table of the fleet database."""
    for name in ("sync_state", "quarantine", "sync_runs", "slice_locks", *reversed(_RECORD_TABLES)):
        op.drop_table(name)
