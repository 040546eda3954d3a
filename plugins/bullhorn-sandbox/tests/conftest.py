"""Fixtures for the Bullhorn sandbox tests: real sandboxes on loopback, a fake clock, and a logged-in client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from ats_bullhorn_sandbox import BullhornSandbox, start_sandbox

from ats_core.sandbox import SandboxOptions


class FakeClock:
    """An injectable clock that moves only when told to."""

    def __init__(self, start: datetime = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    @property
    def ms(self) -> int:
        return int(self.now * 1000)


class Bullhorn:
    """A started sandbox and an httpx client that walks Bullhorn's login chain against it."""

    def __init__(self, sandbox: BullhornSandbox) -> None:
        self.sandbox = sandbox
        self.state = sandbox.state
        self.settings = sandbox.settings
        self.http = httpx.Client(timeout=10.0)
        self.rest_url = ""
        self.token = ""

    @property
    def auth_url(self) -> str:
        return f"{self.sandbox.base_url}/oauth"

    def code(self, **overrides: str) -> str:
        params = {
            "client_id": self.settings["client_id"],
            "response_type": "code",
            "action": "Login",
            "username": self.settings["username"],
            "password": self.settings["password"],
        }
        params.update(overrides)
        response = self.http.get(f"{self.auth_url}/authorize", params=params)
        assert response.status_code == 302, response.text
        return parse_qs(urlparse(response.headers["location"]).query)["code"][0]

    def token_grant(self, **params: str) -> httpx.Response:
        params = {"client_id": self.settings["client_id"], "client_secret": self.settings["client_secret"], **params}
        return self.http.post(f"{self.auth_url}/token", params=params)

    def tokens(self) -> dict[str, Any]:
        response = self.token_grant(grant_type="authorization_code", code=self.code())
        assert response.status_code == 200, response.text
        return dict(response.json())

    def rest_login(self, access_token: str, **params: str) -> httpx.Response:
        return self.http.post(
            f"{self.sandbox.base_url}/rest-services/login",
            params={"version": "*", "access_token": access_token, **params},
        )

    def login(self, **params: str) -> Bullhorn:
        response = self.rest_login(self.tokens()["access_token"], **params)
        assert response.status_code == 200, response.text
        self.rest_url, self.token = response.json()["restUrl"], response.json()["BhRestToken"]
        return self

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"BhRestToken": self.token, **kwargs.pop("headers", {})}
        return self.http.request(method, self.rest_url + path, headers=headers, **kwargs)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.call("GET", path, params=params)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.call(method, path, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()


SandboxFactory = Callable[..., Bullhorn]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_bullhorn(clock: FakeClock) -> Iterator[SandboxFactory]:
    """Start real sandboxes on loopback (rate limit off unless a test sets one), logged in by default."""
    made: list[Bullhorn] = []

    def make(size: int = 200, seed: int = 7, login: bool = True, **faults: str) -> Bullhorn:
        faults.setdefault("rate_limit", "off")
        sandbox = start_sandbox(SandboxOptions(size=size, seed=seed, faults=faults), clock)
        client = Bullhorn(sandbox)
        made.append(client)
        return client.login() if login else client

    yield make
    for client in made:
        client.http.close()
        client.sandbox.stop()


@pytest.fixture
def bullhorn(make_bullhorn: SandboxFactory) -> Bullhorn:
    return make_bullhorn()


@pytest.fixture(scope="module")
def shared_bullhorn() -> Iterator[Bullhorn]:
    """One read-only sandbox for a module's property tests (hypothesis runs many examples per test)."""
    sandbox = start_sandbox(SandboxOptions(size=200, seed=7, faults={"rate_limit": "off"}), FakeClock())
    client = Bullhorn(sandbox).login()
    yield client
    client.http.close()
    sandbox.stop()
