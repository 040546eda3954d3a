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
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_core import PydanticCustomError

from ats_core.fields import ExtensionField, FieldMapping, FieldValueError, converter

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


@dataclass
class Shaper:
    """Builds, for one mapping table, the shaped values of a payload; call it as a before-validator."""

    zone: ZoneInfo | timezone
    null_dates: Collection[date]
    lists: dict[str, list[tuple[FieldMapping, Callable[[Any], Any]]]] = field(default_factory=dict)
    addresses: dict[str | None, list[tuple[str, FieldMapping, Callable[[Any], Any]]]] = field(default_factory=dict)
    choices: list[FieldMapping] = field(default_factory=list)
    extensions: list[tuple[ExtensionField, Callable[[Any], Any]]] = field(default_factory=list)

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
                shaper.lists.setdefault(mapping.canonical, []).append((mapping, convert))
            elif mapping.canonical.startswith("address."):
                part = mapping.canonical.removeprefix("address.")
                shaper.addresses.setdefault(mapping.label, []).append((part, mapping, convert))
            elif is_shaped(mapping):
                shaper.choices.append(mapping)
        for extension in extensions:
            shaper.extensions.append((extension, converter(extension.type, time_zone=zone, null_dates=null_dates)))
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
        for target, declared in self.lists.items():
            items: list[dict[str, Any]] = []
            for mapping, convert in declared:
                value = _convert(convert, value_at(data, mapping.remote), mapping, target)
                if value is not None:
                    items.append({"value": value, "type": mapping.label, "primary": not items})
            shaped[staging_key(target)] = items
        if self.addresses:
            shaped[staging_key("addresses")] = self._addresses(data)
        for mapping in self.choices:
            shaped[staging_key(mapping.canonical)] = self._first_present(data, mapping)
        if self.extensions:
            shaped[staging_key("extensions")] = {
                extension.name: _convert(
                    convert, value_at(data, extension.remote), extension, f"extensions.{extension.name}"
                )
                for extension, convert in self.extensions
            }
        return shaped

    def _addresses(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        addresses: list[dict[str, Any]] = []
        for label, parts in self.addresses.items():
            address: dict[str, Any] = {"type": label, "lines": []}
            for part, mapping, convert in parts:
                value = _convert(convert, value_at(data, mapping.remote), mapping, f"address.{part}")
                if part == "lines":
                    if value is not None:
                        address["lines"].append(value)
                else:
                    address[part] = value
            if address["lines"] or any(address.get(part) is not None for part in ADDRESS_PARTS - {"lines"}):
                address["primary"] = not addresses
                addresses.append(address)
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
