"""The loopback server (keep-alive, clean stop), discovery through the entry point, and `ats sandbox serve bullhorn`."""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from ats_bullhorn_sandbox import BullhornSandbox
from click.testing import CliRunner

from ats_core.cli import main
from ats_core.sandbox import SandboxOptions, available_sandboxes, start_sandbox


def test_one_connection_serves_several_requests(bullhorn: Any) -> None:
    address = urlparse(bullhorn.sandbox.base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        for _ in range(3):
            connection.request(
                "GET", urlparse(bullhorn.rest_url).path + "ping", headers={"BhRestToken": bullhorn.token}
            )
            response = connection.getresponse()
            response.read()
            assert response.status == 200 and not response.will_close
    finally:
        connection.close()


def test_the_entry_point_starts_it_and_stop_releases_the_port() -> None:
    assert "bullhorn" in available_sandboxes()
    sandbox = start_sandbox("bullhorn", SandboxOptions(size=10, faults={"rate_limit": "off"}))
    assert isinstance(sandbox, BullhornSandbox)
    address = urlparse(sandbox.base_url)
    info = httpx.get(sandbox.settings["login_info_url"], params={"username": "x"}, timeout=10)
    assert info.status_code == 200
    sandbox.stop()
    sandbox.stop()
    with pytest.raises(OSError), socket.create_connection((address.hostname, address.port), timeout=2):
        pass


def test_serve_prints_settings_serves_and_stops_on_interrupt() -> None:
    command = [sys.executable, "-m", "ats_core", "sandbox", "serve", "bullhorn", "--port", "0", "--size", "20"]
    command += ["--fault", "submission_statuses=Applied,Hired"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.strip())
            if line.startswith("Press Ctrl-C"):
                break
        exports = dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))
        keys = ("LOGIN_INFO_URL", "CLIENT_ID", "CLIENT_SECRET", "USERNAME", "PASSWORD")
        assert set(exports) == {f"ATS_BULLHORN_{key}" for key in keys}
        assert any(line.startswith("refresh_token: 60:") for line in lines)
        settings = {key.removeprefix("ATS_BULLHORN_").lower(): value for key, value in exports.items()}
        with httpx.Client(timeout=10) as client:
            oauth = client.get(settings["login_info_url"], params={"username": settings["username"]}).json()["oauthUrl"]
            authorize = client.get(
                f"{oauth}/authorize",
                params={"client_id": settings["client_id"], "response_type": "code", "action": "Login"}
                | {"username": settings["username"], "password": settings["password"]},
            )
            assert authorize.status_code == 302
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_refuses_an_unknown_fault() -> None:
    result = CliRunner().invoke(main, ["sandbox", "serve", "bullhorn", "--port", "0", "--fault", "nonsense=1"])
    assert result.exit_code != 0 and "known faults" in result.output
