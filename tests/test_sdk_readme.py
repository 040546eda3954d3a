"""The README's table of the provider API is checked against `ats_core.sdk.__all__`: no name missing or miscounted."""

from __future__ import annotations

import re
from pathlib import Path

from ats_core import sdk

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_counts_and_lists_every_name_the_provider_api_exports() -> None:
    text = README.read_text(encoding="utf-8")
    counted = re.search(r"It exports (\d+) names:", text)
    assert counted is not None, "README: the 'Adding a provider' section says how many names ats_core.sdk exports"
    assert int(counted.group(1)) == len(sdk.__all__)
    table = text[counted.end() :].split("\n\n", 2)[1]
    listed = set(re.findall(r"`([A-Za-z_]+)`", table))
    assert set(sdk.__all__) <= listed, f"README's provider API table lacks {sorted(set(sdk.__all__) - listed)}"
