"""Fixtures for the sandbox contract tests: an in-process sandbox, a fake clock and token helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from ats_tempworks_sandbox import SandboxApp, create_app
from ats_tempworks_sandbox.testing import vendor_token_form

from ats_core.sandbox import SandboxOptions

BASE = "http://tempworks.sandbox"


class FakeClock:
    """An injectable clock that only moves when told to."""

    def __init__(self, start: datetime = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Sandbox:
    """An in-process sandbox with an httpx client bound to it."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app
        self.state = app.state
        self.settings = app.settings(BASE)
        self.http = httpx.Client(transport=httpx.WSGITransport(app=app), base_url=BASE)

    def token_form(self, **overrides: str) -> dict[str, str]:
        return vendor_token_form(self.settings, **overrides)

    def token(self, **overrides: str) -> str:
        response = self.http.post("/connect/token", data=self.token_form(**overrides))
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def bearer(self, **overrides: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**overrides)}"}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", self.bearer())
        return self.http.get(path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", self.bearer())
        return self.http.post(path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", self.bearer())
        return self.http.put(path, **kwargs)

    def column(self, origin_type: int, name: str) -> str:
        listed = self.get(f"/search/{origin_type}/columns").json()
        columns = listed["data"] if isinstance(listed, dict) else listed
        return str(next(c["columnId"] for c in columns if c["columnDisplayName"] == name))


SandboxFactory = Callable[..., Sandbox]
BearerFetcher = Callable[[Mapping[str, Any]], dict[str, str]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_sandbox(clock: FakeClock) -> Iterator[SandboxFactory]:
    """Build in-process sandboxes; rate limiting is off unless a test passes its own rate_limit fault."""
    made: list[Sandbox] = []

    def make(size: int = 500, seed: int = 7, **faults: str) -> Sandbox:
        faults.setdefault("rate_limit", "off")
        sandbox = Sandbox(create_app(SandboxOptions(size=size, seed=seed, faults=faults), clock))
        made.append(sandbox)
        return sandbox

    yield make
    for sandbox in made:
        sandbox.http.close()


@pytest.fixture
def sandbox(make_sandbox: SandboxFactory) -> Sandbox:
    return make_sandbox()


@pytest.fixture
def fetch_bearer() -> BearerFetcher:
    """Get a token from `settings["token_url"]` over the network; returns the Authorization header carrying it."""

    def fetch(settings: Mapping[str, Any]) -> dict[str, str]:
        response = httpx.post(settings["token_url"], data=vendor_token_form(settings))
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return fetch
