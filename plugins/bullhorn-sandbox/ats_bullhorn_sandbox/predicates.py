"""Predicate trees shared by the JPQL (`query`) and Lucene (`search`) parsers, and their evaluation.

A predicate reads a row through `Row`: a value at a dotted path, or the ids of a to-many field. The
planner reads the same tree to narrow a scan to an id range or id set before any record is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "And",
    "Compare",
    "Custom",
    "InList",
    "IsEmpty",
    "IsNull",
    "MemberOf",
    "Not",
    "Or",
    "Predicate",
    "Row",
    "all_of",
    "any_of",
    "compare_values",
    "evaluate",
]


class Row(Protocol):
    """A record as predicates see it."""

    def value(self, path: tuple[str, ...]) -> Any: ...

    def to_many_ids(self, field: str) -> list[int]: ...


@dataclass(frozen=True)
class Compare:
    path: tuple[str, ...]
    op: str  # one of = <> < <= > >=
    value: Any


@dataclass(frozen=True)
class InList:
    path: tuple[str, ...]
    values: tuple[Any, ...]
    negated: bool = False


@dataclass(frozen=True)
class IsNull:
    path: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class IsEmpty:
    field: str
    negated: bool = False


@dataclass(frozen=True)
class MemberOf:
    value: int
    field: str
    negated: bool = False


@dataclass(frozen=True)
class Custom:
    """A Lucene term with its own matching rule (analysed text, phone digits, prefix wildcards)."""

    path: tuple[str, ...]
    test: Callable[[Any], bool]
    description: str
    hint: tuple[str, str] | None = None  # ("email", value) or ("phone", digits): lets the planner look up ids


@dataclass(frozen=True)
class And:
    items: tuple[Predicate, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Predicate, ...]


@dataclass(frozen=True)
class Not:
    item: Predicate


Predicate = Compare | InList | IsNull | IsEmpty | MemberOf | Custom | And | Or | Not


def _comparable(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def compare_values(left: Any, op: str, right: Any) -> bool:
    """SQL-like comparison: anything compared with NULL is false; strings compare case-insensitively."""
    if left is None or right is None:
        return False
    if isinstance(left, dict) and "id" in left:
        left = left["id"]
    left, right = _comparable(left), _comparable(right)
    try:
        if op == "=":
            return bool(left == right)
        if op == "<>":
            return bool(left != right)
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        if op == ">=":
            return bool(left >= right)
    except TypeError:
        return False
    raise ValueError(f"unknown comparison operator {op!r}")


def evaluate(predicate: Predicate, row: Row) -> bool:
    """Whether `row` satisfies `predicate`."""
    if isinstance(predicate, Compare):
        return compare_values(row.value(predicate.path), predicate.op, predicate.value)
    if isinstance(predicate, InList):
        value = row.value(predicate.path)
        found = value is not None and any(compare_values(value, "=", item) for item in predicate.values)
        return found != predicate.negated if value is not None else False
    if isinstance(predicate, IsNull):
        return (row.value(predicate.path) is None) != predicate.negated
    if isinstance(predicate, IsEmpty):
        return (not row.to_many_ids(predicate.field)) != predicate.negated
    if isinstance(predicate, MemberOf):
        return (predicate.value in row.to_many_ids(predicate.field)) != predicate.negated
    if isinstance(predicate, Custom):
        return predicate.test(row.value(predicate.path))
    if isinstance(predicate, And):
        return all(evaluate(item, row) for item in predicate.items)
    if isinstance(predicate, Or):
        return any(evaluate(item, row) for item in predicate.items)
    return not evaluate(predicate.item, row)


def all_of(items: list[Predicate]) -> Predicate:
    """AND of the items (the item itself when there is one)."""
    return items[0] if len(items) == 1 else And(tuple(items))


def any_of(items: list[Predicate]) -> Predicate:
    """OR of the items (the item itself when there is one)."""
    return items[0] if len(items) == 1 else Or(tuple(items))


def conjuncts(predicate: Predicate | None) -> Sequence[Predicate]:
    """The top-level AND terms of a predicate."""
    if predicate is None:
        return ()
    return predicate.items if isinstance(predicate, And) else (predicate,)
