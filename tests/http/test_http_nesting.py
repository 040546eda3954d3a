"""Deeply nested JSON in list, token and error bodies is a typed error, never a RecursionError."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from ats_core.errors import InvalidResponse, NotFound
from ats_core.http import ApiClient, FakeClock, OAuth2ClientCredentials
from ats_core.http.jsonbody import MAX_JSON_DEPTH

BASE_URL = "https://api.example.test"
DEEP = b"[" * 100_000 + b"]" * 100_000


def answering(*responses: httpx.Response) -> httpx.MockTransport:
    queue = list(responses)
    return httpx.MockTransport(lambda request: queue.pop(0))


def test_a_deep_list_body_is_an_invalid_response() -> None:
    client = ApiClient(BASE_URL, transport=answering(httpx.Response(200, content=DEEP)))
    with pytest.raises(InvalidResponse) as info:
        client.get_json("/items")
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in str(info.value)
    assert info.value.path == "/items"


def test_a_deep_token_body_is_an_invalid_response() -> None:
    auth = OAuth2ClientCredentials("https://login.example.test/token", "cid", SecretStr("pw"), clock=FakeClock())
    client = ApiClient(BASE_URL, auth=auth, transport=answering(httpx.Response(200, content=DEEP)), clock=FakeClock())
    with pytest.raises(InvalidResponse) as info:
        client.get_json("/items")
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in str(info.value)
    assert info.value.path == "/token"


def test_a_deep_error_body_keeps_the_status_error_and_says_why_there_is_no_message() -> None:
    client = ApiClient(BASE_URL, transport=answering(httpx.Response(404, content=DEEP)))
    with pytest.raises(NotFound) as info:
        client.get_json("/items/1")
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in str(info.value)
