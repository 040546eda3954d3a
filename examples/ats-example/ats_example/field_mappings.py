"""EXAMPLE_FIELD_MAPPINGS: canonical field <- payload field, declared once, used to map and to document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from ats_core.fields import FieldMapping, FieldType, MappedEntity
from ats_core.models import Record

__all__ = ["EXAMPLE_FIELD_MAPPINGS", "map_payload"]

RecordT = TypeVar("RecordT", bound=Record)


def _m(canonical: str, remote: str, type_: FieldType) -> FieldMapping:
    return FieldMapping(canonical=canonical, remote=remote, type=type_)


_IDENTITY = (_m("remote_id", "id", FieldType.ID), _m("updated_at", "lastModified", FieldType.DATETIME))

EXAMPLE_FIELD_MAPPINGS: Mapping[MappedEntity, tuple[FieldMapping, ...]] = {
    MappedEntity.CANDIDATE: (
        *_IDENTITY,
        _m("first_name", "firstName", FieldType.STRING),
        _m("last_name", "lastName", FieldType.STRING),
        _m("email", "emailAddress", FieldType.EMAIL),
        _m("phone", "phoneNumber", FieldType.PHONE),
        _m("city", "address.city", FieldType.STRING),
        _m("region", "address.region", FieldType.STRING),
        _m("is_active", "isActive", FieldType.BOOLEAN),
        _m("created_at", "createdAt", FieldType.DATETIME),
    ),
    MappedEntity.JOB: (
        *_IDENTITY,
        _m("title", "jobTitle", FieldType.STRING),
        _m("status", "status", FieldType.ENUM),
        _m("company_name", "customer.name", FieldType.STRING),
        _m("city", "worksite.city", FieldType.STRING),
        _m("positions_required", "openings", FieldType.INTEGER),
        _m("created_at", "createdAt", FieldType.DATETIME),
    ),
}


def _value_at(payload: Mapping[str, Any], dotted: str) -> Any:
    value: Any = payload
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _converted(mapping: FieldMapping, payload: Mapping[str, Any]) -> Any:
    value = _value_at(payload, mapping.remote)
    return str(value) if mapping.type is FieldType.ID and value is not None else value


def map_payload(model: type[RecordT], entity: MappedEntity, payload: dict[str, Any], provider: str) -> RecordT:
    """The canonical record for one payload; pydantic converts types (ISO strings to datetimes...)."""
    values = {m.canonical: _converted(m, payload) for m in EXAMPLE_FIELD_MAPPINGS[entity]}
    return model.model_validate({**values, "provider": provider, "remote_data": payload})
