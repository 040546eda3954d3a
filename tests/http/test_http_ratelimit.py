"""The sliding-window limiter and the parsing of server rate-limit headers (fake clock, no real sleeps)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ats_core.http import ApiClient, FakeClock, RateLimiter, parse_reset, parse_retry_after
from ats_core.http.ratelimit import MAX_SERVER_WAIT_SECONDS

BASE_URL = "https://api.example.test"

# The header names TempWorks sends (a provider declares its own; the core assumes none).
RATE_HEADERS = {
    "remaining_header": "x-rate-limit-remaining",
    "reset_header": "x-rate-limit-reset",
    "count_header": "x-rate-limit-count",
}


def assert_windows_within(times: list[float], requests: int, per_seconds: float) -> None:
    """No half-open window [t, t + per_seconds) holds more than `requests` of `times`."""
    ordered = sorted(times)
    for i in range(len(ordered) - requests):
        assert ordered[i + requests] - ordered[i] >= per_seconds - 1e-9, (i, ordered[i : i + requests + 1])


@settings(max_examples=40, deadline=None)
@given(
    requests=st.integers(1, 30),
    per_seconds=st.floats(0.5, 10),
    gaps=st.lists(st.floats(0, 2), min_size=1, max_size=120),
)
def test_no_window_ever_holds_more_than_the_limit(requests: int, per_seconds: float, gaps: list[float]) -> None:
    clock = FakeClock()
    limiter = RateLimiter(requests, per_seconds, clock=clock, **RATE_HEADERS)
    times = []
    for gap in gaps:
        clock.advance(gap)
        limiter.acquire()
        times.append(clock.monotonic())
    assert_windows_within(times, requests, per_seconds)


def test_a_burst_waits_exactly_for_the_window_to_slide() -> None:
    clock = FakeClock()
    limiter = RateLimiter(25, 5, clock=clock, safety_margin=0, **RATE_HEADERS)
    times = []
    for _ in range(60):
        limiter.acquire()
        times.append(clock.elapsed)
    assert times[:25] == [0.0] * 25
    assert times[25:50] == [5.0] * 25
    assert times[50:] == [10.0] * 10
    assert limiter.waits == 2
    assert limiter.waited_seconds == 10


def test_threads_sharing_a_limiter_stay_within_it() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5, 1, clock=clock, **RATE_HEADERS)
    times: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            limiter.acquire()
            with lock:
                times.append(clock.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(times) == 80
    assert_windows_within(times, 5, 1)


class LimitEnforcingServer:
    """A MockTransport handler answering 429 when a request exceeds `limit` per `window` on the fake clock."""

    def __init__(self, clock: FakeClock, limit: int, window: float) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self.times: list[float] = []
        self.rejected = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        now = self.clock.monotonic()
        recent = [t for t in self.times if t > now - self.window]
        if len(recent) >= self.limit:
            self.rejected += 1
            return httpx.Response(429, text=f"{self.limit} requests / {self.window:g} sec limit")
        self.times.append(now)
        return httpx.Response(200, json={"n": len(self.times)})


def test_a_stream_within_the_declared_limit_meets_no_429() -> None:
    clock = FakeClock()
    server = LimitEnforcingServer(clock, 25, 5)
    limiter = RateLimiter(25, 5, clock=clock, **RATE_HEADERS)
    client = ApiClient(BASE_URL, rate_limit=limiter, transport=httpx.MockTransport(server))
    for _ in range(120):
        client.get_json("/items")
    assert server.rejected == 0
    assert client.stats.rate_limited == 0
    assert client.stats.rate_limit_waits == 4
    assert client.stats.rate_limit_wait_seconds == pytest.approx(4 * 5 * (1 + limiter.safety_margin))
    assert_windows_within(server.times, 25, 5)


def test_a_429_still_met_is_waited_out_and_retried() -> None:
    clock = FakeClock()
    server = LimitEnforcingServer(clock, 3, 5)
    client = ApiClient(
        BASE_URL, rate_limit=RateLimiter(10, 5, clock=clock, **RATE_HEADERS), transport=httpx.MockTransport(server)
    )
    for _ in range(9):
        client.get_json("/items")
    assert len(server.times) == 9
    assert server.rejected >= 1
    assert client.stats.rate_limited == server.rejected
    assert client.stats.retries["429"] == server.rejected


def response(status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=httpx.Request("GET", BASE_URL))


def test_retry_after_blocks_every_request_until_it_passes() -> None:
    clock = FakeClock()
    limiter = RateLimiter(100, 1, clock=clock, **RATE_HEADERS)
    limiter.observe(response(429, **{"Retry-After": "7"}))
    limiter.acquire()
    assert clock.elapsed == 7


def test_remaining_zero_waits_until_the_reset_timestamp() -> None:
    clock = FakeClock()
    limiter = RateLimiter(100, 1, clock=clock, **RATE_HEADERS)
    reset = clock.time() + 4
    limiter.observe(response(200, **{"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}))
    limiter.acquire()
    assert abs(clock.elapsed - 4) < 1e-6


@pytest.mark.parametrize("skew", [-2.0, 0.0, 2.0])
def test_a_reset_on_a_skewed_clock_adds_nothing_when_this_window_holds_every_counted_request(skew: float) -> None:
    clock = FakeClock()
    limiter = RateLimiter(25, 5, clock=clock, **RATE_HEADERS)
    for _ in range(25):
        limiter.acquire()
    server_reset = clock.time() + 5 + skew  # the server's reset for its window, read on a clock `skew` s off ours
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(server_reset)}
    limiter.observe(response(200, **headers))
    limiter.acquire()
    assert clock.elapsed == pytest.approx(limiter.window)  # this window's own wait, whatever the skew


def test_a_reset_is_honoured_when_the_server_counts_more_than_this_window_holds() -> None:
    clock = FakeClock()
    limiter = RateLimiter(25, 5, clock=clock, **RATE_HEADERS)
    for _ in range(10):
        limiter.acquire()
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(clock.time() + 8)}
    limiter.observe(response(200, **headers))  # the credential is shared: the server counts 25, we 10
    limiter.acquire()
    assert clock.elapsed == pytest.approx(8)


def test_remaining_above_zero_does_not_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(100, 1, clock=clock, **RATE_HEADERS)
    limiter.observe(response(200, **{"x-rate-limit-remaining": "3", "x-rate-limit-reset": str(clock.time() + 4)}))
    limiter.acquire()
    assert clock.elapsed == 0


def test_a_bare_429_pauses_for_one_window_with_its_margin() -> None:
    clock = FakeClock()
    limiter = RateLimiter(25, 5, clock=clock, safety_margin=0.2, **RATE_HEADERS)
    limiter.observe(response(429))
    limiter.acquire()
    assert clock.elapsed == pytest.approx(6)


NOW = 1_800_000_000.0


def test_reset_formats_are_understood() -> None:
    when = datetime.fromtimestamp(NOW + 30, tz=UTC)
    assert parse_reset(str(int(NOW + 30)), NOW) == 30
    assert parse_reset(str(int((NOW + 30) * 1000)), NOW) == 30
    assert parse_reset("12", NOW) == 12
    assert parse_reset(format_datetime(when, usegmt=True), NOW) == 30
    assert parse_reset(when.isoformat(), NOW) == 30
    assert parse_reset(when.strftime("%Y-%m-%dT%H:%M:%SZ"), NOW) == 30
    assert parse_reset(when.replace(tzinfo=None).isoformat(), NOW) == 30
    assert parse_reset(str(NOW - 50), NOW) == 0
    assert parse_reset("soon", NOW) is None
    assert parse_reset("nan", NOW) is None
    assert parse_retry_after("NaN", NOW) is None
    assert parse_retry_after("inf", NOW) == MAX_SERVER_WAIT_SECONDS
    assert parse_retry_after("3", NOW) == 3
    assert parse_retry_after(format_datetime(when, usegmt=True), NOW) == 30
    assert parse_retry_after("", NOW) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_header_parsing_never_raises_and_stays_bounded(value: str) -> None:
    for parse in (parse_reset, parse_retry_after):
        result = parse(value, NOW)
        assert result is None or 0 <= result <= MAX_SERVER_WAIT_SECONDS


def test_a_request_counts_from_when_it_is_sent_until_a_window_after_its_answer() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, 5, clock=clock, safety_margin=0.1, **RATE_HEADERS)
    limiter.begin()
    clock.advance(3)  # the answer takes 3 s: the server may have counted the request at any time in them
    limiter.end()
    limiter.begin()
    assert clock.elapsed == pytest.approx(3 + 5.5)


def test_a_request_waits_for_one_in_flight_to_end_when_only_those_fill_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, 5, clock=clock, safety_margin=0, **RATE_HEADERS)
    limiter.begin()
    started: list[float] = []
    second = threading.Thread(target=lambda: started.append(limiter.begin()))
    second.start()
    clock.advance(2)
    limiter.end()
    second.join(10)
    assert not second.is_alive()
    assert clock.elapsed == pytest.approx(2 + 5)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "-3", "many", ""])
def test_unreadable_or_negative_counts_are_ignored(value: str) -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 5, clock=clock, safety_margin=0, **RATE_HEADERS)
    limiter.observe(response(200, **{"x-rate-limit-count": value, "x-rate-limit-remaining": value}))
    limiter.acquire()
    limiter.acquire()
    assert clock.elapsed == 0


def test_a_count_above_ours_fills_the_window_and_a_retry_after_on_a_success_is_ignored() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 5, clock=clock, safety_margin=0, **RATE_HEADERS)
    limiter.observe(response(200, **{"x-rate-limit-count": "2", "Retry-After": "60"}))
    limiter.acquire()  # the third of the server's window
    assert clock.elapsed == 0
    limiter.acquire()
    assert clock.elapsed == 5
