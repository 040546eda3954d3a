"""Fuzzing the TempWorks payload models and the library's decoding with arbitrary JSON.

The payload models return a model or raise pydantic's ValidationError (their documented contract); every
library read and every stream page, fed any JSON body by the server, returns its value or raises
InvalidResponse (a ProviderError naming the operation).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from ats_tempworks import models
from ats_tempworks.library import TempWorksClient
from ats_tempworks.plugin import TempWorksProvider
from ats_tempworks.settings import TempWorksSettings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from ats_core import InvalidResponse
from ats_core.http import ApiClient, RetryPolicy
from ats_core.models import Page
from ats_core.provider import ProviderContext
from ats_core.rejects import RejectPolicy
from ats_core.scope import operation_scope

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PAYLOAD_MODELS = [getattr(models, name) for name in models.__all__]

keys = st.sampled_from(
    ["data", "totalCount", "employeeId", "actionId", "messageId", "Id", "value", "originId", "employees", "results"]
) | st.text(max_size=8)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=16
)


broken_json = st.binary(max_size=40) | st.builds(
    lambda body, cut: json.dumps(body).encode()[: max(1, cut)], json_values, st.integers(0, 40)
)
"""Undecodable bodies: random bytes, and JSON cut off part-way."""


@st.composite
def envelopes(draw: st.DrawFn) -> Any:
    """Mostly envelope-shaped bodies (`{data: [...], totalCount}`) with arbitrary items, sometimes anything."""
    if draw(st.integers(0, 4)) == 0:
        return draw(json_values)
    body: dict[str, Any] = {"data": draw(st.lists(st.dictionaries(keys, json_values, max_size=6), max_size=5))}
    if draw(st.booleans()):
        body["totalCount"] = draw(st.integers(-5, 10**6) | scalars)
    return body


@given(model=st.sampled_from(PAYLOAD_MODELS), payload=json_values)
@FUZZ
def test_payload_models_validate_or_raise_validation_error(model: type[BaseModel], payload: Any) -> None:
    try:
        validated = model.model_validate(payload)
    except ValidationError as error:
        assert error.errors()
        return
    assert isinstance(validated, model)


def _library(body: Any) -> TempWorksClient:
    text = json.dumps(body) if not isinstance(body, bytes) else body

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=text, headers={"Content-Type": "application/json"})

    api = ApiClient(
        "http://127.0.0.1:9",
        transport=httpx.MockTransport(answer),
        retry=RetryPolicy(max_attempts=1),
    )
    return TempWorksClient(api, page_size=20)


LIBRARY_READS: dict[str, Callable[[TempWorksClient], Any]] = {
    "list_page": lambda lib: lib.list_page("/Search/Employees", skip=0, take=20),
    "employee": lambda lib: lib.employee(1),
    "custom_data": lambda lib: lib.custom_data("Employees", 1),
    "universal_search": lambda lib: lib.universal_search(email="a@b.example"),
    "search_columns": lambda lib: lib.search_columns(1),
    "advanced_search": lambda lib: lib.advanced_search(
        1, rules=[], return_column_ids=[], sort_column_id=None, skip=0, take=20
    ),
    "message_actions": lambda lib: lib.message_actions(),
    "employee_documents": lambda lib: lib.employee_documents(1),
    "post_employee_message": lambda lib: lib.post_employee_message(1, action_id="7", message="hello", linked=[(1, 1)]),
}


@given(read=st.sampled_from(sorted(LIBRARY_READS)), body=envelopes() | json_values | broken_json)
@FUZZ
def test_library_reads_of_any_json_return_or_raise_invalid_response(read: str, body: Any) -> None:
    library = _library(body)
    try:
        with operation_scope("tempworks", read):
            LIBRARY_READS[read](library)
    except InvalidResponse as error:
        assert error.provider == "tempworks" and error.operation
    finally:
        library.close()


@given(body=envelopes(), on_invalid=st.sampled_from(["raise", "quarantine"]))
@FUZZ
def test_candidate_pages_of_any_json_return_a_page_or_raise_invalid_response(body: Any, on_invalid: Any) -> None:
    settings_ = TempWorksSettings(base_url="http://127.0.0.1:9", access_token="fuzz-token", time_zone="UTC")
    text = json.dumps(body)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=text))
    provider = TempWorksProvider(settings_, ProviderContext("tempworks", RejectPolicy(on_invalid)), transport=transport)
    try:
        with operation_scope("tempworks", "fetch_candidates_page"):
            page = provider.fetch_candidates_page(None, None, 20)  # the derived hook, called as pluggy calls it
    except InvalidResponse as error:
        assert "fetch_candidates_page" in str(error)
        return
    finally:
        provider.close()
    assert isinstance(page, Page)
    items = body if isinstance(body, list) else body.get("data", [])  # a bare list is accepted as the items
    assert len(page.items) + len(page.rejected) == len(items), "every item is mapped or rejected, none dropped"
