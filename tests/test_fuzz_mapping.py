"""Fuzzing the field type mapper with arbitrary JSON, over every field type and every mapped entity.

For any payload, `map_one` returns a canonical record or raises InvalidResponse; `map_page` under
quarantine accounts for every record (mapped + quarantined == page length) and under `raise` agrees
with it record for record. Error text never carries a payload value other than the record id, and every
accepted record serialises the way `ats sync` writes it.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ats_core.errors import InvalidResponse
from ats_core.fields import FieldMapping, FieldType
from ats_core.mapping import RecordMapper, compile_mapper
from ats_core.models import Application, Candidate, Job, Record
from ats_core.rejects import RejectPolicy
from ats_core.scope import operation_scope

FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
MARKER = "pii\u2063"  # an invisible separator makes planted values impossible to confuse with message words


def _mapping(canonical: str, remote: str, field_type: FieldType) -> FieldMapping:
    return FieldMapping(canonical=canonical, remote=remote, type=field_type)


DECLARATIONS: dict[type[Record], tuple[FieldMapping, ...]] = {
    Candidate: (
        _mapping("first_name", "firstName", FieldType.STRING),
        _mapping("emails", "contact.email", FieldType.EMAIL),
        _mapping("phone_numbers", "contact.phone", FieldType.PHONE),
        _mapping("is_active", "isActive", FieldType.BOOLEAN),
        _mapping("status", "status", FieldType.ENUM),
        _mapping("created_at", "created", FieldType.DATETIME),
    ),
    Job: (
        _mapping("title", "title", FieldType.STRING),
        _mapping("pay_rate", "rates.pay", FieldType.MONEY),
        _mapping("positions_required", "positions", FieldType.INTEGER),
        _mapping("start_date", "start", FieldType.DATE),
    ),
    Application: (
        _mapping("candidate_id", "employee.id", FieldType.ID),
        _mapping("job_id", "jobOrderId", FieldType.ID),
        _mapping("end_date", "end", FieldType.DATE),
    ),
}
MAPPERS: dict[type[Record], RecordMapper[Any]] = {
    model: compile_mapper(model, mappings, provider="fuzz", time_zone=UTC, id_field="id", updated_at_field="modified")
    for model, mappings in DECLARATIONS.items()
}

planted = st.text(min_size=1, max_size=12).map(lambda text: MARKER + text)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | planted
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
PLAUSIBLE: dict[FieldType, st.SearchStrategy[Any]] = {
    FieldType.STRING: st.text(max_size=8),
    FieldType.ENUM: st.text(max_size=8),
    FieldType.EMAIL: st.emails().map(lambda email: f" {email}  "),
    FieldType.PHONE: st.from_regex(r"\+?[0-9 ()-]{7,15}", fullmatch=True),
    FieldType.BOOLEAN: st.sampled_from([True, False, "true", "0", "yes", 1, None]),
    FieldType.INTEGER: st.integers(-(10**6), 10**6) | st.integers(0, 99).map(str),
    FieldType.MONEY: st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    FieldType.DATE: st.dates().map(str) | st.just("0001-01-01T00:00:00"),
    FieldType.DATETIME: st.datetimes().map(lambda moment: moment.isoformat()),
    FieldType.ID: st.integers(0, 10**9) | st.text("0123456789abcdef-", min_size=1, max_size=12),
}
ids = st.integers(min_value=-(10**20), max_value=10**20) | st.text(max_size=10) | st.none() | st.floats()


@st.composite
def payloads(draw: st.DrawFn, model: type[Record]) -> Any:
    """A dict carrying some of the declared (possibly nested) fields with arbitrary values, or any JSON at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    payload: dict[str, Any] = {}
    if draw(st.integers(0, 9)) > 0:
        payload["id"] = draw(PLAUSIBLE[FieldType.ID] if draw(st.booleans()) else ids)
    for mapping in (*DECLARATIONS[model], _mapping("updated_at", "modified", FieldType.DATETIME)):
        if draw(st.integers(0, 3)) == 0:
            continue
        *parents, leaf = mapping.remote.split(".")
        target = payload
        for parent in parents:
            nested = target.setdefault(parent, {})
            if not isinstance(nested, dict):
                break
            target = nested
        else:
            target[leaf] = draw(PLAUSIBLE[mapping.type] if draw(st.integers(0, 4)) else json_values)
    payload.update(draw(st.dictionaries(st.text(max_size=6), json_values, max_size=2)))
    return payload


def _planted_values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith(MARKER) else []
    if isinstance(value, dict):
        return [text for item in value.values() for text in _planted_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in _planted_values(item)]
    return []


def _assert_no_planted_value(error: InvalidResponse, payload: Any) -> None:
    message = str(error) + repr(error)
    record_id = payload.get("id") if isinstance(payload, dict) else None
    for value in _planted_values(payload):
        if value != record_id:
            assert value not in message, "an error message carried a payload value"
    assert MARKER not in (error.body or "")


models = st.sampled_from(list(DECLARATIONS))


@given(data=st.data(), model=models)
@FUZZ
def test_map_one_returns_a_record_or_raises_invalid_response(data: st.DataObject, model: type[Record]) -> None:
    payload = data.draw(payloads(model))
    try:
        with operation_scope("fuzz", "fuzz_operation"):
            record = MAPPERS[model].map_one(payload)
    except InvalidResponse as error:
        assert error.provider == "fuzz" and error.operation == "fuzz_operation"
        _assert_no_planted_value(error, payload)
        return
    assert type(record) is model and record.remote_id and record.provider == "fuzz"
    assert record.remote_data == payload and record.remote_data is not payload, "a copy of the raw payload is kept"
    json.loads(record.model_dump_json())  # `ats sync` can write every record the mapper accepts


@given(data=st.data(), model=models)
@FUZZ
def test_a_page_never_loses_a_record(data: st.DataObject, model: type[Record]) -> None:
    page = data.draw(st.lists(payloads(model), max_size=5))
    result = MAPPERS[model].map_page(page)
    mapped, rejected = result.records, result.rejected
    assert len(mapped) + len(rejected) == len(page)
    one_by_one: list[Any] = []
    for raw in page:
        try:
            one_by_one.append(MAPPERS[model].map_one(raw))
        except InvalidResponse:
            one_by_one.append(None)
    assert [record for record in one_by_one if record is not None] == mapped
    bad = [raw for raw, record in zip(page, one_by_one, strict=True) if record is None]
    assert [entry.remote_data for entry in rejected] == bad
    for entry in rejected:
        assert entry.entity == model.__name__ and entry.error
        json.dumps(entry.to_json_dict(), default=str)  # the quarantine file can hold it
    try:
        RejectPolicy("raise").apply(rejected)
    except InvalidResponse as error:
        assert bad
        _assert_no_planted_value(error, bad[0])
    else:
        assert not bad
