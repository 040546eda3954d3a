"""`ats sync ENTITY`: stream a provider's records into the fleet database, or a JSON Lines append log, resumably.

Without --out the records go to a database (`ats.db` by default; see `_sync_database`). With --out and
--state the output gets one canonical record per line; a rerun after an interruption continues from the
state file, and a rerun after a completed run appends only what changed since (consumers upsert by remote_id).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click
from click.core import ParameterSource
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ats_core.cli._fleet_options import connections_option, database_option
from ats_core.cli._options import fault_option, when_option_callback
from ats_core.cli._progress import make_console, record_progress
from ats_core.client import connect
from ats_core.errors import ATSError, ConfigurationError
from ats_core.operations import Entity
from ats_core.rejects import OnInvalid
from ats_core.sandbox import SandboxOptions, start_sandbox
from ats_core.settings import env_prefix
from ats_core.sync import (
    ENTITY_OPERATIONS,
    SyncLocked,
    SyncProgress,
    SyncResult,
    client_page_fetcher,
    load_state,
    run_sync,
)

__all__ = ["sync_command"]

_DEFAULTS = SandboxOptions()


def _default_quarantine(output: Path) -> Path:
    return output.with_name(f"{output.stem}.quarantine.jsonl")


@click.command("sync")
@click.argument("entity", type=click.Choice(list(ENTITY_OPERATIONS)))
@click.option("--provider", help="Installed provider name (see `ats providers`); or use --connection.")
@click.option(
    "--since",
    metavar="DATE",
    callback=when_option_callback,
    help="First run only: records updated after this (YYYY-MM-DD, ISO 8601, or an age like 30d). "
    "Omit for a full read. Later runs continue from the saved state.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON Lines mode: state file with the cursor and output offset after each page, and where the next run starts.",
)
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON Lines mode: output, one canonical record per line; appended to by later runs.",
)
@database_option(default=None)
@click.option("--connection", "connection_name", metavar="NAME", help="Sync a connection of the connections file.")
@connections_option()
@click.option(
    "--full", is_flag=True, help="Database: read everything now, and mark what the ATS no longer has deleted."
)
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file with a [<provider>] table; ATS_<PROVIDER>_* environment variables win over it.",
)
@click.option("--page-size", type=click.IntRange(min=1), help="Records per request (the provider's default if unset).")
@click.option(
    "--on-invalid",
    type=click.Choice(["raise", "quarantine"]),
    default="raise",
    show_default=True,
    help="A record that fails validation stops the run, or is kept with its payload (in the quarantine file, or "
    "the database's quarantine table). A --connection's own on_invalid applies unless this is given.",
)
@click.option(
    "--quarantine",
    "quarantine_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Quarantine JSON Lines file [default: <out>.quarantine.jsonl].",
)
@click.option("--sandbox", "use_sandbox", is_flag=True, help="Run against the provider's local sandbox.")
@click.option("--size", type=click.IntRange(min=0), default=_DEFAULTS.size, show_default=True, help="Sandbox records.")
@click.option("--seed", type=int, default=_DEFAULTS.seed, show_default=True, help="Sandbox data seed.")
@fault_option("Sandbox fault to inject (repeatable); the provider's sandbox documents the names.")
def sync_command(
    entity: str,
    provider: str | None,
    since: datetime | None,
    state_path: Path | None,
    output: Path | None,
    database: str | None,
    connection_name: str | None,
    connections_path: Path,
    full: bool,
    settings_file: Path | None,
    page_size: int | None,
    on_invalid: OnInvalid,
    quarantine_path: Path | None,
    use_sandbox: bool,
    size: int,
    seed: int,
    faults: dict[str, str],
) -> None:
    """Stream ENTITY (candidates, jobs, applications) into a database, or a JSON Lines file, resumably and incrementally.

    Without --out: into the database (--db, default ats.db here), one row per record, upserted; the
    slice is --provider's name or --connection's. With --out and --state: a JSON Lines append log.
    Interrupted (Ctrl-C, or an error after retries)? Rerun the same command: it continues from the
    saved cursor with no record lost or duplicated. Completed? Rerun it later: it reads only records
    updated since the last run started (the provider re-reads its declared lookback before that).
    """
    context = click.get_current_context()
    if faults and not use_sandbox:
        raise click.UsageError("--fault needs --sandbox (faults are injected by the local sandbox)")
    if output is None and state_path is None:
        from ats_core.cli._sync_database import database_sync_command  # JSON Lines runs import no SQLAlchemy

        sandbox = SandboxOptions(size=size, seed=seed, faults=faults) if use_sandbox else None
        database_sync_command(
            context,
            entity,
            provider=provider,
            connection_name=connection_name,
            connections_path=connections_path,
            database=database,
            since=since,
            settings_file=settings_file,
            page_size=page_size,
            on_invalid=on_invalid,
            quarantine_path=quarantine_path,
            full=full,
            sandbox=sandbox,
        )
        return
    if output is None or state_path is None:
        raise click.UsageError("--out and --state go together (JSON Lines); leave both out to sync into the database")
    if connection_name is not None or full or context.get_parameter_source("database") is ParameterSource.COMMANDLINE:
        raise click.UsageError("--db, --connection and --full sync into the database: leave out --out and --state")
    if provider is None:
        raise click.UsageError("Missing option '--provider'.")
    if quarantine_path is not None and on_invalid != "quarantine":
        raise click.UsageError("--quarantine needs --on-invalid quarantine")
    if on_invalid == "quarantine" and quarantine_path is None:
        quarantine_path = _default_quarantine(output)
    console = make_console()
    try:
        with ExitStack() as stack:
            settings: Mapping[str, Any] | None = None
            if use_sandbox:
                try:
                    running = start_sandbox(provider, SandboxOptions(size=size, seed=seed, faults=faults))
                except ValueError as error:
                    raise click.BadParameter(str(error), param_hint="--fault/--size/--seed") from None
                stack.callback(running.stop)
                settings = running.settings
            client = stack.enter_context(
                connect(provider, settings, settings_file=settings_file, on_invalid=on_invalid)
            )
            fetch = client_page_fetcher(client, entity)
            with record_progress(console) as progress:
                task = progress.add_task(f"{provider} {entity}", total=None, detail="")

                def show(step: SyncProgress) -> None:
                    progress.update(task, completed=step.records, detail=f"{step.pages} pages")

                result = run_sync(
                    fetch,
                    provider=provider,
                    entity=entity,
                    output=output,
                    state_path=state_path,
                    since=since,
                    lookback_seconds=0,  # the provider applies its declared lookback itself
                    page_size=page_size,
                    quarantine=quarantine_path,
                    on_page=show,
                )
            declared = client.manifest.stream(Entity(entity.removesuffix("s")))
            lookback = 0.0 if declared is None else client.provider.lookback_for(declared)
            http = dict(client.provider.http_stats())
        _print_summary(console, result, http, lookback)
    except ConfigurationError as error:
        hint = None if use_sandbox else f"settings come from --settings FILE.toml and {env_prefix(provider)}* variables"
        _fail(str(error), hint, None)
    except SyncLocked as error:
        _fail(str(error), None, None)  # the state belongs to the run that holds it
    except ATSError as error:
        _fail(str(error), None, state_path)
    except OSError as error:
        _fail(f"{error.filename or 'file'}: {error.strerror or error}", None, state_path)
    except KeyboardInterrupt:
        _fail("interrupted", None, state_path, exit_code=130)


def _fail(message: str, hint: str | None, state_path: Path | None, exit_code: int = 1) -> NoReturn:
    errors = make_console(stderr=True)
    errors.print("[bold red]error:[/]", escape(message), highlight=False, soft_wrap=True)
    if hint:
        errors.print(hint, markup=False, highlight=False, soft_wrap=True)
    state = None
    if state_path is not None:
        try:
            state = load_state(state_path.absolute())
        except ATSError:
            state = None
    if state is not None and state.status == "running" and state.pages:
        errors.print(
            f"progress is saved in {state_path} ({state.records:,} records in {state.pages:,} page(s) committed): "
            "rerun the same command to resume",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    raise SystemExit(exit_code)


def _run_kind(result: SyncResult) -> str:
    state = result.state
    since = (
        "everything"
        if state.updated_after is None
        else f"updated after {state.updated_after.isoformat(timespec='seconds')}"
    )
    kind = "first run" if state.run == 1 else f"incremental run {state.run}"
    return f"{kind}{' (resumed)' if result.resumed else ''}: {since}"


def _print_summary(console: Console, result: SyncResult, http: Mapping[str, int], lookback_seconds: float) -> None:
    state = result.state
    table = Table(title=f"ats sync {state.entity} — {state.provider}", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("run", _run_kind(result))
    written = f"{result.records_now:,}"
    if result.resumed:
        written += f" now, {state.records:,} in this run"
    table.add_row("records written", written)
    table.add_row("pages", f"{result.pages_now:,}" + (f" now, {state.pages:,} in this run" if result.resumed else ""))
    retried = http.get("retries")
    table.add_row("faults retried", "not reported by this provider" if retried is None else f"{retried:,}")
    others = ", ".join(f"{name.replace('_', ' ')} {value:,}" for name, value in http.items() if name != "retries")
    if others:
        table.add_row("http", others)
    if state.quarantine is not None:
        table.add_row("records quarantined", f"{result.quarantined_now:,} -> {state.quarantine}")
    table.add_row("output", f"{state.output} ({state.output_offset:,} bytes; an append log: upsert by remote_id)")
    if result.next_updated_after is not None:
        after = result.next_updated_after.isoformat(timespec="seconds")
        table.add_row(
            "next run",
            f"the same command reads records updated after {after} (the provider re-reads the {lookback_seconds:g} s before it)",
        )
    console.print(table)
