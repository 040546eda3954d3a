"""The base class a provider plugin subclasses, and the per-connection context it receives."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from ats_core.manifest import ProviderManifest

__all__ = ["NoSettings", "OnInvalid", "Provider", "ProviderContext", "QuarantinedRecord"]

OnInvalid = Literal["raise", "quarantine"]


class NoSettings(BaseModel):
    """Settings of a provider that needs none."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class QuarantinedRecord:
    """A record the ATS sent that failed validation, kept with its raw payload and the error."""

    provider: str
    entity: str
    remote_id: str | None
    error: str
    remote_data: Any = field(repr=False)

    def to_json_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the form `ats sync` writes to its quarantine file)."""
        return {
            "provider": self.provider,
            "entity": self.entity,
            "remote_id": self.remote_id,
            "error": self.error,
            "remote_data": self.remote_data,
        }


@dataclass
class ProviderContext:
    """What a connection hands its provider besides settings: the invalid-record policy and its sink."""

    provider: str
    on_invalid: OnInvalid = "raise"
    quarantine: Callable[[QuarantinedRecord], None] | None = None
    quarantined: list[QuarantinedRecord] = field(default_factory=list)

    def put_in_quarantine(self, record: QuarantinedRecord) -> None:
        """Keep a bad record: in `quarantined`, and in the caller's sink when one was given."""
        self.quarantined.append(record)
        if self.quarantine is not None:
            self.quarantine(record)


class Provider:
    """Subclass this, set `manifest` (and `settings_model`), and mark operations with `@hookimpl`."""

    manifest: ClassVar[ProviderManifest]
    settings_model: ClassVar[type[BaseModel]] = NoSettings

    def __init__(self, settings: BaseModel, context: ProviderContext) -> None:
        self.settings = settings
        self.context = context

    @property
    def name(self) -> str:
        """The provider's name, as its manifest declares it (records and errors carry it)."""
        return self.manifest.name

    def close(self) -> None:
        """Release connections; called when the client closes."""

    def http_stats(self) -> Mapping[str, int]:
        """Counters of this connection's HTTP traffic (requests, retries, ...); direct providers override it."""
        return {}
