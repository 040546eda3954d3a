"""The typed facade: `connect()` and `ATSClient`, one method per operation, dispatching to exactly one provider.

`connect()` finds the provider through its entry point, validates settings, and builds a pluggy
PluginManager holding that provider (and any middleware). The operation methods are generated from the
hook spec (`client_operations.py`); an operation the provider does not implement never reaches a hook:
it raises CapabilityNotSupported with the declared status and reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel

from ats_core.client_operations import OperationMethods
from ats_core.middleware import AuditMiddleware
from ats_core.models import RejectedRecord
from ats_core.provider import ProviderContext
from ats_core.registry import load_provider
from ats_core.rejects import OnInvalid, RejectPolicy
from ats_core.settings import load_settings

__all__ = ["ATSClient", "connect"]


def connect(
    provider: str,
    settings: Mapping[str, Any] | BaseModel | None = None,
    *,
    settings_file: str | Path | None = None,
    middleware: Sequence[object] = (),
    audit: bool = False,
    on_invalid: OnInvalid = "raise",
    quarantine: Callable[[RejectedRecord], None] | None = None,
) -> ATSClient:
    """Connect to `provider`; settings come from `settings`, then `ATS_<PROVIDER>_*`, then the TOML file."""
    loaded = load_provider(provider)
    validated = load_settings(provider, loaded.provider_class.settings_model, settings, toml_path=settings_file)
    context = ProviderContext(provider, RejectPolicy(on_invalid, sink=quarantine))
    wrappers = list(middleware) + ([AuditMiddleware(provider)] if audit else [])
    return ATSClient(loaded, loaded.provider_class(validated, context), wrappers)


class ATSClient(OperationMethods):
    """One connection to one provider. Use as a context manager, or call `close()`."""

    def __repr__(self) -> str:
        return f"ATSClient(provider={self.name!r})"

    @property
    def quarantined(self) -> list[RejectedRecord]:
        """Records refused by validation under on_invalid='quarantine', with their raw payloads."""
        return self.provider.context.policy.quarantined

    def close(self) -> None:
        """Release the provider's connections."""
        self.provider.close()

    def __enter__(self) -> ATSClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
