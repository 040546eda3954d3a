"""Transport safety: https only (loopback excepted), no credentials across origins, TLS verification on."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from ats_core.errors import ConfigurationError, InvalidResponse
from ats_core.http import ApiClient, HeaderToken, is_loopback_host


@pytest.mark.parametrize(
    "url",
    ["http://api.example.test", "http://10.0.0.5:8080", "ftp://api.example.test", "api.example.test", "http://[::2]"],
)
def test_non_https_base_url_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        ApiClient(url)
    assert info.value.setting == "base_url"
    assert "https" in str(info.value) and "loopback" in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.example.test",
        "http://127.0.0.1:8000",
        "http://127.8.9.10",
        "http://[::1]:9000",
        "http://localhost:5000/api",
    ],
)
def test_https_and_loopback_base_urls_are_accepted(url: str) -> None:
    ApiClient(url).close()


def test_loopback_detection() -> None:
    assert is_loopback_host("localhost") and is_loopback_host("LOCALHOST.") and is_loopback_host("::1")
    assert is_loopback_host("127.255.0.1")
    assert not is_loopback_host("128.0.0.1") and not is_loopback_host("localhost.example.com")


def test_redirect_to_plain_http_elsewhere_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://evil.example.test/steal"})

    client = ApiClient(
        "https://api.example.test", auth=HeaderToken(SecretStr("t")), transport=httpx.MockTransport(handler)
    )
    with pytest.raises(InvalidResponse) as info:
        client.get_json("/a")
    assert "non-https" in str(info.value) and "evil.example.test" in str(info.value)


def test_redirect_to_another_https_host_goes_without_credentials() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.example.test":
            return httpx.Response(301, headers={"Location": "https://cdn.example.test/file"})
        return httpx.Response(200, json={"ok": 1})

    client = ApiClient(
        "https://api.example.test",
        auth=HeaderToken(SecretStr("tok"), header="x-api-token", prefix=""),
        transport=httpx.MockTransport(handler),
    )
    assert client.get_json("/a") == {"ok": 1}
    assert seen[0].headers["x-api-token"] == "tok"
    assert "x-api-token" not in seen[1].headers
    assert "authorization" not in seen[1].headers


def test_a_303_after_post_becomes_a_get_without_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(303, headers={"Location": "/things/5"})
        return httpx.Response(200, json={"id": 5})

    client = ApiClient("https://api.example.test", transport=httpx.MockTransport(handler))
    assert client.post_json("/things", json={"a": 1}) == {"id": 5}
    assert [(r.method, r.url.path, r.content) for r in seen] == [
        ("POST", "/things", b'{"a":1}'),
        ("GET", "/things/5", b""),
    ]


def test_tls_verification_stays_on() -> None:
    client = ApiClient("https://api.example.test")
    transport = client._http._transport._transport  # type: ignore[attr-defined]  # inside the BoundedTransport
    assert isinstance(transport, httpx.HTTPTransport)
    ssl_context = transport._pool._ssl_context
    assert ssl_context is not None and ssl_context.verify_mode.name == "CERT_REQUIRED"
    assert ssl_context.check_hostname is True


def test_an_absolute_plain_http_url_is_refused_per_request() -> None:
    client = ApiClient("https://api.example.test", transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    with pytest.raises(ConfigurationError):
        client.get_json("http://elsewhere.example.test/a")


def test_a_redirect_loop_ends_with_invalid_response() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(302, headers={"Location": "/again"})

    client = ApiClient("https://api.example.test", transport=httpx.MockTransport(handler))
    with pytest.raises(InvalidResponse, match="redirects"):
        client.get_json("/a")
    assert len(calls) == 6


def test_a_redirect_is_returned_unfollowed_when_asked() -> None:
    """An OAuth authorization code arrives in a 302's Location, which must not be followed to the redirect URI."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(302, headers={"Location": "https://app.example.test/callback?code=abc"})

    client = ApiClient("https://api.example.test", transport=httpx.MockTransport(handler))
    response = client.request("GET", "/authorize", follow_redirects=False)
    assert (response.status_code, calls) == (302, ["/authorize"])
    assert response.headers["location"].endswith("code=abc")


@pytest.mark.parametrize("host", ["evil.localhost", "a.b.localhost", "localhost.localhost", "127.0.0.1.localhost"])
def test_names_under_localhost_are_not_loopback(host: str) -> None:
    assert not is_loopback_host(host)
    with pytest.raises(ConfigurationError) as info:
        ApiClient(f"http://{host}:8080")
    assert info.value.setting == "base_url"


@pytest.mark.parametrize(
    ("url", "leaked"),
    [
        ("https://user:hunter2@api.example.test/", "hunter2"),
        ("https://svc-account@api.example.test/", "svc-account"),
        ("http://admin:pw-123@127.0.0.1:8080", "pw-123"),
        ("https://:only-a-password@api.example.test", "only-a-password"),
    ],
)
def test_credentials_inside_a_url_are_refused_without_echoing_them(url: str, leaked: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        ApiClient(url)
    assert info.value.setting == "base_url"
    assert "credential settings" in str(info.value)
    assert leaked not in str(info.value) and leaked not in repr(info.value)


def test_a_token_url_with_credentials_is_refused() -> None:
    from ats_core.http import OAuth2ClientCredentials

    with pytest.raises(ConfigurationError) as info:
        OAuth2ClientCredentials("https://cid:secret-x@login.example.test/token", "cid", SecretStr("pw"))
    assert info.value.setting == "token_url"
    assert "secret-x" not in str(info.value)
