"""Field type converters: unit cases per type, and any JSON value gives a value or FieldValueError."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ats_core.fields import (
    FieldType,
    FieldValueError,
    converter,
    resolve_time_zone,
    to_boolean,
    to_date,
    to_datetime,
    to_email,
    to_enum,
    to_epoch_ms,
    to_epoch_ms_date,
    to_id,
    to_integer,
    to_money,
    to_phone,
    to_string,
)
from ats_core.models import PartialDate

CHICAGO = ZoneInfo("America/Chicago")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
# Text that looks like what the converters parse, so hypothesis reaches the parsing paths too.
near_misses = st.from_regex(r"\A[ +0-9:.TZ$,()-]{0,30}\Z") | st.sampled_from(
    ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59", "9999-12-31T23:59:59-12:00", "NaN", "-Infinity", "1e999"]
)


def test_string_trims_char_padding_and_blank_is_none() -> None:
    assert to_string("CA   ") == "CA"
    assert to_string("   ") is None
    assert to_string(None) is None
    assert to_string(90001) == "90001"
    assert to_enum(" TE ") == "TE"
    with pytest.raises(FieldValueError):
        to_string({"a": 1})
    with pytest.raises(FieldValueError):
        to_string(True)


def test_id_accepts_int_or_text_and_refuses_floats() -> None:
    assert to_id(123) == "123"
    assert to_id(" 4567 ") == "4567"
    assert to_id("") is None
    with pytest.raises(FieldValueError):
        to_id(1.5)
    with pytest.raises(FieldValueError):
        to_id([1])


def test_email_lowercases_domain_only_and_refuses_non_addresses() -> None:
    assert to_email(" Ann.Lee@Example.COM ") == "Ann.Lee@example.com"
    assert to_email("") is None
    for bad in ("no-at-sign", "@example.com", "ann@", "ann lee@example.com"):
        with pytest.raises(FieldValueError):
            to_email(bad)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(612) 555-0100", "+16125550100"),
        ("612.555.0100", "+16125550100"),
        ("1-612-555-0100", "+16125550100"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        (6125550100, "+16125550100"),
        ("555-0100", "555-0100"),  # too short to be unambiguous: kept as given
        ("ext 12", "ext 12"),
        ("  ", None),
    ],
)
def test_phone_normalises_to_e164_where_unambiguous(raw: Any, expected: str | None) -> None:
    assert to_phone(raw) == expected


def test_boolean_from_bool_text_and_digits() -> None:
    assert to_boolean(True) is True
    assert to_boolean("true") is True
    assert to_boolean(" TRUE ") is True
    assert to_boolean("1") is True
    assert to_boolean(0) is False
    assert to_boolean("false") is False
    assert to_boolean("") is None
    for bad in ("maybe", 2, 1.0, []):
        with pytest.raises(FieldValueError):
            to_boolean(bad)


def test_integer() -> None:
    assert to_integer("42") == 42
    assert to_integer(3.0) == 3
    assert to_integer(" ") is None
    assert to_integer("-7") == -7
    assert to_integer("+7") == 7
    for bad in (True, 2.5, "4.2", "x", {}, "--0", "+-1", "-", "٣"):
        with pytest.raises(FieldValueError):
            to_integer(bad)


def test_money_is_decimal_and_keeps_precision() -> None:
    assert to_money("0.0000") == Decimal("0")
    assert to_money("18.5000") == Decimal("18.5")
    assert to_money(17.25) == Decimal("17.25")
    assert to_money(12) == Decimal(12)
    assert to_money("$1,250.00") == Decimal("1250.00")
    assert to_money("") is None
    for bad in ("NaN", "Infinity", float("inf"), "twelve", True, []):
        with pytest.raises(FieldValueError):
            to_money(bad)


def test_dates_and_declared_null_dates() -> None:
    sentinel = {date(1, 1, 1)}
    assert to_date("2024-05-01T00:00:00") == date(2024, 5, 1)
    assert to_date("2024-05-01") == date(2024, 5, 1)
    assert to_date("0001-01-01T00:00:00+00:00", null_dates=sentinel) is None
    assert to_date("0001-01-01T00:00:00", null_dates=sentinel) is None
    assert to_datetime("0001-01-01T00:00:00+00:00", null_dates=sentinel) is None
    assert to_date("0001-01-01") == date(1, 1, 1), "no provider default: only a declared null date means none"
    assert converter(FieldType.DATETIME, null_dates=sentinel)("0001-01-01T00:00:00") is None
    with pytest.raises(FieldValueError):
        to_date("05/01/2024")


def test_offset_less_timestamps_are_read_in_the_tenant_zone() -> None:
    summer = to_datetime("2024-07-01T09:30:00", time_zone=CHICAGO)
    assert summer == datetime(2024, 7, 1, 14, 30, tzinfo=UTC)
    winter = to_datetime("2024-01-15T09:30:00.123", time_zone=CHICAGO)
    assert winter == datetime(2024, 1, 15, 15, 30, 0, 123000, tzinfo=UTC)
    assert winter is not None and winter.utcoffset() == timedelta(0)
    with_offset = to_datetime("2024-07-01T09:30:00-04:00", time_zone=CHICAGO)
    assert with_offset == datetime(2024, 7, 1, 13, 30, tzinfo=UTC)
    assert to_datetime("2024-07-01T09:30:00Z") == datetime(2024, 7, 1, 9, 30, tzinfo=UTC)
    assert converter(FieldType.DATETIME, time_zone=CHICAGO)("2024-07-01T09:30:00") == summer


def test_epoch_milliseconds_are_utc_instants_and_days_in_the_tenant_zone() -> None:
    noon_utc = datetime(2024, 7, 1, 12, 0, 0, 250000, tzinfo=UTC)
    millis = int(noon_utc.timestamp() * 1000)
    assert to_epoch_ms(millis) == noon_utc
    assert to_epoch_ms(str(millis)) == noon_utc, "numeric text is epoch milliseconds too"
    assert to_epoch_ms(float(millis)) == noon_utc
    assert to_epoch_ms(noon_utc.isoformat()) == noon_utc, "ISO text (the JSON form of the result) reads back"
    assert to_epoch_ms(None) is None and to_epoch_ms("  ") is None
    assert to_epoch_ms(-86_400_000) == datetime(1969, 12, 31, tzinfo=UTC)
    late_evening_chicago = int(datetime(2024, 7, 2, 3, 0, tzinfo=UTC).timestamp() * 1000)
    assert to_epoch_ms_date(late_evening_chicago) == date(2024, 7, 2)
    assert to_epoch_ms_date(late_evening_chicago, time_zone=CHICAGO) == date(2024, 7, 1)
    assert to_epoch_ms_date("2024-07-01") == date(2024, 7, 1)
    assert converter(FieldType.EPOCH_MS_DATE, time_zone=CHICAGO)(late_evening_chicago) == date(2024, 7, 1)
    assert converter(FieldType.EPOCH_MS, null_dates={date(1970, 1, 1)})(0) is None
    for bad in (True, 1.5, "12ab", 10**20, float("inf"), [1]):
        with pytest.raises(FieldValueError):
            to_epoch_ms(bad)
        with pytest.raises(FieldValueError):
            to_epoch_ms_date(bad)


def test_errors_never_carry_the_value() -> None:
    secret = "ann.lee-secret-value"
    for field_type in FieldType:
        try:
            converter(field_type)({"v": secret})
        except FieldValueError as error:
            assert secret not in str(error)
            assert error.field_type is field_type


def test_resolve_time_zone() -> None:
    assert resolve_time_zone("America/Chicago") == CHICAGO
    with pytest.raises(ValueError, match="IANA"):
        resolve_time_zone("Mars/Olympus")


@pytest.mark.parametrize("field_type", list(FieldType))
@given(value=json_values | near_misses)
def test_every_converter_returns_a_value_or_raises_field_value_error(field_type: FieldType, value: Any) -> None:
    convert = converter(field_type, time_zone=CHICAGO)
    try:
        result = convert(value)
    except FieldValueError:
        return
    if result is None:
        return
    expected_types: dict[FieldType, type | tuple[type, ...]] = {
        FieldType.MONEY: Decimal,
        FieldType.BOOLEAN: bool,
        FieldType.INTEGER: int,
        FieldType.DATE: date,
        FieldType.DATETIME: datetime,
        FieldType.DECIMAL: Decimal,
        FieldType.TIME: time,
        FieldType.PARTIAL_DATE: PartialDate,
        FieldType.TAGS: list,
        FieldType.PRESENCE: bool,
        FieldType.EPOCH_MS: datetime,
        FieldType.EPOCH_MS_DATE: date,
    }
    assert isinstance(result, expected_types.get(field_type, str))
    if field_type in (FieldType.DATETIME, FieldType.EPOCH_MS):
        assert result.tzinfo is UTC
    if isinstance(result, str):
        assert result == result.strip() and result


@given(value=st.datetimes(timezones=st.just(timezone(timedelta(hours=-5)))))
def test_aware_timestamps_keep_their_instant(value: datetime) -> None:
    """No null dates are declared here, so even year 1 is a real instant; past year 9999 in UTC is refused."""
    try:
        converted = to_datetime(value.isoformat(), time_zone=CHICAGO)
    except FieldValueError:
        assert value.replace(tzinfo=None) > datetime(9999, 12, 31, 18, 59, 59, 999999)
    else:
        assert converted == value
