"""Field types, the declarations providers use to map their fields, and one converter per field type.

Converters take any JSON value and return the canonical value (or None for null, blank and sentinel
values), or raise `FieldValueError`, whose message names the field type and never the value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from ats_core.models import PartialDate
from ats_core.operation_spec import Entity

__all__ = [
    "Converter",
    "ExtensionField",
    "FieldMapping",
    "FieldType",
    "FieldValueError",
    "MappingTable",
    "converter",
    "resolve_time_zone",
    "to_boolean",
    "to_date",
    "to_datetime",
    "to_decimal",
    "to_email",
    "to_enum",
    "to_epoch_ms",
    "to_epoch_ms_date",
    "to_html",
    "to_id",
    "to_integer",
    "to_money",
    "to_partial_date",
    "to_phone",
    "to_presence",
    "to_string",
    "to_tags",
    "to_time",
]


class FieldType(StrEnum):
    """How a provider value is converted to its canonical value."""

    STRING = "string"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money"
    BOOLEAN = "boolean"
    ENUM = "enum"
    ID = "id"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TIME = "time"
    PARTIAL_DATE = "partial_date"
    HTML = "html"
    TAGS = "tags"
    PRESENCE = "presence"
    EPOCH_MS = "epoch_ms"
    EPOCH_MS_DATE = "epoch_ms_date"


class FieldMapping(BaseModel):
    """canonical field <- provider field (a dotted path for nested values), with its field type.

    `canonical` may also name an item of a canonical list or an address part: `emails` or `phone_numbers`
    (one item per mapping, typed by `label`; the first present is the primary one), or `address.<part>`
    (`lines`, `city`, `region`, `postal_code`, `country_code`; mappings of one `label` form one address).
    `fallbacks` are read, in order, when `remote` is absent, blank or one of `null_values`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    canonical: str = Field(min_length=1)
    remote: str = Field(min_length=1)
    type: FieldType
    description: str = ""
    label: str | None = Field(default=None, description="the item's type: 'work', 'mobile', 'home', ...")
    fallbacks: tuple[str, ...] = ()
    null_values: tuple[str, ...] = Field(default=(), description="texts the ATS writes for 'none' (e.g. 'Default')")


class ExtensionField(BaseModel):
    """A provider-specific field a record carries in `extensions[name]`, converted like a canonical field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    remote: str = Field(min_length=1)
    type: FieldType
    description: str = ""


class MappingTable(BaseModel):
    """One declared mapping: which payload maps onto which canonical model, field by field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="the name the provider compiles it by")
    entity: Entity
    source: str = Field(min_length=1, description="the payload, in words (e.g. 'GET /Search/Employees items')")
    id_field: str = Field(min_length=1, description="the payload field holding the record id")
    updated_at_field: str | None = Field(default=None, description="the payload field holding the last change")
    updated_at_type: FieldType = Field(
        default=FieldType.DATETIME, description="how the updated-at field is written (DATETIME or EPOCH_MS)"
    )
    fields: tuple[FieldMapping, ...]
    extensions: tuple[ExtensionField, ...] = Field(default=(), description="provider fields kept typed")
    read_by: tuple[str, ...] = Field(default=(), description="the operations whose records this table maps")
    incremental: bool = Field(default=False, description="maps the rows of incremental reads (updated_after) only")


# --- Converters: provider value -> canonical value ------------------------------------------------

_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})
_PHONE_SEPARATORS = str.maketrans("", "", " -().\u00a0/")
_NANP = re.compile(r"(?:\+?1[ .-]?)?\(?([2-9][0-9]{2})\)?[ .-]?([0-9]{3})[ .-]?([0-9]{4})", re.ASCII)
# The most common NANP layout; whatever it matches, `_NANP` matches with the same groups.
_NANP_COMMON = re.compile(r"\(([2-9][0-9]{2})\) ([0-9]{3})-([0-9]{4})", re.ASCII)

Converter = Callable[[Any], Any]


class FieldValueError(ValueError):
    """A provider value could not be converted; the message names the field type, never the value."""

    def __init__(self, field_type: FieldType, problem: str) -> None:
        self.field_type = field_type
        self.problem = problem
        super().__init__(f"{field_type.value}: {problem}")


def _type_name(value: object) -> str:
    return type(value).__name__


def _text(value: Any, field_type: FieldType) -> str | None:
    """Trimmed text (CHAR padding removed) or None for null/blank; numbers become their decimal text."""
    if value is None:
        return None
    if type(value) is int:  # the common id case first (bool is a subclass, so `type() is` keeps it out)
        try:
            return str(value)
        except ValueError:  # an int beyond Python's digit limit
            raise FieldValueError(field_type, "number is too large") from None
    if isinstance(value, str):
        trimmed = value.strip()
        return trimmed or None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # an int beyond Python's digit limit
            raise FieldValueError(field_type, "number is too large") from None
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    raise FieldValueError(field_type, f"expected text, got {_type_name(value)}")


