"""API errors the sandbox answers with, as ASP.NET Core-style problem+json bodies."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Request

__all__ = ["ApiProblem", "LostResponse", "decode_json"]

_TYPES = {
    400: "https://tools.ietf.org/html/rfc7231#section-6.5.1",
    401: "https://tools.ietf.org/html/rfc7235#section-3.1",
    403: "https://tools.ietf.org/html/rfc7231#section-6.5.3",
    404: "https://tools.ietf.org/html/rfc7231#section-6.5.4",
    405: "https://tools.ietf.org/html/rfc7231#section-6.5.5",
    415: "https://tools.ietf.org/html/rfc7231#section-6.5.13",
}


class ApiProblem(Exception):
    """Raised by handlers; rendered as `application/problem+json` with `errors` for 400s."""

    def __init__(self, status: int, title: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.errors = errors or {}

    def body(self, trace_id: str) -> dict[str, object]:
        body: dict[str, object] = {
            "type": _TYPES.get(self.status, "about:blank"),
            "title": self.title,
            "status": self.status,
            "traceId": trace_id,
        }
        if self.errors:
            body["errors"] = self.errors
        return body

    @classmethod
    def invalid(cls, field: str, message: str) -> ApiProblem:
        return cls(400, "One or more validation errors occurred.", {field: [message]})

    @classmethod
    def not_found(cls, what: str) -> ApiProblem:
        return cls(404, f"{what} was not found.")


class LostResponse(Exception):
    """Raised by a handler after storing a write, to drop the connection without answering."""


def decode_json(request: Request) -> Any:
    """The request body as JSON: 415 unless sent as JSON (like an ASP.NET [FromBody]), 400 if it does not parse."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        shown = request.mimetype or "none"
        raise ApiProblem(
            415, f"Unsupported Media Type: send the body as JSON with Content-Type application/json ({shown})."
        )
    try:
        return json.loads(request.get_data() or b"null")
    except ValueError as error:
        raise ApiProblem.invalid("$", f"the body is not valid JSON: {error}") from None
