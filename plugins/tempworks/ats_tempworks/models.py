"""TempWorks payload models: envelopes, lookups and write answers, tolerant of the API's documented quirks.

Records (employees, job orders, assignments) are not modelled here: their dicts go straight to the
compiled field mappers (`field_mappings.py`), which keep the raw payload. These models cover the rest:
CHAR-padded text is trimmed, ids may come as int or text, unknown fields are ignored.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, GetPydanticSchema, WithJsonSchema
from pydantic.alias_generators import to_camel
from pydantic_core import core_schema

from ats_core.sdk import fields

__all__ = [
    "AdvancedSearchColumn",
    "AdvancedSearchPage",
    "CustomDataItem",
    "DocumentItem",
    "ListEnvelope",
    "MessageAction",
    "MessageCreated",
    "MessageItem",
    "SearchCell",
    "UniversalEmployeeHit",
]

Text = Annotated[str | None, BeforeValidator(fields.to_string)]
Id = Annotated[str | None, BeforeValidator(fields.to_id)]
RequiredId = Annotated[str, BeforeValidator(fields.to_id)]
Flag = Annotated[bool | None, BeforeValidator(fields.to_boolean)]
# A JSON object kept as decoded: checked to be a dict, not copied (the field mappers validate its contents).
RawObject = Annotated[
    dict[str, Any],
    GetPydanticSchema(lambda _source, _handler: core_schema.is_instance_schema(dict)),
    WithJsonSchema({"type": "object"}),
]


class TempWorksModel(BaseModel):
    """camelCase JSON, unknown fields ignored, frozen."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)


class ListEnvelope(TempWorksModel):
    """`{"data": [...], "totalCount": N}`: the list envelope of every paged endpoint."""

    data: list[RawObject] = Field(default_factory=list)
    total_count: int | None = None


class MessageAction(TempWorksModel):
    """A tenant's message action (the kind of activity a note records)."""

    action_id: RequiredId
    action: Text = None
    action_description: Text = None
    is_default: Flag = None
    is_employee_relevant: Flag = None
    is_active: Flag = None


class MessageCreated(TempWorksModel):
    """The 201 answer to a message POST."""

    message_id: RequiredId
    failed_to_be_linked_origins: list[Any] = Field(default_factory=list)
    failed_to_be_linked_documents: list[Any] = Field(default_factory=list)
    number_of_successfully_linked_origins: int | None = None


class MessageItem(TempWorksModel):
    """An item of a message list (inferred shape: the fields public clients post, plus ids and links)."""

    message_id: RequiredId
    action_id: Id = None
    action: Text = None
    message: str | None = None
    date_created: Text = None
    linked_entities: list[dict[str, Any]] = Field(default_factory=list)
    linked_document_ids: list[Any] = Field(default_factory=list)

    def linked(self, origin_type_id: int) -> list[str]:
        """Ids of the linked records of one origin type (1 employee, 14 assignment), as text."""
        return [
            str(entity.get("originId"))
            for entity in self.linked_entities
            if str(entity.get("originTypeId")) == str(origin_type_id) and entity.get("originId") is not None
        ]


class CustomDataItem(TempWorksModel):
    """One custom property on a record; it carries its definition too."""

    property_definition_id: RequiredId
    property_name: Text = None
    property_value: Any = None
    property_value_id: Id = None
    property_type: Text = None
    category_id: Id = None
    category_name: Text = None
    is_active: Flag = None
    is_required: Flag = None
    is_read_only: Flag = None
    allow_multiple_values: Flag = None
    has_datalist: Flag = None


class DocumentItem(TempWorksModel):
    """An item of an employee's document list."""

    document_id: RequiredId
    document_date: Text = None
    description: Text = None
    file_type: Text = None
    document_type_id: Id = None
    document_type: Text = None
    document_name: Text = None
    file_name: Text = None


class UniversalEmployeeHit(TempWorksModel):
    """An employee found by universal email/phone search (`employeeId` arrives as text)."""

    employee_id: RequiredId
    first_name: Text = None
    last_name: Text = None


class AdvancedSearchColumn(TempWorksModel):
    """Column metadata of `GET /search/{originTypeId}/columns`."""

    column_id: RequiredId
    column_name: Text = None
    column_display_name: Text = None
    column_type: Text = None
    category: Text = None
    is_custom_data: Flag = None
    can_be_included_in_results: Flag = None

    def label(self) -> str:
        """Name and display name, lower-cased, for matching by meaning."""
        return f"{self.column_name or ''} {self.column_display_name or ''}".lower()


class SearchCell(TempWorksModel):
    """One cell of an advanced search row: `{value, originId, originTypeId}`."""

    value: Any = None
    origin_id: Id = None
    origin_type_id: int | None = None


class AdvancedSearchPage(TempWorksModel):
    """The answer of `POST /search/{originTypeId}`: rows keyed by column id (and "Id")."""

    data: list[dict[str, SearchCell | None]] = Field(default_factory=list)
    total_count: int | None = None
