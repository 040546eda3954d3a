"""`ats serve` (the change-feed receiver) and `ats changes subscribe|list|unsubscribe`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ats_core.cli._failure import fail
from ats_core.cli._fleet_options import connections_option, database_option
from ats_core.connections import Connection, ConnectionsFile, load_connections
from ats_core.errors import ATSError

__all__ = ["changes_command", "serve_command"]


def _load(path: Path) -> ConnectionsFile:
    try:
        return load_connections(path)
    except ATSError as error:
        fail(str(error))


def _connection(path: Path, name: str) -> Connection:
    try:
        return _load(path).get(name)
    except ATSError as error:
        fail(str(error))


@click.command("serve")
@connections_option()
@database_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--window",
    "window_seconds",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 60),
    help="Coalescing window: each changed record is read once per window.",
)
@click.option(
    "--max-body-bytes", default=256 * 1024, show_default=True, type=click.IntRange(1024), help="Largest delivery."
)
def serve_command(
    connections_path: Path, database: str, host: str, port: int, window_seconds: float, max_body_bytes: int
) -> None:
    """Receive change events (POST /changes/CONNECTION), refresh the changed records, serve /health and /metrics.

    Subscribe each connection first (`ats changes subscribe`); keep the scheduled `ats sync` running: it
    repairs whatever events are lost.
    """
    try:
        import uvicorn

        from ats_core.changes.service import build_service
    except ImportError as missing:
        fail(f"ats serve needs the receiver's dependencies ({missing.name}): pip install 'ats-core[serve]'")
    from ats_core.fleet import open_database

    loaded = _load(connections_path)
    try:
        opened = open_database(database)
    except ATSError as error:
        fail(str(error))
    service = build_service(
        opened, dict(loaded.connections), window_seconds=window_seconds, max_body_bytes=max_body_bytes
    )
    try:
        uvicorn.run(service.app, host=host, port=port, log_level="info")
    finally:
        service.close()
        opened.dispose()


@click.group("changes")
def changes_command() -> None:
    """Subscribe a connection to its ATS's change events (webhooks), list or remove the subscriptions."""


def _print(subscriptions: list[dict[str, object]], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(subscriptions, indent=2))
        return
    for item in subscriptions:
        click.echo(f"{item['subscription_id']}  {item['topic']}  {item['callback_url'] or '(hidden)'}")


@changes_command.command("subscribe")
@connections_option()
@click.option("--connection", "name", required=True, help="The connection to subscribe.")
@click.option(
    "--url", required=True, help="The receiver's public URL for this connection, e.g. https://host/changes/NAME."
)
@click.option("--topic", "topics", multiple=True, help="A provider topic (repeatable); default: every record change.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def subscribe_command(connections_path: Path, name: str, url: str, topics: tuple[str, ...], as_json: bool) -> None:
    """Subscribe URL to the connection's change events; running it again subscribes nothing twice."""
    connection = _connection(connections_path, name)
    try:
        with connection.connect() as client:
            held = client.subscribe_changes(url, None, None, list(topics) or None)
    except ATSError as error:
        fail(str(error))
    _print([s.model_dump(mode="json") for s in held if s.callback_url in (url, None)], as_json)


@changes_command.command("list")
@connections_option()
@click.option("--connection", "name", required=True, help="The connection whose subscriptions to list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def list_command(connections_path: Path, name: str, as_json: bool) -> None:
    """List the connection's change subscriptions."""
    connection = _connection(connections_path, name)
    try:
        with connection.connect() as client:
            held = client.list_change_subscriptions()
    except ATSError as error:
        fail(str(error))
    _print([s.model_dump(mode="json") for s in held], as_json)


@changes_command.command("unsubscribe")
@connections_option()
@click.option("--connection", "name", required=True, help="The connection to unsubscribe.")
@click.option("--url", default=None, help="Remove only the subscriptions to this URL (default: all of them).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def unsubscribe_command(connections_path: Path, name: str, url: str | None, as_json: bool) -> None:
    """Remove the connection's subscriptions (to URL); running it again removes nothing more."""
    connection = _connection(connections_path, name)
    try:
        with connection.connect() as client:
            removed = client.unsubscribe_changes(url)
    except ATSError as error:
        fail(str(error))
    _print([s.model_dump(mode="json") for s in removed], as_json)
