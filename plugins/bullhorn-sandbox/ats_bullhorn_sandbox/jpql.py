"""The JPQL subset of `query/{Entity}?where=`: comparisons, [NOT] IN, IS [NOT] NULL / EMPTY, [NOT] MEMBER OF,
AND / OR / NOT and parentheses, over dotted paths checked against the entity model.

Strings take single quotes; a double-quoted string is read as a field name, as Bullhorn does, and
refused. Booleans are `true` / `false`; dates are epoch milliseconds.
"""

from __future__ import annotations

import re
from typing import Any

from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.predicates import Compare, InList, IsEmpty, IsNull, MemberOf, Not, Predicate, all_of, any_of
from ats_bullhorn_sandbox.schema import EntitySpec, Schema
from ats_bullhorn_sandbox.tokens import TokenCursor

__all__ = ["parse_where", "resolve_path"]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?\d+(?:\.\d+)?)|(?P<string>'(?:[^']|'')*')|(?P<quoted>\"[^\"]*\")"
    r"|(?P<op><>|!=|<=|>=|=|<|>)|(?P<punct>[(),])|(?P<word>[A-Za-z_][\w.]*))"
)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "EMPTY", "MEMBER", "OF", "TRUE", "FALSE"}


def _bad(message: str) -> BullhornError:
    return BullhornError.bad_request(message, "errors.badQuery")


def resolve_path(schema: Schema, entity: EntitySpec, path: tuple[str, ...], *, allow_to_many: bool = False) -> str:
    """Check a dotted path against the model; returns the kind of its last field. 400 names a bad field."""
    spec = entity
    for position, name in enumerate(path):
        field = spec.get(name)
        if field is None:
            raise _bad(f"Where clause '{'.'.join(path)}' is not a valid field name")
        last = position == len(path) - 1
        if field.kind == "TO_MANY":
            if last and allow_to_many and position == 0:
                return field.kind
            raise _bad(f"'{'.'.join(path)}': to-many fields cannot be used in a path")
        if last:
            return field.kind
        if field.kind == "TO_ONE" and field.target:
            spec = schema[field.target]
        elif field.kind == "COMPOSITE":
            sub = {item.name for item in field.subfields}
            if len(path) != position + 2 or path[-1] not in sub:
                raise _bad(f"Where clause '{'.'.join(path)}' is not a valid field name")
            return "SCALAR"
        else:
            raise _bad(f"Where clause '{'.'.join(path)}' is not a valid field name")
    return "SCALAR"


class _Parser(TokenCursor):
    def __init__(self, text: str, schema: Schema, entity: EntitySpec) -> None:
        super().__init__()
        self.schema, self.entity = schema, entity
        position = 0
        text = text.strip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise _bad(f"Bad where clause near '{text[position : position + 20]}'")
            kind = match.lastgroup or ""
            value = match.group(kind)
            if kind == "quoted":
                raise _bad(f"Where clause '{value}' is not a valid field name (quote strings with single quotes)")
            if kind == "word" and value.upper() in _KEYWORDS:
                kind, value = "keyword", value.upper()
            self.tokens.append((kind, value))
            position = match.end()

    def error(self) -> BullhornError:
        return _bad("Bad where clause: unexpected end")

    def expect(self, kind: str, value: str) -> None:
        if not self.accept(kind, value):
            raise _bad(f"Bad where clause: expected {value}")

    def parse(self) -> Predicate:
        predicate = self.or_()
        token = self.peek()
        if token is not None:
            raise _bad(f"Bad where clause near '{token[1]}'")
        return predicate

    def or_(self) -> Predicate:
        items = [self.and_()]
        while self.accept("keyword", "OR"):
            items.append(self.and_())
        return any_of(items)

    def and_(self) -> Predicate:
        items = [self.not_()]
        while self.accept("keyword", "AND"):
            items.append(self.not_())
        return all_of(items)

    def not_(self) -> Predicate:
        if self.accept("keyword", "NOT"):
            return Not(self.not_())
        if self.accept("punct", "("):
            inner = self.or_()
            self.expect("punct", ")")
            return inner
        return self.condition()

    def literal(self) -> Any:
        kind, value = self.take()
        if kind == "number":
            return float(value) if "." in value else int(value)
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "keyword" and value in ("TRUE", "FALSE"):
            return value == "TRUE"
        if kind == "keyword" and value == "NULL":
            return None
        raise _bad(f"Bad where clause: expected a value, found '{value}'")

    def path(self) -> tuple[str, ...]:
        kind, value = self.take()
        if kind != "word":
            raise _bad(f"Bad where clause: expected a field name, found '{value}'")
        return tuple(value.split("."))

    def condition(self) -> Predicate:
        token = self.peek()
        if token is not None and token[0] in ("number", "string"):
            value = self.literal()
            negated = self.accept("keyword", "NOT")
            self.expect("keyword", "MEMBER")
            self.accept("keyword", "OF")
            path = self.path()
            if resolve_path(self.schema, self.entity, path, allow_to_many=True) != "TO_MANY":
                raise _bad(f"'{'.'.join(path)}' is not a to-many field")
            return MemberOf(int(value), path[0], negated)
        path = self.path()
        if self.accept("keyword", "IS"):
            negated = self.accept("keyword", "NOT")
            if self.accept("keyword", "EMPTY"):
                if resolve_path(self.schema, self.entity, path, allow_to_many=True) != "TO_MANY":
                    raise _bad(f"'{'.'.join(path)}' is not a to-many field: IS EMPTY needs one")
                return IsEmpty(path[0], negated)
            self.expect("keyword", "NULL")
            resolve_path(self.schema, self.entity, path)
            return IsNull(path, negated)
        resolve_path(self.schema, self.entity, path)
        negated = self.accept("keyword", "NOT")
        if self.accept("keyword", "IN"):
            self.expect("punct", "(")
            values = [self.literal()]
            while self.accept("punct", ","):
                values.append(self.literal())
            self.expect("punct", ")")
            return InList(path, tuple(values), negated)
        if negated:
            raise _bad("Bad where clause: NOT must precede IN here")
        kind, op = self.take()
        if kind != "op":
            raise _bad(f"Bad where clause: expected an operator after '{'.'.join(path)}'")
        return Compare(path, "<>" if op == "!=" else op, self.literal())


def parse_where(text: str, schema: Schema, entity: EntitySpec) -> Predicate:
    """Parse a `where` clause for `entity`; BullhornError(400) names what is wrong."""
    if not text.strip():
        raise _bad("Bad where clause: it is empty")
    return _Parser(text, schema, entity).parse()
