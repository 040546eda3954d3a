"""Custom-field values typed by their declared type names: converted, listed, or kept as sent with the problem."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from ats_core.custom_values import field_type_of, typed_custom_value
from ats_core.fields import FieldType, to_money
from ats_core.models import CustomFieldValue

DECLARED = {
    "Decimal": FieldType.DECIMAL,
    "date": FieldType.DATE,
    "datetime": FieldType.DATETIME,
    "time": FieldType.TIME,
    "integer": FieldType.INTEGER,
    "boolean": FieldType.BOOLEAN,
    "string": FieldType.STRING,
}
CHICAGO = ZoneInfo("America/Chicago")


def value_of(raw: object, type_name: str | None, *, multiple: bool = False) -> CustomFieldValue:
    return typed_custom_value(
        definition_id="d1",
        raw=raw,
        type_name=type_name,
        declared=DECLARED,
        multiple=multiple,
        time_zone=CHICAGO,
        null_dates=(date(1, 1, 1),),
    )


def test_type_names_match_without_case() -> None:
    assert field_type_of("DECIMAL", DECLARED) is FieldType.DECIMAL
    assert field_type_of("money", DECLARED) is None and field_type_of(None, DECLARED) is None


def test_each_declared_type_converts_and_keeps_the_raw_value() -> None:
    assert value_of("35", "decimal").value == Decimal("35")
    assert value_of(2.5, "decimal").value == Decimal("2.5")
    assert value_of("2", "integer").value == 2
    assert value_of("2026-03-01T00:00:00", "date").value == date(2026, 3, 1)
    assert value_of("0001-01-01T00:00:00", "date").value is None  # the tenant's null date
    assert value_of("2026-03-01T09:30:00", "datetime").value == datetime(2026, 3, 1, 15, 30, tzinfo=UTC)
    assert value_of("05:30:00", "time").value == time(5, 30)
    assert value_of("true", "boolean").value is True
    typed = value_of("35", "decimal")
    assert typed.raw == "35" and typed.field_type == "decimal" and typed.problem is None


def test_multi_value_fields_are_lists_of_typed_values() -> None:
    assert value_of(["1", "2", None], "integer", multiple=True).value == [1, 2]
    assert value_of("7", "integer", multiple=True).value == [7]
    assert value_of(None, "integer", multiple=True).value == []


def test_a_value_that_does_not_convert_is_kept_as_sent_with_the_problem() -> None:
    broken = value_of("next tuesday", "date")
    assert broken.value is None and broken.raw == "next tuesday"
    assert broken.problem is not None and "date" in broken.problem and "tuesday" not in broken.problem


def test_an_undeclared_type_is_passed_on_as_sent_trimmed() -> None:
    assert value_of("  x  ", "hologram").value == "x"
    assert value_of({"a": 1}, None).value == {"a": 1}


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**10), max_value=10**10))
def test_money_read_from_json_numbers_is_the_decimal_the_json_wrote(amount: Decimal) -> None:
    """JSON numbers arrive as floats; up to 15 significant digits their shortest repr is the text that was sent."""
    text = format(amount, "f")
    parsed = json.loads(text)
    assert to_money(parsed) == Decimal(text)
