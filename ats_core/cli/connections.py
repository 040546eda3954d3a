"""`ats connections list|check`: the connections of a connections file, and a cheap authenticated call to each."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from ats_core.cli._failure import fail
from ats_core.cli._fleet_options import connections_option
from ats_core.cli._progress import make_console
from ats_core.connections import Connection, ConnectionsFile, format_interval, load_connections
from ats_core.errors import ATSError, ProviderError
from ats_core.sync import client_page_fetcher

__all__ = ["CheckOutcome", "check_connection", "connections_command"]


@click.group("connections")
def connections_command() -> None:
    """List the connections of a connections file, or check each can authenticate and read.

    \b
    [connections.acme-tempworks]
    provider = "tempworks"
    reconcile_every = "1d"
    settings = { tenant = "acme", client_id = "...", pid = "..." }
    secrets = { client_secret = { env = "ACME_TEMPWORKS_CLIENT_SECRET" } }
    streams = { candidates = { every = "15m" }, jobs = { every = "1h" } }
    """


def _load(path: Path) -> ConnectionsFile:
    try:
        return load_connections(path)
    except ATSError as error:
        fail(str(error))


@connections_command.command("list")
@connections_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def list_command(connections_path: Path, as_json: bool) -> None:
    """List each connection: provider, streams with their intervals, and where its secrets come from."""
    loaded = _load(connections_path)
    if as_json:
        rows = [connection.model_dump(mode="json") for connection in loaded.connections.values()]
        click.echo(json.dumps({"path": str(loaded.path), "connections": rows}, indent=2))
        return
    table = Table(title=f"connections in {loaded.path}", title_justify="left")
    for column in ("connection", "provider", "streams", "secrets"):
        table.add_column(column)
    for connection in loaded.connections.values():
        table.add_row(connection.name, connection.provider, _streams(connection), _secrets(connection))
    make_console().print(table)


def _streams(connection: Connection) -> str:
    return "\n".join(
        f"{stream} every {format_interval(schedule.every)}, full {format_interval(connection.reconcile_interval(stream))}"
        for stream, schedule in connection.streams.items()
    )


def _secrets(connection: Connection) -> str:
    return "\n".join(f"{setting} <- {reference.describe()}" for setting, reference in connection.secrets.items()) or "-"


@dataclass(frozen=True)
class CheckOutcome:
    """The result of checking one connection: which stream was read, and what went wrong if anything."""

    connection: str
    provider: str
    stream: str
    ok: bool
    detail: str
    hint: str | None = None


def check_connection(connection: Connection) -> CheckOutcome:
    """Connect and read one page of size 1 of the first declared stream; the failure's message if it fails."""
    stream = next(iter(connection.streams))
    try:
        with connection.connect() as client:
            page = client_page_fetcher(client, stream)(None, None, 1)
    except ATSError as error:
        hint = error.hint if isinstance(error, ProviderError) else None
        return CheckOutcome(connection.name, connection.provider, stream, ok=False, detail=str(error), hint=hint)
    read = f"{len(page.items)} record(s) read"
    quarantined = len(page.rejected)
    if quarantined:
        read += f", {quarantined} quarantined (they fail validation; `ats sync` keeps them in quarantine)"
    return CheckOutcome(connection.name, connection.provider, stream, ok=True, detail=f"authenticated; {read}")


@connections_command.command("check")
@click.argument("name", required=False)
@connections_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def check_command(name: str | None, connections_path: Path, as_json: bool) -> None:
    """Check NAME (or every connection): authenticate and read one record of its first stream.

    Exits 1 when any connection fails, naming it and why.
    """
    loaded = _load(connections_path)
    try:
        chosen = [loaded.get(name)] if name is not None else list(loaded.connections.values())
    except ATSError as error:
        fail(str(error))
    outcomes = [check_connection(connection) for connection in chosen]
    if as_json:
        payload: dict[str, Any] = {"ok": all(o.ok for o in outcomes), "connections": [asdict(o) for o in outcomes]}
        click.echo(json.dumps(payload, indent=2))
    else:
        console = make_console()
        for outcome in outcomes:
            mark = "[green]ok[/]    " if outcome.ok else "[bold red]FAILED[/]"
            where = escape(f"{outcome.connection} ({outcome.provider}, {outcome.stream})")
            console.print(f"{mark} {where}: {escape(outcome.detail)}", highlight=False, soft_wrap=True)
            if outcome.hint and outcome.hint not in outcome.detail:
                console.print(f"       {escape(outcome.hint)}", highlight=False, soft_wrap=True)
        failed = sum(not outcome.ok for outcome in outcomes)
        console.print(f"{len(outcomes) - failed} of {len(outcomes)} connection(s) ok", highlight=False)
    if not all(outcome.ok for outcome in outcomes):
        raise SystemExit(1)
