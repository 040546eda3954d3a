# mypy: disable-error-code="empty-body"
"""The ATS hook spec: one pluggy hookspec per operation, each carrying its catalog metadata.

`@operation(group, kind, ...)` makes a function a `firstresult` hookspec (each connection's PluginManager
holds exactly one provider, so the provider's answer is the call's answer) and keeps the operation's
metadata on it, as pluggy keeps `HookspecOpts`. The catalog (`ats_core.operations`), the typed client,
the conformance suite's tables and the sync engine's entity table are all derived from this module.
Record arguments (`candidate`, `application`, `job`) accept the canonical record or its remote id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from ats_core.models import (
    Application,
    ApplicationRef,
    Attachment,
    BulkRejectResult,
    Candidate,
    CandidateRef,
    ChangeEvent,
    ChangeEventBatch,
    ChangeSubscription,
    CustomFieldDefinition,
    CustomFieldValue,
    DispositionReason,
    EnhancedJob,
    Job,
    JobRef,
    Note,
    Page,
    PassthroughResponse,
    Resume,
    Stage,
    Updates,
)
from ats_core.operation_spec import PROJECT_NAME, Entity, Group, Kind, hookimpl, hookspec, operation

__all__ = ["PROJECT_NAME", "ApplicationRef", "CandidateRef", "JobRef", "Updates", "hookimpl", "hookspec"]

STREAMING, APPLICATIONS, JOBS, CANDIDATES, NOTES, CUSTOM_FIELDS, CHANGE_FEED, PASSTHROUGH = (
    Group.STREAMING,
    Group.APPLICATION_MANAGEMENT,
    Group.JOB_MANAGEMENT,
    Group.CANDIDATE_MANAGEMENT,
    Group.NOTES_AND_ATTACHMENTS,
    Group.CUSTOM_FIELDS,
    Group.CHANGE_FEED,
    Group.PASSTHROUGH,
)

# --- Streaming -----------------------------------------------------------------------------------


@operation(STREAMING, Kind.STREAM, entity=Entity.JOB, reference="_stream_jobs(updated_after, statuses)")
def stream_jobs(updated_after: datetime | None, statuses: Sequence[str] | None) -> Iterator[Job]:
    """Yield every job, optionally only those updated at or after a time and with one of `statuses`."""


@operation(
    STREAMING,
    Kind.STREAM,
    entity=Entity.APPLICATION,
    ids={"for_job_ids": Entity.JOB},
    reference="_stream_applications(updated_after, for_job_ids)",
)
def stream_applications(updated_after: datetime | None, for_job_ids: Sequence[str] | None) -> Iterator[Application]:
    """Yield every application, optionally only those updated at or after a time and for `for_job_ids`."""


@operation(STREAMING, Kind.STREAM, entity=Entity.CANDIDATE, reference="_stream_candidates(updated_after)")
def stream_candidates(updated_after: datetime | None) -> Iterator[Candidate]:
    """Yield every candidate, optionally only those updated at or after a time."""


@operation(STREAMING, Kind.PAGE, entity=Entity.JOB, reference="stream_jobs_by_page()")
def fetch_jobs_page(
    updated_after: datetime | None, statuses: Sequence[str] | None, cursor: str | None, page_size: int | None
) -> Page[Job]:
    """Return one page of jobs and the opaque cursor of the next page (None at the end)."""


@operation(
    STREAMING,
    Kind.PAGE,
    entity=Entity.APPLICATION,
    ids={"for_job_ids": Entity.JOB},
    reference="stream_applications_by_page()",
)
def fetch_applications_page(
    updated_after: datetime | None, for_job_ids: Sequence[str] | None, cursor: str | None, page_size: int | None
) -> Page[Application]:
    """Return one page of applications and the opaque cursor of the next page (None at the end)."""


@operation(STREAMING, Kind.PAGE, entity=Entity.CANDIDATE, reference="stream_candidates_by_page()")
def fetch_candidates_page(updated_after: datetime | None, cursor: str | None, page_size: int | None) -> Page[Candidate]:
    """Return one page of candidates and the opaque cursor of the next page (None at the end)."""


# --- Application management ----------------------------------------------------------------------


@operation(
    APPLICATIONS,
    Kind.WRITE,
    entity=Entity.APPLICATION,
    ids={"application": Entity.APPLICATION},
    reference="_move_application_to_stage(application, stage)",
    read_back="get_application_by_application_id",
)
def move_application_to_stage(application: ApplicationRef, stage: Stage | str) -> Application:
    """Move an application to `stage` and return the updated application."""


@operation(APPLICATIONS, Kind.LIST, reference="get_disposition_reasons()")
def get_disposition_reasons() -> list[DispositionReason]:
    """Return the tenant's rejection (disposition) reasons."""


