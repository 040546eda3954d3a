"""Each declared field mapping exercised on the records a stream returned: where the payload holds a value at
the mapping's path, the record must hold something at the mapping's target."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from ats_core.fields import ExtensionField, FieldMapping, FieldType, MappingTable
from ats_core.mapping import canonical_value
from ats_core.models import Record
from ats_core.shaping import LIST_TARGETS, value_at

__all__ = ["mapping_problems"]


def _present(payload: Any, mapping: FieldMapping | ExtensionField, null_dates: Collection[date]) -> bool:
    """The payload holds a value the mapping reads: at its path or a fallback, not blank, not a declared null
    (a `null_values` text, or for dates one of the manifest's `null_dates`)."""
    paths = (mapping.remote, *getattr(mapping, "fallbacks", ()))
    nulls = set(getattr(mapping, "null_values", ()))
    if mapping.type in (FieldType.DATE, FieldType.DATETIME):
        nulls |= {d.isoformat() for d in null_dates}
    for path in paths:
        value = value_at(payload, path)
        if value is None or value in ([], {}):
            continue
        text = value.strip() if isinstance(value, str) else None
        if text is not None and (not text or text in nulls or text[:10] in nulls):
            continue
        return True
    return False


def _produced(record: Record, target: str, label: str | None) -> bool:
    """The record holds something at `target` (for a labelled list item or address part: one of that label)."""
    if label is not None and target in LIST_TARGETS:
        return any(item.type == label for item in getattr(record, target))
    if label is not None and target.startswith("address."):
        part = target.removeprefix("address.")
        return any(a.type == label and getattr(a, part) not in (None, []) for a in getattr(record, "addresses", []))
    return canonical_value(record, target) is not None


def mapping_problems(
    table: MappingTable,
    records: Sequence[Record],
    *,
    null_dates: Collection[date] = (),
    unexercised: Mapping[str, str] | None = None,
) -> list[str]:
    """Per mapping: its payload path never holds a value in `records`, or holds one its target never shows.

    A mapping named in `unexercised` ('table: target <- path', with the reason the fixtures never fill it) may
    hold no value; where it does, it is checked like the others.
    """
    declared: list[tuple[str, FieldMapping | ExtensionField, str | None]] = [
        (m.canonical, m, m.label) for m in table.fields
    ]
    declared += [(f"extensions.{x.name}", x, None) for x in table.extensions]
    problems = []
    for target, mapping, label in declared:
        where = f"{table.name}: {target} <- {mapping.remote}"
        holding = [r for r in records if _present(r.remote_data, mapping, null_dates)]
        if not holding and where in (unexercised or {}):
            continue
        if not holding:
            problems.append(f"{where}: no payload of {len(records)} records holds a value at that path")
        elif not any(_produced(r, target, label) for r in holding):
            ids = [r.remote_id for r in holding[:5]]
            problems.append(f"{where}: the payloads of records {ids} hold a value, but {target} stays empty")
    return problems
