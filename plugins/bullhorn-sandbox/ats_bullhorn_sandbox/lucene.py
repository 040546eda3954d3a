"""The Lucene subset of `search/{Entity}?query=`: field:value terms, quoted phrases, [a TO b] / {a TO b}
ranges, trailing * wildcards, AND / OR / NOT / + / - and parentheses.

Each searchable field has an index type, derived from the entity model as Bullhorn's `GET search/E`
lists them (ID, INTEGER, DOUBLE, DATETIME, DATE, BOOLEAN, EMAIL, PHONE, STRING, STRING_ANALYZED).
As in Lucene, a field that is not indexed matches nothing instead of failing. Booleans are 0/1
(`isDeleted:0`), except on Note, whose index uses true/false; Note's id field is `noteID`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.predicates import And, Compare, Custom, Not, Or, Predicate, all_of, any_of
from ats_bullhorn_sandbox.schema import EntitySpec
from ats_bullhorn_sandbox.tokens import TokenCursor

__all__ = ["parse_query", "search_fields"]

_ANALYZED = {"name", "companyName", "occupation", "title", "comments", "description", "skillSet", "publicDescription"}
_TOKEN = re.compile(
    r'\s*(?:(?P<quoted>"(?:[^"\\]|\\.)*")|(?P<punct>\(|\)|\[|\]|\{|\})|(?P<word>(?:[^\s()\[\]{}"\\]|\\.)+))'
)
_WORDS = re.compile(r"[0-9a-z]+")


def search_fields(entity: EntitySpec) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Index field name -> (index type, record path) for one searchable entity."""
    fields: dict[str, tuple[str, tuple[str, ...]]] = {}
    for spec in entity.fields:
        if spec.kind == "ID":
            fields["noteID" if entity.name == "Note" else "id"] = ("ID", ("id",))
        elif spec.kind == "TO_ONE":
            fields[f"{spec.name}.id"] = ("INTEGER", (spec.name, "id"))
        elif spec.kind == "COMPOSITE":
            for sub in spec.subfields:
                fields[f"{spec.name}.{sub.name}"] = ("STRING", (spec.name, sub.name))
        elif spec.kind == "SCALAR":
            fields[spec.name] = (_index_type(spec.name, spec.data_type, spec.specialization), (spec.name,))
    return fields


def _index_type(name: str, data_type: str | None, specialization: str | None) -> str:
    if data_type == "Timestamp":
        return "DATE" if specialization == "DATE" else "DATETIME"
    if data_type == "Boolean":
        return "BOOLEAN"
    if data_type == "Integer":
        return "INTEGER"
    if data_type in ("Double", "BigDecimal"):
        return "DOUBLE"
    if name.startswith("email"):
        return "EMAIL"
    if specialization == "PHONE":
        return "PHONE"
    return "STRING_ANALYZED" if name in _ANALYZED or name.startswith("customTextBlock") else "STRING"


def _bad(query: str) -> BullhornError:
    return BullhornError.bad_request(f"Bad Query: {query}", "errors.badQuery")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _words(text: Any) -> list[str]:
    return _WORDS.findall(str(text).casefold()) if text is not None else []


def _wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.casefold().split("*")) + "$")


def _date_ms(text: str) -> int | None:
    """Epoch milliseconds, or yyyyMMdd[HHmm[ss]] read as UTC (the format Bullhorn clients send); None if neither."""
    if not text.isdigit():
        return None
    for layout in ("%Y%m%d%H%M%S", "%Y%m%d%H%M", "%Y%m%d"):
        if len(text) == len(datetime(2000, 1, 1).strftime(layout)):
            try:
                return int(datetime.strptime(text, layout).replace(tzinfo=UTC).timestamp() * 1000)
            except ValueError:
                return None
    return int(text)


