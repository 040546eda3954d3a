"""The `@operation` marker: a pluggy hookspec that carries its catalog metadata on the function.

pluggy keeps a hookspec's options on the function (`HookspecOpts`); `operation()` does the same for what
the rest of ats-core needs to know about an operation: its group, its kind, the entity it serves, which
parameters are record ids, and the reference system's signature (None: an operation beyond the reference).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

import pluggy

__all__ = [
    "OPERATION_ATTRIBUTE",
    "PROJECT_NAME",
    "Entity",
    "Group",
    "Kind",
    "OperationOptions",
    "hookimpl",
    "hookspec",
    "operation",
]

PROJECT_NAME = "ats_core"
OPERATION_ATTRIBUTE = f"{PROJECT_NAME}_operation"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

FunctionT = TypeVar("FunctionT", bound=Callable[..., object])


class Group(StrEnum):
    """Operation groups, in the order pages and checklists show them."""

    STREAMING = "Streaming"
    APPLICATION_MANAGEMENT = "Application Management"
    JOB_MANAGEMENT = "Job Management"
    CANDIDATE_MANAGEMENT = "Candidate Management"
    NOTES_AND_ATTACHMENTS = "Notes & Attachments"
    CUSTOM_FIELDS = "Custom Fields"
    CHANGE_FEED = "Change Feed"
    PASSTHROUGH = "Passthrough"


class Kind(StrEnum):
    """What an operation does, which decides how the client checks it and the suite tests it."""

    STREAM = "stream"  # every record of an entity, lazily
    PAGE = "page"  # one page of records and the cursor of the next
    LOOKUP = "lookup"  # what the ATS holds for one record id
    SEARCH = "search"  # records matching details
    LIST = "list"  # a tenant-wide list (stages, reasons, field definitions)
    WRITE = "write"  # a change in the ATS
    CHANGE_FEED = "change_feed"  # webhook subscriptions and change events (push or pull)
    PASSTHROUGH = "passthrough"  # a request to the ATS's own API, answered as data


class Entity(StrEnum):
    """The record kinds operations serve; a stream's name is the plural (`candidates`)."""

    CANDIDATE = "candidate"
    JOB = "job"
    APPLICATION = "application"

    @property
    def stream(self) -> str:
        """The stream name of the entity, e.g. `candidates` (the `ats sync` argument)."""
        return f"{self.value}s"


@dataclass(frozen=True)
class OperationOptions:
    """The metadata `@operation` keeps on a hookspec."""

    group: Group
    kind: Kind
    entity: Entity | None = None
    ids: Mapping[str, Entity] = field(default_factory=dict)
    one_of: tuple[str, ...] = ()
    reference: str | None = None
    read_back: str | None = None
    """For a write: the operation that reads its effect back (e.g. the notes of the record written to)."""


def operation(
    group: Group,
    kind: Kind,
    *,
    reference: str | None,
    entity: Entity | None = None,
    ids: Mapping[str, Entity] | None = None,
    one_of: tuple[str, ...] = (),
    read_back: str | None = None,
) -> Callable[[FunctionT], FunctionT]:
    """Declare a hookspec as a catalog operation (`firstresult`: one provider answers per connection).

    `reference` is the reference system's signature, or None for an operation beyond it; `ids` names the
    parameters that take record ids (or records) and of which entity; `one_of` lists parameters of which a
    call must give at least one; `read_back` names the operation that shows a write's effect.
    """
    options = OperationOptions(group, kind, entity, dict(ids or {}), one_of, reference, read_back)

    def mark(function: FunctionT) -> FunctionT:
        setattr(function, OPERATION_ATTRIBUTE, options)
        marked: FunctionT = hookspec(firstresult=True)(function)
        return marked

    return mark
