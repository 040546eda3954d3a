# mypy: disable-error-code="empty-body"
"""The ATS hook spec: one pluggy hookspec per operation in the catalog (`operations.py`).

Each connection has its own PluginManager holding exactly one provider, so every hook is
`firstresult`: the provider's answer is the call's answer. Providers mark methods with `hookimpl`.
Record arguments (`candidate`, `application`, `job`) accept the canonical record or its remote id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import pluggy

from ats_core.models import (
    Application,
    Attachment,
    BulkRejectResult,
    Candidate,
    CustomFieldDefinition,
    CustomFieldValue,
    DispositionReason,
    EnhancedJob,
    Job,
    Note,
    Page,
    Resume,
    Stage,
)

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "ats_core"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

CandidateRef = Candidate | str
ApplicationRef = Application | str
JobRef = Job | str
Updates = Mapping[str, Any]

# --- Streaming -----------------------------------------------------------------------------------


@hookspec(firstresult=True)
def stream_jobs(updated_after: datetime | None, statuses: Sequence[str] | None) -> Iterator[Job]:
    """Yield every job, optionally only those updated after a time and with one of `statuses`."""


@hookspec(firstresult=True)
def stream_applications(updated_after: datetime | None, for_job_ids: Sequence[str] | None) -> Iterator[Application]:
    """Yield every application, optionally only those updated after a time and for `for_job_ids`."""


@hookspec(firstresult=True)
def stream_candidates(updated_after: datetime | None) -> Iterator[Candidate]:
    """Yield every candidate, optionally only those updated after a time."""


@hookspec(firstresult=True)
def stream_jobs_by_page(
    updated_after: datetime | None, statuses: Sequence[str] | None, cursor: str | None, page_size: int | None
) -> Page[Job]:
    """Return one page of jobs and the opaque cursor of the next page (None at the end)."""


@hookspec(firstresult=True)
def stream_applications_by_page(
    updated_after: datetime | None, for_job_ids: Sequence[str] | None, cursor: str | None, page_size: int | None
) -> Page[Application]:
    """Return one page of applications and the opaque cursor of the next page (None at the end)."""


@hookspec(firstresult=True)
def stream_candidates_by_page(
    updated_after: datetime | None, cursor: str | None, page_size: int | None
) -> Page[Candidate]:
    """Return one page of candidates and the opaque cursor of the next page (None at the end)."""


# --- Application management ----------------------------------------------------------------------


@hookspec(firstresult=True)
def move_application_to_stage(application: ApplicationRef, stage: Stage | str) -> Application:
    """Move an application to `stage` and return the updated application."""


@hookspec(firstresult=True)
def get_disposition_reasons() -> list[DispositionReason]:
    """Return the tenant's rejection (disposition) reasons."""


@hookspec(firstresult=True)
def reject_application(application_id: str, reason_id: str) -> Application:
    """Reject one application with a disposition reason and return it."""


@hookspec(firstresult=True)
def bulk_reject_applications(application_ids: Sequence[str], reason_id: str) -> BulkRejectResult:
    """Reject several applications; report each id as succeeded or failed with a reason."""


@hookspec(firstresult=True)
def create_application_for_candidate(candidate: CandidateRef, job: JobRef) -> Application:
    """Create an application of `candidate` to `job` and return it."""


@hookspec(firstresult=True)
def get_all_application_stages() -> list[Stage]:
    """Return every application stage."""


@hookspec(firstresult=True)
def get_application_by_application_id(application_id: str) -> Application:
    """Return one application by id; raise NotFound when there is none."""


# --- Job management ------------------------------------------------------------------------------


@hookspec(firstresult=True)
def get_job_by_job_id(job_id: str) -> Job:
    """Return one job by id; raise NotFound when there is none."""


@hookspec(firstresult=True)
def get_enhanced_job(kombo_id: str | None, remote_job_id: str) -> EnhancedJob:
    """Return a job with provider extras (worksite, company, custom field values)."""


@hookspec(firstresult=True)
def fetch_enhanced_jobs_batch_from_ats(limit: int, cursor: str | None) -> Page[EnhancedJob]:
    """Return up to `limit` enhanced jobs and the cursor of the next batch."""


# --- Candidate management ------------------------------------------------------------------------


@hookspec(firstresult=True)
def get_candidate_by_id(candidate_id: str) -> Candidate:
    """Return one candidate by id; raise NotFound when there is none."""


@hookspec(firstresult=True)
def find_candidates_by_details(
    first_name: str | None, last_name: str | None, email: str | None, phone: str | None
) -> list[Candidate]:
    """Return the candidates matching every given (non-None) detail, without duplicates."""


@hookspec(firstresult=True)
def get_resume_for_candidate_id(candidate_id: str) -> Resume | None:
    """Return the candidate's resume file, or None only when the candidate has none."""


# --- Notes & attachments -------------------------------------------------------------------------


@hookspec(firstresult=True)
def add_note_to_application(application: ApplicationRef, note: str, note_action_type: str | None) -> Note:
    """Write a note on an application and return it."""


@hookspec(firstresult=True)
def add_note_to_candidate(candidate: CandidateRef, note: str, note_action_type: str | None) -> Note:
    """Write a note on a candidate and return it."""


@hookspec(firstresult=True)
def add_attachment_to_application(filename: str, application_id: str, pdf_b64: str) -> Attachment:
    """Attach a base64-encoded PDF to an application and return the stored attachment."""


@hookspec(firstresult=True)
def add_attachment_to_candidate(filename: str, candidate_id: str, pdf_b64: str) -> Attachment:
    """Attach a base64-encoded PDF to a candidate and return the stored attachment."""


# --- Custom fields -------------------------------------------------------------------------------


@hookspec(firstresult=True)
def get_application_custom_fields() -> list[CustomFieldDefinition]:
    """Return the application custom field definitions."""


@hookspec(firstresult=True)
def update_application_custom_fields(application: ApplicationRef, updates: Updates) -> list[CustomFieldValue]:
    """Set custom field values on an application and return the values now stored."""


@hookspec(firstresult=True)
def get_candidate_custom_fields() -> list[CustomFieldDefinition]:
    """Return the candidate custom field definitions."""


@hookspec(firstresult=True)
def update_candidate_custom_fields(candidate: CandidateRef, updates: Updates) -> list[CustomFieldValue]:
    """Set custom field values on a candidate and return the values now stored."""


@hookspec(firstresult=True)
def get_job_custom_fields() -> list[CustomFieldDefinition]:
    """Return the job custom field definitions."""


@hookspec(firstresult=True)
def get_job_custom_field_values(job_id: str) -> list[CustomFieldValue]:
    """Return the custom field values on one job."""


@hookspec(firstresult=True)
def update_job_custom_fields(job: JobRef, updates: Updates) -> list[CustomFieldValue]:
    """Set custom field values on a job and return the values now stored."""
