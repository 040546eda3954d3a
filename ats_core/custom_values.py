"""Custom-field values typed by their definitions: the ATS's type name picks the field type, the raw value stays.

A provider declares its type names in `ProviderManifest.custom_field_types` (e.g. `"decimal" -> DECIMAL`);
`typed_custom_value` converts one value (each item of a multi-value field) with the tenant's time zone
and null dates. A value that does not convert is kept as sent in `raw`, with `value` None and a `problem`
saying why: nothing the ATS sent is dropped, and nothing is passed on under a type it does not have.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, timezone
from typing import Any
from zoneinfo import ZoneInfo

from ats_core.fields import FieldType, FieldValueError, converter
from ats_core.models import CustomFieldEntity, CustomFieldValue

__all__ = ["field_type_of", "typed_custom_value"]


def field_type_of(type_name: str | None, declared: Mapping[str, FieldType]) -> FieldType | None:
    """The declared field type of an ATS type name (case-insensitive), or None when it is not declared."""
    if not type_name:
        return None
    wanted = type_name.strip().casefold()
    return next((field_type for name, field_type in declared.items() if name.casefold() == wanted), None)


def typed_custom_value(
    *,
    definition_id: str,
    raw: Any,
    type_name: str | None,
    declared: Mapping[str, FieldType],
    multiple: bool = False,
    name: str | None = None,
    entity: CustomFieldEntity | None = None,
    entity_id: str | None = None,
    time_zone: ZoneInfo | timezone = UTC,
    null_dates: Collection[date] = (),
) -> CustomFieldValue:
    """One custom-field value, converted by its declared type (a list for a multi-value field)."""
    field_type = field_type_of(type_name, declared)
    value: Any = raw
    problem: str | None = None
    if field_type is None:
        value = raw.strip() or None if isinstance(raw, str) else raw
    else:
        convert = converter(field_type, time_zone=time_zone, null_dates=null_dates)
        try:
            if multiple:
                items = raw if isinstance(raw, list) else [] if raw is None else [raw]
                value = [converted for item in items if (converted := convert(item)) is not None]
            else:
                value = convert(raw)
        except FieldValueError as error:
            value, problem = None, f"not a {field_type.value}: {error.problem}"
    return CustomFieldValue(
        definition_id=definition_id,
        name=name,
        value=value,
        field_type=type_name,
        raw=raw,
        entity=entity,
        entity_id=entity_id,
        problem=problem,
    )
