"""Canonical pydantic models every provider maps its records onto (schema version 2).

Each record carries the provider name, the provider's remote id, `updated_at` where the ATS has one,
`extensions` (provider-specific fields its mapping declares, typed) and `remote_data`: the raw payload
exactly as the ATS sent it, so nothing is lost in mapping. Schema 2 replaced a candidate's single
`email`/`phone`/`mobile_phone`/city fields with lists of typed emails, phone numbers and addresses
(`email` and `phone` remain as read-only properties); `docs/models.md` describes every field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 2
"""Bumped when a canonical field changes meaning or shape (2: lists of emails, phones and addresses)."""

__all__ = [
    "SCHEMA_VERSION",
    "Address",
    "Application",
    "ApplicationRef",
    "Attachment",
    "BulkRejectItem",
    "BulkRejectResult",
    "Candidate",
    "CandidateRef",
    "ChangeEvent",
    "ChangeEventBatch",
    "ChangeKind",
    "ChangeSubscription",
    "CustomFieldDefinition",
    "CustomFieldEntity",
    "CustomFieldValue",
    "DispositionReason",
    "EmailAddress",
    "EnhancedJob",
    "Job",
    "JobRef",
    "Note",
    "NoteFormat",
    "Page",
    "PartialDate",
    "PassthroughResponse",
    "PhoneNumber",
    "Record",
    "RejectedRecord",
    "Resume",
    "Stage",
    "Updates",
    "html_to_text",
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
    extensions: dict[str, Any] = Field(
        default_factory=dict,
        repr=False,
        description="provider-specific fields, typed as the provider's mapping table declares",
    )


class NoteFormat(StrEnum):
    """How a provider stores note bodies."""

    PLAIN = "PLAIN"
    HTML = "HTML"


def _canon(
    default: Any = None,
    *,
    merge: str = "—",
    kombo: str = "—",
    description: str = "",
    repr: bool = True,
    factory: Any = None,
) -> Any:
    """A canonical field with its description and the nearest Merge and Kombo fields (for docs/models.md)."""
    extra: dict[str, Any] = {"merge": merge, "kombo": kombo}
    if factory is not None:
        return Field(default_factory=factory, description=description, repr=repr, json_schema_extra=extra)
    return Field(default, description=description, repr=repr, json_schema_extra=extra)


class EmailAddress(CanonicalModel):
    """One email address of a person, with its type (`work`, `personal`, ...) and whether it is the primary one."""

    model_config = ConfigDict(frozen=True)

    value: str = Field(min_length=1, repr=False)
    type: str | None = None
    primary: bool = False


class PhoneNumber(CanonicalModel):
    """One phone number (E.164 where unambiguous), with its type (`mobile`, `home`, ...) and primary flag."""

    model_config = ConfigDict(frozen=True)

    value: str = Field(min_length=1, repr=False)
    type: str | None = None
    primary: bool = False


class Address(CanonicalModel):
    """A postal address: street lines, city, region, postal code, country, its type and primary flag."""

    model_config = ConfigDict(frozen=True)

    type: str | None = None
    lines: list[str] = Field(default_factory=list, repr=False)
    city: str | None = None
    region: str | None = None
    postal_code: str | None = Field(default=None, repr=False)
    country_code: str | None = None
    primary: bool = False


class PartialDate(CanonicalModel):
    """A calendar day whose year may be unknown (a birthday recorded as month and day)."""

    model_config = ConfigDict(frozen=True)

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    year: int | None = Field(default=None, ge=1, le=9999)

    @model_validator(mode="after")
    def _a_real_day(self) -> PartialDate:
        date(self.year or 2000, self.month, self.day)  # 2000 is a leap year: 02-29 without a year stays valid
        return self

    def __str__(self) -> str:
        """ISO 8601: `YYYY-MM-DD`, or `--MM-DD` without a year."""
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year else f"--{self.month:02d}-{self.day:02d}"


class Candidate(Record):
    """A person in the ATS (a staffing ATS's employee, a recruiting ATS's candidate)."""

    first_name: str | None = _canon(merge="first_name", kombo="first_name")
    middle_name: str | None = _canon(repr=False)
    last_name: str | None = _canon(merge="last_name", kombo="last_name")
    preferred_name: str | None = _canon(description="the name the person goes by (alias, nickname)")
    name_suffix: str | None = _canon(description="Jr., III, ...")
    emails: list[EmailAddress] = _canon(merge="email_addresses", kombo="email_addresses", factory=list, repr=False)
    phone_numbers: list[PhoneNumber] = _canon(merge="phone_numbers", kombo="phone_numbers", factory=list, repr=False)
    addresses: list[Address] = _canon(merge="locations", kombo="location", factory=list, repr=False)
    owner_id: str | None = _canon(description="the ATS user who owns the record (recruiter, service rep)")
    owner_name: str | None = _canon(repr=False)
    tags: list[str] = _canon(merge="tags", kombo="tags", factory=list)
    source: str | None = _canon(kombo="source", description="where the candidate came from")
    is_active: bool | None = _canon()
    status: str | None = _canon()
    job_title: str | None = _canon(merge="title", kombo="title", description="the candidate's current title")
    has_resume: bool | None = _canon()
    created_at: AwareDatetime | None = _canon(merge="remote_created_at", kombo="remote_created_at")

    @property
    def email(self) -> str | None:
        """The primary email address (schema 1's `email`)."""
        return _primary(self.emails)

    @property
    def phone(self) -> str | None:
        """The primary phone number (schema 1's `phone`)."""
        return _primary(self.phone_numbers)

    @property
    def address(self) -> Address | None:
        """The primary address."""
        return next((a for a in self.addresses if a.primary), self.addresses[0] if self.addresses else None)


class Job(Record):
    """An open position (TempWorks: a job order)."""

    title: str | None = _canon(merge="name", kombo="name", description="the internal title")
    public_title: str | None = _canon(description="the title job boards show")
    description: str | None = _canon(
        merge="description",
        kombo="description",
        description="plain text; derived from description_html if only that came",
    )
    description_html: str | None = _canon(repr=False, description="the description as the ATS sent it, when HTML")
    status: str | None = _canon(merge="status", kombo="status")
    is_active: bool | None = _canon()
    company_id: str | None = _canon()
    company_name: str | None = _canon()
    department: str | None = _canon(merge="departments", kombo="department")
    office: str | None = _canon(merge="offices", description="the office or branch that owns the job")
    job_type: str | None = _canon(merge="type", kombo="employment_type")
    city: str | None = _canon(kombo="location.city")
    region: str | None = _canon(kombo="location.state")
    postal_code: str | None = _canon(kombo="location.zip_code")
    positions_required: int | None = _canon()
    positions_filled: int | None = _canon()
    pay_rate: Decimal | None = _canon()
    bill_rate: Decimal | None = _canon()
    start_date: date | None = _canon()
    posted_at: AwareDatetime | None = _canon(kombo="opened_at", description="when the job was posted publicly")
    hiring_manager_id: str | None = _canon(merge="hiring_managers", kombo="hiring_team")
    hiring_manager_name: str | None = _canon(repr=False)
    created_at: AwareDatetime | None = _canon(merge="remote_created_at", kombo="remote_created_at")

    @model_validator(mode="after")
    def _text_of_html(self) -> Job:
        if self.description is None and self.description_html is not None:
            self.__dict__["description"] = html_to_text(self.description_html)
        return self


class Application(Record):
    """A candidate's link to a job (a staffing ATS's assignment or placement, a recruiting ATS's submission)."""

    candidate_id: str | None = _canon(merge="candidate", kombo="candidate.id")
    job_id: str | None = _canon(merge="job", kombo="job.id")
    status: str | None = _canon(kombo="outcome")
    stage: str | None = _canon(merge="current_stage", kombo="current_stage")
    is_active: bool | None = _canon()
    candidate_first_name: str | None = _canon(repr=False)
    candidate_last_name: str | None = _canon(repr=False)
    job_title: str | None = _canon()
    company_name: str | None = _canon()
    pay_rate: Decimal | None = _canon()
    bill_rate: Decimal | None = _canon()
    start_date: date | None = _canon()
    end_date: date | None = _canon()
    expected_end_date: date | None = _canon()
    supervisor_id: str | None = _canon(description="the client contact the placement reports to")
    supervisor_name: str | None = _canon(repr=False)
    source: str | None = _canon(merge="source", kombo="source")
    rejected_at: AwareDatetime | None = _canon(merge="rejected_at")
    rejection_reason: str | None = _canon(merge="reject_reason", kombo="rejection_reason")
    created_at: AwareDatetime | None = _canon(merge="applied_at", kombo="applied_at")


def _primary(items: list[EmailAddress] | list[PhoneNumber]) -> str | None:
    for item in items:
        if item.primary:
            return item.value
    return items[0].value if items else None


class _TextOfHtml(HTMLParser):
    """Text of an HTML fragment: tags dropped, entities decoded, blocks on their own lines."""

    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str | None:
    """The readable text of HTML (script and style dropped, one line per block); None when nothing is left."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text = "\n".join(line for line in lines if line)
    return text or None


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
    """A custom field's value on one record: typed by its definition's type, with the value as the ATS sent it."""

    definition_id: str
    name: str | None = None
    value: Any = None
    field_type: str | None = None
    raw: Any = Field(default=None, repr=False)
    entity: CustomFieldEntity | None = None
    entity_id: str | None = None
    problem: str | None = Field(
        default=None, description="why `value` is None although `raw` holds one: it did not convert by its type"
    )


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


class PassthroughResponse(CanonicalModel):
    """What the ATS answered a passthrough request: status, headers (no credentials) and decoded body."""

    status_code: int
    headers: dict[str, str] = Field(default_factory=dict, repr=False)
    body: Any = Field(default=None, repr=False)


class ChangeKind(StrEnum):
    """What happened to a record, as a change event reports it."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    CUSTOM_FIELDS_UPDATED = "custom_fields_updated"


class ChangeEvent(CanonicalModel):
    """One record changed in the ATS: which record, how, when; `raw` is the event as the ATS sent it.

    `entity` is a catalog entity (`candidate`, `job`, `application`) or, for records outside the catalog,
    the provider's own name (e.g. `customer`): such events are stored and counted, never refreshed.
    """

    provider: str = Field(min_length=1)
    entity: str = Field(min_length=1)
    remote_id: str = Field(min_length=1)
    kind: ChangeKind
    occurred_at: AwareDatetime | None = None
    topic: str | None = Field(default=None, description="the provider's event name, e.g. employee.updated")
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)


class ChangeEventBatch(CanonicalModel):
    """Events read from a pull feed and the cursor that reads (or, read again, replays) the next batch."""

    events: list[ChangeEvent] = Field(default_factory=list)
    next_cursor: str | None = None


class ChangeSubscription(CanonicalModel):
    """One webhook subscription the ATS holds: the topic it sends to which callback URL."""

    subscription_id: str = Field(min_length=1)
    topic: str
    callback_url: str | None = Field(default=None, description="None when the ATS hides it (marked sensitive)")
    active: bool = True


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
