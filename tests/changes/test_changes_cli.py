"""`ats changes subscribe|list|unsubscribe` against the sandbox: idempotent, secrets from the environment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ats_tempworks_sandbox.server import TempWorksSandbox
from change_feed_harness import SECRET
from click.testing import CliRunner

from ats_core.cli import main

URL = "http://127.0.0.1:9/changes/acme"


@pytest.fixture()
def connections_file(sandbox: TempWorksSandbox, tmp_path: Path) -> Path:
    settings = {k: v for k, v in sandbox.settings.items() if k != "client_secret"}
    inline = ", ".join(f"{key} = {json.dumps(value)}" for key, value in settings.items())
    path = tmp_path / "connections.toml"
    path.write_text(
        "[connections.acme]\n"
        'provider = "tempworks"\n'
        f"settings = {{ {inline} }}\n"
        'secrets = { client_secret = { env = "ACME_CLIENT_SECRET" }, webhook_header_value = { env = "ACME_HEADER" } }\n'
        'streams = { candidates = { every = "15m" } }\n'
    )
    return path


def _ats(sandbox: TempWorksSandbox, connections_file: Path, *args: str) -> Any:
    env = {"ACME_CLIENT_SECRET": str(sandbox.settings["client_secret"]), "ACME_HEADER": SECRET}
    result = CliRunner().invoke(
        main, ["changes", *args, "--connections", str(connections_file), "--connection", "acme", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output
    return json.loads(result.output)


def test_subscribe_twice_then_unsubscribe_twice(sandbox: TempWorksSandbox, connections_file: Path) -> None:
    first = _ats(sandbox, connections_file, "subscribe", "--url", URL, "--topic", "employee.updated")
    again = _ats(sandbox, connections_file, "subscribe", "--url", URL, "--topic", "employee.updated")
    assert [s["topic"] for s in first] == ["employee.updated"]
    assert again == first
    assert _ats(sandbox, connections_file, "list") == first
    assert _ats(sandbox, connections_file, "unsubscribe", "--url", URL) == first
    assert _ats(sandbox, connections_file, "unsubscribe", "--url", URL) == []
    assert _ats(sandbox, connections_file, "list") == []


def test_an_unknown_connection_is_named(sandbox: TempWorksSandbox, connections_file: Path) -> None:
    result = CliRunner().invoke(
        main, ["changes", "list", "--connections", str(connections_file), "--connection", "nope"]
    )
    assert result.exit_code == 1
    assert "nope" in result.output
