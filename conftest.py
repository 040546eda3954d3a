"""Hypothesis profiles for every test directory: no per-example deadline on a loaded 2-core machine,
and in CI (CI=true) a derandomized, database-free run so a red CI is reproducible, not a dice roll.
Locally the default profile explores new examples on every run; HYPOTHESIS_PROFILE picks one by name."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
