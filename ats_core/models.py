"""Canonical pydantic models every provider maps its records onto.

Each record carries the provider name, the provider's remote id, `updated_at` where the ATS has one,
and `remote_data`: the raw payload exactly as the ATS sent it, so nothing is lost in mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Application",
    "ApplicationRef",
    "Attachment",
    "BulkRejectItem",
    "BulkRejectResult",
    "Candidate",
    "CandidateRef",
    "CustomFieldDefinition",
    "CustomFieldEntity",
    "CustomFieldValue",
    "DispositionReason",
    "EnhancedJob",
    "Job",
    "JobRef",
    "Note",
    "NoteFormat",
    "Page",
    "Record",
    "RejectedRecord",
    "Resume",
    "Stage",
    "Updates",
    "remote_id_of",
]

RecordT = TypeVar("RecordT", bound="Record")


class CanonicalModel(BaseModel):
    """Shared config: unknown fields are an error, bytes travel as base64 in JSON."""

    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")


class Record(CanonicalModel):
    """What every canonical record carries."""

    provider: str = Field(min_length=1)
    remote_id: str = Field(min_length=1)
    updated_at: AwareDatetime | None = None
    remote_data: dict[str, Any] = Field(default_factory=dict, repr=False)


class NoteFormat(StrEnum):
    """How a provider stores note bodies."""

    PLAIN = "PLAIN"
    HTML = "HTML"


class Candidate(Record):
    """A person in the ATS (TempWorks: an employee)."""

    first_name: str | None = None
    middle_name: str | None = Field(default=None, repr=False)
    last_name: str | None = None
    email: str | None = Field(default=None, repr=False)
    phone: str | None = Field(default=None, repr=False)
    mobile_phone: str | None = Field(default=None, repr=False)
    city: str | None = None
    region: str | None = None
    postal_code: str | None = Field(default=None, repr=False)
    country_code: str | None = None
    is_active: bool | None = None
    status: str | None = None
    branch: str | None = None
    job_title: str | None = None
    has_resume: bool | None = None
    created_at: AwareDatetime | None = None


class Job(Record):
    """An open position (TempWorks: a job order)."""

    title: str | None = None
    description: str | None = None
    status: str | None = None
    is_active: bool | None = None
    company_name: str | None = None
    department: str | None = None
    job_type: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    positions_required: int | None = None
    positions_filled: int | None = None
    pay_rate: Decimal | None = None
    bill_rate: Decimal | None = None
    start_date: date | None = None
    created_at: AwareDatetime | None = None


class Application(Record):
    """A candidate's link to a job (TempWorks: an assignment)."""

    candidate_id: str | None = None
    job_id: str | None = None
    status: str | None = None
    stage: str | None = None
    is_active: bool | None = None
    candidate_first_name: str | None = Field(default=None, repr=False)
    candidate_last_name: str | None = Field(default=None, repr=False)
    job_title: str | None = None
    company_name: str | None = None
    pay_rate: Decimal | None = None
    bill_rate: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    created_at: AwareDatetime | None = None


class Stage(Record):
    """A step of the application pipeline; `job_id` is set where stages are job-specific."""

    name: str
    job_id: str | None = None


class DispositionReason(Record):
    """A reason an application is rejected."""

    name: str


class Note(Record):
    """A note written on a candidate or an application."""

    body: str = Field(repr=False)
    format: NoteFormat
    candidate_id: str | None = None
    application_id: str | None = None
    action_type: str | None = None
    created_at: AwareDatetime | None = None


class Attachment(Record):
    """A file stored on a candidate or an application."""

    file_name: str
    content_type: str
    candidate_id: str | None = None
    application_id: str | None = None
    size_bytes: int | None = Field(default=None, ge=0)


class Resume(Record):
    """A candidate's resume file with its bytes."""

    file_name: str
    content_type: str
    content: bytes = Field(repr=False)
    candidate_id: str


class CustomFieldEntity(StrEnum):
    """The record kind a custom field belongs to."""

    CANDIDATE = "candidate"
    JOB = "job"
    APPLICATION = "application"


class CustomFieldDefinition(Record):
    """A custom field the ATS tenant defines."""

    name: str
    entity: CustomFieldEntity
    field_type: str
    required: bool = False
    read_only: bool = False
    multiple: bool = False


class CustomFieldValue(CanonicalModel):
    """A custom field's value on one record."""

    definition_id: str
    name: str | None = None
    value: Any = None
    entity: CustomFieldEntity | None = None
    entity_id: str | None = None


class EnhancedJob(Job):
    """A job with provider extras: worksite, company and custom field values."""

    worksite: dict[str, Any] | None = None
    custom_field_values: list[CustomFieldValue] = Field(default_factory=list)


class BulkRejectItem(CanonicalModel):
    """One application's outcome in a bulk rejection."""

    application_id: str
    succeeded: bool
    error: str | None = None

    @model_validator(mode="after")
    def _failure_has_reason(self) -> BulkRejectItem:
        if not self.succeeded and not self.error:
            raise ValueError("a failed rejection needs an error saying why")
        return self


class BulkRejectResult(CanonicalModel):
    """Per application id: succeeded, or failed with a reason. Never empty."""

    results: list[BulkRejectItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_outcome_per_id(self) -> BulkRejectResult:
        ids = [r.application_id for r in self.results]
        if len(set(ids)) != len(ids):
            raise ValueError("each application id must have exactly one outcome")
        return self

    @property
    def succeeded(self) -> list[str]:
        """Ids rejected successfully."""
        return [r.application_id for r in self.results if r.succeeded]

    @property
    def failed(self) -> dict[str, str]:
        """Ids that failed, with the reason."""
        return {r.application_id: r.error or "" for r in self.results if not r.succeeded}


class RejectedRecord(CanonicalModel):
    """A record the ATS sent that failed validation: kept with its raw payload and the error, never dropped."""

    model_config = ConfigDict(frozen=True)

    provider: str
    entity: str
    remote_id: str | None
    error: str
    remote_data: Any = Field(default=None, repr=False)

    def to_json_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the form `ats sync` writes to its quarantine file)."""
        return self.model_dump(mode="json")


class Page(CanonicalModel, Generic[RecordT]):
    """One page of records, the records the ATS sent that failed validation, and the cursor of the next page."""

    items: list[RecordT]
    next_cursor: str | None = None
    rejected: list[RejectedRecord] = Field(default_factory=list, repr=False)


CandidateRef = Candidate | str
"""A candidate, or its remote id: operations on one record accept either."""
ApplicationRef = Application | str
JobRef = Job | str
Updates = Mapping[str, Any]
"""Custom field values to set: definition id -> value."""


def remote_id_of(ref: Record | str) -> str:
    """The remote id of a record, or the id itself when given as a string."""
    return ref if isinstance(ref, str) else ref.remote_id
