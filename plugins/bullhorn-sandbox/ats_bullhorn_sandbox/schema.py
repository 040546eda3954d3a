"""The entity model the sandbox serves: every field with its type, label and options, declared once.

`/meta`, `fields=` validation, JPQL and Lucene field checks, write validation and the to-one / to-many
shapes in records all read these declarations. Field lists follow Bullhorn's entity reference
(rest-api-docs `entityref/`) trimmed to what an ATS integration touches; custom slots keep Bullhorn's
counts per entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ats_bullhorn_sandbox.faults import FaultConfig

__all__ = [
    "CUSTOM_FIELD_LABELS",
    "ENTITY_NAMES",
    "EntitySpec",
    "FieldSpec",
    "Schema",
    "build_schema",
]

Kind = Literal["ID", "SCALAR", "COMPOSITE", "TO_ONE", "TO_MANY"]
Deletion = Literal["soft", "hard", "immutable"]


@dataclass(frozen=True)
class FieldSpec:
    """One property of an entity, as `/meta` describes it."""

    name: str
    kind: Kind
    data_type: str | None = None
    label: str = ""
    max_length: int | None = None
    specialization: str | None = None
    target: str | None = None
    options: tuple[str, ...] | None = None
    required: bool = False
    read_only: bool = False
    ref_fields: tuple[str, ...] = ()
    person: bool = False
    subfields: tuple[FieldSpec, ...] = ()

    @property
    def is_association(self) -> bool:
        return self.kind in ("TO_ONE", "TO_MANY")


@dataclass(frozen=True)
class EntitySpec:
    """One entity type: its fields and the calls it supports."""

    name: str
    label: str
    fields: tuple[FieldSpec, ...]
    queryable: bool
    searchable: bool
    deletion: Deletion
    has_files: bool = False
    by_name: Mapping[str, FieldSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {spec.name: spec for spec in self.fields})

    def get(self, name: str) -> FieldSpec | None:
        return self.by_name.get(name)

    @property
    def soft_deletable(self) -> bool:
        return "isDeleted" in self.by_name


Schema = Mapping[str, EntitySpec]

# Tenant labels of the custom slots this tenant uses; every other slot is labelled with its own name, as
# unused slots are in Bullhorn's recorded metadata (sdk-rest testdata meta/candidate-meta-data.txt).
CUSTOM_FIELD_LABELS: dict[str, dict[str, str]] = {
    "Candidate": {
        "customText1": "Shift Preference",
        "customText2": "Security Clearance",
        "customDate1": "Date Client Submitted",
        "customInt1": "Years of Experience",
        "customFloat1": "Desired Hourly Rate",
        "customTextBlock1": "Recruiter Summary",
    },
    "JobOrder": {"customText1": "Cost Center", "customInt1": "Headcount Budget", "customDate1": "Funding Approved"},
    "JobSubmission": {"customText1": "Submission Channel", "customFloat1": "Submitted Bill Rate"},
    "ClientContact": {"customText1": "Decision Maker"},
    "ClientCorporation": {"customText1": "Account Tier"},
}

_ADDRESS = (
    FieldSpec("address1", "SCALAR", "String", "Address", 40),
    FieldSpec("address2", "SCALAR", "String", "Address 2", 40),
    FieldSpec("city", "SCALAR", "String", "City", 40),
    FieldSpec("state", "SCALAR", "String", "State", 30),
    FieldSpec("zip", "SCALAR", "String", "Zip", 15),
    FieldSpec("countryID", "SCALAR", "Integer", "Country"),
)
_PERSON_NAME = ("firstName", "lastName")
_CANDIDATE_STATUSES = ("New Lead", "Active", "Available", "Placed", "Inactive", "Archive", "DNU")
_JOB_STATUSES = ("Accepting Candidates", "Covered", "Filled", "Lost", "Closed", "Archive")
_EMPLOYMENT_TYPES = ("Contract", "Contract To Hire", "Direct Hire", "Temporary")
_CONTACT_STATUSES = ("Active", "Passive", "Prospect", "Archive")
_CORPORATION_STATUSES = ("Active Account", "Passive Account", "Prospect", "Archive")


def _id() -> FieldSpec:
    return FieldSpec("id", "ID", "Integer")


def _text(name: str, label: str, max_length: int = 100, **extra: object) -> FieldSpec:
    return FieldSpec(name, "SCALAR", "String", label, max_length, **extra)  # type: ignore[arg-type]


def _timestamp(name: str, label: str, specialization: str = "DATETIME", read_only: bool = False) -> FieldSpec:
    return FieldSpec(name, "SCALAR", "Timestamp", label, specialization=specialization, read_only=read_only)


def _system_times() -> tuple[FieldSpec, ...]:
    return (
        _timestamp("dateAdded", "Date Added", "SYSTEM", read_only=True),
        _timestamp("dateLastModified", "Date Last Modified", "SYSTEM", read_only=True),
    )


def _flag(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, "SCALAR", "Boolean", label)


def _to_one(
    name: str, label: str, target: str, ref_fields: tuple[str, ...] = (), person: bool = False, required: bool = False
) -> FieldSpec:
    return FieldSpec(
        name, "TO_ONE", None, label, target=target, ref_fields=ref_fields, person=person, required=required
    )


def _to_many(name: str, label: str, target: str) -> FieldSpec:
    return FieldSpec(name, "TO_MANY", None, label, target=target)


def _address(name: str = "address", label: str = "Address") -> FieldSpec:
    return FieldSpec(name, "COMPOSITE", "Address", label, subfields=_ADDRESS)


def _custom_slots(entity: str, counts: Mapping[str, int]) -> tuple[FieldSpec, ...]:
    """Bullhorn's customText/TextBlock/Date/Int/Float slots, labelled by the tenant where used."""
    labels = CUSTOM_FIELD_LABELS.get(entity, {})
    shapes = {
        "customText": ("String", 100, None),
        "customTextBlock": ("String", 2147483647, "HTML"),
        "customDate": ("Timestamp", None, "DATE"),
        "customInt": ("Integer", None, "INTEGER"),
        "customFloat": ("Double", None, "FLOAT"),
    }
    slots = []
    for prefix, count in counts.items():
        data_type, max_length, specialization = shapes[prefix]
        for number in range(1, count + 1):
            name = f"{prefix}{number}"
            slots.append(
                FieldSpec(name, "SCALAR", data_type, labels.get(name, name), max_length, specialization=specialization)
            )
    return tuple(slots)


