"""Retry, timeout and rate-limit values are finite and sane, or refused with an error naming the value."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from ats_core.http import RateLimiter, RetryPolicy, Timeouts

BUILDERS: dict[str, Callable[..., object]] = {
    "RetryPolicy": RetryPolicy,
    "Timeouts": Timeouts,
    "RateLimiter": lambda **kw: RateLimiter(**{"requests": 25, "per_seconds": 5.0, **kw}),
}
SECONDS = [math.inf, -math.inf, math.nan, 1e300, -1.0, True, "5"]
CASES = [
    *(("RetryPolicy", name, bad) for name in ("max_elapsed_seconds", "base_delay", "max_delay") for bad in SECONDS),
    *(("RetryPolicy", "max_attempts", bad) for bad in (0, 10**9, True, 2.5, math.inf)),
    *(("Timeouts", name, bad) for name in ("default", "slow", "connect") for bad in [*SECONDS, 0.0]),
    *(("RateLimiter", "per_seconds", bad) for bad in [*SECONDS, 0.0]),
    *(("RateLimiter", "requests", bad) for bad in (0, True, 2.5, math.inf, 10**12)),
    *(("RateLimiter", "safety_margin", bad) for bad in (-0.1, 1.5, math.nan, math.inf, True)),
]


@pytest.mark.parametrize(("owner", "name", "bad"), CASES)
def test_non_finite_or_absurd_values_are_refused_naming_them(owner: str, name: str, bad: Any) -> None:
    with pytest.raises(ValueError) as info:
        BUILDERS[owner](**{name: bad})
    assert f"{owner}.{name}" in str(info.value)


def test_sane_values_are_kept() -> None:
    assert RetryPolicy(max_attempts=10, max_elapsed_seconds=600, base_delay=0, max_delay=60).max_delay == 60
    assert Timeouts(default=30, slow=900, connect=5).slow == 900
    assert RateLimiter(25, 5, safety_margin=0).window == 5
