"""The field type mapper: a provider's declared field mappings compiled into one pydantic validator.

`compile_mapper` turns `(canonical model, FieldMappings)` into a `RecordMapper` once: each canonical
field gets a validation alias (an `AliasPath` for dotted, nested provider fields) and the converter of
its field type as a `BeforeValidator`. A page is mapped by one `validate_python` call over the whole
list, and every record keeps the decoded provider dict as `remote_data`.

Records that fail validation follow the connection's policy: `on_invalid="raise"` raises
`InvalidResponse` naming the record id and the field (never the value); `"quarantine"` keeps the raw
payload and the error in the context's sink and maps the rest of the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timezone
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import AliasPath, BeforeValidator, ConfigDict, Field, PlainValidator, TypeAdapter, ValidationError

from ats_core.errors import InvalidResponse
from ats_core.fields import FieldMapping, FieldType, converter
from ats_core.models import Record
from ats_core.provider import ProviderContext, QuarantinedRecord

__all__ = ["MappingDeclarationError", "RecordMapper", "compile_mapper"]

RecordT = TypeVar("RecordT", bound=Record)

# A key no provider payload can carry: fields bound to it only ever take their default.
_UNREACHABLE_KEY = "\x00ats-core-unmapped"
_RESERVED = frozenset({"provider", "remote_data"})
# What each converter returns besides None. DATETIME is left out: canonical timestamps are AwareDatetime,
# which stays checked after conversion.
_CONVERTER_RESULT: dict[FieldType, type] = {
    FieldType.STRING: str,
    FieldType.ENUM: str,
    FieldType.ID: str,
    FieldType.EMAIL: str,
    FieldType.PHONE: str,
    FieldType.BOOLEAN: bool,
    FieldType.INTEGER: int,
    FieldType.MONEY: Decimal,
    FieldType.DATE: date,
}


class MappingDeclarationError(ValueError):
    """A provider's field mappings do not fit the canonical model (a programming error, caught at import)."""


def _alias(remote: str) -> str | AliasPath:
    parts = remote.split(".")
    return parts[0] if len(parts) == 1 else AliasPath(*parts)


def _remote_value(raw: Any, remote: str) -> Any:
    value = raw
    for part in remote.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _validated_annotation(model: type[Record], field: str, field_type: FieldType, zone: ZoneInfo | timezone) -> Any:
    info = model.model_fields[field]
    annotation = info.annotation
    convert = converter(field_type, time_zone=zone)
    produced = _CONVERTER_RESULT.get(field_type)
    if produced is not None and not info.metadata and annotation == (produced | None):
        # The converter already returns exactly `produced | None`: re-validating its result would only cost time.
        return Annotated[annotation, PlainValidator(convert)]
    return Annotated[annotation, BeforeValidator(convert)]


def _check_declarations(model: type[Record], mappings: Sequence[FieldMapping]) -> None:
    seen: set[str] = set()
    for mapping in mappings:
        if mapping.canonical not in model.model_fields:
            raise MappingDeclarationError(
                f"{model.__name__} has no field '{mapping.canonical}' (mapped from {mapping.remote})"
            )
        if mapping.canonical in _RESERVED or mapping.canonical in seen:
            raise MappingDeclarationError(f"{model.__name__}.{mapping.canonical} is reserved or mapped twice")
        seen.add(mapping.canonical)


