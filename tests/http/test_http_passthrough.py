"""Passthrough: base-URL-relative paths only, credentials never handed back, POST never re-sent."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from ats_core.errors import InvalidInput, WriteOutcomeUnknown
from ats_core.http import ApiClient, BasicAuth, FakeClock, RetryPolicy, passthrough, relative_path

BASE_URL = "https://api.example.test/v1"
SECRET = "s3cret-token-value"


def client_for(handler: httpx.MockTransport) -> ApiClient:
    return ApiClient(
        BASE_URL,
        auth=BasicAuth("account", SecretStr(SECRET)),
        transport=handler,
        clock=FakeClock(),
        retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.01),
    )


def test_a_get_returns_status_safe_headers_and_the_decoded_body() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"echo": f"Basic {SECRET}", SECRET: [SECRET, 1]}
        headers = {"set-cookie": "session=1", "x-note": f"token {SECRET}", "content-type": "application/json"}
        return httpx.Response(200, headers=headers, content=json.dumps(body).encode())

    with client_for(httpx.MockTransport(answer)) as api:
        result = passthrough(api, "get", "Branches", {"take": "5"}, None)
    assert seen[0].url == httpx.URL("https://api.example.test/v1/Branches?take=5")
    assert result.status_code == 200
    assert "set-cookie" not in result.headers and result.headers["x-note"] == "token ***"
    assert result.body == {"echo": "Basic ***", "***": ["***", 1]}
    assert SECRET not in repr(result)


def test_a_text_body_is_handed_back_as_text() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, text="plain", headers={"content-type": "text/plain"})
    )
    with client_for(transport) as api:
        assert passthrough(api, "GET", "/ping").body == "plain"


def test_a_post_is_not_sent_twice_when_its_answer_is_lost() -> None:
    calls: list[str] = []

    def unavailable(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503)

    with client_for(httpx.MockTransport(unavailable)) as api, pytest.raises(WriteOutcomeUnknown):
        passthrough(api, "POST", "/Employees/1/messages", None, {"message": "hi"})
    assert calls == ["POST"]


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example/x",
        "HTTP://evil.example/x",
        "//evil.example/x",
        "/a/../../admin",
        "/a/%2e%2e/admin",
        "/a\\b",
        "/a\nb",
        "/x?token=1",
        "",
        "   ",
    ],
)
def test_paths_that_could_leave_the_tenant_api_are_refused(path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        relative_path(path)
    assert caught.value.field == "path"


@given(st.sampled_from(["http", "https", "ftp", "file", "javascript"]), st.text(min_size=1, max_size=20))
def test_any_absolute_url_is_refused(scheme: str, rest: str) -> None:
    with pytest.raises(InvalidInput):
        relative_path(f"{scheme}:{rest}")


@given(st.lists(st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True), min_size=1, max_size=4))
def test_plain_segments_are_kept_under_the_base_url(segments: list[str]) -> None:
    assert relative_path("/".join(segments)) == "/" + "/".join(segments)


def test_methods_outside_the_list_and_bodies_on_get_are_refused_before_any_request() -> None:
    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    with client_for(httpx.MockTransport(never)) as api:
        with pytest.raises(InvalidInput, match="method"):
            passthrough(api, "TRACE", "/x")
        with pytest.raises(InvalidInput, match="json"):
            passthrough(api, "GET", "/x", None, {"a": 1})
