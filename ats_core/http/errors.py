"""Map an HTTP error response to the typed error of `ats_core.errors`, with the provider's own message."""

from __future__ import annotations

import re
from collections.abc import Iterable

import httpx

from ats_core.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from ats_core.http.jsonbody import JSONTooDeep, decode_json

__all__ = ["MESSAGE_LIMIT", "error_for_response", "provider_message", "scrub"]

MESSAGE_LIMIT = 200
_MESSAGE_KEYS = ("title", "message", "error_description", "detail", "error", "Message")


def scrub(text: str | None, secrets: Iterable[str]) -> str | None:
    """Replace every occurrence of a secret value in `text` with `***`."""
    if text is None:
        return None
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def provider_message(response: httpx.Response, limit: int = MESSAGE_LIMIT) -> str | None:
    """The provider's message: a JSON `title`/`message`/`error_description`/... field, or the plain-text body."""
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError, httpx.ResponseNotRead):
        return None
    text = text.strip()
    if not text:
        return None
    message: str | None = None
    if text[:1] in "{[":
        try:
            message = _message_from_json(decode_json(text))
        except JSONTooDeep as error:
            message = f"unreadable error body: {error}"
        except ValueError:
            message = None
        if message is None:
            return None
    else:
        content_type = response.headers.get("content-type", "")
        if "html" in content_type or text[:1] == "<":
            return None
        message = text
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _message_from_json(payload: object) -> str | None:
    if isinstance(payload, list) and payload:
        return _message_from_json(payload[0])
    if not isinstance(payload, dict):
        return None
    for key in _MESSAGE_KEYS:
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return value + _field_errors(payload.get("errors"))
        if isinstance(value, dict):
            nested = _message_from_json(value)
            if nested:
                return nested
    return None


def _field_errors(errors: object, most: int = 3) -> str:
    """` (field: first problem; ...)` from a problem+json `errors` object, naming the fields to fix."""
    if not isinstance(errors, dict) or not errors:
        return ""
    parts = []
    for field, problems in list(errors.items())[:most]:
        first = problems[0] if isinstance(problems, list) and problems else problems
        parts.append(f"{field}: {first}" if isinstance(first, str) else str(field))
    more = f"; +{len(errors) - most} more" if len(errors) > most else ""
    return " (" + "; ".join(parts) + more + ")"


def error_for_response(
    response: httpx.Response,
    *,
    retry_after: float | None = None,
    secrets: Iterable[str] = (),
    attempts: int = 1,
) -> ProviderError:
    """The typed error for an error response: names method, path (never the query), status and provider message.

    `attempts` > 1 adds how many sends were made before giving up.
    """
    secrets = tuple(secrets)
    request = response.request
    status = response.status_code
    method, path = request.method, request.url.path
    message = scrub(provider_message(response), secrets)
    if attempts > 1:
        message = f"{message}; " if message else ""
        message += f"gave up after {attempts} attempts"
    body = scrub(_body_text(response), secrets)
    if status == 429:
        return RateLimited(message, retry_after=retry_after, method=method, path=path, status_code=status, body=body)
    error_class, hint = _class_and_hint(status)
    if status == 403:
        hint = _missing_scope_hint(response) or hint
    return error_class(message, method=method, path=path, status_code=status, hint=hint, body=body)


def _missing_scope_hint(response: httpx.Response) -> str | None:
    """Name the scope an RFC 6750 `WWW-Authenticate: Bearer error="insufficient_scope", scope="..."` asks for."""
    challenge = response.headers.get("www-authenticate", "")
    if "insufficient_scope" not in challenge:
        return None
    match = re.search(r'scope="([^"]*)"', challenge)
    if match and match.group(1).strip():
        return f"grant the credential the scope(s) {match.group(1).strip()}"
    return "grant the credential the scope this endpoint needs (the provider reports insufficient_scope)"


def _class_and_hint(status: int) -> tuple[type[ProviderError], str | None]:
    if status == 401:
        return AuthenticationFailed, None
    if status == 403:
        return PermissionDenied, None
    if status == 404:
        return NotFound, None
    if status >= 500:
        return ProviderUnavailable, None
    return ProviderError, "the provider refused the request; check the values its message names"


def _body_text(response: httpx.Response) -> str | None:
    try:
        return response.text or None
    except (UnicodeDecodeError, LookupError, httpx.ResponseNotRead):
        return None
