"""The `ats` group imports a subcommand's module only when that subcommand is used."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from ats_core.cli import SUBCOMMANDS, main

# Run in a fresh interpreter: the test session has long imported everything.
_PROVIDERS_THEN_LIST_MODULES = """
import sys
from ats_core.cli import main
try:
    main(["providers"])
except SystemExit as done:
    assert done.code == 0, done.code
heavy = ["ats_core.cli.generate", "ats_core.cli.demo", "ats_core.cli.sync", "ats_core.cli.sandbox",
         "ats_core.cli.connections", "ats_core.cli.db", "ats_core.cli.status", "ats_core.cli._sync_database", "ats_core.fleet",
         "sqlalchemy", "alembic", "jinja2", "yaml", "rich", "httpx", "ats_tempworks.library"]  # streams are declared
print(",".join(name for name in heavy if name in sys.modules), file=sys.stderr)
"""


def test_ats_providers_imports_no_other_subcommand_and_no_http_stack() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROVIDERS_THEN_LIST_MODULES], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip() == "", f"imported by `ats providers`: {done.stderr.strip()}"


def test_every_table_entry_is_a_click_command_of_that_name() -> None:
    context = click.Context(main)
    for name in SUBCOMMANDS:
        command = main.get_command(context, name)
        assert isinstance(command, click.Command)
        assert command.name == name


def test_help_lists_every_subcommand_with_its_short_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    context = click.Context(main)
    width = max(len(name) for name in main.list_commands(context)) + 2  # click pads names to the longest
    for name in SUBCOMMANDS:
        command = main.get_command(context, name)
        assert command is not None
        assert f"  {name}" in result.output
        first_words = " ".join((command.short_help or command.help or "").split()[:2])
        assert first_words and f"{name:<{width}}{first_words}" in result.output


def test_unknown_subcommand_is_refused_by_name() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code != 0
    assert "no-such-command" in result.output
