"""`ats connections list|check` through click, against the example provider and the TempWorks sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ats_core.cli import main
from ats_core.sandbox import RunningSandbox, SandboxOptions, available_sandboxes, start_sandbox

FILE = """
[connections.acme]
provider = "example"
settings = { size = 30 }
streams = { jobs = { every = "1h" }, candidates = { every = "15m", reconcile_every = "7d" } }

[connections.lost-secret]
provider = "example"
secrets = { seed = { env = "LOST_SEED_VARIABLE" } }
streams = { candidates = { every = "15m" } }

[connections.no-such-provider]
provider = "nosuch"
streams = { candidates = { every = "15m" } }
"""


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["connections", *args], env=env, catch_exceptions=False)


def test_list_json_shows_streams_and_secret_references_not_values(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(FILE)
    result = invoke("list", "--json", "--connections", str(tmp_path / "c.toml"), env={"LOST_SEED_VARIABLE": "7"})
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    names = [c["name"] for c in listed["connections"]]
    assert names == ["acme", "lost-secret", "no-such-provider"]
    assert listed["connections"][0]["streams"]["candidates"]["every"] == "PT15M"
    assert listed["connections"][1]["secrets"] == {"seed": {"env": "LOST_SEED_VARIABLE", "file": None, "key": None}}


def test_list_reads_the_file_named_by_ats_connections(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(FILE)
    result = invoke("list", env={"ATS_CONNECTIONS": str(tmp_path / "c.toml")})
    assert result.exit_code == 0, result.output
    assert "candidates every 15m, full 7d" in result.output and "seed <- environment variable" in result.output


def test_check_reports_each_failure_with_its_reason_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(FILE)
    result = invoke("check", "--json", "--connections", str(tmp_path / "c.toml"))
    assert result.exit_code == 1
    outcomes = {o["connection"]: o for o in json.loads(result.output)["connections"]}
    assert outcomes["acme"]["ok"] and outcomes["acme"]["stream"] == "jobs"
    assert outcomes["acme"]["detail"] == "authenticated; 1 record(s) read"  # one page of size 1
    assert not outcomes["lost-secret"]["ok"] and "LOST_SEED_VARIABLE" in outcomes["lost-secret"]["detail"]
    assert not outcomes["no-such-provider"]["ok"] and "no such provider" in outcomes["no-such-provider"]["detail"]


def test_check_of_one_name_exits_0_when_it_works_and_names_unknown_ones(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(FILE)
    ok = invoke("check", "acme", "--connections", str(tmp_path / "c.toml"))
    assert ok.exit_code == 0, ok.output
    assert "ok" in ok.output and "1 of 1 connection(s) ok" in ok.output
    unknown = invoke("check", "initech", "--connections", str(tmp_path / "c.toml"))
    assert unknown.exit_code == 1
    assert "has no connection 'initech'; it has: acme, lost-secret, no-such-provider" in unknown.output


def test_a_missing_connections_file_is_one_clear_line(tmp_path: Path) -> None:
    result = invoke("list", "--connections", str(tmp_path / "none.toml"))
    assert result.exit_code == 1
    assert "none.toml: cannot be read" in result.output and "Traceback" not in result.output


@pytest.fixture(scope="module")
def tempworks() -> Iterator[RunningSandbox]:
    if "tempworks" not in available_sandboxes():
        pytest.skip("the TempWorks sandbox is not installed")
    running = start_sandbox("tempworks", SandboxOptions(size=5))
    yield running
    running.stop()


def test_check_against_the_sandbox_authenticates_and_a_wrong_secret_fails_without_showing_it(
    tmp_path: Path, tempworks: RunningSandbox
) -> None:
    settings = {k: v for k, v in tempworks.settings.items() if k != "client_secret"}
    inline = ", ".join(f"{key} = {json.dumps(value)}" for key, value in settings.items())
    table = f'provider = "tempworks"\nsettings = {{ {inline} }}\nstreams = {{ candidates = {{ every = "15m" }} }}\n'
    text = f'[connections.good]\n{table}secrets = {{ client_secret = {{ env = "GOOD" }} }}\n'
    text += f'[connections.bad]\n{table}secrets = {{ client_secret = {{ env = "BAD" }} }}\n'
    (tmp_path / "c.toml").write_text(text)
    wrong = "wrong-secret-value-0123456789"
    env = {"GOOD": tempworks.settings["client_secret"], "BAD": wrong}
    result = invoke("check", "--connections", str(tmp_path / "c.toml"), env=env)
    assert result.exit_code == 1
    good, bad = (line for line in result.output.splitlines() if "(tempworks, candidates)" in line)
    assert good.startswith("ok") and "1 record(s) read" in good
    assert bad.startswith("FAILED") and "401" in bad
    assert wrong not in result.output and tempworks.settings["client_secret"] not in result.output