def _candidate() -> EntitySpec:
    fields = (
        _id(),
        _text("firstName", "First Name", 50, required=True),
        _text("middleName", "Middle Name", 50),
        _text("lastName", "Last Name", 50, required=True),
        _text("name", "Name", 100),
        _text("email", "Email", 100),
        _text("email2", "Email 2", 100),
        _text("email3", "Email 3", 100),
        _text("phone", "Home Phone", 20, specialization="PHONE"),
        _text("phone2", "Phone 2", 20, specialization="PHONE"),
        _text("mobile", "Mobile Phone", 20, specialization="PHONE"),
        _text("status", "Status", 100, options=_CANDIDATE_STATUSES, required=True),
        _text("source", "Source", 200),
        _text("occupation", "Current Title", 50),
        _text("companyName", "Current Company", 100),
        _text("employeeType", "Employee Type", 30, options=("W2", "1099", "Corp to Corp")),
        _text("preferredContact", "Preferred Contact", 15, options=("Email", "Phone", "Mobile", "Text")),
        _text("comments", "General Comments", 2147483647),
        _text("skillSet", "Skills", 2147483647),
        _text("description", "Resume", 2147483647, specialization="HTML"),
        _address(),
        FieldSpec("salary", "SCALAR", "BigDecimal", "Desired Salary", specialization="MONEY"),
        FieldSpec("hourlyRate", "SCALAR", "BigDecimal", "Desired Hourly Rate", specialization="MONEY"),
        _timestamp("dateAvailable", "Date Available", "DATE"),
        *_system_times(),
        _flag("isDeleted", "Is Deleted"),
        _to_one("owner", "Recruiter", "CorporateUser", required=True),
        *_custom_slots(
            "Candidate",
            {"customText": 40, "customTextBlock": 10, "customDate": 13, "customInt": 23, "customFloat": 23},
        ),
        _to_many("submissions", "Submissions", "JobSubmission"),
        _to_many("notes", "Notes", "Note"),
        _to_many("fileAttachments", "File Attachments", "CandidateFileAttachment"),
    )
    return EntitySpec(
        "Candidate", "Candidate", fields, queryable=False, searchable=True, deletion="soft", has_files=True
    )


