"""Change inbox: every change event `ats serve` receives, stored once (dedupe key per connection).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ats_core.fleet.sqltypes import JSONDocument, UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "change_inbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("connection", sa.Text(), nullable=False),
        sa.Column(
            "dedupe_key",
            sa.Text(),
            nullable=False,
            comment="sha256 of the delivered body and the event's place in it",
        ),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column(
            "entity", sa.Text(), nullable=False, comment="candidate, job, application, or the provider's own name"
        ),
        sa.Column("remote_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False, comment="created | updated | deleted | custom_fields_updated"),
        sa.Column("topic", sa.Text()),
        sa.Column("occurred_at", UTCDateTime()),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column(
            "refreshed_at", UTCDateTime(), comment="when the record was read again; NULL: pending or not refreshable"
        ),
        sa.Column("raw", JSONDocument, nullable=False, comment="the event exactly as the ATS sent it"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_inbox")),
        sa.UniqueConstraint("connection", "dedupe_key", name=op.f("uq_change_inbox_connection_dedupe_key")),
        comment="change events received by `ats serve`, each stored once",
    )
    op.create_index(op.f("ix_change_inbox_connection_received_at"), "change_inbox", ["connection", "received_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_change_inbox_connection_received_at"), table_name="change_inbox")
    op.drop_table("change_inbox")
