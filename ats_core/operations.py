"""The operation catalog: the 30 ATS operations, their group, reference name, parameters and return kind.

Generators, the CLI and the registry read this catalog; `hookspecs.py` holds one hookspec per entry and
a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["OPERATIONS", "OPERATION_NAMES", "Group", "Operation", "ReturnKind", "operation", "operations_in"]


class Group(StrEnum):
    """Operation groups, in the order pages and checklists show them."""

    STREAMING = "Streaming"
    APPLICATION_MANAGEMENT = "Application Management"
    JOB_MANAGEMENT = "Job Management"
    CANDIDATE_MANAGEMENT = "Candidate Management"
    NOTES_AND_ATTACHMENTS = "Notes & Attachments"
    CUSTOM_FIELDS = "Custom Fields"


class ReturnKind(StrEnum):
    """What an operation returns, in shape."""

    ITERATOR = "iterator"
    PAGE = "page"
    RECORD = "record"
    OPTIONAL_RECORD = "optional_record"
    LIST = "list"
    RESULT = "result"


@dataclass(frozen=True)
class Operation:
    """One catalog entry."""

    name: str
    group: Group
    reference_name: str
    parameters: tuple[str, ...]
    returns: ReturnKind
    return_type: str
    description: str

    @property
    def reference_signature(self) -> str:
        """The reference system's method with its parameters, e.g. `_stream_jobs(updated_after, statuses)`."""
        return f"{self.reference_name}({', '.join(self.reference_parameters)})"

    @property
    def reference_parameters(self) -> tuple[str, ...]:
        """Parameters as the reference names them (page variants there take none)."""
        if self.returns is ReturnKind.PAGE and self.group is Group.STREAMING:
            return ()
        return self.parameters


def _op(name: str, group: Group, ref: str, params: str, returns: ReturnKind, rtype: str, description: str) -> Operation:
    return Operation(
        name, group, ref, tuple(p for p in params.replace(" ", "").split(",") if p), returns, rtype, description
    )


S, A, J, C, N, F = (
    Group.STREAMING,
    Group.APPLICATION_MANAGEMENT,
    Group.JOB_MANAGEMENT,
    Group.CANDIDATE_MANAGEMENT,
    Group.NOTES_AND_ATTACHMENTS,
    Group.CUSTOM_FIELDS,
)
IT, PG, REC, OPT, LST, RES = (
    ReturnKind.ITERATOR,
    ReturnKind.PAGE,
    ReturnKind.RECORD,
    ReturnKind.OPTIONAL_RECORD,
    ReturnKind.LIST,
    ReturnKind.RESULT,
)