def to_string(value: Any) -> str | None:
    """Text with CHAR padding trimmed; blank -> None."""
    if type(value) is str:  # fast path of the common case; everything else as `_text` decides
        return value.strip() or None
    return _text(value, FieldType.STRING)


def to_enum(value: Any) -> str | None:
    """An enumeration label or code as trimmed text; blank -> None."""
    if type(value) is str:
        return value.strip() or None
    return _text(value, FieldType.ENUM)


def to_id(value: Any) -> str | None:
    """An identifier as text, from an int or a string; blank -> None."""
    if type(value) is str:
        return value.strip() or None
    if type(value) is int:  # the other common case, without the detour through `_text`
        try:
            return str(value)
        except ValueError:  # an int beyond Python's digit limit
            raise FieldValueError(FieldType.ID, "number is too large") from None
    if isinstance(value, float):
        raise FieldValueError(FieldType.ID, "expected an integer or text id, got a float")
    return _text(value, FieldType.ID)


def to_email(value: Any) -> str | None:
    """An email address, trimmed, with its domain lower-cased; needs exactly one '@' between non-empty parts."""
    text = (value.strip() or None) if type(value) is str else _text(value, FieldType.EMAIL)
    if text is None:
        return None
    local, at, domain = text.rpartition("@")
    # `text` is stripped, so it holds whitespace exactly when `split()` cuts it (cheaper than a regex search).
    if not at or not local or not domain or len(text.split()) > 1:
        raise FieldValueError(FieldType.EMAIL, "not an email address (needs one '@' and no spaces)")
    lowered = domain.lower()
    return text if lowered == domain else f"{local}@{lowered}"


def to_phone(value: Any, *, default_country_code: str = "1") -> str | None:
    """E.164 (`+15551234567`) where the number is unambiguous; otherwise the trimmed text as given.

    A bare 10-digit number is read as a NANP (US/Canada) number, the default region; an 11-digit
    number starting with 1 likewise; `+` or `00` prefixes keep their country code.
    """
    if type(value) is str and default_country_code == "1":
        common = _NANP_COMMON.fullmatch(value)  # "(AAA) EEE-LLLL" as given: one cheaper match
        if common is not None:
            area, exchange, line = common.groups()
            return f"+1{area}{exchange}{line}"
    text = (value.strip() or None) if type(value) is str else _text(value, FieldType.PHONE)
    if text is None:
        return None
    if default_country_code == "1":
        nanp = _NANP.fullmatch(text)
        if nanp is not None:
            area, exchange, line = nanp.groups()
            return f"+1{area}{exchange}{line}"
    compact = text.translate(_PHONE_SEPARATORS)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    digits = compact[1:] if compact.startswith("+") else compact
    if not digits.isascii() or not digits.isdigit():
        return text
    if compact.startswith("+"):
        return "+" + digits if 8 <= len(digits) <= 15 and digits[0] != "0" else text
    if default_country_code == "1":
        if len(digits) == 10 and digits[0] not in "01":
            return "+1" + digits
        if len(digits) == 11 and digits[0] == "1" and digits[1] not in "01":
            return "+" + digits
    return text


