"""Fuzzing the TempWorks payload models and the library's decoding with arbitrary JSON, and cursors.

The payload models return a model or raise pydantic's ValidationError (their documented contract); every
library read and every stream page, fed any JSON body by the server, returns its value or raises
InvalidResponse (a ProviderError naming the operation); any cursor text decodes or raises InvalidInput.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from ats_tempworks import models
from ats_tempworks.cursors import CursorState, decode_cursor, encode_cursor
from ats_tempworks.library import TempWorksClient
from ats_tempworks.settings import TempWorksSettings
from ats_tempworks.streams import StreamReader, mappers_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from ats_core import InvalidInput, InvalidResponse
from ats_core.http import ApiClient, RetryPolicy
from ats_core.models import Page
from ats_core.provider import ProviderContext
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
    library = _library(body)
    settings_ = TempWorksSettings(base_url="http://127.0.0.1:9", access_token="fuzz-token", time_zone="UTC")
    context = ProviderContext("tempworks", on_invalid=on_invalid)
    reader = StreamReader(library, mappers_for("UTC"), settings_, context)
    try:
        with operation_scope("tempworks", "fetch_candidates_page"):
            page = reader.candidates_page(None, None, 20)
    except InvalidResponse as error:
        assert "fetch_candidates_page" in str(error)
        return
    finally:
        library.close()
    assert isinstance(page, Page)
    items = body if isinstance(body, list) else body.get("data", [])  # a bare list is accepted as the items
    assert len(page.items) + len(context.quarantined) == len(items), "every item is mapped or quarantined"


@st.composite
def cursors(draw: st.DrawFn) -> tuple[str, CursorState | None]:
    """Arbitrary text, or a real cursor with characters replaced (damaged in transit or storage) and its state."""
    if draw(st.booleans()):
        return draw(st.text(max_size=80)), None
    state = CursorState(stream="candidates", mode="list", skip=draw(st.integers(0, 10**6)), take=50)
    text = list(encode_cursor(state))
    for _ in range(draw(st.integers(1, 3))):
        text[draw(st.integers(0, len(text) - 1))] = draw(st.sampled_from("AZaz09-_=+/ "))
    return "".join(text), state


@given(cursor=cursors())
@FUZZ
def test_any_cursor_text_decodes_or_raises_invalid_input(cursor: tuple[str, CursorState | None]) -> None:
    text, issued = cursor
    try:
        state = decode_cursor(text, stream="candidates")
    except InvalidInput as error:
        assert error.field == "cursor"
        return
    assert decode_cursor(encode_cursor(state), stream="candidates") == state
    if issued is not None:
        assert state == issued, "a damaged cursor never decodes to another position"
