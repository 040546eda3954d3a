"""EXAMPLE_MANIFEST: what the example declares. Every operation has an honest status; all but `supported` a reason."""

from __future__ import annotations

from typing import Any

from ats_core.sdk import (
    OPERATION_NAMES,
    Entity,
    FilterDeclaration,
    ImplementationType,
    PageSize,
    ProviderManifest,
    StreamDeclaration,
    models,
    not_applicable,
    not_implemented,
    supported,
)
from ats_example.field_mappings import EXAMPLE_FIELD_MAPPINGS

__all__ = ["EXAMPLE_MANIFEST"]

SUPPORTED = (
    "stream_candidates",
    "fetch_candidates_page",
    "stream_jobs",
    "fetch_jobs_page",
    "get_candidate_by_id",
    "get_job_by_job_id",
    "find_candidates_by_details",
    "add_note_to_candidate",
    "list_candidate_notes",
    "get_candidate_custom_fields",
)
NOT_APPLICABLE = {
    "get_enhanced_job": "the in-memory store has no provider extras (worksite, company) beyond the Job fields",
    "fetch_enhanced_jobs_page": "the in-memory store has no provider extras; use fetch_jobs_page",
    "passthrough": "the in-memory store has no API of its own to pass requests to",
    **{
        name: "the in-memory store changes only through this process's own calls: there is no feed to subscribe to"
        for name in (
            "subscribe_changes",
            "list_change_subscriptions",
            "unsubscribe_changes",
            "parse_change_event",
            "read_change_events",
        )
    },
}
_APPLICATIONS = "the template keeps only candidates and jobs; add applications to the store to implement it"
NOT_IMPLEMENTED = {
    "get_resume_for_candidate_id": "the template stores no files; a real provider downloads the resume here",
    "add_attachment_to_candidate": "the template stores no files; a real provider uploads the PDF here",
    "list_candidate_attachments": "the template stores no files; a real provider lists the candidate's files here",
    "get_candidate_custom_field_values": "custom field values are not seeded; only definitions are, to stay short",
    "update_candidate_custom_fields": "custom field values are not seeded; only definitions are, to stay short",
    "get_job_custom_fields": "only candidate custom fields are seeded, to keep the template short",
    "get_job_custom_field_values": "only candidate custom fields are seeded, to keep the template short",
    "update_job_custom_fields": "only candidate custom fields are seeded, to keep the template short",
}


_ORDER = "lastModified, then id, ascending: a record changed mid-read moves behind the read and is read again"


def _declaration(name: str) -> Any:
    if name in SUPPORTED:
        return supported()
    if name in NOT_APPLICABLE:
        return not_applicable(NOT_APPLICABLE[name])
    return not_implemented(NOT_IMPLEMENTED.get(name, _APPLICATIONS))


EXAMPLE_MANIFEST = ProviderManifest(
    name="example",
    display_name="Example (in-memory template)",
    version="1.0.0",
    implementation_type=ImplementationType.IN_MEMORY,
    note_format=models.NoteFormat.PLAIN,
    base_url="none: the data lives in memory, generated from the `seed` setting",
    auth_methods=("none",),
    operations={name: _declaration(name) for name in OPERATION_NAMES},
    streams=(
        StreamDeclaration(entity=Entity.CANDIDATE, incremental=True, sort=_ORDER, page_size=PageSize(default=10)),
        StreamDeclaration(
            entity=Entity.JOB,
            incremental=True,
            sort=_ORDER,
            page_size=PageSize(default=10),
            filters={"statuses": FilterDeclaration(applied="server", field="status", match="casefold")},
        ),
    ),
    field_mappings=EXAMPLE_FIELD_MAPPINGS,
    notes=("A template to copy: small, complete and honest about what it leaves out.",),
)
