"""The field type mapper: a provider's declared field mappings compiled into one pydantic validator.

`compile_mapper` turns `(canonical model, FieldMappings)` into a `RecordMapper` once: each canonical
field gets a validation alias (an `AliasPath` for dotted, nested provider fields) and the converter of
its field type as a `BeforeValidator`. A page is mapped by one `validate_python` call over the whole
list, and every record keeps a copy of the decoded provider dict as `remote_data`: a shallow copy (one
`dict()` per record, cheap enough for the per-record budget), so a provider that later sets or removes a
key of its payload does not change records already handed out; nested dicts and lists are shared with
the payload, so a provider that keeps payloads and changes them in place must not mutate nested values.

Records that fail validation come back as `RejectedRecord`s (payload and error, naming the record id and
the field, never the value); the connection's `RejectPolicy` decides whether they raise or are kept.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timezone
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import (
    AliasPath,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    SkipValidation,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from ats_core.errors import InvalidResponse
from ats_core.fields import ExtensionField, FieldMapping, FieldType, MappingTable, converter
from ats_core.models import Record, RejectedRecord
from ats_core.operations import ENTITY_MODELS
from ats_core.shaping import ADDRESS_PARTS, LIST_TARGETS, SHAPE_ERROR, Shaper, is_shaped, staging_key, value_at

__all__ = [
    "MappedPage",
    "MappingDeclarationError",
    "RecordMapper",
    "canonical_value",
    "compile_mapper",
    "compile_table",
    "typed_extensions",
]

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
    FieldType.HTML: str,
}
"""What each converter returns (besides None), where it is exactly one type."""
TEXT_TYPES = frozenset(field_type for field_type, produced in _CONVERTER_RESULT.items() if produced is str)
"""Field types whose values are text: what list items and address parts hold."""


_FACTORIES: dict[str, Any] = {"emails": list, "phone_numbers": list, "addresses": list, "extensions": dict}


class MappingDeclarationError(ValueError):
    """A provider's field mappings do not fit the canonical model (a programming error, caught at import)."""


def _alias(remote: str) -> str | AliasPath:
    parts = remote.split(".")
    return parts[0] if len(parts) == 1 else AliasPath(*parts)


def _validated_annotation(
    model: type[Record], field: str, field_type: FieldType, zone: ZoneInfo | timezone, null_dates: Collection[date]
) -> Any:
    info = model.model_fields[field]
    annotation = info.annotation
    convert = converter(field_type, time_zone=zone, null_dates=null_dates)
    produced = _CONVERTER_RESULT.get(field_type)
    if produced is not None and not info.metadata and annotation == (produced | None):
        # The converter already returns exactly `produced | None`: re-validating its result would only cost time.
        return Annotated[annotation, PlainValidator(convert)]
    return Annotated[annotation, BeforeValidator(convert)]


def _check_declarations(
    model: type[Record], mappings: Sequence[FieldMapping], extensions: Sequence[ExtensionField]
) -> None:
    seen: set[str] = set()
    for mapping in mappings:
        target, key = mapping.canonical, mapping.canonical
        if target.startswith("address."):
            target, part = "addresses", target.removeprefix("address.")
            if part not in ADDRESS_PARTS:
                raise MappingDeclarationError(f"address part '{part}' is none of {', '.join(sorted(ADDRESS_PARTS))}")
            key = f"{mapping.canonical}[{mapping.label}]" + (f"<{mapping.remote}>" if part == "lines" else "")
        elif target in LIST_TARGETS:
            key = f"{target}<{mapping.remote}>"
        if target not in model.model_fields:
            raise MappingDeclarationError(f"{model.__name__} has no field '{target}' (mapped from {mapping.remote})")
        if target in (*LIST_TARGETS, "addresses") and mapping.type not in TEXT_TYPES:
            raise MappingDeclarationError(
                f"{model.__name__}.{mapping.canonical} holds text; {mapping.remote} is declared {mapping.type.value}"
            )
        if target in _RESERVED or key in seen:
            raise MappingDeclarationError(f"{model.__name__}.{mapping.canonical} is reserved or mapped twice")
        seen.add(key)
    names = [extension.name for extension in extensions]
    if len(set(names)) != len(names):
        raise MappingDeclarationError(f"{model.__name__}: extension names repeat: {sorted(names)}")


