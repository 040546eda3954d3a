"""The pytest plugin (entry point `ats_conformance`): registers the suite's marker and assertion rewriting.

Loaded by every pytest run in an environment with ats-core installed, so it imports nothing heavy.
"""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("ats_core.testing.suite")

MARKER = "ats_conformance"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker every generated conformance test carries (select them with `-m ats_conformance`)."""
    config.addinivalue_line("markers", f"{MARKER}(operation): a provider conformance test of one catalog operation")
