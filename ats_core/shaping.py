"""Mappings that take more than one payload field: list items, addresses, fallbacks and extensions.

Most declared mappings compile into a validation alias that pydantic reads in Rust. The rest are shaped
here, once per record, before validation: typed emails and phone numbers (one item per mapping, the
first present one primary), addresses (the parts of one `label` form one address), values with
fallbacks or null values (the first present of `remote` and its `fallbacks`), and provider extensions.
Values are converted here by their field type; a value that does not convert fails the record with a
`PydanticCustomError` naming the payload field and the canonical target (never the value).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from ats_core.fields import ExtensionField, FieldMapping, FieldValueError, converter
from ats_core.models import Address, EmailAddress, PhoneNumber

__all__ = [
    "ADDRESS_PARTS",
    "LIST_TARGETS",
    "SHAPE_ERROR",
    "Shaper",
    "is_shaped",
    "staging_key",
    "value_at",
]

LIST_TARGETS = frozenset({"emails", "phone_numbers"})
"""Canonical list fields whose items (`value`, `type`, `primary`) are one mapping each."""
ADDRESS_PARTS = frozenset({"lines", "city", "region", "postal_code", "country_code"})
ModelT = TypeVar("ModelT", bound=BaseModel)
SHAPE_ERROR = "ats_field"
"""The error type of a shaped value that did not convert; its context names `remote` and `canonical`."""
_PREFIX = "\x00ats:"


def staging_key(target: str) -> str:
    """The key a shaped value is put under in the payload copy pydantic validates (no payload has it)."""
    return _PREFIX + target


def is_shaped(mapping: FieldMapping) -> bool:
    """True when the mapping needs shaping (it is not one payload field into one canonical field)."""
    return (
        mapping.canonical in LIST_TARGETS
        or mapping.canonical.startswith("address.")
        or bool(mapping.fallbacks)
        or bool(mapping.null_values)
    )


def value_at(raw: Any, remote: str) -> Any:
    """The payload's value at a dotted path (`address.city`); None where any part is missing."""
    value = raw
    for part in remote.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _absent(value: Any, null_values: Collection[str] = ()) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return not text or text in null_values
    return False


@dataclass(frozen=True)
class _Read:
    """One declared payload field: where it is, how it converts, and the canonical target errors name."""

    path: tuple[str, ...]
    convert: Callable[[Any], Any]
    declared: FieldMapping | ExtensionField
    target: str

    @classmethod
    def of(cls, declared: FieldMapping | ExtensionField, convert: Callable[[Any], Any], target: str) -> _Read:
        return cls(tuple(declared.remote.split(".")), convert, declared, target)

    def __call__(self, data: dict[str, Any]) -> Any:
        path = self.path
        value = data.get(path[0]) if len(path) == 1 else value_at(data, self.declared.remote)
        return _convert(self.convert, value, self.declared, self.target)


def _instance(model: type[ModelT], values: dict[str, Any]) -> ModelT:
    """A model instance from values the shaper converted already (every field given): no second validation."""
    built = model.__new__(model)
    object.__setattr__(built, "__dict__", values)
    object.__setattr__(built, "__pydantic_fields_set__", set(values))
    object.__setattr__(built, "__pydantic_extra__", None)
    object.__setattr__(built, "__pydantic_private__", None)
    return built


_ITEM_MODELS: dict[str, type[EmailAddress] | type[PhoneNumber]] = {"emails": EmailAddress, "phone_numbers": PhoneNumber}
_ADDRESS_FIELDS = tuple(Address.model_fields)


@dataclass
class Shaper:
    """Builds, for one mapping table, the shaped values of a payload; call it as a before-validator.

    List items, addresses and extensions come out as finished values (converted here, instances built
    without a second validation); values with fallbacks come out raw, for their field's own converter.
    """

    zone: ZoneInfo | timezone
    null_dates: Collection[date]
    lists: dict[str, list[tuple[str | None, _Read]]] = field(default_factory=dict)
    addresses: dict[str | None, list[tuple[str, _Read]]] = field(default_factory=dict)
    choices: list[FieldMapping] = field(default_factory=list)
    extensions: list[tuple[str, _Read]] = field(default_factory=list)
    _keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        mappings: Sequence[FieldMapping],
        extensions: Sequence[ExtensionField],
        *,
        zone: ZoneInfo | timezone,
        null_dates: Collection[date],
    ) -> Shaper:
        """The shaper of these declarations (empty when none needs shaping)."""
        shaper = cls(zone, null_dates)
        for mapping in mappings:
            convert = converter(mapping.type, time_zone=zone, null_dates=null_dates)
            if mapping.canonical in LIST_TARGETS:
                read = _Read.of(mapping, convert, mapping.canonical)
                shaper.lists.setdefault(mapping.canonical, []).append((mapping.label, read))
            elif mapping.canonical.startswith("address."):
                part = mapping.canonical.removeprefix("address.")
                shaper.addresses.setdefault(mapping.label, []).append(
                    (part, _Read.of(mapping, convert, mapping.canonical))
                )
            elif is_shaped(mapping):
                shaper.choices.append(mapping)
        for extension in extensions:
            convert = converter(extension.type, time_zone=zone, null_dates=null_dates)
            shaper.extensions.append((extension.name, _Read.of(extension, convert, f"extensions.{extension.name}")))
        targets = [*shaper.lists, "addresses", "extensions", *(mapping.canonical for mapping in shaper.choices)]
        shaper._keys = {target: staging_key(target) for target in targets}
        return shaper

    @property
    def active(self) -> bool:
        """True when any declaration needs shaping."""
        return bool(self.lists or self.addresses or self.choices or self.extensions)

    def __call__(self, data: Any) -> Any:
        """A copy of the payload with the shaped values added under staging keys (the payload is not changed)."""
        if not isinstance(data, dict):
            return data
        shaped = dict(data)
        keys = self._keys
        for target, declared in self.lists.items():
            model = _ITEM_MODELS[target]
            items: list[Any] = []
            for label, read in declared:
                value = read(data)
                if value is not None:
                    items.append(_instance(model, {"value": value, "type": label, "primary": not items}))
            shaped[keys[target]] = items
        if self.addresses:
            shaped[keys["addresses"]] = self._addresses(data)
        for mapping in self.choices:
            shaped[keys[mapping.canonical]] = self._first_present(data, mapping)
        if self.extensions:
            shaped[keys["extensions"]] = {name: read(data) for name, read in self.extensions}
        return shaped

    def _addresses(self, data: dict[str, Any]) -> list[Address]:
        addresses: list[Address] = []
        for label, parts in self.addresses.items():
            values: dict[str, Any] = dict.fromkeys(_ADDRESS_FIELDS)
            values["lines"] = lines = []
            found = False
            for part, read in parts:
                value = read(data)
                if value is None:
                    continue
                found = True
                if part == "lines":
                    lines.append(value)
                else:
                    values[part] = value
            if found:
                values["type"], values["primary"] = label, not addresses
                addresses.append(_instance(Address, values))
        return addresses

    @staticmethod
    def _first_present(data: dict[str, Any], mapping: FieldMapping) -> Any:
        for remote in (mapping.remote, *mapping.fallbacks):
            value = value_at(data, remote)
            if not _absent(value, mapping.null_values):
                return value
        return None


def _convert(convert: Callable[[Any], Any], value: Any, declared: FieldMapping | ExtensionField, target: str) -> Any:
    try:
        return convert(value)
    except FieldValueError as error:
        raise PydanticCustomError(
            SHAPE_ERROR, "{problem}", {"problem": str(error), "remote": declared.remote, "canonical": target}
        ) from None
