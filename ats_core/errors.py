"""Typed errors raised by ats_core and its providers.

The hierarchy::

    ATSError
    ├── ConfigurationError          settings missing or invalid (names the setting to fix)
    ├── InvalidInput                caller input refused before any request was sent
    ├── CapabilityNotSupported      the provider does not implement the operation (status + reason)
    ├── PluginError                 a provider plugin could not be loaded or lies in its manifest
    │   └── ManifestMismatch        declared statuses disagree with the hookimpls
    └── ProviderError               the ATS answered with an error, or could not be reached
        ├── AuthenticationFailed    401: credentials wrong or expired
        ├── PermissionDenied        403: the credential lacks a scope
        ├── NotFound                404: no record with that id
        ├── RateLimited             429 that retries could not wait out
        ├── ProviderUnavailable     5xx / 520 / 521 / transport failure after retries
        ├── InvalidResponse         the ATS sent something that does not validate
        │   ├── PagingLoopError     the ATS repeated a page or cursor
        │   ├── ResponseTooLarge    (ats_core.http) a body over the client's size cap
        │   └── ProviderContractError  the plugin returned what its operation never returns
        └── WriteOutcomeUnknown     a write's response was lost: it may or may not have been stored

Every message names what went wrong and what to do. No message carries a secret or candidate PII:
callers pass ids and paths, never payload values. The provider and operation are filled in by the
operation scope (`ats_core.scope`) when the error leaves a client call, so raisers rarely name them.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ATSError",
    "AuthenticationFailed",
    "CapabilityNotSupported",
    "ConfigurationError",
    "InvalidInput",
    "InvalidResponse",
    "ManifestMismatch",
    "NotFound",
    "PagingLoopError",
    "PermissionDenied",
    "PluginError",
    "ProviderContractError",
    "ProviderError",
    "ProviderUnavailable",
    "RateLimited",
    "WriteOutcomeUnknown",
]

BODY_EXCERPT_LIMIT = 500


class ATSError(Exception):
    """Base of every error ats_core raises on purpose; names the provider and operation it happened in.

    Both are usually left out where the error is raised: the operation scope of the client call fills
    them in when the error leaves it (`attach_scope`). The text is composed when shown, so it names them.
    """

    def __init__(self, *, provider: str | None = None, operation: str | None = None) -> None:
        super().__init__()
        self.provider = provider
        self.operation = operation

    def attach_scope(self, provider: str, operation: str) -> None:
        """Fill in the provider and operation the error happened in, where it does not name them yet."""
        if self.provider is None:
            self.provider = provider
        if self.operation is None:
            self.operation = operation

    def describe(self) -> str:
        """What went wrong and what to do, without the provider and operation prefix."""
        return ""

    def where(self) -> str:
        """`provider.operation`, as far as known."""
        return ".".join(part for part in (self.provider, self.operation) if part)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.describe()}" if where else self.describe()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[ATSError], state: dict[str, object]) -> ATSError:
    """Unpickle an error without calling its __init__ (whose arguments are keyword-only)."""
    error = cls.__new__(cls)
    Exception.__init__(error)
    error.__dict__.update(state)
    return error


class ConfigurationError(ATSError):
    """Connection settings are missing or invalid; the message names the setting."""

    def __init__(self, setting: str, problem: str, *, provider: str | None = None) -> None:
        super().__init__(provider=provider)
        self.setting = setting
        self.problem = problem

    def where(self) -> str:
        return self.provider or ""

    def describe(self) -> str:
        return f"setting '{self.setting}' {self.problem}"


class InvalidInput(ATSError):
    """Caller input refused before any request was sent."""

    def __init__(self, field: str, problem: str, *, provider: str | None = None, operation: str | None = None) -> None:
        super().__init__(provider=provider, operation=operation)
        self.field = field
        self.problem = problem

    def describe(self) -> str:
        return f"invalid '{self.field}': {self.problem}"


class CapabilityNotSupported(ATSError):
    """The provider declares this operation as not supported; carries status and reason."""

    def __init__(self, provider: str, operation: str, status: str, reason: str) -> None:
        super().__init__(provider=provider, operation=operation)
        self.status = status
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.provider} does not support {self.operation} ({self.status}): {self.reason}"


class PluginError(ATSError):
    """A provider plugin could not be loaded or validated."""

    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(provider=plugin)
        self.plugin = plugin
        self.message = message

    def __str__(self) -> str:
        return f"provider plugin '{self.plugin}': {self.message}"


class ManifestMismatch(PluginError):
    """A manifest's declared statuses disagree with the plugin's hookimpls."""

    def __init__(self, plugin: str, operation: str, mismatch: str) -> None:
        super().__init__(plugin, f"operation '{operation}': {mismatch}")
        self.operation = operation
        self.mismatch = mismatch


class ProviderError(ATSError):
    """The ATS answered with an error or could not be reached."""

    hint = "see the provider's message"

    def __init__(
        self,
        message: str | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        status_code: int | None = None,
        hint: str | None = None,
        body: str | bytes | None = None,
        provider: str | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(provider=provider, operation=operation)
        self.method = method
        self.path = path
        self.status_code = status_code
        self.provider_message = message
        if hint is not None:
            self.hint = hint
        if isinstance(body, bytes):
            body = body.decode("utf-8", errors="replace")
        self.body = None if body is None else body[:BODY_EXCERPT_LIMIT]

    def describe(self) -> str:
        parts = []
        if self.method and self.path:
            parts.append(f"{self.method} {self.path}")
        if self.status_code is not None:
            parts.append(f"-> HTTP {self.status_code}")
        if self.provider_message:
            parts.append(f"({self.provider_message})")
        parts.append(f"- {self.hint}")
        return " ".join(parts)


class AuthenticationFailed(ProviderError):
    """401: credentials are wrong, expired or revoked."""

    hint = "check the client id/secret or access token in the connection settings"


class PermissionDenied(ProviderError):
    """403: the credential is valid but lacks a scope or permission."""

    hint = "grant the credential the scope this endpoint needs"


class NotFound(ProviderError):
    """404: no record with that id (or it is outside what the credential may see)."""

    hint = "check the id; the record may be deleted or outside what the credential may see"


class RateLimited(ProviderError):
    """429 that the retry budget could not wait out."""

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **details: Any) -> None:
        self.retry_after = retry_after
        wait = f"retry after {retry_after:.0f} s" if retry_after is not None else "retry later"
        details.setdefault("hint", f"rate limit reached; {wait} or lower the request rate")
        super().__init__(message, **details)


class ProviderUnavailable(ProviderError):
    """The ATS kept failing (5xx, 520, 521, transport errors) after bounded retries."""

    hint = "the ATS is down or unreachable; retry later, a saved cursor resumes where it stopped"


class InvalidResponse(ProviderError):
    """The ATS sent a payload that does not parse or validate."""

    hint = "the record was not accepted; use on_invalid='quarantine' to continue past bad records"


class PagingLoopError(InvalidResponse):
    """The provider sent the same cursor or the same page again: paging would never end."""

    hint = "the provider repeated a page; stop and report it (a saved cursor can resume once it is fixed)"


class ProviderContractError(InvalidResponse):
    """The provider plugin broke the hook spec's contract (e.g. returned None or the wrong type)."""

    hint = "the provider plugin returned something its operation never returns; report it to its maintainers"


class WriteOutcomeUnknown(ProviderError):
    """A write's response was lost after the request was sent; it may have been stored."""

    hint = "the write may have been stored; read the record back before sending it again"
