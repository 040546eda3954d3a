"""`ats sandbox serve tempworks` in a real process: prints its URL and settings, serves, stops on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

import httpx
from click.testing import CliRunner

from ats_core.cli import main


def test_serve_prints_settings_serves_and_stops_on_interrupt(fetch_bearer: Any) -> None:
    command = [sys.executable, "-m", "ats_core", "sandbox", "serve", "tempworks", "--port", "0", "--employees", "20"]
    command += ["--fault", "time_zone=Europe/Berlin"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.strip())
            if line.startswith("Press Ctrl-C"):
                break
        exports = dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))
        keys = ("BASE_URL", "TOKEN_URL", "WEBHOOKS_URL", "TENANT", "PID", "CLIENT_ID", "CLIENT_SECRET", "TIME_ZONE")
        assert set(exports) == {f"ATS_TEMPWORKS_{key}" for key in keys}
        assert exports["ATS_TEMPWORKS_TIME_ZONE"] == "Europe/Berlin"
        assert any(line.startswith("x_tw_token: ") for line in lines)
        settings = {key.removeprefix("ATS_TEMPWORKS_").lower(): value for key, value in exports.items()}
        body = httpx.get(
            settings["base_url"] + "/Search/Employees", params={"take": 5}, headers=fetch_bearer(settings)
        ).json()
        assert body["totalCount"] == 20
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_refuses_unknown_provider_and_fault() -> None:
    runner = CliRunner()
    unknown = runner.invoke(main, ["sandbox", "serve", "nosuch", "--port", "0"])
    assert unknown.exit_code != 0 and "ships no sandbox" in unknown.output
    bad_fault = runner.invoke(main, ["sandbox", "serve", "tempworks", "--port", "0", "--fault", "nonsense=1"])
    assert bad_fault.exit_code != 0 and "known faults" in bad_fault.output
    listed = runner.invoke(main, ["sandbox", "list"])
    assert listed.exit_code == 0 and "tempworks" in listed.output.split()
