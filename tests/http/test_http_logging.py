"""DEBUG lines per request: method, path, status, attempt, duration; never headers, bodies or query strings."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from pydantic import SecretStr

from ats_core.http import ApiClient, FakeClock, HeaderToken
from ats_core.scope import operation_scope


def test_one_debug_line_per_attempt_without_query_headers_or_body(caplog: pytest.LogCaptureFixture) -> None:
    answers = iter([httpx.Response(503, text="busy"), httpx.Response(200, json={"email": "a@b.example"})])

    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers)

    client = ApiClient(
        "https://api.example.test",
        auth=HeaderToken(SecretStr("tok-123"), header="x-api-token", prefix=""),
        transport=httpx.MockTransport(handler),
        clock=FakeClock(),
    )
    with caplog.at_level(logging.DEBUG, logger="ats_core.http"), operation_scope("demo", "find"):
        client.get_json("/Employees", params={"email": "someone@x.example"})
    lines = [r.getMessage() for r in caplog.records if r.name == "ats_core.http"]
    request_lines = [line for line in lines if "->" in line]
    assert len(request_lines) == 2
    assert re.fullmatch(r"demo\.find: GET /Employees -> 503 \(attempt 1, \d+\.\d{3} s\)", request_lines[0])
    assert re.fullmatch(r"demo\.find: GET /Employees -> 200 \(attempt 2, \d+\.\d{3} s\)", request_lines[1])
    joined = "\n".join(lines)
    for forbidden in ("someone", "email", "tok-123", "x-api-token", "busy", "a@b"):
        assert forbidden not in joined
