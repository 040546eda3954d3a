"""The pytest plugin (entry point `ats_conformance`): the suite's marker, assertion rewriting, and a skip summary.

Loaded by every pytest run in an environment with ats-core installed, so it imports nothing heavy.
"""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("ats_core.testing.suite", "ats_core.testing.reading", "ats_core.testing.writes")

MARKER = "ats_conformance"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker every generated conformance test carries (select them with `-m ats_conformance`)."""
    config.addinivalue_line("markers", f"{MARKER}(operation): a provider conformance test of one catalog operation")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List every skipped conformance test with its reason, so no check passes silently by not running."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if MARKER in getattr(r, "keywords", {})]
    if not skipped:
        return
    terminalreporter.section(f"ats conformance: {len(skipped)} skipped, with reasons")
    for report in skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        terminalreporter.line(f"{report.nodeid}: {reason.removeprefix('Skipped: ')}")
