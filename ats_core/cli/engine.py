"""`ats worker` and `ats beat`: the fleet's Celery worker and scheduler, with the `ats` commands' options.

Each is `celery -A ats_core.fleet.celery_engine worker|beat` with --db, --connections and --broker exported
as ATS_DB_URL, ATS_CONNECTIONS and ATS_BROKER_URL, which the tasks read; arguments after `--` go to Celery.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from ats_core.cli._failure import fail
from ats_core.cli._fleet_options import connections_option, database_option

__all__ = ["beat_command", "worker_command"]

_Command = TypeVar("_Command", bound=Callable[..., object] | click.Command)
_DEFAULT_BROKER = "redis://127.0.0.1:6379/0"  # ats_core.fleet.engine.DEFAULT_BROKER_URL; --help imports no Celery


def _broker_option(command: _Command) -> _Command:
    return click.option(
        "--broker",
        metavar="URL",
        envvar="ATS_BROKER_URL",
        default=_DEFAULT_BROKER,
        show_default=True,
        show_envvar=True,
        help="Celery broker: redis://HOST:PORT/DB. The shared rate limits live there too.",
    )(command)


def _run_celery(program: str, database: str, connections_path: Path, broker: str, arguments: tuple[str, ...]) -> None:
    os.environ.update({"ATS_DB_URL": database, "ATS_CONNECTIONS": str(connections_path), "ATS_BROKER_URL": broker})
    try:
        from ats_core.fleet.celery_engine import create_app
    except ModuleNotFoundError as missing:
        fail(f"{missing.name} is not installed: pip install 'ats-core[celery]'")
    create_app().start([program, *arguments])


@click.command("worker", context_settings={"ignore_unknown_options": True})
@database_option()
@connections_option()
@_broker_option
@click.argument("celery_arguments", nargs=-1, type=click.UNPROCESSED)
def worker_command(database: str, connections_path: Path, broker: str, celery_arguments: tuple[str, ...]) -> None:
    """Run a Celery worker syncing slices of the connections' streams (e.g. `ats worker -- --concurrency 4`)."""
    _run_celery("worker", database, connections_path, broker, ("--loglevel", "INFO", *celery_arguments))


@click.command("beat", context_settings={"ignore_unknown_options": True})
@database_option()
@connections_option()
@_broker_option
@click.argument("celery_arguments", nargs=-1, type=click.UNPROCESSED)
def beat_command(database: str, connections_path: Path, broker: str, celery_arguments: tuple[str, ...]) -> None:
    """Run Celery beat: each stream of the connections file is sent to the workers at its interval."""
    if not connections_path.exists():
        fail(f"no connections file at {connections_path}: pass --connections FILE (or set ATS_CONNECTIONS)")
    _run_celery("beat", database, connections_path, broker, ("--loglevel", "INFO", *celery_arguments))
