"""The operation catalog, derived from the hook spec: each `@operation` hookspec read once with `inspect`.

Nothing here is written twice: names, parameters, return types and descriptions come from the
functions in `ats_core.hookspecs`, and group, kind, ids and the reference signature from their
`@operation` metadata. Generators, the CLI, the registry, the typed client, the conformance suite and
the sync engine read this catalog.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ats_core import hookspecs
from ats_core.models import Application, Candidate, Job, Page, Record
from ats_core.operation_spec import OPERATION_ATTRIBUTE, Entity, Group, Kind, OperationOptions

__all__ = [
    "ENTITY_MODELS",
    "OPERATIONS",
    "OPERATION_NAMES",
    "Entity",
    "Group",
    "Kind",
    "Operation",
    "Parameter",
    "ReturnKind",
    "operation",
    "operations_in",
    "operations_of_kind",
    "record_stream_of",
    "stream_page_operation",
]


ENTITY_MODELS: Mapping[Entity, type[Record]] = {
    Entity.CANDIDATE: Candidate,
    Entity.JOB: Job,
    Entity.APPLICATION: Application,
}


class ReturnKind(StrEnum):
    """What an operation returns, in shape (read from its return annotation)."""

    ITERATOR = "iterator"
    PAGE = "page"
    RECORD = "record"
    OPTIONAL_RECORD = "optional_record"
    LIST = "list"
    RESULT = "result"


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation: its name, its annotation as written, and whether None is allowed."""

    name: str
    annotation: str
    optional: bool


@dataclass(frozen=True)
class Operation:
    """One catalog entry: a hookspec and its metadata."""

    name: str
    spec: Callable[..., Any]
    options: OperationOptions
    signature: tuple[Parameter, ...]
    returns: ReturnKind
    model: type
    description: str

    @classmethod
    def from_spec(cls, spec: Callable[..., Any]) -> Operation:
        """Read a hookspec marked with `@operation`."""
        options: OperationOptions = getattr(spec, OPERATION_ATTRIBUTE)
        hints = typing.get_type_hints(spec)
        parameters = tuple(
            Parameter(name, str(p.annotation), _allows_none(hints[name]))
            for name, p in inspect.signature(spec).parameters.items()
        )
        returns, model = _return_shape(hints["return"])
        return cls(spec.__name__, spec, options, parameters, returns, model, inspect.getdoc(spec) or "")

    @property
    def group(self) -> Group:
        """The group pages and checklists file the operation under."""
        return self.options.group

    @property
    def kind(self) -> Kind:
        """What the operation does."""
        return self.options.kind

    @property
    def entity(self) -> Entity | None:
        """The entity the operation serves, if one."""
        return self.options.entity

    @property
    def ids(self) -> Mapping[str, Entity]:
        """Parameters that take record ids (or records), with the entity of each."""
        return self.options.ids

    @property
    def parameters(self) -> tuple[str, ...]:
        """Parameter names, in order."""
        return tuple(p.name for p in self.signature)

    @property
    def return_type(self) -> str:
        """The name of the model the operation returns (or returns items of)."""
        return self.model.__name__

    @property
    def in_reference(self) -> bool:
        """True when the reference system has this operation (False: beyond the reference)."""
        return self.options.reference is not None

    @property
    def reference_signature(self) -> str:
        """The reference system's method with its parameters; `—` for an operation beyond the reference."""
        return self.options.reference or "—"

    @property
    def read_back(self) -> Operation | None:
        """The lookup that shows this write's effect (a write's `read_back`), or None."""
        return None if self.options.read_back is None else operation(self.options.read_back)

    @property
    def reference_name(self) -> str | None:
        """The reference system's method name, or None."""
        return None if self.options.reference is None else self.options.reference.split("(")[0]


def _allows_none(annotation: object) -> bool:
    return type(None) in typing.get_args(annotation)


def _return_shape(annotation: Any) -> tuple[ReturnKind, type]:
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Iterator:
        return ReturnKind.ITERATOR, arguments[0]
    if origin is list:
        return ReturnKind.LIST, arguments[0]
    if isinstance(annotation, type) and issubclass(annotation, Page):
        return ReturnKind.PAGE, annotation.__pydantic_generic_metadata__["args"][0]
    if _allows_none(annotation):
        (model,) = (argument for argument in arguments if argument is not type(None))
        return ReturnKind.OPTIONAL_RECORD, model
    return (ReturnKind.RECORD if issubclass(annotation, Record) else ReturnKind.RESULT), annotation


def _specs() -> Iterator[Callable[..., Any]]:
    for value in list(vars(hookspecs).values()):
        if inspect.isfunction(value) and hasattr(value, OPERATION_ATTRIBUTE):
            yield value


OPERATIONS: tuple[Operation, ...] = tuple(Operation.from_spec(spec) for spec in _specs())
OPERATION_NAMES: tuple[str, ...] = tuple(op.name for op in OPERATIONS)
_BY_NAME = {op.name: op for op in OPERATIONS}


def operation(name: str) -> Operation:
    """The catalog entry for `name`; KeyError names the known operations."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown operation '{name}'; known: {', '.join(OPERATION_NAMES)}") from None


def operations_in(group: Group) -> tuple[Operation, ...]:
    """The operations of one group, in catalog order."""
    return tuple(op for op in OPERATIONS if op.group is group)


def operations_of_kind(kind: Kind) -> tuple[Operation, ...]:
    """The operations of one kind, in catalog order."""
    return tuple(op for op in OPERATIONS if op.kind is kind)


def record_stream_of(page: Operation) -> Operation | None:
    """The record-level stream a page operation of the Streaming group pages through, or None."""
    if page.kind is not Kind.PAGE or page.group is not Group.STREAMING:
        return None
    return next(op for op in OPERATIONS if op.kind is Kind.STREAM and op.entity is page.entity)


def stream_page_operation(entity: Entity) -> Operation:
    """The page operation of an entity's stream (what `ats sync ENTITY` reads)."""
    return next(op for op in OPERATIONS if op.kind is Kind.PAGE and op.group is Group.STREAMING and op.entity is entity)