def _job_order() -> EntitySpec:
    fields = (
        _id(),
        _text("title", "Job Title", 100, required=True),
        _text("status", "Status", 200, options=_JOB_STATUSES),
        _flag("isOpen", "Open/Closed"),
        _flag("isPublic", "Published"),
        _text("employmentType", "Employment Type", 30, options=_EMPLOYMENT_TYPES, required=True),
        _text("onSite", "Work Location", 100, options=("On-Site", "Remote", "Hybrid")),
        _text("description", "Description", 2147483647, specialization="HTML"),
        _text("publicDescription", "Published Description", 2147483647, specialization="HTML"),
        FieldSpec("numOpenings", "SCALAR", "Integer", "# of Openings"),
        FieldSpec("payRate", "SCALAR", "BigDecimal", "Pay Rate", specialization="MONEY"),
        FieldSpec("clientBillRate", "SCALAR", "BigDecimal", "Bill Rate", specialization="MONEY"),
        FieldSpec("salary", "SCALAR", "BigDecimal", "Salary", specialization="MONEY"),
        _address(),
        _timestamp("startDate", "Start Date", "DATE"),
        _timestamp("dateClosed", "Date Closed", "DATETIME"),
        *_system_times(),
        _flag("isDeleted", "Is Deleted"),
        _to_one("clientCorporation", "Company", "ClientCorporation", ("name",), required=True),
        _to_one("clientContact", "Contact", "ClientContact", _PERSON_NAME, required=True),
        _to_one("owner", "Owner", "CorporateUser", _PERSON_NAME, required=True),
        *_custom_slots(
            "JobOrder", {"customText": 40, "customTextBlock": 5, "customDate": 3, "customInt": 8, "customFloat": 3}
        ),
        _to_many("submissions", "Submissions", "JobSubmission"),
    )
    return EntitySpec("JobOrder", "Job", fields, queryable=True, searchable=True, deletion="soft", has_files=True)


def _job_submission(statuses: tuple[str, ...]) -> EntitySpec:
    fields = (
        _id(),
        _to_one("candidate", "Candidate", "Candidate", _PERSON_NAME, required=True),
        _to_one("jobOrder", "Job", "JobOrder", ("title",), required=True),
        _text("status", "Status", 30, options=statuses, required=True),
        _text("source", "Source", 100),
        _text("comments", "Comments", 2147483647),
        _flag("isHidden", "Hidden"),
        FieldSpec("payRate", "SCALAR", "BigDecimal", "Pay Rate", specialization="MONEY"),
        FieldSpec("billRate", "SCALAR", "BigDecimal", "Bill Rate", specialization="MONEY"),
        _timestamp("dateWebResponse", "Date Web Response"),
        *_system_times(),
        _flag("isDeleted", "Is Deleted"),
        _to_one("sendingUser", "Added By", "CorporateUser", _PERSON_NAME, person=True),
        *_custom_slots(
            "JobSubmission",
            {"customText": 25, "customTextBlock": 5, "customDate": 5, "customInt": 5, "customFloat": 5},
        ),
    )
    return EntitySpec("JobSubmission", "Submission", fields, queryable=True, searchable=True, deletion="soft")


def _note(actions: tuple[str, ...]) -> EntitySpec:
    fields = (
        _id(),
        _text("action", "Action", 30, options=actions),
        _text("comments", "Comments", 2147483647, specialization="HTML", required=True),
        FieldSpec("minutesSpent", "SCALAR", "Integer", "Minutes Spent"),
        _to_one("personReference", "About", "Candidate", person=True, required=True),
        _to_one("commentingPerson", "Author", "CorporateUser", person=True, required=True),
        _to_one("jobOrder", "Job", "JobOrder", ("title",)),
        *_system_times(),
        _flag("isDeleted", "Is Deleted"),
        _to_many("candidates", "Candidates", "Candidate"),
        _to_many("entities", "Note Entities", "NoteEntity"),
    )
    return EntitySpec("Note", "Note", fields, queryable=False, searchable=True, deletion="soft")


def _note_entity() -> EntitySpec:
    fields = (
        _id(),
        _to_one("note", "Note", "Note", required=True),
        FieldSpec("targetEntityID", "SCALAR", "Integer", "Target Entity ID", required=True),
        _text("targetEntityName", "Target Entity Name", 50, required=True),
    )
    return EntitySpec("NoteEntity", "Note Entity", fields, queryable=True, searchable=False, deletion="hard")


