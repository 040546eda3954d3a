"""Auth flows: token caching, early refresh, 401 refresh-and-replay, refresh tokens, static and Basic auth."""

from __future__ import annotations

import base64
import threading
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr

from ats_core.errors import AuthenticationFailed, ConfigurationError, ProviderUnavailable
from ats_core.http import (
    ApiClient,
    BasicAuth,
    FakeClock,
    HeaderToken,
    OAuth2ClientCredentials,
    OAuth2RefreshToken,
    RetryPolicy,
)
from ats_core.scope import operation_scope

TOKEN_URL = "https://login.example.test/connect/token"
BASE_URL = "https://api.example.test"


class TokenServer:
    """A MockTransport handler: a token endpoint issuing numbered tokens, and an API accepting the current one."""

    def __init__(self, expires_in: int = 3600) -> None:
        self.expires_in = expires_in
        self.issued = 0
        self.forms: list[dict[str, list[str]]] = []
        self.api_calls: list[tuple[str, str, str | None, bytes]] = []
        self.revoked: set[str] = set()
        self.lock = threading.Lock()

    def current(self) -> str:
        return f"token-{self.issued}"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            if request.url.path == "/connect/token":
                self.forms.append(parse_qs(request.content.decode()))
                self.issued += 1
                return httpx.Response(
                    200,
                    json={"access_token": self.current(), "expires_in": self.expires_in, "token_type": "Bearer"},
                )
            auth = request.headers.get("authorization")
            self.api_calls.append((request.method, request.url.path, auth, request.content))
            token = (auth or "").removeprefix("Bearer ")
            if token != self.current() or token in self.revoked:
                return httpx.Response(401, json={"title": "token expired"})
            return httpx.Response(200, json={"ok": True, "token": token})


def make_client(server: TokenServer, clock: FakeClock, **auth_kw: object) -> tuple[ApiClient, OAuth2ClientCredentials]:
    auth = OAuth2ClientCredentials(
        TOKEN_URL,
        "client-1",
        SecretStr("s3cr3t-value"),
        clock=clock,
        **auth_kw,  # type: ignore[arg-type]
    )
    client = ApiClient(BASE_URL, auth=auth, transport=httpx.MockTransport(server), clock=clock)
    return client, auth


def test_token_fetched_once_and_reused_with_configured_grant_and_form() -> None:
    server, clock = TokenServer(), FakeClock()
    client, auth = make_client(
        server, clock, grant_type="vendor_grant", extra_form={"acr_values": "tenant:t1 pid:p1"}, scope="a-read"
    )
    for _ in range(5):
        assert client.get_json("/things")["ok"] is True
    assert server.issued == 1
    assert auth.token_fetches == 1
    form = server.forms[0]
    assert form["grant_type"] == ["vendor_grant"]
    assert form["acr_values"] == ["tenant:t1 pid:p1"]
    assert form["client_id"] == ["client-1"]
    assert form["client_secret"] == ["s3cr3t-value"]
    assert form["scope"] == ["a-read"]
    assert all(call[2] == "Bearer token-1" for call in server.api_calls)


def test_token_refreshed_before_expiry_by_the_margin() -> None:
    server, clock = TokenServer(expires_in=3600), FakeClock()
    client, _ = make_client(server, clock, refresh_margin_seconds=240)
    client.get_json("/a")
    clock.advance(3600 - 240 - 1)
    client.get_json("/a")
    assert server.issued == 1
    clock.advance(2)
    client.get_json("/a")
    assert server.issued == 2
    assert server.api_calls[-1][2] == "Bearer token-2"
    assert client.stats.responses_by_status == {200: 3}


def test_401_refreshes_once_and_replays_the_same_request() -> None:
    server, clock = TokenServer(), FakeClock()
    client, _ = make_client(server, clock)
    client.get_json("/a")
    server.revoked.add("token-1")
    result = client.post_json("/notes", json={"text": "hello"})
    assert result == {"ok": True, "token": "token-2"}
    posts = [c for c in server.api_calls if c[0] == "POST"]
    assert [c[2] for c in posts] == ["Bearer token-1", "Bearer token-2"]
    assert posts[0][3] == posts[1][3] == b'{"text":"hello"}'
    assert server.issued == 2


