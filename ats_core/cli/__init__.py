"""The `ats` command line.

Subcommands are imported on first use: `ats providers` should not pay for the template engine of
`ats docs` or the terminal UI of `ats demo`. `ats --help` imports them all to show their short help.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

__all__ = ["SUBCOMMANDS", "LazyGroup", "main"]

# name -> "module:attribute" of each subcommand.
SUBCOMMANDS: dict[str, str] = {
    "providers": "ats_core.cli.catalog:providers_command",
    "operations": "ats_core.cli.catalog:operations_command",
    "matrix": "ats_core.cli.generate:matrix_command",
    "checklist": "ats_core.cli.generate:checklist_command",
    "docs": "ats_core.cli.generate:docs_command",
    "codegen": "ats_core.cli.generate:codegen_command",
    "models": "ats_core.cli.generate:models_command",
    "sync": "ats_core.cli.sync:sync_command",
    "demo": "ats_core.cli.demo:demo_command",
    "sandbox": "ats_core.cli.sandbox:sandbox_command",
    "connections": "ats_core.cli.connections:connections_command",
    "db": "ats_core.cli.db:db_command",
    "status": "ats_core.cli.status:status_command",
    "worker": "ats_core.cli.engine:worker_command",
    "beat": "ats_core.cli.engine:beat_command",
    "serve": "ats_core.cli.changes:serve_command",
    "changes": "ats_core.cli.changes:changes_command",
}


class LazyGroup(click.Group):
    """A click group whose subcommands come from a name -> "module:attribute" table, imported when used."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, added or listed in the table, sorted as click sorts them."""
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called `cmd_name`, importing its module the first time."""
        target = self.lazy_commands.get(cmd_name)
        if target is None or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        self.add_command(command, cmd_name)
        return command


@click.group(cls=LazyGroup, lazy_commands=SUBCOMMANDS)
@click.version_option(package_name="ats-core")
def main() -> None:
    """ats: query, generate and exercise ATS provider integrations."""
