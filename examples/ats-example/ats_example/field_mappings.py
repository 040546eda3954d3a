"""EXAMPLE_FIELD_MAPPINGS: canonical field <- payload field, declared once; the core compiles them into the mapper."""

from __future__ import annotations

from collections.abc import Mapping

from ats_core.fields import FieldMapping, FieldType, MappedEntity

__all__ = ["EXAMPLE_FIELD_MAPPINGS", "ID_FIELD", "UPDATED_AT_FIELD"]

ID_FIELD = "id"
UPDATED_AT_FIELD = "lastModified"


def _m(canonical: str, remote: str, type_: FieldType) -> FieldMapping:
    return FieldMapping(canonical=canonical, remote=remote, type=type_)


EXAMPLE_FIELD_MAPPINGS: Mapping[MappedEntity, tuple[FieldMapping, ...]] = {
    MappedEntity.CANDIDATE: (
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
        _m("title", "jobTitle", FieldType.STRING),
        _m("status", "status", FieldType.ENUM),
        _m("company_name", "customer.name", FieldType.STRING),
        _m("city", "worksite.city", FieldType.STRING),
        _m("positions_required", "openings", FieldType.INTEGER),
        _m("created_at", "createdAt", FieldType.DATETIME),
    ),
}