def test_a_second_401_after_refresh_raises_authentication_failed() -> None:
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            return httpx.Response(200, json={"access_token": "abc", "expires_in": 3600})
        return httpx.Response(401, text="no")

    auth = OAuth2ClientCredentials(TOKEN_URL, "cid", SecretStr("pw"), clock=clock)
    client = ApiClient(BASE_URL, auth=auth, transport=httpx.MockTransport(handler), clock=clock)
    with pytest.raises(AuthenticationFailed) as info, operation_scope("demo", "get_x"):
        client.get_json("/x")
    assert info.value.status_code == 401
    assert auth.token_fetches == 2
    assert "demo.get_x" in str(info.value)


def test_concurrent_first_requests_fetch_one_token() -> None:
    server, clock = TokenServer(), FakeClock()
    client, _ = make_client(server, clock)
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            client.get_json("/a")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert server.issued == 1
    assert len(server.api_calls) == 8


def test_refresh_token_grant_rotates_the_refresh_token() -> None:
    clock = FakeClock()
    forms: list[dict[str, list[str]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            form = parse_qs(request.content.decode())
            forms.append(form)
            n = len(forms)
            return httpx.Response(200, json={"access_token": f"at{n}", "expires_in": 60, "refresh_token": f"rt{n}"})
        return httpx.Response(200, json={})

    auth = OAuth2RefreshToken(
        TOKEN_URL, "cid", SecretStr("pw"), SecretStr("rt0"), refresh_margin_seconds=10, clock=clock
    )
    client = ApiClient(BASE_URL, auth=auth, transport=httpx.MockTransport(handler), clock=clock)
    client.get_json("/a")
    clock.advance(51)
    client.get_json("/a")
    assert [f["refresh_token"] for f in forms] == [["rt0"], ["rt1"]]
    assert all(f["grant_type"] == ["refresh_token"] for f in forms)
    assert "rt1" not in repr(auth)


def test_client_secret_can_go_in_a_basic_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "x", "expires_in": 3600})

    auth = OAuth2ClientCredentials(TOKEN_URL, "cid", SecretStr("pw"), client_auth="basic")
    client = ApiClient(BASE_URL, auth=auth, transport=httpx.MockTransport(handler))
    client.get_json("/a")
    token_request = seen[0]
    assert token_request.headers["authorization"] == "Basic " + base64.b64encode(b"cid:pw").decode()
    assert b"client_secret" not in token_request.content


@pytest.mark.parametrize("status", [400, 401])
def test_token_endpoint_refusal_names_the_settings_not_the_secret(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, json={"error": "invalid_client", "error_description": "bad secret hunter2-secret"}
        )

    auth = OAuth2ClientCredentials(
        TOKEN_URL,
        "cid",
        SecretStr("hunter2-secret"),
        client_id_setting="ATS_DEMO_CLIENT_ID",
        client_secret_setting="ATS_DEMO_CLIENT_SECRET",
    )
    client = ApiClient(BASE_URL, auth=auth, transport=httpx.MockTransport(handler))
    with pytest.raises(AuthenticationFailed) as info, operation_scope("demo", "list_things"):
        client.get_json("/things")
    text = str(info.value)
    assert "ATS_DEMO_CLIENT_ID" in text and "ATS_DEMO_CLIENT_SECRET" in text
    assert "list_things" in text and "/connect/token" in text
    assert "hunter2-secret" not in text
    assert "hunter2-secret" not in (info.value.body or "")
    assert info.value.status_code == status


def test_token_endpoint_outage_is_retried_then_reported_unavailable() -> None:
    clock = FakeClock()
    calls = {"token": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["token"] += 1
        return httpx.Response(503, text="down")

    auth = OAuth2ClientCredentials(TOKEN_URL, "cid", SecretStr("pw"), clock=clock)
    client = ApiClient(
        BASE_URL,
        auth=auth,
        transport=httpx.MockTransport(handler),
        clock=clock,
        retry=RetryPolicy(max_attempts=3),
    )
    with pytest.raises(ProviderUnavailable) as info:
        client.get_json("/x")
    assert calls["token"] == 3
    assert client.stats.retries["token_endpoint"] == 2
    assert info.value.status_code == 503


def test_header_token_and_basic_auth_set_their_headers() -> None:
    seen: list[httpx.Headers] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, json={})

    transport = httpx.MockTransport(handler)
    ApiClient(
        BASE_URL, auth=HeaderToken(SecretStr("tk"), header="x-api-token", prefix=""), transport=transport
    ).get_json("/a")
    ApiClient(BASE_URL, auth=HeaderToken(SecretStr("tk")), transport=transport).get_json("/a")
    ApiClient(BASE_URL, auth=BasicAuth("sid", SecretStr("pw")), transport=transport).get_json("/a")
    assert seen[0]["x-api-token"] == "tk" and "authorization" not in seen[0]
    assert seen[1]["authorization"] == "Bearer tk"
    assert seen[2]["authorization"] == "Basic " + base64.b64encode(b"sid:pw").decode()


