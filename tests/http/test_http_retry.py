"""Retries: which failures are retried, for which methods, with jittered backoff inside attempt and time bounds."""

from __future__ import annotations

import random
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from ats_core.errors import InvalidResponse, ProviderUnavailable, RateLimited, WriteOutcomeUnknown
from ats_core.http import ApiClient, FakeClock, OAuth2ClientCredentials, RateLimiter, RetryPolicy, Timeouts
from ats_core.scope import operation_scope

BASE_URL = "https://api.example.test"
Outcome = httpx.Response | Exception

# The header names TempWorks sends (a provider declares its own; the core assumes none).
RATE_HEADERS = {
    "remaining_header": "x-rate-limit-remaining",
    "reset_header": "x-rate-limit-reset",
    "count_header": "x-rate-limit-count",
}


def scripted(outcomes: list[Outcome], final: Outcome | None = None) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering from a script (then `final` forever); exceptions are raised as the transport's."""
    seen: list[httpx.Request] = []
    script: Iterator[Outcome] = iter(outcomes)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        outcome = next(script, final)
        assert outcome is not None, "script exhausted"
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return httpx.MockTransport(handler), seen


def client_for(transport: httpx.MockTransport, clock: FakeClock, **kw: object) -> ApiClient:
    return ApiClient(BASE_URL, transport=transport, clock=clock, rng=random.Random(7), **kw)  # type: ignore[arg-type]


OK = httpx.Response(200, json={"ok": True})


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 520, 521])
def test_retryable_statuses_are_retried_for_reads(status: int) -> None:
    clock = FakeClock()
    transport, seen = scripted([httpx.Response(status), httpx.Response(status), OK])
    client = client_for(transport, clock)
    assert client.get_json("/a") == {"ok": True}
    assert len(seen) == 3
    assert client.stats.retries[str(status)] == 2
    assert client.stats.requests == 3


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("gone"), httpx.ReadError("x")],
)
def test_transport_errors_are_retried_for_reads(error: Exception) -> None:
    transport, _seen = scripted([error, OK])
    client = client_for(transport, FakeClock())
    assert client.get_json("/a") == {"ok": True}
    assert client.stats.retries[type(error).__name__] == 1


def test_attempts_are_bounded_and_the_error_is_typed() -> None:
    clock = FakeClock()
    transport, seen = scripted([], final=httpx.Response(503, json={"message": "maintenance"}))
    client = client_for(transport, clock, retry=RetryPolicy(max_attempts=4))
    with pytest.raises(ProviderUnavailable) as info:
        client.get_json("/a?secret=q")
    assert len(seen) == 4
    assert info.value.status_code == 503
    assert info.value.path == "/a"
    assert "(maintenance; gave up after 4 attempts)" in str(info.value)
    assert "secret=q" not in str(info.value)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32), base=st.floats(0.01, 2), cap=st.floats(0.5, 60))
def test_backoff_is_full_jitter_within_bounds(seed: int, base: float, cap: float) -> None:
    clock = FakeClock()
    policy = RetryPolicy(max_attempts=8, max_elapsed_seconds=10_000, base_delay=base, max_delay=cap)
    transport, _seen = scripted([], final=httpx.Response(502))
    client = ApiClient(BASE_URL, transport=transport, clock=clock, retry=policy, rng=random.Random(seed))
    with pytest.raises(ProviderUnavailable):
        client.get_json("/a")
    assert len(clock.sleeps) == 7
    for attempt, slept in enumerate(clock.sleeps, start=1):
        assert 0 <= slept <= min(cap, base * 2 ** (attempt - 1))


def test_jitter_is_actually_random() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=100)
    rng = random.Random(1)
    delays = {round(policy.backoff(5, rng), 6) for _ in range(20)}
    assert len(delays) > 10
    assert max(delays) <= 16


def test_total_elapsed_time_bound_is_respected() -> None:
    clock = FakeClock()
    policy = RetryPolicy(max_attempts=100, max_elapsed_seconds=20, base_delay=1, max_delay=8)
    transport, seen = scripted([], final=httpx.Response(500))
    client = client_for(transport, clock, retry=policy)
    with pytest.raises(ProviderUnavailable):
        client.get_json("/a")
    assert clock.elapsed <= 20
    assert 2 < len(seen) < 100


def test_a_429_waits_the_retry_after_then_succeeds() -> None:
    clock = FakeClock()
    transport, _ = scripted([httpx.Response(429, headers={"Retry-After": "6"}, text="25 requests / 5 sec limit"), OK])
    client = client_for(transport, clock)
    assert client.get_json("/a") == {"ok": True}
    assert clock.sleeps == [6.0]
    assert client.stats.rate_limited == 1


def test_a_retry_after_beyond_the_budget_raises_rate_limited_with_the_wait() -> None:
    clock = FakeClock()
    transport, seen = scripted([httpx.Response(429, headers={"Retry-After": "600"}, text="25 requests / 5 sec limit")])
    client = client_for(transport, clock, retry=RetryPolicy(max_elapsed_seconds=60))
    with pytest.raises(RateLimited) as info:
        client.get_json("/a")
    assert len(seen) == 1
    assert info.value.retry_after == 600
    assert "retry after 600 s" in str(info.value)
    assert "25 requests / 5 sec limit" in str(info.value)


