"""ats-core: one typed interface to many applicant tracking systems, with declared coverage."""

from ats_core.client import ATSClient, connect
from ats_core.errors import (
    ATSError,
    AuthenticationFailed,
    CapabilityNotSupported,
    ConfigurationError,
    InvalidInput,
    InvalidResponse,
    NotFound,
    PermissionDenied,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    WriteOutcomeUnknown,
)
from ats_core.hookspecs import hookimpl
from ats_core.manifest import ImplementationType, OperationDeclaration, OperationStatus, ProviderManifest, RateLimit
from ats_core.models import RejectedRecord
from ats_core.provider import NoSettings, Provider, ProviderContext

__all__ = [
    "ATSClient",
    "ATSError",
    "AuthenticationFailed",
    "CapabilityNotSupported",
    "ConfigurationError",
    "ImplementationType",
    "InvalidInput",
    "InvalidResponse",
    "NoSettings",
    "NotFound",
    "OperationDeclaration",
    "OperationStatus",
    "PermissionDenied",
    "Provider",
    "ProviderContext",
    "ProviderError",
    "ProviderManifest",
    "ProviderUnavailable",
    "RateLimit",
    "RateLimited",
    "RejectedRecord",
    "WriteOutcomeUnknown",
    "connect",
    "hookimpl",
]
