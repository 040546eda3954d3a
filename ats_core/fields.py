"""Field types and the declarations providers use to map their fields onto canonical models."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FieldMapping", "FieldType", "MappedEntity"]


class FieldType(StrEnum):
    """How a provider value is converted to its canonical value."""

    STRING = "string"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money"
    BOOLEAN = "boolean"
    ENUM = "enum"
    ID = "id"
    INTEGER = "integer"


class MappedEntity(StrEnum):
    """Canonical models a provider may declare field mappings for."""

    CANDIDATE = "Candidate"
    JOB = "Job"
    APPLICATION = "Application"


class FieldMapping(BaseModel):
    """canonical field <- provider field (a dotted path for nested values), with its field type."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    canonical: str = Field(min_length=1)
    remote: str = Field(min_length=1)
    type: FieldType
    description: str = ""
