"""`ats sync ENTITY` into the fleet database (no --out): one whole run of one slice, with progress and a summary.

The slice is the provider's name (or `<provider>-sandbox`) with --provider, or a connection of the
connections file with --connection. A second run on the same slice while one is going exits at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click
from click.core import ParameterSource
from rich.console import Console
from rich.table import Table

from ats_core.cli._failure import fail
from ats_core.cli._progress import make_console, record_progress
from ats_core.client import connect
from ats_core.connections import Connection, format_interval, load_connections
from ats_core.errors import ATSError, ConfigurationError
from ats_core.fleet import (
    DEFAULT_DATABASE_URL,
    Database,
    DatabaseError,
    RunPlan,
    SliceKey,
    SliceResult,
    open_database,
    read_state,
)
from ats_core.fleet.slice import client_source, run_slice, sync_slice
from ats_core.provider import OnInvalid
from ats_core.sandbox import SandboxOptions, start_sandbox
from ats_core.settings import env_prefix
from ats_core.sync import SyncProgress

__all__ = ["BUSY_EXIT_CODE", "ProviderSlice", "database_sync_command", "sync_to_database"]

BUSY_EXIT_CODE = 75  # EX_TEMPFAIL: another process holds the slice; try again later


@dataclass(frozen=True)
class ProviderSlice:
    """An ad hoc slice: a provider with settings from a file and ATS_* variables, or its sandbox."""

    provider: str
    settings_file: Path | None
    on_invalid: OnInvalid
    since: datetime | None
    sandbox: SandboxOptions | None

    @property
    def connection_name(self) -> str:
        """The provider's name; its sandbox's records are kept apart from the real tenant's."""
        return f"{self.provider}-sandbox" if self.sandbox is not None else self.provider


def database_sync_command(
    context: click.Context,
    entity: str,
    *,
    provider: str | None,
    connection_name: str | None,
    connections_path: Path,
    database: str | None,
    since: datetime | None,
    settings_file: Path | None,
    page_size: int | None,
    on_invalid: OnInvalid,
    quarantine_path: Path | None,
    full: bool,
    sandbox: SandboxOptions | None,
) -> None:
    """Check the options `ats sync` got for a database run, find the slice, and run it."""
    if quarantine_path is not None:
        raise click.UsageError(
            "--quarantine names a JSON Lines file (with --out); the database keeps rejected records in its quarantine table"
        )
    target: ProviderSlice | Connection
    if connection_name is not None:
        given = [
            name
            for name, value in (("--provider", provider), ("--settings", settings_file), ("--since", since))
            if value
        ]
        if sandbox is not None:
            given.append("--sandbox")
        if given:
            raise click.UsageError(
                f"--connection takes its provider, settings and schedule from the connections file; drop {', '.join(given)}"
            )
        try:
            target = load_connections(connections_path).get(connection_name)
        except ATSError as error:
            fail(str(error))
        if context.get_parameter_source("on_invalid") is ParameterSource.COMMANDLINE:
            target = target.model_copy(update={"on_invalid": on_invalid})
    elif provider is None:
        raise click.UsageError("give --provider NAME, or --connection NAME (with --connections FILE)")
    else:
        target = ProviderSlice(provider, settings_file, on_invalid, since, sandbox)
    sync_to_database(entity, database or DEFAULT_DATABASE_URL, target, page_size=page_size, full=full)


def sync_to_database(
    entity: str,
    database_url: str,
    target: ProviderSlice | Connection,
    *,
    page_size: int | None,
    full: bool,
) -> None:
    """Run (or resume) the slice's run to its end, then print a summary; exit 1 on errors, 75 when busy."""
    name = target.connection_name if isinstance(target, ProviderSlice) else target.name
    key = SliceKey(name, entity)
    console = make_console()
    database: Database | None = None
    try:
        database = open_database(database_url)
        with record_progress(console) as progress:
            task = progress.add_task(f"{key}", total=None, detail="")

            def show(step: SyncProgress) -> None:
                progress.update(task, completed=step.records, detail=f"{step.pages} pages")

            if isinstance(target, Connection):
                result = sync_slice(database, target, entity, None, full=full, page_size=page_size, on_page=show)
            else:
                result = _sync_provider(database, key, target, page_size=page_size, full=full, on_page=show)
    except ConfigurationError as error:
        hint = None
        if isinstance(target, ProviderSlice) and target.sandbox is None:
            hint = f"settings come from --settings FILE.toml and {env_prefix(target.provider)}* variables"
        _fail(str(error), hint, database, key)
    except DatabaseError as error:
        fail(str(error))
    except ATSError as error:
        _fail(str(error), None, database, key)
    except KeyboardInterrupt:
        _fail("interrupted", None, database, key, exit_code=130)
    finally:
        if database is not None:
            database.dispose()
    if result.busy:
        fail(
            f"{key} is being synced by another process right now; this run did nothing",
            "try again when it finishes (`ats status` shows its progress)",
            exit_code=BUSY_EXIT_CODE,
        )
    _print_summary(console, result, database.url, target)


