"""Provider sandboxes: local stand-ins for an ATS, found through the `ats_core.sandboxes` entry points.

An entry point names a callable taking `SandboxOptions` and returning a started `RunningSandbox`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from stevedore import ExtensionManager

from ats_core.errors import PluginError

__all__ = ["SANDBOX_GROUP", "RunningSandbox", "SandboxOptions", "available_sandboxes", "start_sandbox"]

SANDBOX_GROUP = "ats_core.sandboxes"


@dataclass(frozen=True)
class SandboxOptions:
    """How to run a sandbox: where, how much seeded data, and which faults to inject."""

    host: str = "127.0.0.1"
    port: int = 0
    size: int = 1000
    seed: int = 7
    latency_ms: float = 0.0
    faults: Mapping[str, str] = field(default_factory=dict)


class RunningSandbox(Protocol):
    """A started sandbox: where it listens and settings that connect to it."""

    @property
    def base_url(self) -> str:
        """The sandbox's base URL."""

    @property
    def settings(self) -> dict[str, Any]:
        """Connection settings for `ats_core.connect(provider, settings)`."""

    def stop(self) -> None:
        """Stop serving and release the port."""


SandboxFactory = Callable[[SandboxOptions], RunningSandbox]


def _manager() -> ExtensionManager[Any]:
    return ExtensionManager(namespace=SANDBOX_GROUP, invoke_on_load=False, propagate_map_exceptions=True)


def available_sandboxes() -> list[str]:
    """Names of the providers that ship a sandbox."""
    return sorted(_manager().names())


def start_sandbox(provider: str, options: SandboxOptions | None = None) -> RunningSandbox:
    """Start the named provider's sandbox; PluginError when it ships none."""
    manager = _manager()
    if provider not in manager.names():
        known = ", ".join(sorted(manager.names())) or "none"
        raise PluginError(provider, f"ships no sandbox (entry-point group '{SANDBOX_GROUP}'); sandboxes: {known}")
    factory = cast(SandboxFactory, manager[provider].plugin)  # the group's contract: a factory of sandboxes
    return factory(options or SandboxOptions())
