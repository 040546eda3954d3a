"""The limiter against imperfect servers: latency jitter, a skewed clock, other users of the credential, 401
replays, Retry-After on a success, far or past resets, local-time resets. Time is a fake clock throughout."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import SecretStr

from ats_core.errors import RateLimited
from ats_core.http import ApiClient, FakeClock, OAuth2ClientCredentials, RateLimiter, RetryPolicy

BASE_URL = "https://api.example.test"

# The header names TempWorks sends (a provider declares its own; the core assumes none).
RATE_HEADERS = {
    "remaining_header": "x-rate-limit-remaining",
    "reset_header": "x-rate-limit-reset",
    "count_header": "x-rate-limit-count",
}


class SlidingWindowServer:
    """Counts requests when they arrive (after an uplink delay) in a sliding window; 429 beyond `limit`.

    Latency is drawn per request: up to `jitter` seconds on the way in, as much on the way out. Only an
    `x-rate-limit-count` header is sent (TempWorks' Personal Access Token answers carry no other).
    """

    def __init__(self, clock: FakeClock, limit: int, window: float, jitter: float, seed: int = 3) -> None:
        self.clock, self.limit, self.window, self.jitter = clock, limit, window, jitter
        self.rng = random.Random(seed)
        self.arrivals: list[float] = []
        self.rejected = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.clock.advance(self.rng.uniform(0, self.jitter))
        now = self.clock.monotonic()
        recent = [t for t in self.arrivals if t > now - self.window]
        self.arrivals.append(now)
        count = len(recent) + 1
        self.clock.advance(self.rng.uniform(0, self.jitter))
        if count > self.limit:
            self.rejected += 1
            return httpx.Response(429, text=f"{self.limit} requests / {self.window:g} sec limit")
        return httpx.Response(200, json={"n": len(self.arrivals)}, headers={"x-rate-limit-count": str(count)})


def rate_limited_in_102_requests(clock: FakeClock, server: SlidingWindowServer | FixedWindowServer) -> int:
    """429s met by a client declaring the limit 25 / 5 s while it sends 102 requests."""
    client = ApiClient(
        BASE_URL, rate_limit=RateLimiter(25, 5, clock=clock, **RATE_HEADERS), transport=httpx.MockTransport(server)
    )
    for _ in range(102):
        client.get_json("/items")
    return client.stats.rate_limited


@pytest.mark.parametrize("seed", range(5))
def test_latency_jitter_meets_no_429(seed: int) -> None:
    clock = FakeClock()
    server = SlidingWindowServer(clock, 25, 5, jitter=0.075, seed=seed)
    assert rate_limited_in_102_requests(clock, server) == server.rejected == 0


class FixedWindowServer:
    """TempWorks-style fixed windows per its own clock, `behind` seconds behind ours, with count/remaining/reset.

    `used_elsewhere` requests were already counted in the window open when the test starts (another
    process sharing the credential).
    """

    def __init__(self, clock: FakeClock, limit: int, window: float, *, behind: float, used_elsewhere: int) -> None:
        self.clock, self.limit, self.window, self.behind = clock, limit, window, behind
        self.start = self.server_time()
        self.count = used_elsewhere
        self.rejected = 0

    def server_time(self) -> float:
        return self.clock.time() - self.behind

    def __call__(self, request: httpx.Request) -> httpx.Response:
        now = self.server_time()
        if now >= self.start + self.window:
            self.start, self.count = now, 0
        self.count += 1
        reset = datetime.fromtimestamp(self.start + self.window, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        headers = {
            "x-rate-limit-count": str(self.count),
            "x-rate-limit-remaining": str(max(0, self.limit - self.count)),
            "x-rate-limit-reset": reset,
        }
        if self.count > self.limit:
            self.rejected += 1
            return httpx.Response(429, text="25 requests / 5 sec limit", headers=headers)
        return httpx.Response(200, json={}, headers=headers)


@pytest.mark.parametrize("used_elsewhere", [0, 10, 24])
def test_a_server_clock_behind_ours_and_other_users_of_the_credential_meet_no_429(used_elsewhere: int) -> None:
    clock = FakeClock()
    server = FixedWindowServer(clock, 25, 5, behind=2, used_elsewhere=used_elsewhere)
    assert rate_limited_in_102_requests(clock, server) == server.rejected == 0


def test_a_request_replayed_after_a_401_counts_against_the_window() -> None:
    clock = FakeClock()
    arrivals: list[float] = []
    tokens = iter(["stale", "fresh"])
    rejected = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal rejected
        if request.url.host == "login.example.test":
            return httpx.Response(200, json={"access_token": next(tokens), "expires_in": 3600})
        now = clock.monotonic()
        if len([t for t in arrivals if t > now - 10]) >= 5:
            rejected += 1
            return httpx.Response(429, text="5 requests / 10 sec limit")
        arrivals.append(now)
        if request.headers["authorization"] == "Bearer stale":
            return httpx.Response(401, json={"title": "token revoked"})
        return httpx.Response(200, json={})

    auth = OAuth2ClientCredentials("https://login.example.test/token", "cid", SecretStr("pw"), clock=clock)
    limiter = RateLimiter(5, 10, clock=clock, **RATE_HEADERS)
    client = ApiClient(BASE_URL, auth=auth, rate_limit=limiter, transport=httpx.MockTransport(handler), clock=clock)
    for _ in range(5):
        client.get_json("/items")
    assert rejected == 0
    assert len(arrivals) == 6
    assert client.stats.rate_limit_waits == 1


def test_a_retry_after_on_a_success_is_ignored() -> None:
    clock = FakeClock()
    answers = httpx.MockTransport(lambda request: httpx.Response(200, json={}, headers={"Retry-After": "999999"}))
    client = ApiClient(BASE_URL, rate_limit=RateLimiter(25, 5, clock=clock, **RATE_HEADERS), transport=answers)
    for _ in range(3):
        client.get_json("/items")
    assert clock.elapsed == 0


def test_remaining_zero_with_a_far_reset_raises_at_once_instead_of_stalling() -> None:
    clock = FakeClock()
    far_reset = str(int(clock.time() + 3000))
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": far_reset}
    answers = httpx.MockTransport(lambda request: httpx.Response(200, json={}, headers=headers))
    client = ApiClient(
        BASE_URL,
        rate_limit=RateLimiter(25, 5, clock=clock, **RATE_HEADERS),
        transport=answers,
        retry=RetryPolicy(max_elapsed_seconds=60),
    )
    client.get_json("/items")
    with pytest.raises(RateLimited) as info:
        client.get_json("/items")
    assert clock.elapsed == 0
    assert info.value.retry_after is not None and info.value.retry_after >= 2999
    assert info.value.path == "/items"
    assert "retry after 3000 s" in str(info.value)


def test_after_a_far_retry_after_the_next_call_raises_at_once_too() -> None:
    clock = FakeClock()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(429, headers={"Retry-After": "999999"})

    limiter = RateLimiter(25, 5, clock=clock, **RATE_HEADERS)
    client = ApiClient(BASE_URL, rate_limit=limiter, transport=httpx.MockTransport(handler), clock=clock)
    for _ in range(2):
        with pytest.raises(RateLimited) as info:
            client.get_json("/items")
        assert info.value.retry_after is not None and info.value.retry_after > 3000
        assert info.value.path == "/items"
    assert clock.elapsed == 0
    assert len(seen) == 1


@pytest.mark.parametrize("with_limiter", [False, True])
@pytest.mark.parametrize("reset_offset", [0, -30, -86_400])
def test_a_429_whose_reset_has_passed_backs_off_instead_of_retrying_at_once(
    reset_offset: float, with_limiter: bool
) -> None:
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        reset = str(int(clock.time() + reset_offset))
        return httpx.Response(429, headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": reset})

    policy = RetryPolicy(max_attempts=6, max_elapsed_seconds=600)
    limiter = RateLimiter(25, 5, clock=clock, **RATE_HEADERS) if with_limiter else None
    client = ApiClient(BASE_URL, transport=httpx.MockTransport(handler), clock=clock, retry=policy, rate_limit=limiter)
    with pytest.raises(RateLimited):
        client.get_json("/items")
    assert client.stats.requests == 6
    assert clock.sleeps and min(clock.sleeps) > 0
    assert clock.elapsed >= sum(policy.backoff_ceiling(attempt) for attempt in range(1, 6))


def test_an_offset_less_reset_is_read_in_the_servers_time_zone() -> None:
    clock = FakeClock()
    chicago = ZoneInfo("America/Chicago")
    local_now = datetime.fromtimestamp(clock.time(), chicago).replace(tzinfo=None)
    reset = (local_now + timedelta(seconds=4)).isoformat()
    limiter = RateLimiter(100, 1, clock=clock, server_time_zone=chicago, **RATE_HEADERS)
    request = httpx.Request("GET", BASE_URL)
    limiter.observe(
        httpx.Response(200, headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}, request=request)
    )
    limiter.acquire()
    assert clock.elapsed == pytest.approx(4, abs=1e-6)