def _parser_class(
    model: type[RecordT],
    mappings: Sequence[FieldMapping],
    *,
    provider: str,
    zone: ZoneInfo | timezone,
    null_dates: Collection[date],
    extensions: Sequence[ExtensionField],
) -> type[RecordT]:
    """A layout-identical subclass of `model` whose fields read the provider's names and convert their values."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    shaper = Shaper.of(mappings, extensions, zone=zone, null_dates=null_dates)
    for mapping in mappings:
        if mapping.canonical in LIST_TARGETS or mapping.canonical.startswith("address."):
            continue  # shaped into the list fields below
        annotations[mapping.canonical] = _validated_annotation(model, mapping.canonical, mapping.type, zone, null_dates)
        default = ... if mapping.canonical == "remote_id" else None
        alias = staging_key(mapping.canonical) if is_shaped(mapping) else _alias(mapping.remote)
        namespace[mapping.canonical] = Field(default=default, validation_alias=alias)
    shaped_targets = [*shaper.lists, *(["addresses"] if shaper.addresses else [])]
    shaped_targets += ["extensions"] if extensions else []
    for target in shaped_targets:  # finished by the shaper (converted, items built): not validated again
        annotations[target] = SkipValidation[model.model_fields[target].annotation]  # type: ignore[misc]  # a run-time type
        namespace[target] = Field(default_factory=_FACTORIES[target], validation_alias=staging_key(target))
    if shaper.active:

        def ats_shape_input(data: Any) -> Any:
            return shaper(data)

        namespace["ats_shape_input"] = model_validator(mode="before")(ats_shape_input)
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
class MappedPage(Generic[RecordT]):
    """The records a page mapped to, and the payloads that did not validate."""

    records: list[RecordT]
    rejected: list[RejectedRecord]


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
        # pickle and serialise as canonical records; then keep a shallow copy of the decoded payload.
        object.__setattr__(record, "__class__", self.model)
        record.__dict__["remote_data"] = dict(raw)
        record.__pydantic_fields_set__.add("remote_data")
        return record

    def map_one(self, raw: Any) -> RecordT:
        """Map one payload; invalid -> InvalidResponse naming the record and field (never the value)."""
        try:
            record = self._record_adapter.validate_python(raw)
        except ValidationError as error:
            raise InvalidResponse(self._problem(raw, error)) from None
        return self._finish(record, raw)

    def map_page(self, page: Sequence[Any]) -> MappedPage[RecordT]:
        """Map a page with one validation call; records that do not validate come back as rejected, with payloads."""
        try:
            records: list[RecordT] = self._page_adapter.validate_python(page)
        except ValidationError:
            return self._map_each(page)
        model = self.model
        for record, raw in zip(records, page, strict=True):  # `_finish`, inlined: this loop runs per record
            object.__setattr__(record, "__class__", model)
            record.__dict__["remote_data"] = dict(raw)
            record.__pydantic_fields_set__.add("remote_data")
        return MappedPage(records, [])

    def _map_each(self, page: Iterable[Any]) -> MappedPage[RecordT]:
        mapped: MappedPage[RecordT] = MappedPage([], [])
        for raw in page:
            try:
                record = self._record_adapter.validate_python(raw)
            except ValidationError as error:
                mapped.rejected.append(self.rejected(raw, self._problem(raw, error)))
                continue
            mapped.records.append(self._finish(record, raw))
        return mapped

    def rejected(self, raw: Any, problem: str) -> RejectedRecord:
        """A payload of this entity refused for `problem`, kept whole."""
        return RejectedRecord(
            provider=self.provider, entity=self.entity, remote_id=self._id_of(raw), error=problem, remote_data=raw
        )

    def _id_of(self, raw: Any) -> str | None:
        value = value_at(raw, self.id_field)
        return None if value is None or isinstance(value, dict | list) else str(value)[:64]

    def _problem(self, raw: Any, error: ValidationError) -> str:
        first = error.errors(include_url=False, include_input=False)[0]
        context = first.get("ctx") or {}
        if first["type"] == SHAPE_ERROR:
            source, target = str(context["remote"]), str(context["canonical"])
            return f"{self._who(raw)}: field '{source}' ({self.entity}.{target}): {context['problem']}"
        loc = [str(part) for part in first["loc"]]
        staged = loc[0].removeprefix(staging_key("")) if loc and loc[0].startswith(staging_key("")) else None
        if staged is not None:
            declared = [m.remote for m in self.mappings if m.canonical.split(".")[0] in (staged, "address")]
            sources = "/".join(declared) or staged
            return f"{self._who(raw)}: field '{sources}' ({self.entity}.{staged}): {first['msg']}"
        remote = ".".join(loc)
        canonical = next((m.canonical for m in self.mappings if m.remote == remote), None)
        field = f"field '{remote}' ({self.entity}.{canonical})" if canonical else f"field '{remote or '(record)'}'"
        return f"{self._who(raw)}: {field}: {first['msg']}"

    def _who(self, raw: Any) -> str:
        record_id = self._id_of(raw)
        return f"{self.entity} {record_id}" if record_id else f"a {self.entity} without a readable id"


def compile_mapper(
    model: type[RecordT],
    mappings: Sequence[FieldMapping],
    *,
    provider: str,
    time_zone: ZoneInfo | timezone,
    id_field: str,
    updated_at_field: str | None = None,
    null_dates: Collection[date] = (),
    extensions: Sequence[ExtensionField] = (),
    updated_at_type: FieldType = FieldType.DATETIME,
) -> RecordMapper[RecordT]:
    """Compile declared mappings into one validator for `model`; MappingDeclarationError on a bad declaration."""
    declared = (
        *mappings,
        FieldMapping(canonical="remote_id", remote=id_field, type=FieldType.ID),
        *(
            [FieldMapping(canonical="updated_at", remote=updated_at_field, type=updated_at_type)]
            if updated_at_field
            else []
        ),
    )
    _check_declarations(model, declared, extensions)
    parser = _parser_class(
        model, declared, provider=provider, zone=time_zone, null_dates=null_dates, extensions=extensions
    )
    return RecordMapper(
        model=model,
        provider=provider,
        id_field=id_field,
        mappings=declared,
        _page_adapter=TypeAdapter(list[parser]),  # type: ignore[valid-type]  # parser: a class made at run time
        _record_adapter=TypeAdapter(parser),
    )


def compile_table(
    table: MappingTable,
    *,
    provider: str,
    time_zone: ZoneInfo | timezone,
    null_dates: Collection[date] = (),
    model: type[RecordT] | None = None,
) -> RecordMapper[Any]:
    """Compile a declared mapping table onto its entity's model (or `model`, a subclass such as EnhancedJob)."""
    target: type[Record] = model or ENTITY_MODELS[table.entity]
    return compile_mapper(
        target,
        table.fields,
        provider=provider,
        time_zone=time_zone,
        id_field=table.id_field,
        updated_at_field=table.updated_at_field,
        updated_at_type=table.updated_at_type,
        null_dates=null_dates,
        extensions=table.extensions,
    )


def canonical_value(record: Record, canonical: str) -> Any:
    """What a mapping's canonical target holds on a record: a field, a list field, or an address part of any address.

    None (or an empty list) when the mapping produced nothing, so checks can ask "was this mapping filled?".
    """
    if canonical.startswith("address."):
        part = canonical.removeprefix("address.")
        values = [getattr(address, part) for address in getattr(record, "addresses", [])]
        return [value for value in values if value not in (None, [])] or None
    if canonical.startswith("extensions."):
        return record.extensions.get(canonical.removeprefix("extensions."))
    value = getattr(record, canonical, None)
    return value or None if isinstance(value, list) else value


def typed_extensions(table: MappingTable, extensions: Mapping[str, Any]) -> dict[str, Any]:
    """Extension values read back from JSON, typed again by the table's declarations (undeclared ones as they are).

    JSON keeps a date as text and a Decimal as a string; each converter accepts the JSON form of its own
    output, so `typed_extensions(table, loaded.extensions)` equals the extensions the mapper produced.
    """
    declared = {extension.name: converter(extension.type) for extension in table.extensions}
    return {name: declared[name](value) if name in declared else value for name, value in extensions.items()}
