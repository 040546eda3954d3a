"""The TempWorks sandbox in its own process, so its CPU is not counted as the client's.

The parent runs `python -m benchmarks.sandbox_process OPTIONS_JSON`; the child starts the sandbox through
the public `ats_core.sandbox.start_sandbox` entry point, prints one JSON line with the base URL and the
connection settings, and serves until its standard input closes. The parent then polls the URL until the
server answers (no fixed sleeps).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from types import TracebackType
from typing import IO, Any

import httpx
from pydantic import SecretStr

__all__ = ["SandboxProcess", "SandboxSpec"]

PROVIDER = "tempworks"
READY_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class SandboxSpec:
    """Options of a sandbox run: seeded size, added latency and faults (e.g. `rate_limit=off`)."""

    employees: int = 1000
    latency_ms: float = 0.0
    seed: int = 7
    faults: dict[str, str] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    raise TypeError(f"cannot send {type(value).__name__} to the benchmark client")


class SandboxProcess:
    """Start the sandbox as a child process; `base_url` and `settings` are set once it answers."""

    def __init__(self, spec: SandboxSpec) -> None:
        self.spec = spec
        self.base_url = ""
        self.settings: dict[str, Any] = {}
        self.personal_access_token: dict[str, str] = {}
        self._process: subprocess.Popen[str] | None = None
        self._errors: IO[str] | None = None

    def __enter__(self) -> SandboxProcess:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Spawn the child, read its announcement line, then poll the base URL until it answers."""
        self._errors = tempfile.TemporaryFile("w+")  # noqa: SIM115 - open for the child's life, closed in stop()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.sandbox_process", json.dumps(asdict(self.spec))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )
        try:
            self._read_announcement()
            self._wait_until_answering()
        except BaseException:
            self.stop()
            raise

    def settings_for(self, credential: str) -> dict[str, Any]:
        """Connection settings with the sandbox's OAuth client (`oauth2`) or its personal access token (`basic`)."""
        if credential == "oauth2":
            return dict(self.settings)
        oauth = {"client_id", "client_secret", "tenant", "pid", "token_url", "scope"}
        token = self.personal_access_token
        plain = {key: value for key, value in self.settings.items() if key not in oauth}
        return {**plain, "account_sid": token["account_sid"], "auth_token": token["auth_token"]}

    def _read_announcement(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait(timeout=10)
            raise RuntimeError(f"the sandbox process exited {self._process.returncode}: {self.errors()[-2000:]}")
        announced = json.loads(line)
        self.base_url = announced["base_url"]
        self.settings = announced["settings"]
        self.personal_access_token = announced.get("personal_access_token", {})

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the sandbox process has used so far, from /proc; None where unavailable."""
        if self._process is None:
            return None
        try:
            with open(f"/proc/{self._process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        ticks = int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of proc(5)
        return ticks / os.sysconf("SC_CLK_TCK")

    def errors(self) -> str:
        """What the child wrote to stderr so far."""
        if self._errors is None:
            return ""
        self._errors.seek(0)
        return self._errors.read()

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        delay = 0.01
        while True:
            try:
                httpx.get(self.base_url, timeout=5.0)
                return
            except httpx.TransportError as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the sandbox at {self.base_url} did not answer within {READY_TIMEOUT_SECONDS} s"
                    ) from error
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def stop(self) -> None:
        """Close the child's stdin (its signal to stop) and reap it; terminate it if it lingers."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(timeout=15)
        if process.stdout is not None:
            process.stdout.close()
        if self._errors is not None:
            self._errors.close()
            self._errors = None


def _serve(spec: SandboxSpec, announce: IO[str], wait_on: IO[str]) -> None:
    from ats_core.sandbox import SandboxOptions, start_sandbox

    options = SandboxOptions(size=spec.employees, latency_ms=spec.latency_ms, seed=spec.seed, faults=spec.faults)
    sandbox = start_sandbox(PROVIDER, options)
    try:
        announced = {
            "base_url": sandbox.base_url,
            "settings": sandbox.settings,
            "personal_access_token": getattr(sandbox, "extra_credentials", {}),
        }
        announce.write(json.dumps(announced, default=_plain) + "\n")
        announce.flush()
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):  # nobody reads the pipe any more
            wait_on.read()
    finally:
        sandbox.stop()


if __name__ == "__main__":
    _serve(SandboxSpec(**json.loads(sys.argv[1])), sys.stdout, sys.stdin)
