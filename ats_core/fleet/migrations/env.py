"""Alembic's entry: migrate the connection `ats_core.fleet.database.upgrade` hands over, inside its transaction."""

from __future__ import annotations

from alembic import context

from ats_core.fleet.schema import VERSION_TABLE, metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run these migrations through ats_core.fleet.database.upgrade() or `ats db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
