"""Error responses become typed errors naming provider, operation, method, path, status, message and a hint."""

from __future__ import annotations

import httpx
import pytest

from ats_core.errors import (
    BODY_EXCERPT_LIMIT,
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from ats_core.http import ApiClient, RetryPolicy, error_for_response, provider_message
from ats_core.http.errors import MESSAGE_LIMIT
from ats_core.scope import operation_scope


def answer(
    status: int, *, json: object = None, text: str | None = None, content_type: str | None = None
) -> httpx.Response:
    headers = {"content-type": content_type} if content_type else None
    request = httpx.Request("GET", "https://api.example.test/Employees/42?email=someone%40example.com")
    if json is not None:
        return httpx.Response(status, json=json, request=request)
    return httpx.Response(status, text=text or "", headers=headers, request=request)


@pytest.mark.parametrize(
    ("status", "error_class", "hint_word"),
    [
        (401, AuthenticationFailed, "client id/secret"),
        (403, PermissionDenied, "scope"),
        (404, NotFound, "id"),
        (429, RateLimited, "retry"),
        (500, ProviderUnavailable, "retry later"),
        (521, ProviderUnavailable, "retry later"),
        (400, ProviderError, "check the values"),
    ],
)
def test_status_maps_to_the_typed_error(status: int, error_class: type[ProviderError], hint_word: str) -> None:
    with pytest.raises(ProviderError) as raised, operation_scope("demo", "get_candidate"):
        raise error_for_response(answer(status, json={"title": "Something failed"}))
    error = raised.value
    assert type(error) is error_class
    text = str(error)
    assert text.startswith("demo.get_candidate: GET /Employees/42 -> HTTP ")
    assert "(Something failed)" in text
    assert hint_word in text
    assert "email" not in text and "example.com" not in text
    assert error.path == "/Employees/42"
    assert error.status_code == status


def test_rate_limited_names_the_wait() -> None:
    error = error_for_response(answer(429, text="25 requests / 5 sec limit"), retry_after=6)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 6
    assert "retry after 6 s" in str(error)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"title": "One or more validation errors occurred.", "status": 400},
            "One or more validation errors occurred.",
        ),
        ({"message": "Employee not found"}, "Employee not found"),
        ({"error": "invalid_client", "error_description": "Client auth failed"}, "Client auth failed"),
        ({"error": "invalid_grant"}, "invalid_grant"),
        ({"error": {"message": "nested"}}, "nested"),
        ([{"message": "first"}], "first"),
        ({"data": []}, None),
        (
            {"title": "One or more validation errors occurred.", "errors": {"FirstName": ["Required."], "Zip": "Bad."}},
            "One or more validation errors occurred. (FirstName: Required.; Zip: Bad.)",
        ),
        (
            {"title": "Invalid", "errors": {"a": ["x"], "b": ["y"], "c": [], "d": ["z"]}},
            "Invalid (a: x; b: y; c; +1 more)",
        ),
    ],
)
def test_provider_message_from_json(body: object, expected: str | None) -> None:
    assert provider_message(answer(400, json=body)) == expected


def test_provider_message_from_plain_text_html_and_long_bodies() -> None:
    assert provider_message(answer(429, text="25 requests / 5 sec limit")) == "25 requests / 5 sec limit"
    assert provider_message(answer(500, text="<html><body>oops</body></html>", content_type="text/html")) is None
    assert provider_message(answer(500, text="")) is None
    long = provider_message(answer(500, text="x" * 5000))
    assert long is not None and len(long) == MESSAGE_LIMIT


def test_raw_body_is_attached_truncated() -> None:
    error = error_for_response(answer(500, text="y" * 5000))
    assert error.body == "y" * (BODY_EXCERPT_LIMIT - 1) + "…"


def test_client_raises_mapped_errors_without_retrying_4xx() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(403, json={"title": "Missing scope employee-read"})

    client = ApiClient("https://api.example.test", transport=httpx.MockTransport(handler), retry=RetryPolicy())
    with pytest.raises(PermissionDenied) as info:
        client.get_json("/Employees/42", params={"q": "x"})
    assert len(calls) == 1
    assert "Missing scope employee-read" in str(info.value)
    assert "grant the credential the scope" in str(info.value)


def test_forbidden_names_the_missing_scope_when_the_provider_says_it() -> None:
    request = httpx.Request("GET", "https://api.example.test/Employees")
    response = httpx.Response(
        403,
        headers={"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="employee-read"'},
        request=request,
    )
    error = error_for_response(response)
    assert isinstance(error, PermissionDenied)
    assert "grant the credential the scope(s) employee-read" in str(error)
