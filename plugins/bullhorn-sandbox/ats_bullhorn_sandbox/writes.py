"""Checking a create (PUT) or update (POST) body against the entity model, as Bullhorn does.

Unknown fields and missing mandatory fields are 400s with Bullhorn's `errors` list; to-many fields are
ignored with an ATTEMPT_TO_SET_TO_MANY warning; Timestamps must be epoch-ms numbers; picklist fields the
tenant configures (Note.action, JobSubmission.status) must hold one of its values; to-one values are
`{"id": n}` naming an existing record. Read-only system fields are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.schema import FieldSpec
from ats_bullhorn_sandbox.store import SandboxState

__all__ = ["CheckedWrite", "check_write", "defaults_for"]

_VALIDATED_OPTIONS = {("Note", "action"), ("JobSubmission", "status")}


@dataclass
class CheckedWrite:
    """Field values ready to store, and the warnings to answer with."""

    values: dict[str, Any]
    messages: list[dict[str, Any]] = field(default_factory=list)


def defaults_for(state: SandboxState, entity: str) -> dict[str, Any]:
    """Values a create gets when the body leaves them out (the API user is the default owner)."""
    me = {"id": state.api_user.user_id}
    defaults: dict[str, dict[str, Any]] = {
        "Candidate": {"status": "New Lead", "owner": me, "isDeleted": False},
        "JobOrder": {"status": "Accepting Candidates", "isOpen": True, "owner": me, "isDeleted": False},
        "JobSubmission": {"sendingUser": me, "isHidden": False, "isDeleted": False},
        "Note": {"commentingPerson": me, "isDeleted": False},
        "ClientContact": {"status": "Active", "owner": me, "isDeleted": False},
        "ClientCorporation": {"status": "Active Account"},
    }
    return defaults.get(entity, {})


def _error(entity: str, problems: list[dict[str, Any]], status: int = 400) -> BullhornError:
    return BullhornError(
        status,
        f"error persisting an entity of type: {entity}",
        "errors.cannotPersistEntity",
        errors=problems,
        entityName=entity,
    )


def _problem(name: str | None, kind: str, detail: str) -> dict[str, Any]:
    return {"propertyName": name, "severity": "ERROR", "type": kind, "detailMessage": detail}


def _check_value(state: SandboxState, entity: str, spec: FieldSpec, value: Any, current: Any) -> tuple[Any, str | None]:
    """The value to store, or an error detail."""
    if value is None:
        return None, None
    if spec.kind == "TO_ONE":
        if not isinstance(value, dict) or not isinstance(value.get("id"), int) or isinstance(value.get("id"), bool):
            return None, f'{spec.name} takes {{"id": n}}'
        if spec.target and not state.exists(spec.target, value["id"]):
            return None, f"{spec.target} {value['id']} does not exist"
        return {"id": value["id"]}, None
    if spec.kind == "COMPOSITE":
        if not isinstance(value, dict):
            return None, f"{spec.name} takes an object"
        known = {sub.name for sub in spec.subfields}
        unknown = sorted(set(value) - known)
        if unknown:
            return None, f"{spec.name} has no field(s) {', '.join(unknown)}"
        merged = dict(current) if isinstance(current, dict) else dict.fromkeys(known)
        merged.update(value)
        return merged, None
    data_type = spec.data_type
    if data_type == "String":
        if not isinstance(value, str):
            return None, f"{spec.name} takes a string"
        if spec.max_length is not None and len(value) > spec.max_length:
            return None, f"{spec.name} is longer than {spec.max_length} characters"
        if (entity, spec.name) in _VALIDATED_OPTIONS and spec.options and value not in spec.options:
            return None, f"'{value}' is not a valid value of {spec.name}; valid values: {', '.join(spec.options)}"
        return value, None
    if data_type == "Timestamp":
        if isinstance(value, str):
            return None, "The REST API does not support String values for Timestamps; send epoch milliseconds"
        if not isinstance(value, int) or isinstance(value, bool):
            return None, f"{spec.name} takes epoch milliseconds"
        return value, None
    if data_type == "Boolean":
        if not isinstance(value, bool):
            return None, f"{spec.name} takes true or false"
        return value, None
    if data_type == "Integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return None, f"{spec.name} takes a whole number"
        return value, None
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None, f"{spec.name} takes a number"
    return value, None


def check_write(state: SandboxState, entity: str, body: Any, current: dict[str, Any] | None = None) -> CheckedWrite:
    """Check a create (current=None) or update body; BullhornError(400) lists every problem."""
    spec = state.schema[entity]
    if not isinstance(body, dict):
        raise BullhornError.bad_request("The request body must be a JSON object.", "errors.badJson")
    checked = CheckedWrite({})
    problems: list[dict[str, Any]] = []
    unknown = sorted(name for name in body if spec.get(name) is None)
    if unknown:
        raise BullhornError.bad_request(
            f"Invalid field(s) for entity {entity}: {', '.join(unknown)}",
            "errors.invalidField",
            errors=[_problem(name, "INVALID_FIELD", f"{entity} has no field {name}") for name in unknown],
            entityName=entity,
        )
    for name, value in body.items():
        field_spec = spec.by_name[name]
        if field_spec.kind == "ID" or field_spec.read_only:
            continue
        if field_spec.kind == "TO_MANY":
            checked.messages.append({"propertyName": name, "severity": "WARNING", "type": "ATTEMPT_TO_SET_TO_MANY"})
            continue
        stored, detail = _check_value(state, entity, field_spec, value, (current or {}).get(name))
        if detail is not None:
            kind = "INVALID_ASSOCIATION" if field_spec.kind == "TO_ONE" else "INVALID_VALUE"
            problems.append(_problem(name, kind, detail))
        else:
            checked.values[name] = stored
    if current is None:
        for name, value in defaults_for(state, entity).items():
            checked.values.setdefault(name, value)
        flagged = {problem["propertyName"] for problem in problems}
        for field_spec in spec.fields:
            if field_spec.name in flagged:
                continue
            if field_spec.required and checked.values.get(field_spec.name) in (None, ""):
                problems.append(_problem(field_spec.name, "REQUIRED_FIELD", f"{field_spec.name} is required"))
    else:
        for name, value in checked.values.items():
            if spec.by_name[name].required and value in (None, ""):
                problems.append(_problem(name, "REQUIRED_FIELD", f"{name} cannot be emptied"))
    if problems:
        raise _error(entity, problems)
    return checked
