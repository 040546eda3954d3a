"""One rate limit per credential across processes, in Redis: ten workers on one tenant never draw a 429.

The sandbox enforces its limit (10 requests in any 1 s, per OAuth client) and answers 429 past it, so zero
429s is zero requests beyond the declared limit. The same ten workers each with their own limiter do
draw 429s: the test can tell sharing from not sharing. Needs Redis (ATS_TEST_REDIS_URL).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fleet_support import service_url
from pydantic import SecretStr

from ats_core.errors import RateLimited
from ats_core.http import OAuth2ClientCredentials
from ats_core.http.ratelimit import RateLimiter, limiter_for, use_shared_rate_limits
from ats_core.http.shared_ratelimit import SharedRateLimiter, credential_key, shared_store
from ats_core.sandbox import SandboxOptions, available_sandboxes, start_sandbox

CLIENT = Path(__file__).with_name("limited_client.py")
WORKERS, PAGES, LIMIT = 10, 3, 10


@pytest.fixture
def redis_url() -> str:
    return service_url("ATS_TEST_REDIS_URL", "Redis")


@pytest.fixture
def tenant() -> Iterator[Any]:
    if "tempworks" not in available_sandboxes():
        pytest.skip("the TempWorks sandbox is not installed")
    running = start_sandbox("tempworks", SandboxOptions(size=100, faults={"rate_limit": f"{LIMIT}/1"}))
    try:
        yield running
    finally:
        running.stop()


def run_workers(settings: dict[str, Any], redis_url: str | None) -> None:
    """Ten processes, started together once all are connected, each reading PAGES pages of the tenant."""
    arguments = [sys.executable, str(CLIENT), json.dumps(settings), str(PAGES), *([redis_url] if redis_url else [])]
    workers = [
        subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(WORKERS)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in workers:
            output, _ = worker.communicate(timeout=120)
            assert worker.returncode == 0 and output.strip() == "done"
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=60)


def test_ten_workers_sharing_the_tenants_limit_draw_no_429(tenant: Any, redis_url: str) -> None:
    settings = {**tenant.settings, "requests_per_window": LIMIT, "window_seconds": 1}
    run_workers(settings, redis_url)
    stats = tenant.stats()
    assert stats["injected"].get("rate_limited", 0) == 0
    assert stats["api_requests"] >= WORKERS * PAGES


def test_ten_workers_each_with_its_own_limiter_do_draw_429s(tenant: Any) -> None:
    settings = {**tenant.settings, "requests_per_window": LIMIT, "window_seconds": 1}
    run_workers(settings, None)
    assert tenant.stats()["injected"].get("rate_limited", 0) > 0


def oauth(tenant: str, secret: str = "s3cret-value") -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(
        "http://127.0.0.1:9/connect/token", "client-7", SecretStr(secret), extra_form={"acr_values": f"tenant:{tenant}"}
    )


def test_tokens_of_one_client_for_one_tenant_share_a_key_and_the_key_holds_no_secret() -> None:
    origin = "http://127.0.0.1:9"
    acme = credential_key(origin, oauth("acme").credential_identity())
    assert acme == credential_key(origin, oauth("acme", secret="rotated").credential_identity())
    assert acme != credential_key(origin, oauth("globex").credential_identity())
    assert "s3cret" not in acme and "acme" not in acme


def test_a_connection_shares_its_limit_only_when_the_process_does(redis_url: str) -> None:
    local = RateLimiter(25, 5)
    assert limiter_for(local, "http://127.0.0.1:9", ("id",)) is local
    use_shared_rate_limits(redis_url)
    try:
        shared = limiter_for(local, "http://127.0.0.1:9", ("id",))
    finally:
        use_shared_rate_limits(None)
    assert isinstance(shared, SharedRateLimiter)
    assert (shared.allowed, shared.window) == (25, 6.0)  # 5 s and the 5 % safety margin, in whole seconds


def limiter(redis_url: str, name: str, requests: int = 3) -> SharedRateLimiter:
    return SharedRateLimiter(
        RateLimiter(requests, 60, count_header="x-rate-limit-count"), f"test-{name}", shared_store(redis_url), where="t"
    )


@pytest.fixture
def fresh_credential(redis_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A credential of its own; the store taken as long-lived (a reborn store would hold the test a window)."""
    name = f"{request.node.name}-{id(request)}"
    shared_store(redis_url).get_connection().set("ats-rate:store-born", "0")
    yield name
    store = shared_store(redis_url)
    for key in store.get_connection().scan_iter(f"ats-rate*test-{name}*"):
        store.get_connection().delete(key)


def test_a_server_pause_holds_every_process_using_the_credential(redis_url: str, fresh_credential: str) -> None:
    first, second = limiter(redis_url, fresh_credential), limiter(redis_url, fresh_credential)
    first.observe(httpx.Response(429, headers={"retry-after": "30"}))
    assert 25 < second.paused_for() <= 30
    with pytest.raises(RateLimited, match="longer than its retry budget"):
        second.begin(max_wait=1)


def test_requests_the_server_counted_beyond_the_shared_count_fill_the_window(
    redis_url: str, fresh_credential: str
) -> None:
    first, second = limiter(redis_url, fresh_credential, 4), limiter(redis_url, fresh_credential, 4)
    assert first.begin(max_wait=0) == 0  # 1 of the 4 allowed
    first.observe(httpx.Response(200, headers={"x-rate-limit-count": "4"}))  # the server saw 4
    with pytest.raises(RateLimited):
        second.begin(max_wait=0)


def test_a_store_out_of_reach_holds_requests_then_says_which(redis_url: str) -> None:
    unreachable = SharedRateLimiter.like(RateLimiter(5, 1), "x", "redis://127.0.0.1:9/0")  # nothing listens on 9
    with pytest.raises(RateLimited, match=r"store \(Redis at 127\.0\.0\.1\) cannot be reached"):
        unreachable.begin(max_wait=0.2)


def test_a_reset_is_waited_for_only_when_the_server_counts_more_than_redis(
    redis_url: str, fresh_credential: str
) -> None:
    declared = RateLimiter(3, 60, remaining_header="x-rate-limit-remaining", reset_header="x-rate-limit-reset")
    nothing_left_for_30_s = httpx.Response(200, headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": "30"})
    paused = {}
    for sent in (3, 2):  # the server counts 3: as Redis does, then one more than Redis does
        limiter = SharedRateLimiter(declared, f"test-{fresh_credential}-{sent}", shared_store(redis_url), where="t")
        for _ in range(sent):
            limiter.begin(max_wait=0)
        limiter.observe(nothing_left_for_30_s)
        paused[sent] = limiter.paused_for()
    assert paused[3] == 0  # Redis frees a place no earlier than the server; its clock may be off ours
    assert 25 < paused[2] <= 30
