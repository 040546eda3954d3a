"""`ats status`: per connection and stream, last success, lag, records, quarantine, last error, next run."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ats_core.cli._failure import fail
from ats_core.cli._fleet_options import connections_option, database_option
from ats_core.cli._progress import make_console
from ats_core.connections import ConnectionsFile, format_interval, load_connections
from ats_core.errors import ATSError
from ats_core.fleet import open_database
from ats_core.fleet.database import database_url
from ats_core.fleet.status import SliceStatus, read_status

__all__ = ["status_command"]


@click.command("status")
@database_option()
@connections_option(default=None)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def status_command(database: str, connections_path: Path | None, as_json: bool) -> None:
    """Show each connection's streams: last success, lag, records, quarantined, last error, next run.

    With --connections (or ATS_CONNECTIONS) the schedule comes from the file, and declared streams that
    never ran are listed too.
    """
    now = datetime.now(UTC)
    try:
        url = database_url(database)
        if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
            fail(f"no database at {url.database}: run `ats sync` first, or pass --db URL")
        connections: ConnectionsFile | None = load_connections(connections_path) if connections_path else None
        opened = open_database(url)
        try:
            statuses = read_status(opened, connections, now)
        finally:
            opened.dispose()
    except ATSError as error:
        fail(str(error))
    if as_json:
        payload = {"now": now.isoformat(), "slices": [status.to_json_dict() for status in statuses]}
        click.echo(json.dumps(payload, indent=2))
        return
    console = make_console()
    if not statuses:
        console.print(f"nothing synced yet in {opened.url}", highlight=False)
        return
    table = Table(title=f"ats status — {opened.url}", title_justify="left")
    for column in ("connection", "stream", "status", "last success", "lag", "records", "quarantined", "next run"):
        table.add_column(column, justify="right" if column in ("records", "quarantined") else "left")
    for status in statuses:
        table.add_row(
            status.connection,
            status.stream,
            _status_text(status),
            _ago(status.last_success_at, now),
            "-" if status.lag is None else format_interval(status.lag),
            f"{status.records:,}" + (f" (+{status.deleted:,} deleted)" if status.deleted else ""),
            f"{status.quarantined:,}",
            _next(status, now),
        )
    console.print(table)
    if any(status.every is None for status in statuses):
        console.print("unscheduled: in no connections file given (pass --connections FILE)", highlight=False)
    for status in statuses:
        if status.failing:
            where = f"{status.connection} {status.stream}"
            console.print(f"[bold red]{escape(where)}[/]: {escape(status.last_error or '')}", soft_wrap=True)
            if status.last_error_hint and status.last_error_hint not in (status.last_error or ""):
                console.print(f"  {escape(status.last_error_hint)}", highlight=False, soft_wrap=True)


def _status_text(status: SliceStatus) -> str:
    if status.status == "running":
        return f"run {status.run}: {status.run_records:,} records so far"
    if status.status == "failed":
        return f"[red]failed[/] (run {status.run} resumes)"
    return status.status if status.run is None else f"{status.status} (run {status.run})"


def _ago(moment: datetime | None, now: datetime) -> str:
    return "never" if moment is None else f"{format_interval(max(now - moment, timedelta(seconds=1)))} ago"


def _next(status: SliceStatus, now: datetime) -> str:
    if status.next_run_at is None:
        return "no schedule (pass --connections)" if status.every is None else "-"
    if status.next_run_at <= now:
        return "due now"
    return (
        f"in {format_interval(status.next_run_at - now)} (every {format_interval(status.every)})"
        if status.every
        else "-"
    )