def test_token_url_must_be_https() -> None:
    with pytest.raises(ConfigurationError) as info:
        OAuth2ClientCredentials("http://login.example.test/token", "cid", SecretStr("pw"))
    assert info.value.setting == "token_url"


BAD_CREDENTIALS = ["tok-secret\n", "tok-secret\r\n", "tok\x00secret", "tok\rsecret", " tok-secret", "tok-secret\t"]


def assert_refused_without_the_value(info: pytest.ExceptionInfo[ConfigurationError], setting: str, value: str) -> None:
    assert info.value.setting == setting
    text = str(info.value) + repr(info.value)
    shown = value.strip()
    assert not any(shown[i : i + 4] in text for i in range(len(shown) - 3)), text
    assert info.value.__cause__ is None and info.value.__context__ is None


@pytest.mark.parametrize("token", BAD_CREDENTIALS)
def test_a_header_token_with_control_characters_is_refused_up_front(token: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        HeaderToken(SecretStr(token), header="x-api-token", prefix="", setting="access_token")
    assert_refused_without_the_value(info, "access_token", token)
    assert "line break" in str(info.value)


@pytest.mark.parametrize("password", BAD_CREDENTIALS)
def test_basic_credentials_with_control_characters_are_refused(password: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        BasicAuth("sid", SecretStr(password), password_setting="auth_token")
    assert_refused_without_the_value(info, "auth_token", password)
    with pytest.raises(ConfigurationError) as info:
        BasicAuth("sid\n", SecretStr("pw"), username_setting="account_sid")
    assert info.value.setting == "account_sid"
    with pytest.raises(ConfigurationError, match="':'"):
        BasicAuth("s:id", SecretStr("pw"))


@pytest.mark.parametrize("secret", BAD_CREDENTIALS)
def test_oauth_client_credentials_with_control_characters_are_refused(secret: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        OAuth2ClientCredentials(TOKEN_URL, "cid", SecretStr(secret), client_secret_setting="ATS_DEMO_CLIENT_SECRET")
    assert_refused_without_the_value(info, "ATS_DEMO_CLIENT_SECRET", secret)
    with pytest.raises(ConfigurationError) as info:
        OAuth2ClientCredentials(TOKEN_URL, "cid\r\n", SecretStr("pw"), client_id_setting="ATS_DEMO_CLIENT_ID")
    assert info.value.setting == "ATS_DEMO_CLIENT_ID"
    with pytest.raises(ConfigurationError) as info:
        OAuth2RefreshToken(TOKEN_URL, "cid", SecretStr("pw"), SecretStr(secret))
    assert_refused_without_the_value(info, "refresh_token", secret)


@pytest.mark.parametrize("issued", ["tok-secret\r\nX-Injected: 1", "tok-secret\n", "tok\x00secret"])
def test_a_token_received_with_control_characters_is_refused_not_retried(issued: str) -> None:
    api_calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            return httpx.Response(200, json={"access_token": issued, "expires_in": 3600})
        api_calls.append(request)
        return httpx.Response(200, json={})

    auth = OAuth2ClientCredentials(TOKEN_URL, "cid", SecretStr("pw"), clock=FakeClock())
    client = ApiClient(BASE_URL, auth=auth, transport=httpx.MockTransport(handler), clock=FakeClock())
    with pytest.raises(ConfigurationError) as info:
        client.get_json("/a")
    assert_refused_without_the_value(info, "token_url", issued)
    assert api_calls == []
    assert client.stats.total_retries == 0


@pytest.mark.parametrize("value", ["t1\r\nX-Injected: 1", "t1\n", "\x00"])
def test_extra_headers_with_control_characters_are_refused(value: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        ApiClient(BASE_URL, headers={"X-Tenant": value})
    assert info.value.setting == "headers"
    assert "X-Tenant" in str(info.value) and "t1" not in str(info.value)
