"""The README documents every fault option and every REST route the sandbox serves."""

from __future__ import annotations

import re
from pathlib import Path

from ats_bullhorn_sandbox import FAULT_HELP, REST_ROUTES

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_fault_is_documented() -> None:
    missing = [name for name in FAULT_HELP if f"`{name}`" not in README]
    assert not missing, f"README lacks faults {missing}"


def test_every_rest_route_is_documented() -> None:
    calls = re.findall(r"`(?:GET|PUT|POST|DELETE)[^`]* ([^ `?]+)", README)
    documented = {re.sub(r"\{[^}]*\}|\bCandidate\b", "{}", path.removeprefix("{restUrl}")) for path in calls}
    for path, methods in REST_ROUTES:
        shape = re.sub(r"<[^>]*>", "{}", path).lstrip("/")
        assert shape in documented, f"README lacks {sorted(methods)} {shape}"
