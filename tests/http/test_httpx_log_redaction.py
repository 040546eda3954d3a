"""httpx's own request log lines never carry a query string (emails and phones travel in search queries)."""

from __future__ import annotations

import logging

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ats_core.http import ApiClient


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"data": [], "totalCount": 0})


@given(email=st.emails())
def test_httpx_info_lines_drop_the_query(email: str) -> None:
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    httpx_logger = logging.getLogger("httpx")
    httpx_logger.addHandler(handler)
    httpx_logger.setLevel(logging.DEBUG)
    try:
        api = ApiClient("https://ats.example.test", transport=httpx.MockTransport(_ok))
        api.get_json("/Search/UniversalEmail", params={"emailAddress": email})
        api.close()
    finally:
        httpx_logger.removeHandler(handler)
        httpx_logger.setLevel(logging.NOTSET)
    lines = [r.getMessage() for r in records]
    assert any("/Search/UniversalEmail" in line for line in lines)
    encoded = str(httpx.QueryParams({"emailAddress": email}))
    assert not any(email in line or encoded in line or "emailAddress" in line for line in lines)


def test_the_redactor_leaves_other_records_alone(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="httpx"):
        logging.getLogger("httpx").info("plain %s", "text")
    assert caplog.messages == ["plain text"]
