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
        │   └── PagingLoopError     (ats_core.http) the ATS repeated a page or cursor
        └── WriteOutcomeUnknown     a write's response was lost: it may or may not have been stored

Every message names what went wrong and what to do. No message carries a secret or candidate PII:
callers pass ids and paths, never payload values.
"""

from __future__ import annotations

__all__ = [
    "ATSError",
    "AuthenticationFailed",
    "CapabilityNotSupported",
    "ConfigurationError",
    "InvalidInput",
    "InvalidResponse",
    "ManifestMismatch",
    "NotFound",
    "PermissionDenied",
    "PluginError",
    "ProviderError",
    "ProviderUnavailable",
    "RateLimited",
    "WriteOutcomeUnknown",
]

BODY_EXCERPT_LIMIT = 500


class ATSError(Exception):
    """Base of every error ats_core raises on purpose."""


class ConfigurationError(ATSError):
    """Connection settings are missing or invalid; the message names the setting."""

    def __init__(self, provider: str, setting: str, problem: str) -> None:
        self.provider = provider
        self.setting = setting
        self.problem = problem
        super().__init__(f"{provider}: setting '{setting}' {problem}")


class InvalidInput(ATSError):
    """Caller input refused before any request was sent."""

    def __init__(self, provider: str, operation: str, field: str, problem: str) -> None:
        self.provider = provider
        self.operation = operation
        self.field = field
        self.problem = problem
        super().__init__(f"{provider}.{operation}: invalid '{field}': {problem}")


class CapabilityNotSupported(ATSError):
    """The provider declares this operation as not supported; carries status and reason."""

    def __init__(self, provider: str, operation: str, status: str, reason: str) -> None:
        self.provider = provider
        self.operation = operation
        self.status = status
        self.reason = reason
        super().__init__(f"{provider} does not support {operation} ({status}): {reason}")


class PluginError(ATSError):
    """A provider plugin could not be loaded or validated."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(f"provider plugin '{plugin}': {message}")


class ManifestMismatch(PluginError):
    """A manifest's declared statuses disagree with the plugin's hookimpls."""

    def __init__(self, plugin: str, operation: str, mismatch: str) -> None:
        self.operation = operation
        self.mismatch = mismatch
        super().__init__(plugin, f"operation '{operation}': {mismatch}")


class ProviderError(ATSError):
    """The ATS answered with an error or could not be reached."""

    hint = "see the provider's message"

    def __init__(
        self,
        provider: str,
        operation: str | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        status_code: int | None = None,
        message: str | None = None,
        hint: str | None = None,
        body: str | bytes | None = None,
    ) -> None:
        self.provider = provider
        self.operation = operation
        self.method = method
        self.path = path
        self.status_code = status_code
        self.provider_message = message
        if hint is not None:
            self.hint = hint
        if isinstance(body, bytes):
            body = body.decode("utf-8", errors="replace")
        self.body = None if body is None else body[:BODY_EXCERPT_LIMIT]
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = self.provider + (f".{self.operation}" if self.operation else "")
        parts = [where + ":"]
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
    """404: no record with that id (or it is outside the credential's visibility)."""

    hint = "check the id; the record may be deleted or outside the credential's branch scope"


class RateLimited(ProviderError):
    """429 that the retry budget could not wait out."""

    def __init__(
        self, provider: str, operation: str | None = None, *, retry_after: float | None = None, **kw: object
    ) -> None:
        self.retry_after = retry_after
        wait = f"retry after {retry_after:.0f} s" if retry_after is not None else "retry later"
        kw.setdefault("hint", f"rate limit reached; {wait} or lower the request rate")
        super().__init__(provider, operation, **kw)  # type: ignore[arg-type]


class ProviderUnavailable(ProviderError):
    """The ATS kept failing (5xx, 520, 521, transport errors) after bounded retries."""

    hint = "the ATS is down or unreachable; retry later, a saved cursor resumes where it stopped"


class InvalidResponse(ProviderError):
    """The ATS sent a payload that does not parse or validate."""

    hint = "the record was not accepted; use on_invalid='quarantine' to continue past bad records"


class WriteOutcomeUnknown(ProviderError):
    """A write's response was lost after the request was sent; it may have been stored."""

    hint = "the write may have been stored; read the record back before sending it again"