OPERATIONS: tuple[Operation, ...] = (
    _op(
        "stream_jobs",
        S,
        "_stream_jobs",
        "updated_after, statuses",
        IT,
        "Job",
        "Stream jobs, optionally updated after a time and filtered by status.",
    ),
    _op(
        "stream_applications",
        S,
        "_stream_applications",
        "updated_after, for_job_ids",
        IT,
        "Application",
        "Stream applications, optionally updated after a time and restricted to jobs.",
    ),
    _op(
        "stream_candidates",
        S,
        "_stream_candidates",
        "updated_after",
        IT,
        "Candidate",
        "Stream candidates, optionally only those updated after a time.",
    ),
    _op(
        "stream_jobs_by_page",
        S,
        "stream_jobs_by_page",
        "updated_after, statuses, cursor, page_size",
        PG,
        "Job",
        "One page of jobs and the cursor of the next page.",
    ),
    _op(
        "stream_applications_by_page",
        S,
        "stream_applications_by_page",
        "updated_after, for_job_ids, cursor, page_size",
        PG,
        "Application",
        "One page of applications and the cursor of the next page.",
    ),
    _op(
        "stream_candidates_by_page",
        S,
        "stream_candidates_by_page",
        "updated_after, cursor, page_size",
        PG,
        "Candidate",
        "One page of candidates and the cursor of the next page.",
    ),
    _op(
        "move_application_to_stage",
        A,
        "_move_application_to_stage",
        "application, stage",
        REC,
        "Application",
        "Move an application to another stage.",
    ),
    _op(
        "get_disposition_reasons",
        A,
        "get_disposition_reasons",
        "",
        LST,
        "DispositionReason",
        "List the rejection (disposition) reasons.",
    ),
    _op(
        "reject_application",
        A,
        "reject_application",
        "application_id, reason_id",
        REC,
        "Application",
        "Reject an application with a disposition reason.",
    ),
    _op(
        "bulk_reject_applications",
        A,
        "bulk_reject_applications",
        "application_ids, reason_id",
        RES,
        "BulkRejectResult",
        "Reject several applications; reports each id's outcome.",
    ),
    _op(
        "create_application_for_candidate",
        A,
        "_create_application_for_candidate",
        "candidate, job",
        REC,
        "Application",
        "Create an application of a candidate to a job.",
    ),
    _op(
        "get_all_application_stages",
        A,
        "_get_all_application_stages",
        "",
        LST,
        "Stage",
        "List every application stage.",
    ),
    _op(
        "get_application_by_application_id",
        A,
        "get_application_by_application_id",
        "application_id",
        REC,
        "Application",
        "Read one application by id.",
    ),
    _op("get_job_by_job_id", J, "get_job_by_job_id", "job_id", REC, "Job", "Read one job by id."),
    _op(
        "get_enhanced_job",
        J,
        "get_enhanced_job",
        "kombo_id, remote_job_id",
        REC,
        "EnhancedJob",
        "Read a job with provider extras (worksite, company, custom fields).",
    ),
    _op(
        "fetch_enhanced_jobs_batch_from_ats",
        J,
        "_fetch_enhanced_jobs_batch_from_ats",
        "limit, cursor",
        PG,
        "EnhancedJob",
        "A page of enhanced jobs and the next cursor.",
    ),
    _op(
        "get_candidate_by_id", C, "_get_candidate_by_id", "candidate_id", REC, "Candidate", "Read one candidate by id."
    ),
    _op(
        "find_candidates_by_details",
        C,
        "_find_candidates_by_details",
        "first_name, last_name, email, phone",
        LST,
        "Candidate",
        "Find candidates matching every given detail.",
    ),
    _op(
        "get_resume_for_candidate_id",
        C,
        "_get_resume_for_candidate_id",
        "candidate_id",
        OPT,
        "Resume",
        "Download a candidate's resume, or None when there is none.",
    ),
    _op(
        "add_note_to_application",
        N,
        "_add_note_to_application",
        "application, note, note_action_type",
        REC,
        "Note",
        "Add a note to an application.",
    ),
    _op(
        "add_note_to_candidate",
        N,
        "_add_note_to_candidate",
        "candidate, note, note_action_type",
        REC,
        "Note",
        "Add a note to a candidate.",
    ),
    _op(
        "add_attachment_to_application",
        N,
        "_add_attachment_to_application",
        "filename, application_id, pdf_b64",
        REC,
        "Attachment",
        "Attach a base64 PDF to an application.",
    ),
    _op(
        "add_attachment_to_candidate",
        N,
        "_add_attachment_to_candidate",
        "filename, candidate_id, pdf_b64",
        REC,
        "Attachment",
        "Attach a base64 PDF to a candidate.",
    ),
    _op(
        "get_application_custom_fields",
        F,
        "_get_application_custom_fields",
        "",
        LST,
        "CustomFieldDefinition",
        "List application custom field definitions.",
    ),
    _op(
        "update_application_custom_fields",
        F,
        "_update_application_custom_fields",
        "application, updates",
        LST,
        "CustomFieldValue",
        "Update custom field values on an application.",
    ),
    _op(
        "get_candidate_custom_fields",
        F,
        "_get_candidate_custom_fields",
        "",
        LST,
        "CustomFieldDefinition",
        "List candidate custom field definitions.",
    ),
    _op(
        "update_candidate_custom_fields",
        F,
        "_update_candidate_custom_fields",
        "candidate, updates",
        LST,
        "CustomFieldValue",
        "Update custom field values on a candidate.",
    ),
    _op(
        "get_job_custom_fields",
        F,
        "_get_job_custom_fields",
        "",
        LST,
        "CustomFieldDefinition",
        "List job custom field definitions.",
    ),
    _op(
        "get_job_custom_field_values",
        F,
        "_get_job_custom_field_values",
        "job_id",
        LST,
        "CustomFieldValue",
        "Read the custom field values on one job.",
    ),
    _op(
        "update_job_custom_fields",
        F,
        "_update_job_custom_fields",
        "job, updates",
        LST,
        "CustomFieldValue",
        "Update custom field values on a job.",
    ),
)

OPERATION_NAMES: tuple[str, ...] = tuple(op.name for op in OPERATIONS)
_BY_NAME = {op.name: op for op in OPERATIONS}


def operation(name: str) -> Operation:
    """The catalog entry for `name`; KeyError names the known operations."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown operation '{name}'; known: {', '.join(OPERATION_NAMES)}") from None


def operations_in(group: Group) -> tuple[Operation, ...]:
    """The operations of one group, in catalog order."""
    return tuple(op for op in OPERATIONS if op.group is group)
