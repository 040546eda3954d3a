"""Alembic migrations of the fleet database; run by `ats_core.fleet.database.upgrade` (or `ats db upgrade`)."""