def to_boolean(value: Any) -> bool | None:
    """A boolean from true/false, 1/0, or their text forms ("true", "1", "yes", ...); blank -> None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value in (0, 1):
            return bool(value)
        raise FieldValueError(FieldType.BOOLEAN, "expected 0 or 1 for an integer boolean")
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise FieldValueError(FieldType.BOOLEAN, "text is not a boolean (true/false, 1/0, yes/no)")
    raise FieldValueError(FieldType.BOOLEAN, f"expected a boolean, got {_type_name(value)}")


def to_integer(value: Any) -> int | None:
    """An integer from an int, an integral float or integer text; blank -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldValueError(FieldType.INTEGER, "expected an integer, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise FieldValueError(FieldType.INTEGER, "expected an integer, got a fractional or infinite float")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        digits = text[1:] if text[0] in "+-" else text  # one sign at most: int() refuses "--0"
        if len(text) <= 30 and digits.isascii() and digits.isdigit():
            return int(text)
        raise FieldValueError(FieldType.INTEGER, "text is not an integer")
    raise FieldValueError(FieldType.INTEGER, f"expected an integer, got {_type_name(value)}")


_LONGEST_NUMBER = 100
"""Longer number texts are refused unparsed (a Decimal's own text, 34 digits and an exponent, fits)."""


def to_money(value: Any) -> Decimal | None:
    """A Decimal amount from a number or text such as "12.5000"; blank -> None; NaN/infinity refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldValueError(FieldType.MONEY, "expected an amount, got a boolean")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | float):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").removeprefix("$")
        if not text:
            return None
        if len(text) > _LONGEST_NUMBER:
            raise FieldValueError(FieldType.MONEY, "text is too long to be an amount")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise FieldValueError(FieldType.MONEY, "text is not a decimal amount") from None
    else:
        raise FieldValueError(FieldType.MONEY, f"expected an amount, got {_type_name(value)}")
    if not amount.is_finite():
        raise FieldValueError(FieldType.MONEY, "amount is not finite")
    return amount


def to_decimal(value: Any) -> Decimal | None:
    """A Decimal number (as `to_money`, without currency signs meaning anything); blank -> None."""
    try:
        return to_money(value)
    except FieldValueError as error:
        problem = error.problem.replace("an amount", "a number").replace("amount", "number")
        raise FieldValueError(FieldType.DECIMAL, problem) from None


def to_time(value: Any) -> time | None:
    """A time of day from "HH:MM" or "HH:MM:SS[.ffffff]" (a timestamp keeps its time); blank -> None."""
    if value is None or isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    if not isinstance(value, str):
        raise FieldValueError(FieldType.TIME, f"expected a time text, got {_type_name(value)}")
    text = value.strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text) if len(text) <= 15 else datetime.fromisoformat(text).time()
    except ValueError:
        raise FieldValueError(FieldType.TIME, "text is not a time of day (HH:MM[:SS])") from None


_PARTIAL = re.compile(r"(?:--)?(\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}))?", re.ASCII)


def to_partial_date(value: Any) -> PartialDate | None:
    """A month and day with or without a year: "MM/DD", "--MM-DD", "MM/DD/YYYY" or an ISO date; blank -> None."""
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, dict):
        try:
            return PartialDate.model_validate(value)
        except ValueError:
            raise FieldValueError(FieldType.PARTIAL_DATE, "object is not a month and day") from None
    if not isinstance(value, str):
        raise FieldValueError(FieldType.PARTIAL_DATE, f"expected a month/day text, got {_type_name(value)}")
    text = value.strip()
    if not text:
        return None
    matched = _PARTIAL.fullmatch(text)
    try:
        if matched is not None:
            month, day, year = matched.groups()
            return PartialDate(month=int(month), day=int(day), year=None if year is None else int(year))
        full = date.fromisoformat(text[:10])
        return PartialDate(month=full.month, day=full.day, year=full.year)
    except ValueError:
        raise FieldValueError(FieldType.PARTIAL_DATE, "text is not a month and day (MM/DD)") from None


def to_html(value: Any) -> str | None:
    """HTML kept as sent (trimmed); blank -> None. `models.html_to_text` derives its text."""
    return _text(value, FieldType.HTML)


def to_presence(value: Any) -> bool:
    """True when the ATS sent a value (e.g. a resume's document id), False for null, blank, 0 or false."""
    if value is None or value is False or value == 0:
        return False
    return not (isinstance(value, str) and value.strip() in ("", "0"))


def to_tags(value: Any) -> list[str] | None:
    """Tags from a list of texts or one text separated by commas or semicolons, trimmed, unique, in order."""
    if value is None:
        return None
    if isinstance(value, str):
        parts: list[Any] = re.split(r"[;,]", value)
    elif isinstance(value, list):
        parts = value
    else:
        raise FieldValueError(FieldType.TAGS, f"expected a list or text of tags, got {_type_name(value)}")
    tags = [text for part in parts if (text := _text(part, FieldType.TAGS))]
    return list(dict.fromkeys(tags))


def _parse_datetime(value: Any, field_type: FieldType, null_dates: Collection[date]) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if len(text) > 40:
            raise FieldValueError(field_type, "text is too long to be a timestamp")
        try:
            parsed = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise FieldValueError(field_type, "text is not an ISO 8601 date or timestamp") from None
    else:
        raise FieldValueError(field_type, f"expected an ISO 8601 text, got {_type_name(value)}")
    return None if null_dates and parsed.date() in null_dates else parsed


def to_date(value: Any, *, null_dates: Collection[date] = ()) -> date | None:
    """A calendar date from ISO text (a timestamp keeps its own calendar day); a declared null date -> None."""
    parsed = _parse_datetime(value, FieldType.DATE, null_dates)
    return None if parsed is None else parsed.date()


def to_datetime(
    value: Any, *, time_zone: ZoneInfo | timezone = UTC, null_dates: Collection[date] = ()
) -> datetime | None:
    """An aware UTC datetime; offset-less timestamps are read in `time_zone`; on a declared null date -> None."""
    parsed = _parse_datetime(value, FieldType.DATETIME, null_dates)
    if parsed is None:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=time_zone)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise FieldValueError(FieldType.DATETIME, "timestamp is outside the representable range") from None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LONGEST_EPOCH_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z: the last instant a datetime holds; further is refused, not an OverflowError."""


def _from_epoch_ms(value: Any, field_type: FieldType) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (a number or numeric text); None for null or blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldValueError(field_type, "expected epoch milliseconds, got a boolean")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        digits = text[1:] if text[:1] in "+-" else text
        if not (len(text) <= 20 and digits.isascii() and digits.isdigit()):
            raise FieldValueError(field_type, "text is not epoch milliseconds")
        value = int(text)
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            raise FieldValueError(field_type, "expected whole epoch milliseconds, got a fractional or infinite float")
        value = int(value)
    if not isinstance(value, int):
        raise FieldValueError(field_type, f"expected epoch milliseconds, got {_type_name(value)}")
    if not -62_135_596_800_000 <= value <= _LONGEST_EPOCH_MS:
        raise FieldValueError(field_type, "epoch milliseconds outside the representable range")
    return _EPOCH + timedelta(milliseconds=value)


def to_epoch_ms(
    value: Any, *, time_zone: ZoneInfo | timezone = UTC, null_dates: Collection[date] = ()
) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (Bullhorn-style timestamps); ISO text reads as DATETIME.

    ISO text is the JSON form of the result, so a converted value converts to itself; a declared null date -> None.
    """
    if isinstance(value, datetime) or (isinstance(value, str) and not value.strip().lstrip("+-").isdigit()):
        return to_datetime(value, time_zone=time_zone, null_dates=null_dates)
    moment = _from_epoch_ms(value, FieldType.EPOCH_MS)
    return None if moment is None or (null_dates and moment.date() in null_dates) else moment


def to_epoch_ms_date(
    value: Any, *, time_zone: ZoneInfo | timezone = UTC, null_dates: Collection[date] = ()
) -> date | None:
    """The calendar day, in `time_zone`, of an epoch-millisecond timestamp; ISO text reads as DATE."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return None if value in null_dates else value
    if isinstance(value, str) and not value.strip().lstrip("+-").isdigit():
        return to_date(value, null_dates=null_dates)
    moment = _from_epoch_ms(value, FieldType.EPOCH_MS_DATE)
    if moment is None:
        return None
    try:
        day = moment.astimezone(time_zone).date()
    except (OverflowError, ValueError):
        raise FieldValueError(FieldType.EPOCH_MS_DATE, "timestamp is outside the representable range") from None
    return None if day in null_dates else day


def converter(
    field_type: FieldType, *, time_zone: ZoneInfo | timezone = UTC, null_dates: Collection[date] = ()
) -> Converter:
    """The converter of one field type; `time_zone` reads offset-less timestamps, `null_dates` mean no date."""
    if field_type is FieldType.DATETIME:
        return partial(to_datetime, time_zone=time_zone, null_dates=frozenset(null_dates))
    if field_type is FieldType.DATE and null_dates:
        return partial(to_date, null_dates=frozenset(null_dates))
    if field_type in (FieldType.EPOCH_MS, FieldType.EPOCH_MS_DATE):
        epoch = to_epoch_ms if field_type is FieldType.EPOCH_MS else to_epoch_ms_date
        return partial(epoch, time_zone=time_zone, null_dates=frozenset(null_dates))
    return _CONVERTERS[field_type]


def resolve_time_zone(name: str) -> ZoneInfo:
    """A ZoneInfo for an IANA name; ValueError names the problem (not a secret, a setting)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}; use a name such as 'America/Chicago'") from None


_CONVERTERS: dict[FieldType, Converter] = {
    FieldType.STRING: to_string,
    FieldType.EMAIL: to_email,
    FieldType.PHONE: to_phone,
    FieldType.DATE: to_date,
    FieldType.DATETIME: to_datetime,
    FieldType.MONEY: to_money,
    FieldType.BOOLEAN: to_boolean,
    FieldType.ENUM: to_enum,
    FieldType.ID: to_id,
    FieldType.INTEGER: to_integer,
    FieldType.DECIMAL: to_decimal,
    FieldType.TIME: to_time,
    FieldType.PARTIAL_DATE: to_partial_date,
    FieldType.HTML: to_html,
    FieldType.TAGS: to_tags,
    FieldType.PRESENCE: to_presence,
    FieldType.EPOCH_MS: to_epoch_ms,
    FieldType.EPOCH_MS_DATE: to_epoch_ms_date,
}
