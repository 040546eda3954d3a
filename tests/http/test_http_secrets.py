"""No secret reaches a log record, an exception message or a repr, whatever the secret and the failure."""

from __future__ import annotations

import logging
import string

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from ats_core.errors import ProviderError
from ats_core.http import (
    ApiClient,
    BasicAuth,
    FakeClock,
    HeaderToken,
    OAuth2ClientCredentials,
    OAuth2RefreshToken,
    RetryPolicy,
)

# A marker prefix keeps a generated secret from coinciding with the fixed words of a message (e.g. "fetch_access").
secrets = st.text(alphabet=string.ascii_letters + string.digits + "-_.~+/=", min_size=10, max_size=48).map(
    lambda value: "Zx9" + value
)
TOKEN_URL = "https://login.example.test/connect/token"


def failing_transport(secret: str, token: str, token_status: int, api_status: int) -> httpx.MockTransport:
    """Token endpoint answers `token_status` (echoing the secret back, as a careless server might); the API fails."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            if token_status == 200:
                return httpx.Response(200, json={"access_token": token, "expires_in": 3600})
            return httpx.Response(token_status, json={"error": "invalid_client", "error_description": f"bad {secret}"})
        return httpx.Response(api_status, json={"title": f"rejected {token}", "detail": secret}, text=None)

    return httpx.MockTransport(handler)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    secret=secrets,
    token=secrets,
    flow=st.sampled_from(["client_credentials", "refresh_token", "header", "basic"]),
    token_status=st.sampled_from([200, 400, 401, 403, 500]),
    api_status=st.sampled_from([400, 401, 403, 404, 429, 500, 503]),
)
def test_secrets_never_leak(
    caplog: pytest.LogCaptureFixture, secret: str, token: str, flow: str, token_status: int, api_status: int
) -> None:
    caplog.clear()
    clock = FakeClock()
    auth: httpx.Auth
    if flow == "client_credentials":
        auth = OAuth2ClientCredentials(TOKEN_URL, "cid", SecretStr(secret), clock=clock)
    elif flow == "refresh_token":
        auth = OAuth2RefreshToken(TOKEN_URL, "cid", SecretStr(secret), SecretStr(secret[::-1]), clock=clock)
    elif flow == "header":
        auth = HeaderToken(SecretStr(secret), header="x-api-token", prefix="")
    else:
        auth = BasicAuth("sid", SecretStr(secret))
    client = ApiClient(
        "https://api.example.test",
        auth=auth,
        transport=failing_transport(secret, token, token_status, api_status),
        clock=clock,
        retry=RetryPolicy(max_attempts=2),
    )
    with caplog.at_level(logging.DEBUG), pytest.raises(ProviderError) as info:
        client.get_json("/Employees/1", params={"q": "x"})
    error = info.value
    issued = token if flow in ("client_credentials", "refresh_token") and token_status == 200 else None
    texts = [str(error), repr(error), error.body or "", repr(auth), repr(client), str(client.stats.summary())]
    texts += [record.getMessage() for record in caplog.records]
    for leaked in filter(None, [secret, secret[::-1] if flow == "refresh_token" else None, issued]):
        for text in texts:
            assert leaked not in text
    assert caplog.records, "DEBUG lines were expected"
    assert all("q=x" not in record.getMessage() for record in caplog.records if record.name.startswith("ats_core"))
