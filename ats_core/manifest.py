"""What a provider declares: its configuration and a status with a reason for every operation.

The manifest is the single source of truth for coverage: the registry checks it against the
plugin's hookimpls, and the matrix, checklists, provider pages and `ats providers` read it.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ats_core.fields import FieldMapping, MappedEntity
from ats_core.models import NoteFormat
from ats_core.operations import OPERATION_NAMES

__all__ = [
    "IMPLEMENTED_STATUSES",
    "ImplementationType",
    "OperationDeclaration",
    "OperationStatus",
    "ProviderManifest",
    "RateLimit",
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
    per_seconds: float = Field(gt=0)


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
    incremental_lookback_seconds: float = Field(
        default=0,
        ge=0,
        description="how far before `updated_after` the provider's own filter re-reads (it applies this overlap itself)",
    )
    operations: dict[str, OperationDeclaration]
    field_mappings: dict[MappedEntity, tuple[FieldMapping, ...]] = Field(default_factory=dict)
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