@operation(
    APPLICATIONS,
    Kind.WRITE,
    entity=Entity.APPLICATION,
    ids={"application_id": Entity.APPLICATION},
    reference="reject_application(application_id, reason_id)",
    read_back="get_application_by_application_id",
)
def reject_application(application_id: str, reason_id: str) -> Application:
    """Reject one application with a disposition reason and return it."""


@operation(
    APPLICATIONS,
    Kind.WRITE,
    entity=Entity.APPLICATION,
    ids={"application_ids": Entity.APPLICATION},
    reference="bulk_reject_applications(application_ids, reason_id)",
    read_back="get_application_by_application_id",
)
def bulk_reject_applications(application_ids: Sequence[str], reason_id: str) -> BulkRejectResult:
    """Reject several applications; report each id as succeeded or failed with a reason."""


@operation(
    APPLICATIONS,
    Kind.WRITE,
    entity=Entity.APPLICATION,
    ids={"candidate": Entity.CANDIDATE, "job": Entity.JOB},
    reference="_create_application_for_candidate(candidate, job)",
    read_back="get_application_by_application_id",
)
def create_application_for_candidate(candidate: CandidateRef, job: JobRef) -> Application:
    """Create an application of `candidate` to `job` and return it."""


@operation(APPLICATIONS, Kind.LIST, reference="_get_all_application_stages()")
def get_all_application_stages() -> list[Stage]:
    """Return every application stage."""


@operation(
    APPLICATIONS,
    Kind.LOOKUP,
    entity=Entity.APPLICATION,
    ids={"application_id": Entity.APPLICATION},
    reference="get_application_by_application_id(application_id)",
)
def get_application_by_application_id(application_id: str) -> Application:
    """Return one application by id; raise NotFound when there is none."""


# --- Job management ------------------------------------------------------------------------------


@operation(JOBS, Kind.LOOKUP, entity=Entity.JOB, ids={"job_id": Entity.JOB}, reference="get_job_by_job_id(job_id)")
def get_job_by_job_id(job_id: str) -> Job:
    """Return one job by id; raise NotFound when there is none."""


@operation(
    JOBS,
    Kind.LOOKUP,
    entity=Entity.JOB,
    ids={"job_id": Entity.JOB},
    reference="get_enhanced_job(kombo_id, remote_job_id)",
)
def get_enhanced_job(job_id: str) -> EnhancedJob:
    """Return one job with provider extras (worksite, company, custom field values)."""


@operation(JOBS, Kind.PAGE, entity=Entity.JOB, reference="_fetch_enhanced_jobs_batch_from_ats(limit, cursor)")
def fetch_enhanced_jobs_page(cursor: str | None, page_size: int | None) -> Page[EnhancedJob]:
    """Return one page of jobs with provider extras and the cursor of the next page (None at the end)."""


# --- Candidate management ------------------------------------------------------------------------


@operation(
    CANDIDATES,
    Kind.LOOKUP,
    entity=Entity.CANDIDATE,
    ids={"candidate_id": Entity.CANDIDATE},
    reference="_get_candidate_by_id(candidate_id)",
)
def get_candidate_by_id(candidate_id: str) -> Candidate:
    """Return one candidate by id; raise NotFound when there is none."""


@operation(
    CANDIDATES,
    Kind.SEARCH,
    entity=Entity.CANDIDATE,
    one_of=("first_name", "last_name", "email", "phone"),
    reference="_find_candidates_by_details(first_name, last_name, email, phone)",
)
def find_candidates_by_details(
    first_name: str | None, last_name: str | None, email: str | None, phone: str | None
) -> list[Candidate]:
    """Return the candidates matching every given (non-None) detail, without duplicates."""