def _parser_class(
    model: type[RecordT],
    mappings: Sequence[FieldMapping],
    *,
    provider: str,
    zone: ZoneInfo | timezone,
) -> type[RecordT]:
    """A layout-identical subclass of `model` whose fields read the provider's names and convert their values."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    for mapping in mappings:
        annotations[mapping.canonical] = _validated_annotation(model, mapping.canonical, mapping.type, zone)
        default = ... if mapping.canonical == "remote_id" else None
        namespace[mapping.canonical] = Field(default=default, validation_alias=_alias(mapping.remote))
    for name, info in model.model_fields.items():
        if name not in annotations and info.is_required() and name != "provider":
            raise MappingDeclarationError(f"{model.__name__}.{name} is required but no mapping provides it")
    annotations["provider"] = str
    namespace["provider"] = Field(default=provider, validation_alias=_UNREACHABLE_KEY)
    annotations["remote_data"] = dict[str, Any]
    # No default factory: `_finish` puts the decoded payload there, so a fresh dict per record would be waste.
    namespace["remote_data"] = Field(default=None, validation_alias=_UNREACHABLE_KEY, repr=False)
    namespace["__annotations__"] = annotations
    namespace["model_config"] = ConfigDict(extra="ignore")
    namespace["__module__"] = __name__
    return type(f"{provider.title()}{model.__name__}Parser", (model,), namespace)


@dataclass(frozen=True)
class RecordMapper(Generic[RecordT]):
    """Maps provider payloads onto one canonical model; build it with `compile_mapper`."""

    model: type[RecordT]
    provider: str
    id_field: str
    mappings: tuple[FieldMapping, ...]
    _page_adapter: TypeAdapter[list[Any]]
    _record_adapter: TypeAdapter[Any]

    @property
    def entity(self) -> str:
        """The canonical model's name, e.g. `Candidate`."""
        return self.model.__name__

    def _finish(self, record: RecordT, raw: dict[str, Any]) -> RecordT:
        # Re-label the parser subclass as the canonical class (identical layout) so that records compare,
        # pickle and serialise as canonical records; then keep the decoded payload without copying it.
        object.__setattr__(record, "__class__", self.model)
        record.__dict__["remote_data"] = raw
        record.__pydantic_fields_set__.add("remote_data")
        return record

    def map_one(self, raw: Any, *, context: ProviderContext | None = None) -> RecordT:
        """Map one payload; invalid -> InvalidResponse (a single record is never silently quarantined)."""
        try:
            record = self._record_adapter.validate_python(raw)
        except ValidationError as error:
            raise self._invalid(raw, error) from None
        return self._finish(record, raw)

    def map_page(self, page: Sequence[Any], *, context: ProviderContext | None = None) -> list[RecordT]:
        """Map a page with one validation call; bad records raise or are quarantined per `context.on_invalid`."""
        try:
            records: list[RecordT] = self._page_adapter.validate_python(page)
        except ValidationError:
            return list(self._map_each(page, context))
        model = self.model
        for record, raw in zip(records, page, strict=True):  # `_finish`, inlined: this loop runs per record
            object.__setattr__(record, "__class__", model)
            record.__dict__["remote_data"] = raw
            record.__pydantic_fields_set__.add("remote_data")
        return records

    def _map_each(self, page: Iterable[Any], context: ProviderContext | None) -> Iterable[RecordT]:
        quarantine = context is not None and context.on_invalid == "quarantine"
        for raw in page:
            try:
                record = self._record_adapter.validate_python(raw)
            except ValidationError as error:
                failure = self._invalid(raw, error)
                if not quarantine or context is None:
                    raise failure from None
                context.put_in_quarantine(
                    QuarantinedRecord(self.provider, self.entity, self._id_of(raw), failure.provider_message or "", raw)
                )
                continue
            yield self._finish(record, raw)

    def _id_of(self, raw: Any) -> str | None:
        value = _remote_value(raw, self.id_field)
        return None if value is None or isinstance(value, dict | list) else str(value)[:64]

    def _invalid(self, raw: Any, error: ValidationError) -> InvalidResponse:
        first = error.errors(include_url=False, include_input=False)[0]
        remote = ".".join(str(part) for part in first["loc"])
        canonical = next((m.canonical for m in self.mappings if m.remote == remote), None)
        field = f"field '{remote}' ({self.entity}.{canonical})" if canonical else f"field '{remote or '(record)'}'"
        record_id = self._id_of(raw)
        who = f"{self.entity} {record_id}" if record_id else f"a {self.entity} without a readable id"
        message = f"{who}: {field}: {first['msg']}"
        return InvalidResponse(message)


def compile_mapper(
    model: type[RecordT],
    mappings: Sequence[FieldMapping],
    *,
    provider: str,
    time_zone: ZoneInfo | timezone,
    id_field: str,
    updated_at_field: str | None = None,
) -> RecordMapper[RecordT]:
    """Compile declared mappings into one validator for `model`; MappingDeclarationError on a bad declaration."""
    declared = (
        *mappings,
        FieldMapping(canonical="remote_id", remote=id_field, type=FieldType.ID),
        *(
            [FieldMapping(canonical="updated_at", remote=updated_at_field, type=FieldType.DATETIME)]
            if updated_at_field
            else []
        ),
    )
    _check_declarations(model, declared)
    parser = _parser_class(model, declared, provider=provider, zone=time_zone)
    return RecordMapper(
        model=model,
        provider=provider,
        id_field=id_field,
        mappings=declared,
        _page_adapter=TypeAdapter(list[parser]),  # type: ignore[valid-type]
        _record_adapter=TypeAdapter(parser),
    )
