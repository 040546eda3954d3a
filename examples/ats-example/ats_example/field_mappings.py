"""EXAMPLE_FIELD_MAPPINGS: canonical field <- payload field, declared once; the core compiles them into mappers."""

from __future__ import annotations

from ats_core.sdk import Entity, FieldMapping, FieldType, MappingTable

__all__ = ["EXAMPLE_FIELD_MAPPINGS"]


def _m(canonical: str, remote: str, type_: FieldType) -> FieldMapping:
    return FieldMapping(canonical=canonical, remote=remote, type=type_)


EXAMPLE_FIELD_MAPPINGS: tuple[MappingTable, ...] = (
    MappingTable(
        name="candidates",
        entity=Entity.CANDIDATE,
        source="the store's candidate payloads",
        id_field="id",
        updated_at_field="lastModified",
        read_by=("stream_candidates", "fetch_candidates_page", "get_candidate_by_id", "find_candidates_by_details"),
        fields=(
            _m("first_name", "firstName", FieldType.STRING),
            _m("last_name", "lastName", FieldType.STRING),
            _m("emails", "emailAddress", FieldType.EMAIL),
            _m("phone_numbers", "phoneNumber", FieldType.PHONE),
            _m("address.city", "address.city", FieldType.STRING),
            _m("address.region", "address.region", FieldType.STRING),
            _m("is_active", "isActive", FieldType.BOOLEAN),
            _m("created_at", "createdAt", FieldType.DATETIME),
        ),
    ),
    MappingTable(
        name="jobs",
        entity=Entity.JOB,
        source="the store's job payloads",
        id_field="id",
        updated_at_field="lastModified",
        read_by=("stream_jobs", "fetch_jobs_page", "get_job_by_job_id"),
        fields=(
            _m("title", "jobTitle", FieldType.STRING),
            _m("status", "status", FieldType.ENUM),
            _m("company_name", "customer.name", FieldType.STRING),
            _m("city", "worksite.city", FieldType.STRING),
            _m("positions_required", "openings", FieldType.INTEGER),
            _m("created_at", "createdAt", FieldType.DATETIME),
        ),
    ),
)
