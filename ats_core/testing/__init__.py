"""The provider conformance suite: tests generated from a provider's manifest, shipped as a pytest plugin.

Subclass `ProviderConformance` in a provider's test module (its docstring lists the hooks). Names are
imported lazily so that loading the pytest plugin stays cheap for runs that never use the suite.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ats_core.testing.local import connect_class
    from ats_core.testing.suite import ProviderConformance
    from ats_core.testing.writes import WriteTargets

__all__ = ["ProviderConformance", "WriteTargets", "connect_class"]

_HOMES = {"ProviderConformance": "suite", "WriteTargets": "writes", "connect_class": "local"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'ats_core.testing' has no attribute '{name}'")
    return getattr(importlib.import_module(f"ats_core.testing.{_HOMES[name]}"), name)