class _Parser(TokenCursor):
    def __init__(self, text: str, entity: EntitySpec) -> None:
        super().__init__()
        self.text = text
        self.entity = entity
        self.fields = search_fields(entity)
        self.words_boolean = entity.name == "Note"
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                if text[position:].strip():
                    raise _bad(text)
                break
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.current_field: str | None = None

    def error(self) -> BullhornError:
        return _bad(self.text)

    def accept_word(self, *words: str) -> bool:
        return self.accept("word", *words)

    def parse(self) -> Predicate:
        if not self.tokens:
            raise _bad(self.text)
        predicate = self.or_()
        if self.peek() is not None:
            raise _bad(self.text)
        return predicate

    def starts_clause(self) -> bool:
        token = self.peek()
        return token is not None and token != ("punct", ")") and token[1] not in ("AND", "OR", "&&", "||", "TO")

    def or_(self) -> Predicate:
        items = [self.and_()]
        while True:
            if self.accept_word("OR", "||") or self.starts_clause():
                items.append(self.and_())
            else:
                break
        return any_of(items)

    def and_(self) -> Predicate:
        items = [self.unary()]
        while self.accept_word("AND", "&&"):
            items.append(self.unary())
        return all_of(items)

    def unary(self) -> Predicate:
        if self.accept_word("NOT", "!"):
            return Not(self.unary())
        token = self.peek()
        if token is not None and token[0] == "word" and token[1][:1] in "+-" and len(token[1]) > 1:
            self.tokens[self.position] = ("word", token[1][1:])
            inner = self.unary()
            return Not(inner) if token[1][0] == "-" else inner
        return self.primary()

    def primary(self) -> Predicate:
        kind, value = self.take()
        if (kind, value) == ("punct", "("):
            inner = self.or_()
            if self.take() != ("punct", ")"):
                raise _bad(self.text)
            return inner
        if kind == "word":
            field, sep, rest = _split_field(value)
            if sep:
                self.current_field = field
                if rest:
                    return self.term(field, rest, quoted=False)
                return self.value_of(field)
        if self.current_field is None or value == "*":
            raise _bad("{0}" if value == "*" else self.text)
        self.position -= 1
        return self.value_of(self.current_field)

    def value_of(self, field: str) -> Predicate:
        kind, value = self.take()
        if kind == "quoted":
            return self.term(field, _unescape(value[1:-1]), quoted=True)
        if kind == "punct" and value in "[{":
            low = self.take()[1]
            if not self.accept_word("TO"):
                raise _bad(self.text)
            high = self.take()[1]
            closing = self.take()[1]
            if closing not in "]}":
                raise _bad(self.text)
            return self.range(field, low, high, value == "[", closing == "]")
        if kind == "punct" and value == "(":
            inner = self.group(field)
            if self.take() != ("punct", ")"):
                raise _bad(self.text)
            return inner
        if kind == "word":
            return self.term(field, value, quoted=False)
        raise _bad(self.text)

    def group(self, field: str) -> Predicate:
        items: list[Predicate] = []
        joiner: type[And] | type[Or] = Or
        while self.peek() not in (None, ("punct", ")")):
            if self.accept_word("AND", "&&"):
                joiner = And
                continue
            if self.accept_word("OR", "||"):
                continue
            items.append(self.value_of(field))
        if not items:
            raise _bad(self.text)
        return items[0] if len(items) == 1 else joiner(tuple(items))

    def _unknown(self, field: str) -> Predicate:
        return Custom((field,), lambda _value: False, f"{field} is not indexed")

    def range(self, field: str, low: str, high: str, low_inclusive: bool, high_inclusive: bool) -> Predicate:
        known = self.fields.get(field)
        if known is None:
            return self._unknown(field)
        index_type, path = known
        convert: Callable[[str], Any]
        if index_type in ("DATE", "DATETIME"):
            convert = _date_ms
        elif index_type == "DOUBLE":
            convert = float
        elif index_type in ("ID", "INTEGER"):
            convert = _whole
        else:
            convert = str
        parts: list[Predicate] = []
        for bound, inclusive, ops in ((low, low_inclusive, (">=", ">")), (high, high_inclusive, ("<=", "<"))):
            if bound == "*":
                continue
            value = convert(bound)
            if value is None:
                raise _bad(self.text)
            parts.append(Compare(path, ops[0] if inclusive else ops[1], value))
        if not parts:
            return Not(Compare(path, "=", None))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def term(self, field: str, raw: str, *, quoted: bool) -> Predicate:
        known = self.fields.get(field)
        if known is None:
            return self._unknown(field)
        index_type, path = known
        value = raw if quoted else _unescape(raw)
        if index_type in ("ID", "INTEGER", "DOUBLE", "DATE", "DATETIME"):
            number: Any = _date_ms(value) if index_type in ("DATE", "DATETIME") else None
            if number is None:
                try:
                    number = float(value) if index_type == "DOUBLE" else int(value)
                except ValueError:
                    return self._unknown(field)
            return Compare(path, "=", number)
        if index_type == "BOOLEAN":
            accepted = {"true": True, "false": False} if self.words_boolean else {"1": True, "0": False}
            if value.lower() not in accepted:
                return Custom(path, lambda _value: False, f"{field}:{value} matches no {field} value")
            return Compare(path, "=", accepted[value.lower()])
        if index_type == "PHONE":
            digits = _digits(value)
            return Custom(
                path,
                lambda stored: bool(digits) and len(digits) >= 7 and _digits(str(stored or "")).endswith(digits),
                f"{field} ends with {digits}",
                ("phone", digits),
            )
        if "*" in value:
            pattern = _wildcard(value)
            if index_type == "STRING_ANALYZED":
                return Custom(path, lambda stored: any(pattern.match(word) for word in _words(stored)), value)
            return Custom(
                path, lambda stored: stored is not None and bool(pattern.match(str(stored).casefold())), value
            )
        if index_type == "STRING_ANALYZED":
            wanted = _words(value)
            return Custom(path, lambda stored: _contains_run(_words(stored), wanted), value)
        folded = value.casefold()
        hint = ("email", folded) if index_type == "EMAIL" else None
        return Custom(path, lambda stored: stored is not None and str(stored).casefold() == folded, value, hint)


def _whole(text: str) -> int | None:
    return int(text) if text.lstrip("-").isdigit() else None


def _split_field(word: str) -> tuple[str, bool, str]:
    match = re.match(r"^((?:[^:\\]|\\.)+):(.*)$", word)
    if match is None:
        return word, False, ""
    return match.group(1), True, match.group(2)


def _contains_run(words: list[str], wanted: list[str]) -> bool:
    if not wanted:
        return False
    size = len(wanted)
    return any(words[start : start + size] == wanted for start in range(len(words) - size + 1))


def parse_query(text: str, entity: EntitySpec) -> Predicate:
    """Parse a Lucene query for a searchable entity; BullhornError(400) "Bad Query" when malformed."""
    return _Parser(text.strip(), entity).parse()
