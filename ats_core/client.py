"""The typed facade: one method per operation, dispatching to exactly one provider.

`connect()` finds the provider through its entry point, validates settings, and builds a pluggy
PluginManager holding that provider (and any middleware). An operation the provider does not
implement never reaches a hook: it raises CapabilityNotSupported with the declared status and reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import pluggy
from pydantic import BaseModel

from ats_core import hookspecs
from ats_core.errors import CapabilityNotSupported, InvalidInput
from ats_core.hookspecs import ApplicationRef, CandidateRef, JobRef, Updates
from ats_core.manifest import ProviderManifest
from ats_core.middleware import AuditMiddleware
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
from ats_core.provider import OnInvalid, Provider, ProviderContext, QuarantinedRecord
from ats_core.registry import LoadedProvider, load_provider
from ats_core.scope import operation_scope, scoped_iterator
from ats_core.settings import load_settings

__all__ = ["ATSClient", "connect"]


def connect(
    provider: str,
    settings: Mapping[str, Any] | BaseModel | None = None,
    *,
    settings_file: str | Path | None = None,
    middleware: Sequence[object] = (),
    audit: bool = False,
    on_invalid: OnInvalid = "raise",
    quarantine: Callable[[QuarantinedRecord], None] | None = None,
) -> ATSClient:
    """Connect to `provider`; settings come from `settings`, then `ATS_<PROVIDER>_*`, then the TOML file."""
    loaded = load_provider(provider)
    validated = load_settings(provider, loaded.provider_class.settings_model, settings, toml_path=settings_file)
    context = ProviderContext(provider=provider, on_invalid=on_invalid, quarantine=quarantine)
    wrappers = list(middleware) + ([AuditMiddleware(provider)] if audit else [])
    return ATSClient(loaded, loaded.provider_class(validated, context), wrappers)


def _require_aware(value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput("updated_after", "needs a time zone (e.g. datetime(..., tzinfo=UTC))")


def _require_id(field: str, value: object) -> None:
    if isinstance(value, str) and not value.strip():
        raise InvalidInput(field, "is empty; pass the record or its remote id")


class ATSClient:
    """One connection to one provider. Use as a context manager, or call `close()`."""

    def __init__(self, loaded: LoadedProvider, provider: Provider, middleware: Sequence[object] = ()) -> None:
        self.loaded = loaded
        self.provider = provider
        self.plugin_manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.plugin_manager.add_hookspecs(hookspecs)
        self.plugin_manager.register(provider, name=loaded.name)
        for index, wrapper in enumerate(middleware):
            self.plugin_manager.register(wrapper, name=f"{loaded.name}-middleware-{index}")

    def __repr__(self) -> str:
        return f"ATSClient(provider={self.name!r})"

    @property
    def name(self) -> str:
        """The provider's name."""
        return self.loaded.name

    @property
    def manifest(self) -> ProviderManifest:
        """The provider's declaration."""
        return self.loaded.manifest

    @property
    def quarantined(self) -> list[QuarantinedRecord]:
        """Records refused by validation under on_invalid='quarantine', with their raw payloads."""
        return self.provider.context.quarantined

    def supports(self, operation: str) -> bool:
        """True when the provider declares `operation` supported or basic."""
        return self.manifest.status_of(operation).implemented

    def _call(self, operation: str, **kwargs: Any) -> Any:
        declaration = self.manifest.operations[operation]
        if not declaration.status.implemented:
            raise CapabilityNotSupported(self.name, operation, declaration.status.value, declaration.reason)
        with operation_scope(self.name, operation):
            if "updated_after" in kwargs:
                _require_aware(kwargs["updated_after"])
            page_size = kwargs.get("page_size")
            if page_size is not None and page_size <= 0:
                raise InvalidInput("page_size", "must be a positive number of records")
            for field in (
                "candidate",
                "application",
                "job",
                "candidate_id",
                "application_id",
                "job_id",
                "remote_job_id",
            ):
                if field in kwargs:
                    _require_id(field, kwargs[field])
            result = getattr(self.plugin_manager.hook, operation)(**kwargs)
        if isinstance(result, Iterator):
            return scoped_iterator(self.name, operation, result)
        return result

    def _refuse(self, operation: str, field: str, problem: str) -> InvalidInput:
        return InvalidInput(field, problem, provider=self.name, operation=operation)

    def close(self) -> None:
        """Release the provider's connections."""
        self.provider.close()

    def __enter__(self) -> ATSClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- Streaming -------------------------------------------------------------------------------

    def stream_jobs(
        self, updated_after: datetime | None = None, statuses: Sequence[str] | None = None
    ) -> Iterator[Job]:
        """Yield every job, optionally only those updated after a time and with one of `statuses`."""
        return cast(Iterator[Job], self._call("stream_jobs", updated_after=updated_after, statuses=statuses))

    def stream_applications(
        self, updated_after: datetime | None = None, for_job_ids: Sequence[str] | None = None
    ) -> Iterator[Application]:
        """Yield every application, optionally updated after a time and only for `for_job_ids`."""
        result = self._call("stream_applications", updated_after=updated_after, for_job_ids=for_job_ids)
        return cast(Iterator[Application], result)

    def stream_candidates(self, updated_after: datetime | None = None) -> Iterator[Candidate]:
        """Yield every candidate, optionally only those updated after a time."""
        return cast(Iterator[Candidate], self._call("stream_candidates", updated_after=updated_after))

    def stream_jobs_by_page(
        self,
        updated_after: datetime | None = None,
        statuses: Sequence[str] | None = None,
        cursor: str | None = None,
        page_size: int | None = None,
    ) -> Page[Job]:
        """One page of jobs and the cursor of the next page (None at the end)."""
        result = self._call(
            "stream_jobs_by_page", updated_after=updated_after, statuses=statuses, cursor=cursor, page_size=page_size
        )
        return cast(Page[Job], result)

    def stream_applications_by_page(
        self,
        updated_after: datetime | None = None,
        for_job_ids: Sequence[str] | None = None,
        cursor: str | None = None,
        page_size: int | None = None,
    ) -> Page[Application]:
        """One page of applications and the cursor of the next page (None at the end)."""
        result = self._call(
            "stream_applications_by_page",
            updated_after=updated_after,
            for_job_ids=for_job_ids,
            cursor=cursor,
            page_size=page_size,
        )
        return cast(Page[Application], result)

    def stream_candidates_by_page(
        self, updated_after: datetime | None = None, cursor: str | None = None, page_size: int | None = None
    ) -> Page[Candidate]:
        """One page of candidates and the cursor of the next page (None at the end)."""
        result = self._call(
            "stream_candidates_by_page", updated_after=updated_after, cursor=cursor, page_size=page_size
        )
        return cast(Page[Candidate], result)

    # --- Application management ------------------------------------------------------------------

    def move_application_to_stage(self, application: ApplicationRef, stage: Stage | str) -> Application:
        """Move an application to `stage`."""
        return cast(Application, self._call("move_application_to_stage", application=application, stage=stage))

    def get_disposition_reasons(self) -> list[DispositionReason]:
        """The tenant's rejection reasons."""
        return cast(list[DispositionReason], self._call("get_disposition_reasons"))

    def reject_application(self, application_id: str, reason_id: str) -> Application:
        """Reject one application with a disposition reason."""
        result = self._call("reject_application", application_id=application_id, reason_id=reason_id)
        return cast(Application, result)

    def bulk_reject_applications(self, application_ids: Sequence[str], reason_id: str) -> BulkRejectResult:
        """Reject several applications; each id's outcome is reported."""
        if not application_ids:
            raise self._refuse("bulk_reject_applications", "application_ids", "is empty; pass at least one id")
        result = self._call("bulk_reject_applications", application_ids=list(application_ids), reason_id=reason_id)
        return cast(BulkRejectResult, result)

    def create_application_for_candidate(self, candidate: CandidateRef, job: JobRef) -> Application:
        """Create an application of `candidate` to `job`."""
        return cast(Application, self._call("create_application_for_candidate", candidate=candidate, job=job))

    def get_all_application_stages(self) -> list[Stage]:
        """Every application stage."""
        return cast(list[Stage], self._call("get_all_application_stages"))

    def get_application_by_application_id(self, application_id: str) -> Application:
        """One application by id; NotFound when there is none."""
        result = self._call("get_application_by_application_id", application_id=application_id)
        return cast(Application, result)

    # --- Job management --------------------------------------------------------------------------

    def get_job_by_job_id(self, job_id: str) -> Job:
        """One job by id; NotFound when there is none."""
        return cast(Job, self._call("get_job_by_job_id", job_id=job_id))

    def get_enhanced_job(self, remote_job_id: str, kombo_id: str | None = None) -> EnhancedJob:
        """A job with provider extras (worksite, company, custom field values)."""
        return cast(EnhancedJob, self._call("get_enhanced_job", kombo_id=kombo_id, remote_job_id=remote_job_id))

    def fetch_enhanced_jobs_batch_from_ats(self, limit: int = 50, cursor: str | None = None) -> Page[EnhancedJob]:
        """Up to `limit` enhanced jobs and the cursor of the next batch."""
        if limit <= 0:
            raise self._refuse("fetch_enhanced_jobs_batch_from_ats", "limit", "must be positive")
        result = self._call("fetch_enhanced_jobs_batch_from_ats", limit=limit, cursor=cursor)
        return cast(Page[EnhancedJob], result)

    # --- Candidate management --------------------------------------------------------------------

    def get_candidate_by_id(self, candidate_id: str) -> Candidate:
        """One candidate by id; NotFound when there is none."""
        return cast(Candidate, self._call("get_candidate_by_id", candidate_id=candidate_id))

    def find_candidates_by_details(
        self,
        first_name: str | None = None,
        last_name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
    ) -> list[Candidate]:
        """Candidates matching every given detail, without duplicates."""
        if first_name is None and last_name is None and email is None and phone is None:
            raise self._refuse(
                "find_candidates_by_details",
                "details",
                "give at least one of first_name, last_name, email, phone",
            )
        result = self._call(
            "find_candidates_by_details", first_name=first_name, last_name=last_name, email=email, phone=phone
        )
        return cast(list[Candidate], result)

    def get_resume_for_candidate_id(self, candidate_id: str) -> Resume | None:
        """The candidate's resume, or None when the candidate has none."""
        return cast("Resume | None", self._call("get_resume_for_candidate_id", candidate_id=candidate_id))

    # --- Notes & attachments ---------------------------------------------------------------------

    def add_note_to_application(
        self, application: ApplicationRef, note: str, note_action_type: str | None = None
    ) -> Note:
        """Write a note on an application."""
        result = self._call(
            "add_note_to_application", application=application, note=note, note_action_type=note_action_type
        )
        return cast(Note, result)

    def add_note_to_candidate(self, candidate: CandidateRef, note: str, note_action_type: str | None = None) -> Note:
        """Write a note on a candidate."""
        result = self._call("add_note_to_candidate", candidate=candidate, note=note, note_action_type=note_action_type)
        return cast(Note, result)

    def add_attachment_to_application(self, filename: str, application_id: str, pdf_b64: str) -> Attachment:
        """Attach a base64 PDF to an application."""
        result = self._call(
            "add_attachment_to_application", filename=filename, application_id=application_id, pdf_b64=pdf_b64
        )
        return cast(Attachment, result)

    def add_attachment_to_candidate(self, filename: str, candidate_id: str, pdf_b64: str) -> Attachment:
        """Attach a base64 PDF to a candidate."""
        result = self._call(
            "add_attachment_to_candidate", filename=filename, candidate_id=candidate_id, pdf_b64=pdf_b64
        )
        return cast(Attachment, result)

    # --- Custom fields ---------------------------------------------------------------------------

    def get_application_custom_fields(self) -> list[CustomFieldDefinition]:
        """Application custom field definitions."""
        return cast(list[CustomFieldDefinition], self._call("get_application_custom_fields"))

    def update_application_custom_fields(self, application: ApplicationRef, updates: Updates) -> list[CustomFieldValue]:
        """Set custom field values on an application."""
        result = self._call("update_application_custom_fields", application=application, updates=updates)
        return cast(list[CustomFieldValue], result)

    def get_candidate_custom_fields(self) -> list[CustomFieldDefinition]:
        """Candidate custom field definitions."""
        return cast(list[CustomFieldDefinition], self._call("get_candidate_custom_fields"))

    def update_candidate_custom_fields(self, candidate: CandidateRef, updates: Updates) -> list[CustomFieldValue]:
        """Set custom field values on a candidate."""
        result = self._call("update_candidate_custom_fields", candidate=candidate, updates=updates)
        return cast(list[CustomFieldValue], result)

    def get_job_custom_fields(self) -> list[CustomFieldDefinition]:
        """Job custom field definitions."""
        return cast(list[CustomFieldDefinition], self._call("get_job_custom_fields"))

    def get_job_custom_field_values(self, job_id: str) -> list[CustomFieldValue]:
        """Custom field values on one job."""
        return cast(list[CustomFieldValue], self._call("get_job_custom_field_values", job_id=job_id))

    def update_job_custom_fields(self, job: JobRef, updates: Updates) -> list[CustomFieldValue]:
        """Set custom field values on a job."""
        return cast(list[CustomFieldValue], self._call("update_job_custom_fields", job=job, updates=updates))