@operation(
    CANDIDATES,
    Kind.LOOKUP,
    entity=Entity.CANDIDATE,
    ids={"candidate_id": Entity.CANDIDATE},
    reference="_get_resume_for_candidate_id(candidate_id)",
)
def get_resume_for_candidate_id(candidate_id: str) -> Resume | None:
    """Return the candidate's resume file, or None only when the candidate has none."""


# --- Notes & attachments -------------------------------------------------------------------------


@operation(
    NOTES,
    Kind.WRITE,
    entity=Entity.APPLICATION,
    ids={"application": Entity.APPLICATION},
    reference="_add_note_to_application(application, note, note_action_type)",
    read_back="list_application_notes",
)
def add_note_to_application(application: ApplicationRef, note: str, note_action_type: str | None) -> Note:
    """Write a note on an application and return it."""


@operation(
    NOTES,
    Kind.WRITE,
    entity=Entity.CANDIDATE,
    ids={"candidate": Entity.CANDIDATE},
    reference="_add_note_to_candidate(candidate, note, note_action_type)",
    read_back="list_candidate_notes",
)
def add_note_to_candidate(candidate: CandidateRef, note: str, note_action_type: str | None) -> Note:
    """Write a note on a candidate and return it."""


@operation(
    NOTES,
    Kind.WRITE,
    entity=Entity.APPLICATION,
    ids={"application_id": Entity.APPLICATION},
    reference="_add_attachment_to_application(filename, application_id, pdf_b64)",
    read_back="list_application_attachments",
)
def add_attachment_to_application(filename: str, application_id: str, pdf_b64: str) -> Attachment:
    """Attach a base64-encoded PDF to an application and return the stored attachment."""


@operation(
    NOTES,
    Kind.WRITE,
    entity=Entity.CANDIDATE,
    ids={"candidate_id": Entity.CANDIDATE},
    reference="_add_attachment_to_candidate(filename, candidate_id, pdf_b64)",
    read_back="list_candidate_attachments",
)
def add_attachment_to_candidate(filename: str, candidate_id: str, pdf_b64: str) -> Attachment:
    """Attach a base64-encoded PDF to a candidate and return the stored attachment."""


@operation(NOTES, Kind.LOOKUP, entity=Entity.CANDIDATE, ids={"candidate_id": Entity.CANDIDATE}, reference=None)
def list_candidate_notes(candidate_id: str) -> list[Note]:
    """Return the notes on a candidate (its own and those on its applications), oldest first."""


@operation(NOTES, Kind.LOOKUP, entity=Entity.APPLICATION, ids={"application_id": Entity.APPLICATION}, reference=None)
def list_application_notes(application_id: str) -> list[Note]:
    """Return the notes on an application, oldest first."""


@operation(NOTES, Kind.LOOKUP, entity=Entity.CANDIDATE, ids={"candidate_id": Entity.CANDIDATE}, reference=None)
def list_candidate_attachments(candidate_id: str) -> list[Attachment]:
    """Return the files stored on a candidate (without their content)."""


@operation(NOTES, Kind.LOOKUP, entity=Entity.APPLICATION, ids={"application_id": Entity.APPLICATION}, reference=None)
def list_application_attachments(application_id: str) -> list[Attachment]:
    """Return the files stored on an application (without their content)."""


# --- Custom fields -------------------------------------------------------------------------------


@operation(CUSTOM_FIELDS, Kind.LIST, entity=Entity.APPLICATION, reference="_get_application_custom_fields()")
def get_application_custom_fields() -> list[CustomFieldDefinition]:
    """Return the application custom field definitions."""


@operation(
    CUSTOM_FIELDS,
    Kind.WRITE,
    entity=Entity.APPLICATION,
    ids={"application": Entity.APPLICATION},
    reference="_update_application_custom_fields(application, updates)",
    read_back="get_application_custom_field_values",
)
def update_application_custom_fields(application: ApplicationRef, updates: Updates) -> list[CustomFieldValue]:
    """Set custom field values on an application and return the values now stored."""


