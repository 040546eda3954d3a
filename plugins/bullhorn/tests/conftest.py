"""Shared fixtures: one Bullhorn sandbox over a real loopback socket, and a fake Bullhorn login chain for MockTransport.

The fake (`FakeBullhorn`) plays discovery, the code flow, tokens, the REST login and one REST call: refresh
tokens are single-use and rotate, sessions can be expired at will, and each endpoint can answer as a failing
Bullhorn does (HTML error pages, OAuth error bodies). Only what the auth tests need.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
from ats_bullhorn.plugin import BullhornProvider
from ats_bullhorn.settings import BullhornSettings

from ats_core.sandbox import RunningSandbox, SandboxOptions, start_sandbox
from ats_core.sdk import ProviderContext, http

SANDBOX_SIZE = 100
SANDBOX_SEED = 5


@pytest.fixture(scope="session")
def sandbox() -> Iterator[RunningSandbox]:
    """A seeded sandbox of 100 candidates (5 jobs, ~100 submissions), found through its entry point; no rate limit."""
    running = start_sandbox(
        "bullhorn", SandboxOptions(size=SANDBOX_SIZE, seed=SANDBOX_SEED, faults={"rate_limit": "off"})
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def sandbox_with_faults() -> Iterator[Callable[..., RunningSandbox]]:
    """Start sandboxes holding the shared sandbox's data with faults injected; stopped after the test."""
    started: list[RunningSandbox] = []

    def start(**faults: str) -> RunningSandbox:
        options = SandboxOptions(size=SANDBOX_SIZE, seed=SANDBOX_SEED, faults={"rate_limit": "off", **faults})
        started.append(start_sandbox("bullhorn", options))
        return started[-1]

    yield start
    for running in started:
        running.stop()


@pytest.fixture(scope="session")
def sandbox_settings(sandbox: RunningSandbox) -> dict[str, Any]:
    """Settings for the sandbox (its discovery URL, OAuth key and API user), with a generous client-side limit."""
    return {**sandbox.settings, "requests_per_window": 1500, "window_seconds": 60}


LOGIN_INFO = "https://rest.bullhornstaffing.com/rest-services/loginInfo"
OAUTH = "https://auth-west.bh.test/oauth"
REST_LOGIN = "https://rest-west.bh.test/rest-services"
REST_URL = "https://rest-west.bh.test/rest-services/corp1/"
CLIENT_ID, CLIENT_SECRET = "client-1", "client-secret-value-9f3a"
USERNAME, PASSWORD = "api.user", "api-password-value-77c1"


