"""Typed extension values survive JSON: every converter accepts the JSON form of its own output."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic_core import to_jsonable_python

from ats_core.fields import ExtensionField, FieldMapping, FieldType, FieldValueError, MappingTable, converter
from ats_core.mapping import compile_table, typed_extensions
from ats_core.models import Candidate
from ats_core.operations import Entity

RAW: dict[FieldType, st.SearchStrategy[Any]] = {
    FieldType.STRING: st.text(max_size=20),
    FieldType.EMAIL: st.emails(),
    FieldType.PHONE: st.from_regex(r"\+1 ?\(?[2-9]\d{2}\)? ?[2-9]\d{2}-\d{4}", fullmatch=True),
    FieldType.DATE: st.dates(min_value=date(1900, 1, 1)),
    FieldType.DATETIME: st.datetimes(timezones=st.just(UTC), min_value=datetime(1900, 1, 1)),
    FieldType.MONEY: st.decimals(allow_nan=False, allow_infinity=False, places=4, max_value=10**9, min_value=-(10**9)),
    FieldType.DECIMAL: st.decimals(allow_nan=False, allow_infinity=False, max_value=10**12, min_value=-(10**12)),
    FieldType.BOOLEAN: st.booleans(),
    FieldType.ENUM: st.text(max_size=12),
    FieldType.ID: st.integers(0, 10**12) | st.text(min_size=1, max_size=12),
    FieldType.INTEGER: st.integers(-(10**12), 10**12),
    FieldType.TIME: st.times(),
    FieldType.PARTIAL_DATE: st.dates().map(lambda day: f"{day.month:02d}/{day.day:02d}"),
    FieldType.HTML: st.text(max_size=40),
    FieldType.TAGS: st.lists(st.text(max_size=8), max_size=4),
    FieldType.PRESENCE: st.none() | st.integers(0, 5) | st.text(max_size=4),
    FieldType.EPOCH_MS: st.integers(-(10**13), 10**14),
    FieldType.EPOCH_MS_DATE: st.integers(-(10**13), 10**14),
}


def test_every_field_type_has_a_strategy() -> None:
    assert set(RAW) == set(FieldType)


@pytest.mark.parametrize("field_type", list(FieldType), ids=lambda field_type: field_type.value)
def test_a_converted_value_converts_to_itself_from_json(field_type: FieldType) -> None:
    convert = converter(field_type)

    @given(RAW[field_type])
    def round_trip(raw: Any) -> None:
        try:
            produced = convert(raw)
        except FieldValueError:
            assume(False)
        assert convert(to_jsonable_python(produced)) == produced

    round_trip()


TABLE = MappingTable(
    name="people",
    entity=Entity.CANDIDATE,
    source="test payloads",
    id_field="id",
    fields=(FieldMapping(canonical="first_name", remote="name", type=FieldType.STRING),),
    extensions=(
        ExtensionField(name="birthday", remote="birthday", type=FieldType.PARTIAL_DATE, description="no year"),
        ExtensionField(name="expires", remote="expires", type=FieldType.DATE, description="licence"),
        ExtensionField(name="rate", remote="rate", type=FieldType.MONEY, description="pay"),
        ExtensionField(name="starts", remote="starts", type=FieldType.TIME, description="shift"),
    ),
)


@given(
    birthday=st.dates().map(lambda day: f"--{day.month:02d}-{day.day:02d}"),
    expires=st.dates(min_value=date(1900, 1, 1)).map(date.isoformat),
    rate=st.decimals(places=2, min_value=0, max_value=10**6, allow_nan=False).map(str),
    starts=st.times().map(lambda moment: moment.isoformat()),
)
def test_records_with_typed_extensions_round_trip_through_json(
    birthday: str, expires: str, rate: str, starts: str
) -> None:
    mapper = compile_table(TABLE, provider="test", time_zone=UTC)
    payload = {"id": 1, "name": "Ann", "birthday": birthday, "expires": expires, "rate": rate, "starts": starts}
    record = mapper.map_one(payload)
    assert isinstance(record, Candidate)
    loaded = Candidate.model_validate_json(record.model_dump_json())
    assert typed_extensions(TABLE, loaded.extensions) == record.extensions
    assert loaded.model_copy(update={"extensions": record.extensions}) == record