@operation(
    CUSTOM_FIELDS,
    Kind.LOOKUP,
    entity=Entity.APPLICATION,
    ids={"application_id": Entity.APPLICATION},
    reference=None,
)
def get_application_custom_field_values(application_id: str) -> list[CustomFieldValue]:
    """Return the custom field values on one application, typed by their definitions."""


@operation(CUSTOM_FIELDS, Kind.LIST, entity=Entity.CANDIDATE, reference="_get_candidate_custom_fields()")
def get_candidate_custom_fields() -> list[CustomFieldDefinition]:
    """Return the candidate custom field definitions."""


@operation(
    CUSTOM_FIELDS,
    Kind.WRITE,
    entity=Entity.CANDIDATE,
    ids={"candidate": Entity.CANDIDATE},
    reference="_update_candidate_custom_fields(candidate, updates)",
    read_back="get_candidate_custom_field_values",
)
def update_candidate_custom_fields(candidate: CandidateRef, updates: Updates) -> list[CustomFieldValue]:
    """Set custom field values on a candidate and return the values now stored."""


@operation(CUSTOM_FIELDS, Kind.LOOKUP, entity=Entity.CANDIDATE, ids={"candidate_id": Entity.CANDIDATE}, reference=None)
def get_candidate_custom_field_values(candidate_id: str) -> list[CustomFieldValue]:
    """Return the custom field values on one candidate, typed by their definitions."""


@operation(CUSTOM_FIELDS, Kind.LIST, entity=Entity.JOB, reference="_get_job_custom_fields()")
def get_job_custom_fields() -> list[CustomFieldDefinition]:
    """Return the job custom field definitions."""


@operation(
    CUSTOM_FIELDS,
    Kind.LOOKUP,
    entity=Entity.JOB,
    ids={"job_id": Entity.JOB},
    reference="_get_job_custom_field_values(job_id)",
)
def get_job_custom_field_values(job_id: str) -> list[CustomFieldValue]:
    """Return the custom field values on one job, typed by their definitions."""


@operation(
    CUSTOM_FIELDS,
    Kind.WRITE,
    entity=Entity.JOB,
    ids={"job": Entity.JOB},
    reference="_update_job_custom_fields(job, updates)",
    read_back="get_job_custom_field_values",
)
def update_job_custom_fields(job: JobRef, updates: Updates) -> list[CustomFieldValue]:
    """Set custom field values on a job and return the values now stored."""


# --- Change feed ---------------------------------------------------------------------------------
# Push (webhooks): subscribe a callback URL, then parse what the ATS posts to it. Pull (event queues):
# read batches from a cursor; reading the same cursor again replays the batch, so none is lost.


@operation(CHANGE_FEED, Kind.CHANGE_FEED, reference=None)
def subscribe_changes(
    callback_url: str, header_name: str | None, header_value: str | None, topics: Sequence[str] | None
) -> list[ChangeSubscription]:
    """Subscribe `callback_url` to change events (all topics when None); idempotent: returns every subscription."""


@operation(CHANGE_FEED, Kind.CHANGE_FEED, reference=None)
def list_change_subscriptions() -> list[ChangeSubscription]:
    """Return the change subscriptions the ATS holds for this connection's credential."""


@operation(CHANGE_FEED, Kind.CHANGE_FEED, reference=None)
def unsubscribe_changes(callback_url: str | None) -> list[ChangeSubscription]:
    """Remove the subscriptions to `callback_url` (all when None) and return those removed."""


@operation(CHANGE_FEED, Kind.CHANGE_FEED, reference=None)
def parse_change_event(headers: Mapping[str, str], body: bytes) -> list[ChangeEvent]:
    """Verify one delivered event (AuthenticationFailed when it fails) and return the changes it reports."""


@operation(CHANGE_FEED, Kind.CHANGE_FEED, reference=None)
def read_change_events(cursor: str | None, max_events: int | None) -> ChangeEventBatch:
    """Read the next batch of a pull feed from `cursor` (None: the feed's start or its saved position)."""


# --- Passthrough ---------------------------------------------------------------------------------


@operation(PASSTHROUGH, Kind.PASSTHROUGH, reference=None)
def passthrough(method: str, path: str, params: Mapping[str, str] | None, json: Any | None) -> PassthroughResponse:
    """Send one request to the ATS's own API (a path relative to its base URL) and return its answer."""