@dataclass
class FakeBullhorn:
    """The state of one fake tenant; call it as a MockTransport handler."""

    password = PASSWORD

    refresh_tokens: set[str] = field(default_factory=set)
    access_tokens: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)
    authorize_page_error: str | None = None
    wrong_data_centre: bool = False
    token_status: tuple[int, dict[str, str]] | None = None
    logins: int = 0
    rest_calls: list[str] = field(default_factory=list)
    _numbers: itertools.count[int] = field(default_factory=itertools.count)

    def _new(self, kind: str) -> str:
        return f"{kind}-{next(self._numbers)}"

    def issue_refresh_token(self) -> str:
        token = self._new("refresh")
        self.refresh_tokens.add(token)
        return token

    def expire_sessions(self) -> None:
        self.sessions.clear()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url.copy_with(query=None))
        form = {key: values[0] for key, values in parse_qs(request.content.decode()).items()} if request.content else {}
        query = dict(request.url.params)
        if url == LOGIN_INFO:
            return httpx.Response(200, json={"oauthUrl": OAUTH, "restUrl": REST_LOGIN, "atsUrl": "https://x.test"})
        if url == f"{OAUTH}/authorize":
            return self._authorize(form)
        if url == "https://auth-east.bh.test/oauth/authorize":
            return self._authorize(form, moved=False)
        if url == f"{OAUTH}/token":
            return self._token(form)
        if url == f"{REST_LOGIN}/login":
            if query.get("access_token") not in self.access_tokens:
                body = {"errorMessage": "Invalid or expired OAuth access token.", "errorCode": 400}
                return httpx.Response(400, json={**body, "errorMessageKey": "errors.authentication.invalidOAuthToken"})
            self.logins += 1
            session = self._new("session")
            self.sessions.add(session)
            return httpx.Response(200, json={"BhRestToken": session, "restUrl": REST_URL})
        if url.startswith(REST_URL):
            self.rest_calls.append(request.headers.get("BhRestToken", ""))
            if request.headers.get("BhRestToken") not in self.sessions:
                key = "errors.authentication.invalidRestToken"
                return httpx.Response(
                    401, json={"errorMessage": "Bad 'BhRestToken' or timed-out.", "errorMessageKey": key}
                )
            return httpx.Response(200, json={"userId": 1})
        return httpx.Response(404, json={"errorMessage": f"no route {url}"})

    def _authorize(self, form: dict[str, str], moved: bool = True) -> httpx.Response:
        if self.wrong_data_centre and moved:
            return httpx.Response(307, headers={"Location": "https://auth-east.bh.test/oauth/authorize"})
        if self.authorize_page_error is not None:
            page = f'<html><body><p class="error">{self.authorize_page_error}</p></body></html>'
            return httpx.Response(200, text=page, headers={"content-type": "text/html"})
        if form.get("client_id") != CLIENT_ID:
            return httpx.Response(
                200, text='<p class="error">Invalid Client Id</p>', headers={"content-type": "text/html"}
            )
        if (form.get("username"), form.get("password")) != (USERNAME, PASSWORD):
            page = '<p class="error">Invalid username or password</p>'
            return httpx.Response(200, text=page, headers={"content-type": "text/html"})
        code = self._new("code")
        self.refresh_tokens.add(code)  # a code is redeemed like a single-use grant
        location = "https://partner.test/callback?" + urlencode({"code": code, "client_id": CLIENT_ID})
        return httpx.Response(302, headers={"Location": location})

    def _token(self, form: dict[str, str]) -> httpx.Response:
        if self.token_status is not None:
            status, body = self.token_status
            return httpx.Response(status, json=body)
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return httpx.Response(401, json={"error": "invalid_client", "error_description": "Bad client credentials"})
        grant = form.get("code") or form.get("refresh_token") or ""
        if grant not in self.refresh_tokens:
            return httpx.Response(400, json={"error": "invalid_grant", "error_description": "Invalid refresh token."})
        self.refresh_tokens.discard(grant)
        access = self._new("access")
        self.access_tokens.add(access)
        refresh = self.issue_refresh_token()
        answer = {"access_token": access, "token_type": "Bearer", "expires_in": 600, "refresh_token": refresh}
        return httpx.Response(200, content=json.dumps(answer).encode(), headers={"content-type": "application/json"})


@pytest.fixture
def fake() -> FakeBullhorn:
    """A fresh fake tenant."""
    return FakeBullhorn()


@pytest.fixture
def provider_for(fake: FakeBullhorn) -> Iterator[Callable[..., BullhornProvider]]:
    """Build providers on the fake (password login unless settings say otherwise), closed after the test."""
    built: list[BullhornProvider] = []

    def build(**settings: Any) -> BullhornProvider:
        values = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "username": USERNAME, **settings}
        if "refresh_token" not in settings and "refresh_token_file" not in settings:
            values.setdefault("password", PASSWORD)
        provider = BullhornProvider(
            BullhornSettings.model_validate({k: v for k, v in values.items() if v is not None}),
            ProviderContext("bullhorn"),
            transport=httpx.MockTransport(fake),
            clock=http.FakeClock(),
        )
        built.append(provider)
        return provider

    yield build
    for provider in built:
        provider.close()
