"""A real fleet for the tests and the fleet benchmark: a Redis server of its own, Celery workers and beat as processes.

Readiness is waited on, never slept for: Redis says "Ready to accept connections", workers answer
`celery inspect ping`, and conditions on the database are polled under a deadline.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from celery import Celery

from ats_core.fleet.celery_engine import create_app
from ats_core.fleet.engine import EngineSettings

READY_TIMEOUT = 60.0


def wait_until(condition: Callable[[], bool], what: str, timeout: float = READY_TIMEOUT) -> None:
    """Poll `condition` every 0.1 s until it holds; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class OwnRedis:
    """A redis-server on a port of its own, appending every write to disk so a restart keeps queued tasks."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None, "redis-server is not installed (`make test` installs it through .ci/services.sh)"
        arguments = [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory)]
        arguments += ["--save", "", "--appendonly", "yes", "--appendfsync", "always"]
        self.process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.process.stdout is not None
        for line in self.process.stdout:  # waits on Redis's own word that it is ready
            if "Ready to accept connections" in line:
                return
        raise AssertionError(f"redis-server on port {self.port} exited with {self.process.wait(timeout=10)}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def restart(self) -> None:
        """SIGKILL and start again on the same port and files (what survives is what was appended)."""
        self.kill()
        self.start()


@dataclass
class Fleet:
    """Celery workers (processes, one task at a time each) and beat, configured by ATS_* variables."""

    environment: dict[str, str]
    directory: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    beat: subprocess.Popen[bytes] | None = None

    @property
    def app(self) -> Celery:
        return create_app(EngineSettings.from_environment(self.environment))

    def _celery(self, *arguments: str, log: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "celery", "-A", "ats_core.fleet.celery_engine", *arguments]
        with open(self.directory / log, "wb") as output:
            return subprocess.Popen(command, env=self.environment, stdout=output, stderr=subprocess.STDOUT)

    def start(self, workers: int, *, pool: str = "prefork", concurrency: int = 1, beat: bool = True) -> None:
        """Start `workers` workers (each running `concurrency` tasks at once in its `pool`) and beat; wait for them."""
        names = [f"w{number}@fleet" for number in range(workers)]
        for name in names:
            arguments = ["worker", "--hostname", name, "--pool", pool, "--concurrency", str(concurrency)]
            arguments += ["--without-gossip", "--without-mingle", "--loglevel", "INFO"]
            self.workers.append(self._celery(*arguments, log=f"{name}.log"))
        app = self.app
        answered: set[str] = set()

        def all_answer() -> bool:
            for reply in app.control.ping(timeout=0.5):
                answered.update(reply)
            return answered >= set(names)

        wait_until(all_answer, f"workers {', '.join(names)} answer celery inspect ping")
        if not beat:
            return
        schedule = str(self.directory / "beat-schedule")
        self.beat = self._celery("beat", "--schedule", schedule, "--loglevel", "INFO", log="beat.log")

    def active_tasks(self) -> list[dict[str, Any]]:
        """The tasks the workers are running now, each with its `worker_pid` (as soon as every worker answers)."""
        replies = self.app.control.inspect(timeout=1.0, limit=len(self.workers)).active() or {}
        return [task for tasks in replies.values() for task in tasks]

    def stop(self) -> None:
        for process in [*self.workers, *([self.beat] if self.beat else [])]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*self.workers, *([self.beat] if self.beat else [])]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)

    def logs(self, tail: int | None = 3000) -> str:
        """Every process's log (its last `tail` characters), e.g. for a failing assertion."""
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-(tail or 0) :]}" for log in self.directory.glob("*.log")
        )


@contextmanager
def running_fleet(environment: dict[str, str], directory: Path, workers: int, **options: Any) -> Iterator[Fleet]:
    """Workers and beat (`Fleet.start` options) with `environment` added to this process's, stopped afterwards."""
    fleet = Fleet({**os.environ, **environment}, directory)
    try:
        fleet.start(workers, **options)
        yield fleet
    finally:
        fleet.stop()
