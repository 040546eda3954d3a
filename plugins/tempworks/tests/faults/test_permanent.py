"""Permanent faults: bad credentials, a missing scope, unknown ids, a server gone.

Each raises its typed error promptly (no retry of what cannot succeed, bounded retries of what might),
naming the provider, the operation and what to do; a sync interrupted by one resumes from its saved cursor.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ats_core import AuthenticationFailed, NotFound, PermissionDenied, ProviderUnavailable
from ats_core.http import FakeClock
from ats_core.sync import SyncProgress, client_page_fetcher, load_state, run_sync

PAGE = 40


def _sync(client: Any, tmp_path: Path, **kwargs: Any) -> Any:
    return run_sync(
        client_page_fetcher(client, "candidates"),
        provider="tempworks",
        entity="candidates",
        output=tmp_path / "candidates.jsonl",
        state_path=tmp_path / "state.json",
        page_size=PAGE,
        **kwargs,
    )


def _synced_ids(tmp_path: Path) -> list[str]:
    lines = (tmp_path / "candidates.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["remote_id"] for line in lines]


def test_wrong_client_secret_is_authentication_failed_at_once(faulty_sandbox: Any, kit: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=50)
    with (
        kit.connect(sandbox, client_secret="not-the-secret-" + "0" * 16) as client,
        pytest.raises(AuthenticationFailed) as caught,
    ):
        list(client.stream_candidates())
    error = caught.value
    assert error.provider == "tempworks" and "stream_candidates" in str(error)
    assert "client_secret" in str(error), "the message says what to fix"
    assert sandbox.stats()["api_requests"] == 0, "no API request is sent without a token"
    assert sandbox.stats()["tokens_issued"] == 0
    leaks.check_error(error)
    assert "not-the-secret" not in str(error) + repr(error)


def test_wrong_personal_access_token_is_authentication_failed_without_retries(
    faulty_sandbox: Any, kit: Any, leaks: Any
) -> None:
    sandbox = faulty_sandbox(size=50)
    settings = {key: None for key in ("client_id", "client_secret", "tenant", "pid")}
    wrong = "x" * 40
    with kit.connect(sandbox, **settings, access_token=wrong) as client:
        with pytest.raises(AuthenticationFailed) as caught:
            client.get_candidate_by_id(str(sandbox.state.data.employees.first_id))
        assert kit.api_of(client).stats.requests == 1, "a 401 is not retried"
    assert caught.value.status_code == 401 and "get_candidate_by_id" in str(caught.value)
    assert wrong not in str(caught.value) + repr(caught.value)
    leaks.check_error(caught.value)


def test_missing_scope_is_permission_denied_naming_the_scope(faulty_sandbox: Any, kit: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=50, scopes="openid,profile,message-write")
    with kit.connect(sandbox) as client:
        with pytest.raises(PermissionDenied) as caught:
            list(client.stream_candidates())
        assert kit.api_of(client).stats.requests == 1, "a 403 is not retried"
    error = caught.value
    assert error.status_code == 403 and "stream_candidates" in str(error)
    assert "employee-read" in str(error), "the message names the scope to grant"
    leaks.check_error(error)


def test_unknown_id_is_not_found_naming_operation_and_path(faulty_sandbox: Any, kit: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=50)
    unknown = str(sandbox.state.data.employees.first_id + 10_000_000)
    with kit.connect(sandbox) as client:
        with pytest.raises(NotFound) as caught:
            client.get_candidate_by_id(unknown)
        assert kit.api_of(client).stats.requests == 1, "a 404 is not retried"
    error = caught.value
    assert "get_candidate_by_id" in str(error) and f"/Employees/{unknown}" in str(error)
    assert "check the id" in str(error)
    leaks.check_error(error)


def test_sync_resumes_after_a_wrong_secret_is_fixed(faulty_sandbox: Any, kit: Any, tmp_path: Path) -> None:
    sandbox = faulty_sandbox(size=120)
    with kit.connect(sandbox, client_secret="wrong") as client, pytest.raises(AuthenticationFailed):
        _sync(client, tmp_path)
    state = load_state(tmp_path / "state.json")
    assert state is not None and state.status == "running" and state.records == 0
    with kit.connect(sandbox) as client:
        result = _sync(client, tmp_path)
    ids = _synced_ids(tmp_path)
    assert result.resumed and result.state.status == "complete"
    assert len(ids) == len(set(ids)) and set(ids) == kit.employee_ids(sandbox)


def test_server_gone_mid_sync_is_provider_unavailable_and_the_cursor_resumes(
    faulty_sandbox: Any, kit: Any, tmp_path: Path, leaks: Any
) -> None:
    sandbox = faulty_sandbox(size=400)
    stop_after_pages = 3

    def stop_the_server(progress: SyncProgress) -> None:
        if progress.pages == stop_after_pages:
            sandbox.stop()

    with kit.connect(sandbox) as client:
        with pytest.raises(ProviderUnavailable) as caught:
            _sync(client, tmp_path, on_page=stop_the_server)
        stats = kit.api_of(client).stats
        attempts_on_the_dead_server = stats.requests - stop_after_pages
    error = caught.value
    print(f"\nserver gone: {attempts_on_the_dead_server} attempts, retried {dict(stats.retries)}: {error}")
    assert "fetch_candidates_page" in str(error)
    assert "saved cursor resumes" in str(error), "the message says what to do"
    assert attempts_on_the_dead_server == kit.FAST_RETRIES.max_attempts, "bounded retries, then the typed error"
    leaks.check_error(error)

    state = load_state(tmp_path / "state.json")
    assert state is not None and state.status == "running"
    assert state.pages == stop_after_pages and state.records == stop_after_pages * PAGE and state.cursor

    back = faulty_sandbox(size=400)  # same seed: the same tenant, on a new port
    with kit.connect(back) as client:
        result = _sync(client, tmp_path)
    ids = _synced_ids(tmp_path)
    duplicates = [remote_id for remote_id, seen in Counter(ids).items() if seen > 1]
    assert result.resumed and result.records_now == 400 - stop_after_pages * PAGE
    assert not duplicates and set(ids) == kit.employee_ids(back)


def test_the_plugins_own_retry_policy_gives_up_on_a_dead_server_within_its_bounds(
    faulty_sandbox: Any, kit: Any, leaks: Any
) -> None:
    sandbox = faulty_sandbox(size=10)
    sandbox.stop()
    clock = FakeClock()
    with kit.connect(sandbox, retry=None) as client:
        api = kit.api_of(client)
        api.clock = clock  # the backoff sleeps pass at once and are recorded
        with pytest.raises(ProviderUnavailable) as caught:
            client.get_candidate_by_id(str(sandbox.state.data.employees.first_id))
        policy, attempts = api.retry, api.stats.requests
    print(f"\ndead server, default policy: {attempts} attempts, {sum(clock.sleeps):.1f} s of backoff, {policy}")
    assert attempts == policy.max_attempts and len(clock.sleeps) == policy.max_attempts - 1
    assert sum(clock.sleeps) <= policy.max_elapsed_seconds
    assert f"after {attempts} attempt(s)" in str(caught.value) and "get_candidate_by_id" in str(caught.value)
    leaks.check_error(caught.value)
