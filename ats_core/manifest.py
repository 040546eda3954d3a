"""What a provider declares: its configuration and a status with a reason for every operation.

The manifest is the single source of truth for coverage: the registry checks it against the
plugin's hookimpls, and the matrix, checklists, provider pages and `ats providers` read it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ats_core.fields import FieldType, MappingTable
from ats_core.models import NoteFormat
from ats_core.operations import OPERATION_NAMES, Entity

__all__ = [
    "IMPLEMENTED_STATUSES",
    "FilterDeclaration",
    "ImplementationType",
    "OperationDeclaration",
    "OperationStatus",
    "PageSize",
    "ProviderManifest",
    "RateLimit",
    "StreamDeclaration",
]


class OperationStatus(StrEnum):
    """One vocabulary for every provider and operation."""

    SUPPORTED = "supported"
    BASIC = "basic"
    NOT_IMPLEMENTED = "not_implemented"
    UNSUPPORTED_BY_PROVIDER = "unsupported_by_provider"
    NOT_APPLICABLE = "not_applicable"

    @property
    def implemented(self) -> bool:
        """True when a hookimpl must exist for this status."""
        return self in IMPLEMENTED_STATUSES


IMPLEMENTED_STATUSES = frozenset({OperationStatus.SUPPORTED, OperationStatus.BASIC})


class ImplementationType(StrEnum):
    """How the provider reaches the ATS."""

    DIRECT = "direct"
    UNIFIED = "unified"
    WEBHOOK = "webhook"
    HYBRID = "hybrid"
    IN_MEMORY = "in_memory"


class OperationDeclaration(BaseModel):
    """A status, and for every status but `supported` a reason a user can act on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: OperationStatus
    reason: str = ""

    @model_validator(mode="after")
    def _reason_unless_supported(self) -> OperationDeclaration:
        if self.status is not OperationStatus.SUPPORTED and not self.reason.strip():
            raise ValueError(f"status '{self.status.value}' needs a reason")
        return self


class RateLimit(BaseModel):
    """The ATS's documented request limit: `requests` per `per_seconds` window."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    requests: int = Field(gt=0)
    per_seconds: float = Field(gt=0, le=86_400)
    remaining_header: str | None = Field(default=None, description="the header saying how many requests remain")
    reset_header: str | None = Field(default=None, description="the header saying when the window resets")
    count_header: str | None = Field(default=None, description="the header counting the requests of the window")
    raise_reason: str | None = Field(
        default=None,
        description="why settings may raise the limit (e.g. the ATS grants limits per client); None: only lower it",
    )


class FilterDeclaration(BaseModel):
    """How a stream applies one filter parameter: on the ATS (`server`) or by the core on mapped records."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    applied: Literal["server", "client"]
    field: str | None = Field(
        default=None, description="the canonical field compared (required for client filters; the suite reads it)"
    )
    match: Literal["exact", "casefold"] = "exact"

    @model_validator(mode="after")
    def _client_filters_name_a_field(self) -> FilterDeclaration:
        if self.applied == "client" and not self.field:
            raise ValueError("a client-side filter names the canonical field it compares (field=...)")
        return self


class PageSize(BaseModel):
    """Records per request: the default, and the most the ATS accepts (None: not known)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    default: int = Field(gt=0)
    maximum: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _default_within_maximum(self) -> PageSize:
        if self.maximum is not None and self.default > self.maximum:
            raise ValueError(f"default page size {self.default} exceeds the maximum {self.maximum}")
        return self


class StreamDeclaration(BaseModel):
    """What a provider declares of one entity's stream; the core pages it accordingly."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entity: Entity
    incremental: bool = Field(description="updated_after narrows the read on the ATS side")
    sort: str = Field(min_length=1, description="the order pages are read in, and why no record is passed over")
    lookback_seconds: float = Field(
        default=0, ge=0, le=86_400 * 7, description="how far before updated_after the read starts"
    )
    page_size: PageSize
    filters: dict[str, FilterDeclaration] = Field(default_factory=dict)


class ProviderManifest(BaseModel):
    """Everything a provider declares about itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="provider enum: a lower-case identifier")
    display_name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    implementation_type: ImplementationType
    note_format: NoteFormat
    base_url: str = Field(min_length=1, description="fixed URL, or how the customer-specific one is found")
    auth_methods: tuple[str, ...] = Field(min_length=1)
    rate_limit: RateLimit | None = None
    operations: dict[str, OperationDeclaration]
    streams: tuple[StreamDeclaration, ...] = ()
    field_mappings: tuple[MappingTable, ...] = ()
    null_dates: tuple[date, ...] = Field(
        default=(), description="dates the ATS writes for 'no date' (e.g. .NET's 0001-01-01); mapped to None"
    )
    custom_field_types: dict[str, FieldType] = Field(
        default_factory=dict,
        description="the ATS's custom-field type names (case-insensitive) -> the field type their values convert by",
    )
    notes: tuple[str, ...] = ()

    @field_validator("operations")
    @classmethod
    def _every_operation_declared(cls, value: dict[str, OperationDeclaration]) -> dict[str, OperationDeclaration]:
        missing = [name for name in OPERATION_NAMES if name not in value]
        unknown = sorted(set(value) - set(OPERATION_NAMES))
        problems = []
        if missing:
            problems.append(f"missing operations (declare a status for each): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown operations: {', '.join(unknown)}")
        if problems:
            raise ValueError("; ".join(problems))
        return {name: value[name] for name in OPERATION_NAMES}

    @field_validator("streams")
    @classmethod
    def _one_stream_per_entity(cls, value: tuple[StreamDeclaration, ...]) -> tuple[StreamDeclaration, ...]:
        entities = [stream.entity for stream in value]
        if len(set(entities)) != len(entities):
            raise ValueError("declare at most one stream per entity")
        return value

    @field_validator("field_mappings")
    @classmethod
    def _unique_table_names(cls, value: tuple[MappingTable, ...]) -> tuple[MappingTable, ...]:
        names = [table.name for table in value]
        if len(set(names)) != len(names):
            raise ValueError("mapping table names must be unique")
        unknown = sorted({name for table in value for name in table.read_by} - set(OPERATION_NAMES))
        if unknown:
            raise ValueError(f"mapping tables name unknown operations in read_by: {', '.join(unknown)}")
        return value

    def stream(self, entity: Entity) -> StreamDeclaration | None:
        """The declared stream of an entity, or None."""
        return next((stream for stream in self.streams if stream.entity is entity), None)

    def mapping(self, name: str) -> MappingTable:
        """The declared mapping table called `name`; KeyError names the declared ones."""
        for table in self.field_mappings:
            if table.name == name:
                return table
        raise KeyError(f"no mapping table '{name}'; declared: {', '.join(t.name for t in self.field_mappings)}")

    def status_of(self, operation: str) -> OperationStatus:
        """The declared status of one operation."""
        return self.operations[operation].status

    def implemented_operations(self) -> tuple[str, ...]:
        """Operations declared supported or basic, in catalog order."""
        return tuple(name for name, decl in self.operations.items() if decl.status.implemented)

    def counts(self) -> dict[OperationStatus, int]:
        """How many operations have each status (every status present, zeros included)."""
        counts = dict.fromkeys(OperationStatus, 0)
        for decl in self.operations.values():
            counts[decl.status] += 1
        return counts