def _sync_provider(
    database: Database,
    key: SliceKey,
    target: ProviderSlice,
    *,
    page_size: int | None,
    full: bool,
    on_page: Callable[[SyncProgress], None],
) -> SliceResult:
    with ExitStack() as stack:
        settings: Mapping[str, Any] | None = None
        if target.sandbox is not None:
            try:
                running = start_sandbox(target.provider, target.sandbox)
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint="--fault/--size/--seed") from None
            stack.callback(running.stop)
            settings = running.settings
        client = stack.enter_context(
            connect(target.provider, settings, settings_file=target.settings_file, on_invalid=target.on_invalid)
        )
        return run_slice(
            database,
            key,
            client_source(client, key.stream),
            page_budget=None,
            plan=RunPlan(full=full, since=target.since),
            page_size=page_size,
            on_page=on_page,
        )


def _fail(message: str, hint: str | None, database: Database | None, key: SliceKey, exit_code: int = 1) -> NoReturn:
    fail(message, hint, _saved_progress(database, key), exit_code=exit_code)


def _saved_progress(database: Database | None, key: SliceKey) -> str | None:
    """What the unfinished run has committed, and that the same command resumes it; None if nothing is saved."""
    if database is None:
        return None
    try:
        with database.engine.connect() as connection:
            state = read_state(connection, key)
    except Exception:  # saved progress is a courtesy; the error itself is what matters
        return None
    if state is None or state.status == "complete":
        return None
    return (
        f"progress is saved in {database.url} ({state.records:,} records in {state.pages:,} page(s) of run "
        f"{state.run} committed): rerun the same command to resume"
    )


def _run_kind(result: SliceResult) -> str:
    state = result.state
    assert state is not None
    if state.full_pass:
        kind = "first run, a full read" if state.run == 1 else f"run {state.run}, a full pass (finds deletes)"
    else:
        after = "everything" if state.updated_after is None else state.updated_after.isoformat(timespec="seconds")
        kind = f"run {state.run}, records updated after {after}"
    return kind + (" (resumed)" if result.resumed else "")


def _print_summary(console: Console, result: SliceResult, url: str, target: ProviderSlice | Connection) -> None:
    state = result.state
    assert state is not None
    table = Table(
        title=f"ats sync {result.key.stream} — {result.key.connection}", show_header=False, title_justify="left"
    )
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("run", _run_kind(result))
    resumed = result.resumed
    table.add_row(
        "records written", f"{result.records:,}" + (f" now, {state.records:,} in this run" if resumed else "")
    )
    table.add_row("pages", f"{result.pages:,}" + (f" now, {state.pages:,} in this run" if resumed else ""))
    retried = result.faults_retried
    table.add_row("faults retried", "not reported by this provider" if retried is None else f"{retried:,}")
    table.add_row("records quarantined", f"{result.quarantined:,} (kept with their payloads in the quarantine table)")
    if state.full_pass:
        table.add_row("records marked deleted", f"{result.deleted:,}")
    table.add_row("database", f"{url} (tables {result.key.stream}, sync_state, sync_runs, quarantine)")
    if state.next_updated_after is not None:
        after = state.next_updated_after.isoformat(timespec="seconds")
        if isinstance(target, Connection):
            every = format_interval(target.streams[result.key.stream].every)
            table.add_row("next run", f"due every {every}: records updated after {after}")
        else:
            table.add_row("next run", f"the same command reads records updated after {after}; --full reads everything")
    console.print(table)
