"""The `ats` command line."""

from __future__ import annotations

import click

from ats_core.cli.catalog import operations_command, providers_command
from ats_core.cli.demo import demo_command
from ats_core.cli.generate import checklist_command, docs_command, matrix_command
from ats_core.cli.sandbox import sandbox_command
from ats_core.cli.sync import sync_command

__all__ = ["main"]


@click.group()
@click.version_option(package_name="ats-core")
def main() -> None:
    """ats: query, generate and exercise ATS provider integrations."""


main.add_command(providers_command)
main.add_command(operations_command)
main.add_command(matrix_command)
main.add_command(checklist_command)
main.add_command(docs_command)
main.add_command(sync_command)
main.add_command(demo_command)
main.add_command(sandbox_command)