def test_post_is_retried_after_a_connect_error() -> None:
    transport, seen = scripted(
        [httpx.ConnectError("refused"), httpx.ConnectTimeout("t"), httpx.Response(201, json={"id": 9})]
    )
    client = client_for(transport, FakeClock())
    assert client.post_json("/notes", json={"t": 1}) == {"id": 9}
    assert len(seen) == 3


@pytest.mark.parametrize(
    "lost", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("disconnected"), httpx.ReadError("reset")]
)
def test_post_whose_response_was_lost_is_not_resent(lost: Exception) -> None:
    transport, seen = scripted([lost, httpx.Response(201, json={"id": 9})])
    client = client_for(transport, FakeClock())
    with pytest.raises(WriteOutcomeUnknown) as info, operation_scope("demo", "create_note"):
        client.post_json("/notes", json={"t": 1})
    assert len(seen) == 1
    text = str(info.value)
    assert "create_note" in text and "POST /notes" in text
    assert "read the record back" in text


def test_post_meeting_a_server_error_is_not_resent() -> None:
    transport, seen = scripted([httpx.Response(502, text="bad gateway"), httpx.Response(201)])
    client = client_for(transport, FakeClock())
    with pytest.raises(WriteOutcomeUnknown) as info:
        client.post_json("/notes", json={})
    assert len(seen) == 1
    assert info.value.status_code == 502


def test_post_refused_with_429_is_retried() -> None:
    transport, seen = scripted([httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(201, json={"id": 1})])
    client = client_for(transport, FakeClock())
    assert client.post_json("/notes", json={}) == {"id": 1}
    assert len(seen) == 2


def test_post_declared_idempotent_is_retried_like_a_read() -> None:
    transport, seen = scripted([httpx.ReadTimeout("slow"), httpx.Response(200, json={"hits": []})])
    client = client_for(transport, FakeClock())
    assert client.post_json("/search", json={}, idempotent=True) == {"hits": []}
    assert len(seen) == 2


def test_put_and_delete_are_idempotent_by_default() -> None:
    transport, seen = scripted([httpx.ReadError("x"), OK, httpx.ReadError("x"), httpx.Response(204)])
    client = client_for(transport, FakeClock())
    assert client.put_json("/a/1", json={}) == {"ok": True}
    client.delete("/a/1")
    assert len(seen) == 4


def test_timeouts_follow_the_request_class() -> None:
    timeouts: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        return OK

    client = ApiClient(
        BASE_URL, transport=httpx.MockTransport(handler), timeouts=Timeouts(default=12, slow=300, connect=4)
    )
    client.get_json("/a")
    client.get_json("/search", request_class="slow")
    assert timeouts[0] == {"connect": 4, "read": 12, "write": 12, "pool": 12}
    assert timeouts[1] == {"connect": 4, "read": 300, "write": 300, "pool": 300}
    with pytest.raises(ValueError, match="request_class"):
        client.get_json("/a", request_class="bulk")


def test_invalid_json_raises_invalid_response() -> None:
    transport, _ = scripted([httpx.Response(200, text="<html>login</html>")])
    client = client_for(transport, FakeClock())
    with pytest.raises(InvalidResponse) as info:
        client.get_json("/a")
    assert info.value.body == "<html>login</html>"


def test_a_bare_429_with_a_limiter_waits_a_whole_window_and_reports_it() -> None:
    clock = FakeClock()
    transport, seen = scripted([httpx.Response(429, text="25 requests / 5 sec limit"), OK])
    client = client_for(transport, clock, rate_limit=RateLimiter(25, 5, clock=clock, safety_margin=0, **RATE_HEADERS))
    assert client.get_json("/a") == {"ok": True}
    assert clock.sleeps == [5.0]
    assert len(seen) == 2
    assert client.stats.counts() == {"requests": 2, "retries": 1, "rate_limited": 1, "rate_limit_waits": 0}


def test_rate_limited_after_exhaustion_names_the_window_wait() -> None:
    clock = FakeClock()
    transport, seen = scripted([], final=httpx.Response(429, text="25 requests / 5 sec limit"))
    limiter = RateLimiter(25, 5, clock=clock, safety_margin=0, **RATE_HEADERS)
    client = client_for(transport, clock, rate_limit=limiter, retry=RetryPolicy(max_attempts=3))
    with pytest.raises(RateLimited) as info:
        client.get_json("/a")
    assert len(seen) == 3
    assert info.value.retry_after == 5
    assert "retry after 5 s" in str(info.value)


def test_token_response_without_a_token_is_an_invalid_response_naming_the_operation() -> None:
    transport, _ = scripted([httpx.Response(200, json={"token_type": "Bearer"})])
    auth = OAuth2ClientCredentials("https://login.example.test/token", "cid", SecretStr("pw"))
    client = client_for(transport, FakeClock(), auth=auth)
    with pytest.raises(InvalidResponse) as info, operation_scope("demo", "list_a"):
        client.get_json("/a")
    assert "demo.list_a: POST /token" in str(info.value)
    assert "no access_token" in str(info.value)
