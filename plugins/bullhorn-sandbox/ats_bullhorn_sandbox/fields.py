"""The `fields=` parameter: parsed against the entity model, then applied to stored records.

Syntax: `id,name,address(city,zip),owner(firstName),submissions[3](status){status='Placed'}`. `id` is
always returned; a to-one comes back as `{"id", ...default sub-fields}` (plus `_subtype` for a person)
or null; a to-many as `{"total": N, "data": [...]}` holding at most `[n]` items (default 5, at most 10),
soft-deleted ones left out. To-many fields may appear at the top level only. `fields=*` is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.jpql import parse_where
from ats_bullhorn_sandbox.predicates import Predicate, evaluate
from ats_bullhorn_sandbox.schema import EntitySpec, FieldSpec, Schema
from ats_bullhorn_sandbox.store import RowView, SandboxState

__all__ = ["DEFAULT_TO_MANY", "MAX_TO_MANY", "Selection", "parse_fields", "project"]

DEFAULT_TO_MANY = 5
MAX_TO_MANY = 10


@dataclass(frozen=True)
class Selection:
    """One requested field, with its sub-fields, to-many count and to-many filter."""

    name: str
    children: tuple[Selection, ...] | None = None
    count: int | None = None
    where: Predicate | None = None


def _split(text: str) -> list[str]:
    """Split on commas that are not inside (), [] or {}."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                raise BullhornError.bad_request(f"Unbalanced brackets in fields: {text}", "errors.badFields")
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if depth != 0:
        raise BullhornError.bad_request(f"Unbalanced brackets in fields: {text}", "errors.badFields")
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _closing(text: str, start: int, opening: str, closing: str) -> int:
    depth = 0
    for position in range(start, len(text)):
        if text[position] == opening:
            depth += 1
        elif text[position] == closing:
            depth -= 1
            if depth == 0:
                return position
    raise BullhornError.bad_request(f"Unbalanced brackets in fields: {text}", "errors.badFields")


def parse_fields(text: str, schema: Schema, entity: EntitySpec, *, top_level: bool = True) -> tuple[Selection, ...]:
    """Parse and check a `fields` value; 400 for `*`, unknown fields, or to-many below the top level."""
    selections = []
    for item in _split(text):
        if item == "*":
            raise BullhornError(400, "You are not authorized to request all fields.", "errors.allFieldsNotAllowed")
        name_end = next((i for i, char in enumerate(item) if char in "([{"), len(item))
        name, rest = item[:name_end].strip(), item[name_end:]
        spec = entity.get(name)
        if spec is None:
            raise BullhornError.bad_field(entity.name, name)
        count: int | None = None
        children_text: str | None = None
        where_text: str | None = None
        while rest:
            opening = rest[0]
            closing_char = {"(": ")", "[": "]", "{": "}"}[opening]
            end = _closing(rest, 0, opening, closing_char)
            inner, rest = rest[1:end], rest[end + 1 :].strip()
            if opening == "[":
                if not inner.strip().isdigit():
                    raise BullhornError.bad_request(f"Bad to-many count in fields: {item}", "errors.badFields")
                count = int(inner)
            elif opening == "(":
                children_text = inner
            else:
                where_text = inner
        if spec.kind == "TO_MANY" and not top_level:
            raise BullhornError.bad_request(
                f"To-many field '{name}' can only appear at the top level of fields.", "errors.badFields"
            )
        if (count is not None or where_text is not None) and spec.kind != "TO_MANY":
            raise BullhornError.bad_request(
                f"'{name}' is not a to-many field: [count] and {{where}} need one.", "errors.badFields"
            )
        children = _children(schema, spec, children_text)
        where = None
        if where_text is not None and spec.target:
            where = parse_where(where_text, schema, schema[spec.target])
        selections.append(Selection(name, children, count, where))
    return tuple(selections)


def _children(schema: Schema, spec: FieldSpec, text: str | None) -> tuple[Selection, ...] | None:
    if text is None:
        return None
    if text.strip() == "*":
        raise BullhornError(400, "You are not authorized to request all fields.", "errors.allFieldsNotAllowed")
    if spec.kind == "COMPOSITE":
        known = {sub.name for sub in spec.subfields}
        names = _split(text)
        for name in names:
            if name not in known:
                raise BullhornError.bad_field(spec.name, name)
        return tuple(Selection(name) for name in names)
    if spec.target is None:
        raise BullhornError.bad_request(f"'{spec.name}' has no sub-fields.", "errors.badFields")
    return parse_fields(text, schema, schema[spec.target], top_level=False)


def project(
    state: SandboxState, entity: str, record: dict[str, Any], selections: tuple[Selection, ...]
) -> dict[str, Any]:
    """The answer form of `record` with the selected fields, `id` first."""
    spec = state.schema[entity]
    out: dict[str, Any] = {"id": record.get("id")}
    for selection in selections:
        field = spec.by_name[selection.name]
        value = record.get(selection.name)
        if field.kind == "TO_ONE":
            out[selection.name] = _to_one(state, field, value, selection.children)
        elif field.kind == "TO_MANY":
            out[selection.name] = _to_many(state, entity, int(record["id"]), field, selection)
        elif field.kind == "COMPOSITE" and selection.children is not None and isinstance(value, dict):
            out[selection.name] = {child.name: value.get(child.name) for child in selection.children}
        else:
            out[selection.name] = dict(value) if isinstance(value, dict) else value
    return out


def _to_one(
    state: SandboxState, field: FieldSpec, value: Any, children: tuple[Selection, ...] | None
) -> dict[str, Any] | None:
    if not isinstance(value, dict) or value.get("id") is None or field.target is None:
        return None
    target = state.get(field.target, int(value["id"]))
    if target is None:
        return {"id": value["id"]}
    if children is None:
        children = tuple(Selection(name) for name in field.ref_fields)
    out = project(state, field.target, target, children)
    if field.person:
        out = {"id": out.pop("id"), "_subtype": field.target, **out}
    return out


def _to_many(
    state: SandboxState, entity: str, record_id: int, field: FieldSpec, selection: Selection
) -> dict[str, Any]:
    target = field.target or ""
    items = []
    for item_id in state.to_many(entity, record_id, field.name):
        item = state.get(target, item_id)
        if item is None or item.get("isDeleted"):
            continue
        if selection.where is not None and not evaluate(selection.where, RowView(state, target, item_id, None)):
            continue
        items.append(item)
    limit = min(MAX_TO_MANY, DEFAULT_TO_MANY if selection.count is None else selection.count)
    children = selection.children or ()
    return {"total": len(items), "data": [project(state, target, item, children) for item in items[:limit]]}
