"""Bullhorn's error answers: `{"errorMessage", "errorMessageKey", "errorCode"[, "errors"][, "entityName"]}`."""

from __future__ import annotations

from typing import Any

__all__ = ["BullhornError"]


class BullhornError(Exception):
    """An error the sandbox answers with Bullhorn's JSON error body and the given HTTP status."""

    def __init__(self, status: int, message: str, key: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.key = key
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"errorMessage": self.message, "errorMessageKey": self.key, "errorCode": self.status, **self.extra}

    @classmethod
    def bad_request(cls, message: str, key: str = "errors.badRequest", **extra: Any) -> BullhornError:
        return cls(400, message, key, **extra)

    @classmethod
    def not_found(cls, entity: str, record_id: object) -> BullhornError:
        return cls(404, f"Cannot find entity of type {entity} with id {record_id}.", "errors.cannotFindEntity")

    @classmethod
    def unknown_entity(cls, entity: str) -> BullhornError:
        return cls(400, f"Invalid entity type: {entity}", "errors.invalidEntityType")

    @classmethod
    def bad_field(cls, entity: str, name: str) -> BullhornError:
        return cls(400, f"Invalid field '{name}' for entity {entity}.", "errors.invalidField")
