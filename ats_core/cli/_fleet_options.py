"""Options shared by the fleet subcommands: the connections file and the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

__all__ = ["DEFAULT_CONNECTIONS_FILE", "DEFAULT_DATABASE", "connections_option", "database_option"]

_Command = TypeVar("_Command", bound=Callable[..., object] | click.Command)

DEFAULT_CONNECTIONS_FILE = "connections.toml"
DEFAULT_DATABASE = (
    "sqlite:///ats.db"  # ats_core.fleet.DEFAULT_DATABASE_URL, written here so --help imports no SQLAlchemy
)


def connections_option(*, default: str | None = DEFAULT_CONNECTIONS_FILE) -> Callable[[_Command], _Command]:
    """`--connections FILE` (or ATS_CONNECTIONS), passed to the command as `connections_path`."""
    return click.option(
        "--connections",
        "connections_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="ATS_CONNECTIONS",
        default=default,
        show_default=default is not None,
        show_envvar=True,
        help="TOML connections file: [connections.NAME] tables with provider, settings, secrets, streams.",
    )


def database_option(*, default: str | None = DEFAULT_DATABASE) -> Callable[[_Command], _Command]:
    """`--db URL` (or ATS_DB_URL), passed to the command as `database`; with default None the command resolves it."""
    return click.option(
        "--db",
        "database",
        metavar="URL",
        envvar="ATS_DB_URL",
        default=default,
        show_default=DEFAULT_DATABASE,
        show_envvar=True,
        help="Database: sqlite:///PATH (or just a path), or postgresql://USER:PASSWORD@HOST/DB (psycopg 3).",
    )
