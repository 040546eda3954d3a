"""Options shared by the fleet subcommands: the connections file (and, with the database, its URL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

__all__ = ["DEFAULT_CONNECTIONS_FILE", "connections_option"]

_Command = TypeVar("_Command", bound=Callable[..., object] | click.Command)

DEFAULT_CONNECTIONS_FILE = "connections.toml"


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
