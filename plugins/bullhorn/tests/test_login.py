"""Logging in as Bullhorn does, on httpx.MockTransport: sessions renewed, refresh tokens rotated and saved, typed failures."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ats_bullhorn.plugin import BullhornProvider
from ats_bullhorn.settings import BullhornSettings
from ats_bullhorn.token_file import read_refresh_token, write_refresh_token
from pydantic import SecretStr

from ats_core.sdk import errors

Build = Callable[..., BullhornProvider]


def test_a_session_that_expires_mid_stream_is_renewed_once_and_the_call_replayed(
    fake: Any, provider_for: Build
) -> None:
    provider = provider_for()
    assert provider.library.setting("userId") == 1
    first_token = fake.rest_calls[-1]
    fake.expire_sessions()
    assert provider.library.get("settings/corporationId") == {"userId": 1}
    assert fake.logins == 2, "one new login after the 401"
    assert fake.rest_calls[-2:] == [first_token, fake.rest_calls[-1]] and fake.rest_calls[-1] != first_token
    assert provider.chain.counts["code_flows"] == 1, "the access token was still good: no second code flow"


def test_an_expired_access_token_gets_a_new_one_before_logging_in_again(fake: Any, provider_for: Build) -> None:
    provider = provider_for()
    provider.library.setting("userId")
    fake.access_tokens.clear()  # Bullhorn forgot it (expired early): login answers 400 invalidOAuthToken
    fake.expire_sessions()
    assert provider.library.get("settings/x") == {"userId": 1}
    assert provider.chain.counts == {"logins": 2, "refresh_grants": 1, "code_flows": 1}


def test_the_rotated_refresh_token_is_saved_before_it_is_needed(fake: Any, provider_for: Build, tmp_path: Path) -> None:
    stored = tmp_path / "secrets" / "bullhorn-refresh-token"
    write_refresh_token(stored, SecretStr(fake.issue_refresh_token()))
    first = provider_for(refresh_token_file=stored)
    first.library.setting("userId")
    saved = read_refresh_token(stored)
    assert saved is not None and saved.get_secret_value() in fake.refresh_tokens, "the new token, not the spent one"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert [p.name for p in stored.parent.iterdir()] == [stored.name], "no temporary file left behind"
    second = provider_for(refresh_token_file=stored)  # a later run: the spent token would fail
    second.library.setting("userId")
    assert fake.logins == 2


def test_a_failed_write_keeps_the_old_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = tmp_path / "token"
    write_refresh_token(stored, SecretStr("old-token"))

    def crash(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(errors.ConfigurationError) as raised:
        write_refresh_token(stored, SecretStr("new-token"))
    assert raised.value.setting == "refresh_token_file" and "new-token" not in str(raised.value)
    assert stored.read_text() == "old-token\n"
    assert [p.name for p in tmp_path.iterdir()] == ["token"]


def test_a_refused_refresh_token_names_the_way_to_authorize_again(fake: Any, provider_for: Build) -> None:
    provider = provider_for(refresh_token="spent-long-ago")  # no password: no fallback
    with pytest.raises(errors.AuthenticationFailed) as raised:
        provider.library.setting("userId")
    assert "python -m ats_bullhorn.auth" in raised.value.hint
    assert "spent-long-ago" not in str(raised.value)


def test_a_refused_refresh_token_falls_back_to_the_code_flow_when_a_password_is_set(
    fake: Any, provider_for: Build
) -> None:
    provider = provider_for(refresh_token="spent-long-ago", password=fake.password)
    assert provider.library.setting("userId") == 1
    assert provider.chain.counts["code_flows"] == 1


@pytest.mark.parametrize(
    ("setup", "settings", "hint"),
    [
        ({}, {"client_id": "someone-else"}, "client_id"),
        ({}, {"password": "wrong"}, "username and password"),
        ({"authorize_page_error": "Invalid Redirect URI"}, {}, "redirect_uri"),
        ({"token_status": (401, {"error": "invalid_client"})}, {}, "client_secret"),
        ({"token_status": (400, {"error": "invalid_grant"})}, {}, "authorization code"),
    ],
    ids=["unknown client", "bad password", "redirect uri", "bad secret", "code refused"],
)
def test_login_failures_are_typed_and_name_what_to_fix(
    fake: Any, provider_for: Build, setup: dict[str, Any], settings: dict[str, Any], hint: str
) -> None:
    for name, value in setup.items():
        setattr(fake, name, value)
    provider = provider_for(**settings)
    with pytest.raises(errors.AuthenticationFailed) as raised:
        provider.library.setting("userId")
    assert hint in raised.value.hint
    text = f"{raised.value} {raised.value.body} {provider.chain!r} {provider.settings!r}"
    for secret in ("client-secret-value-9f3a", "api-password-value-77c1", "wrong"):
        assert secret not in text


def test_the_authorize_step_follows_a_wrong_data_centre_redirect(fake: Any, provider_for: Build) -> None:
    fake.wrong_data_centre = True
    assert provider_for().library.setting("userId") == 1


@pytest.mark.parametrize(
    ("values", "setting"),
    [({}, "refresh_token"), ({"username": "api.user"}, "password"), ({"password": "x"}, "refresh_token")],
)
def test_settings_without_a_way_to_a_token_name_what_to_set(values: dict[str, Any], setting: str) -> None:
    with pytest.raises(errors.ConfigurationError) as raised:
        BullhornSettings.model_validate({"client_id": "c", "client_secret": "s", **values})
    assert raised.value.setting == setting


def test_discovery_needs_the_username_or_both_hosts() -> None:
    base = {"client_id": "c", "client_secret": "s", "refresh_token": "r"}
    with pytest.raises(errors.ConfigurationError) as raised:
        BullhornSettings.model_validate(base)
    assert raised.value.setting == "username" and "oauth_url" in raised.value.problem
    hosts = {"oauth_url": "https://auth.bh.test/oauth", "rest_login_url": "https://rest.bh.test/rest-services"}
    assert BullhornSettings.model_validate({**base, **hosts}).username is None


def test_no_secret_reaches_the_logs(fake: Any, provider_for: Build, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    provider = provider_for()
    provider.library.setting("userId")
    fake.expire_sessions()
    provider.library.get("settings/x")
    held = provider.chain.secret_values()
    assert len(held) >= 4, "client secret, password, refresh, access and session tokens are held"
    logged = caplog.text + repr(provider.chain) + repr(provider.library.api)
    assert "expired" in caplog.text, "the renewal is logged"
    assert not [secret for secret in held if secret in logged]


@pytest.mark.parametrize("setting", ["client_secret", "password", "refresh_token", "username"])
def test_a_credential_that_cannot_travel_is_refused_naming_the_setting(setting: str) -> None:
    values = {"client_id": "c", "client_secret": "s", "username": "u", "password": "p", setting: "tok-9z\nQ"}
    with pytest.raises(errors.ConfigurationError) as raised:
        BullhornSettings.model_validate(values)
    assert raised.value.setting == setting and "tok-9z" not in str(raised.value)
