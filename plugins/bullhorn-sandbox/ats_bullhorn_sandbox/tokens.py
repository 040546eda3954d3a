"""A cursor over (kind, text) tokens, shared by the JPQL and Lucene parsers."""

from __future__ import annotations

from ats_bullhorn_sandbox.errors import BullhornError

__all__ = ["Token", "TokenCursor"]

Token = tuple[str, str]


class TokenCursor:
    """Reads tokens in order; `error()` is the BullhornError a parser raises on bad input."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.position = 0

    def error(self) -> BullhornError:
        raise NotImplementedError

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise self.error()
        self.position += 1
        return token

    def accept(self, kind: str, *values: str) -> bool:
        """Step over the next token if it has this kind (and one of these texts, when given)."""
        token = self.peek()
        if token is not None and token[0] == kind and (not values or token[1] in values):
            self.position += 1
            return True
        return False
