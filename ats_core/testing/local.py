"""Connect to a provider class directly, without its entry point: for tests and not-yet-installed plugins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from ats_core.client import ATSClient
from ats_core.provider import Provider, ProviderContext
from ats_core.registry import LoadedProvider
from ats_core.rejects import OnInvalid, RejectPolicy
from ats_core.settings import load_settings

__all__ = ["connect_class"]


def connect_class(
    provider_class: type[Provider],
    settings: Mapping[str, Any] | BaseModel | None = None,
    *,
    on_invalid: OnInvalid = "raise",
) -> ATSClient:
    """An ATSClient over `provider_class`, NOT checked against its manifest, so the suite can check it instead."""
    name = provider_class.manifest.name
    loaded = LoadedProvider(name, f"{provider_class.__module__}:{provider_class.__qualname__}", provider_class)
    validated = load_settings(name, provider_class.settings_model, settings, environ={})
    return ATSClient(loaded, provider_class(validated, ProviderContext(name, RejectPolicy(on_invalid))))
