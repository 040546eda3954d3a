"""`ats db upgrade`: migrate the fleet database to the newest schema (`ats sync` also does it on first use)."""

from __future__ import annotations

import click

from ats_core.cli._failure import fail
from ats_core.cli._fleet_options import database_option
from ats_core.fleet.database import DatabaseError, migrate_to_head, open_database

__all__ = ["db_command"]


@click.group("db")
def db_command() -> None:
    """Manage the fleet database (SQLite or PostgreSQL): its schema migrations."""


@db_command.command("upgrade")
@database_option()
def upgrade_command(database: str) -> None:
    """Run the schema migrations the database lacks; a database at the newest revision is left alone."""
    try:
        opened = open_database(database, migrate=False)
        before, now = migrate_to_head(opened)
    except DatabaseError as error:
        fail(str(error))
    opened.dispose()
    if before == now:
        click.echo(f"{opened.url}: already at schema revision {now}")
    else:
        click.echo(f"{opened.url}: at schema revision {now} (was {before or 'empty'})")
