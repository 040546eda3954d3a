"""Map an HTTP error response to the typed error of `ats_core.errors`, with the provider's own message."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

import httpx

from ats_core.errors import (
    BODY_EXCERPT_LIMIT,
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from ats_core.http.jsonbody import JSONTooDeep, decode_json

__all__ = ["MESSAGE_LIMIT", "body_excerpt", "error_for_response", "provider_message", "redact", "scrub"]

MESSAGE_LIMIT = 200
_MESSAGE_KEYS = ("title", "message", "error_description", "detail", "error", "Message")
_PARTIAL_SECRET_MIN = 4  # a secret's first characters, this many or more, at the end of cut text are masked

_EMAIL = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+(?:@|%40)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
# 7 to 15 digits, single or paired separators between them (+1 (555) 123-4567, 555.123.4567), not an ISO date.
_PHONE = re.compile(r"(?<![\w.+-])(?!\d{4}-\d{2}-\d{2})\+?\(?\d(?:[ ().-]{0,2}\d){6,14}\)?(?![\w-])")
_PLAIN_ID_DIGITS = 10  # a bare digit run shorter than this is more likely a record id than a phone number


def _secret_forms(secret: str) -> set[str]:
    """A secret as a server may echo it: verbatim, JSON-escaped (with or without `\\/`) and URL-encoded."""
    escaped = json.dumps(secret)[1:-1]
    return {secret, escaped, escaped.replace("/", "\\/"), quote(secret, safe=""), quote_plus(secret)}


def scrub(text: str | None, secrets: Iterable[str]) -> str | None:
    """Replace every occurrence of a secret value in `text` (also JSON-escaped or URL-encoded) with `***`."""
    if text is None:
        return None
    for secret in secrets:
        if secret:
            for form in sorted(_secret_forms(secret), key=len, reverse=True):
                text = text.replace(form, "***")
    return text


def _phone_or_keep(match: re.Match[str]) -> str:
    found = match.group()
    if found.isdigit() and len(found) < _PLAIN_ID_DIGITS:
        return found
    return "<phone>"


def redact(text: str | None, secrets: Iterable[str]) -> str | None:
    """`text` without secrets (`***`), email addresses (`<email>`) or phone-number-like digit runs (`<phone>`)."""
    text = scrub(text, secrets)
    if text is None:
        return None
    return _PHONE.sub(_phone_or_keep, _EMAIL.sub("<email>", text))


def _cut(text: str, limit: int, secrets: Iterable[str]) -> str:
    """`text` cut to `limit` characters (ending in `…`); a secret's first characters left at the cut are masked."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    for secret in secrets:
        for size in range(min(len(secret), len(kept)), _PARTIAL_SECRET_MIN - 1, -1):
            if kept.endswith(secret[:size]):
                kept = kept[:-size] + "***"
                break
    return kept + "…"


def provider_message(
    response: httpx.Response, limit: int = MESSAGE_LIMIT, *, secrets: Iterable[str] = ()
) -> str | None:
    """The provider's message: a JSON `title`/`message`/`error_description`/... field, or the plain-text body.

    Secrets, email addresses and phone numbers are redacted before the message is cut to `limit`.
    """
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
    secrets = tuple(secrets)
    message = " ".join((redact(message, secrets) or "").split())
    return _cut(message, limit, secrets)


def body_excerpt(response: httpx.Response, secrets: Iterable[str] = ()) -> str | None:
    """The response body to keep on an error: redacted like the message, then cut to `BODY_EXCERPT_LIMIT`."""
    try:
        text = response.text or None
    except (UnicodeDecodeError, LookupError, httpx.ResponseNotRead):
        return None
    secrets = tuple(secrets)
    redacted = redact(text, secrets)
    return None if redacted is None else _cut(redacted, BODY_EXCERPT_LIMIT, secrets)


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
    message = provider_message(response, secrets=secrets)
    if attempts > 1:
        message = f"{message}; " if message else ""
        message += f"gave up after {attempts} attempts"
    body = body_excerpt(response, secrets)
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