def _client_corporation() -> EntitySpec:
    fields = (
        _id(),
        _text("name", "Company Name", 100, required=True),
        _text("status", "Status", 30, options=_CORPORATION_STATUSES, required=True),
        _text("phone", "Main Phone", 20, specialization="PHONE"),
        _text("companyURL", "Company Website", 100),
        _address(),
        *_system_times(),
        *_custom_slots(
            "ClientCorporation",
            {"customText": 20, "customTextBlock": 5, "customDate": 3, "customInt": 3, "customFloat": 3},
        ),
        _to_many("clientContacts", "Contacts", "ClientContact"),
    )
    return EntitySpec(
        "ClientCorporation", "Company", fields, queryable=True, searchable=True, deletion="immutable", has_files=True
    )


def _client_contact() -> EntitySpec:
    fields = (
        _id(),
        _text("firstName", "First Name", 50, required=True),
        _text("lastName", "Last Name", 50, required=True),
        _text("name", "Name", 100),
        _text("namePrefix", "Salutation", 5),
        _text("occupation", "Title", 50),
        _text("email", "Email", 100),
        _text("phone", "Direct Phone", 20, specialization="PHONE"),
        _text("mobile", "Mobile Phone", 20, specialization="PHONE"),
        _text("status", "Status", 30, options=_CONTACT_STATUSES, required=True),
        _address(),
        *_system_times(),
        _flag("isDeleted", "Is Deleted"),
        _to_one("clientCorporation", "Company", "ClientCorporation", ("name",), required=True),
        _to_one("owner", "Owner", "CorporateUser", required=True),
        *_custom_slots(
            "ClientContact",
            {"customText": 20, "customTextBlock": 5, "customDate": 3, "customInt": 3, "customFloat": 3},
        ),
    )
    return EntitySpec(
        "ClientContact", "Contact", fields, queryable=True, searchable=True, deletion="soft", has_files=True
    )


def _corporate_user() -> EntitySpec:
    fields = (
        _id(),
        _text("firstName", "First Name", 50),
        _text("lastName", "Last Name", 50),
        _text("name", "Name", 100),
        _text("email", "Email", 100),
        _text("username", "Username", 100),
        _text("occupation", "Title", 50),
        _text("phone", "Phone", 20, specialization="PHONE"),
        _flag("enabled", "Enabled"),
        _flag("isDeleted", "Is Deleted"),
        *_custom_slots("CorporateUser", {"customText": 20, "customDate": 3, "customInt": 3, "customFloat": 3}),
    )
    return EntitySpec("CorporateUser", "Corporate User", fields, queryable=True, searchable=False, deletion="immutable")


def _candidate_file_attachment() -> EntitySpec:
    fields = (
        _id(),
        _to_one("candidate", "Candidate", "Candidate", _PERSON_NAME),
        _text("name", "Name", 255),
        _text("type", "Type", 50, options=("Resume", "Cover Letter", "Reference", "Other")),
        _text("description", "Description", 255),
        _text("externalID", "External ID", 50),
        _text("fileType", "File Type", 15),
        _text("fileExtension", "File Extension", 10),
        _text("contentType", "Content Type", 50),
        _text("contentSubType", "Content Sub Type", 50),
        FieldSpec("fileSize", "SCALAR", "Integer", "File Size"),
        _text("directory", "Directory", 100),
        _text("distribution", "Distribution", 20),
        _text("uuid", "UUID", 36),
        _flag("isPrivate", "Private"),
        _flag("isExternal", "External"),
        _flag("isOpen", "Open"),
        _flag("isCopied", "Copied"),
        _flag("isSendOut", "Send Out"),
        _flag("isEncrypted", "Encrypted"),
        _flag("isDeleted", "Is Deleted"),
        _timestamp("dateAdded", "Date Added", "SYSTEM", read_only=True),
        _to_one("fileOwner", "Owner", "CorporateUser", _PERSON_NAME),
    )
    return EntitySpec(
        "CandidateFileAttachment", "File Attachment", fields, queryable=False, searchable=False, deletion="soft"
    )


ENTITY_NAMES: tuple[str, ...] = (
    "Candidate",
    "CandidateFileAttachment",
    "ClientContact",
    "ClientCorporation",
    "CorporateUser",
    "JobOrder",
    "JobSubmission",
    "Note",
    "NoteEntity",
)


def build_schema(config: FaultConfig) -> dict[str, EntitySpec]:
    """The sandbox tenant's entity model; option lists the tenant configures come from `config`."""
    specs: Iterable[EntitySpec] = (
        _candidate(),
        _candidate_file_attachment(),
        _client_contact(),
        _client_corporation(),
        _corporate_user(),
        _job_order(),
        _job_submission(config.submission_statuses),
        _note(config.note_actions),
        _note_entity(),
    )
    return {spec.name: spec for spec in specs}
