"""Settings validation names the setting to fix; the core finds the plugin through its installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from ats_tempworks.manifest import MANIFEST
from ats_tempworks.settings import TempWorksSettings

from ats_core.errors import ConfigurationError
from ats_core.manifest import OperationStatus
from ats_core.operations import OPERATION_NAMES
from ats_core.registry import PROVIDER_GROUP, discover
from ats_core.settings import load_settings

SECRET = "s3cret-value"
OAUTH = {"client_id": "cid", "client_secret": SECRET, "tenant": "acme", "pid": "pid-1"}

# The header names TempWorks sends (a provider declares its own; the core assumes none).
RATE_HEADERS = {
    "remaining_header": "x-rate-limit-remaining",
    "reset_header": "x-rate-limit-reset",
    "count_header": "x-rate-limit-count",
}


@pytest.mark.parametrize(
    ("values", "setting"),
    [
        ({}, "client_id"),
        ({"client_id": "cid", "client_secret": SECRET, "pid": "pid-1"}, "tenant"),
        ({"client_id": "cid", "tenant": "acme", "pid": "p"}, "client_secret"),
        ({**OAUTH, "base_url": "http://api.example.com/"}, "base_url"),
        ({**OAUTH, "token_url": "ftp://login.example.com/token"}, "token_url"),
        ({"access_token": "t", "account_sid": "sid", "auth_token": "a"}, "account_sid"),
        ({"account_sid": "sid"}, "auth_token"),
        ({"access_token": "t", "time_zone": "Central"}, "time_zone"),
    ],
)
def test_invalid_settings_name_the_setting(values: dict[str, Any], setting: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings("tempworks", TempWorksSettings, values, environ={})
    assert caught.value.setting == setting
    assert SECRET not in str(caught.value)


def test_loopback_http_is_allowed_and_secrets_stay_hidden() -> None:
    settings = TempWorksSettings(base_url="http://127.0.0.1:8080", access_token="very-secret-token")
    assert settings.base_url == "http://127.0.0.1:8080/"
    assert settings.auth_method == "header_token"
    assert "very-secret-token" not in repr(settings)
    assert TempWorksSettings(**OAUTH).token_url == "https://login.ontempworks.com/connect/token"


def test_settings_come_from_the_environment() -> None:
    environ = {"ATS_TEMPWORKS_ACCOUNT_SID": "sid", "ATS_TEMPWORKS_AUTH_TOKEN": "tok", "ATS_TEMPWORKS_PAGE_SIZE": "200"}
    settings = load_settings("tempworks", TempWorksSettings, None, environ=environ)
    assert settings.auth_method == "basic" and settings.page_size == 200


def test_manifest_declares_every_operation_with_reasons() -> None:
    counts = MANIFEST.counts()
    assert sum(counts.values()) == len(OPERATION_NAMES)
    assert counts[OperationStatus.SUPPORTED] + counts[OperationStatus.BASIC] >= 20
    for name, declaration in MANIFEST.operations.items():
        if declaration.status is OperationStatus.BASIC and "GET /Assignments/{id}" in declaration.reason:
            assert "endpoint shape inferred" in declaration.reason, name
    assert MANIFEST.rate_limit is not None and MANIFEST.rate_limit.requests == 25
    assert MANIFEST.field_mappings


def test_the_installed_entry_point_is_how_the_core_finds_the_plugin() -> None:
    found = [ep for ep in entry_points(group=PROVIDER_GROUP) if ep.name == "tempworks"]
    assert len(found) == 1
    assert found[0].value == "ats_tempworks.plugin:TempWorksProvider"
    assert found[0].dist is not None and found[0].dist.metadata["Name"] == "ats-tempworks"
    discovery = discover()
    loaded = discovery.providers["tempworks"]
    assert loaded.entry_point == "ats_tempworks.plugin:TempWorksProvider"
    assert loaded.distribution == "ats-tempworks"
    assert loaded.manifest.version == found[0].dist.version
    assert not [e for e in discovery.errors if e.name == "tempworks"]


def test_ats_providers_lists_tempworks() -> None:
    ats = Path(sys.executable).with_name("ats")
    command = [str(ats)] if ats.exists() else [sys.executable, "-m", "ats_core.cli"]
    result = subprocess.run([*command, "providers", "--json"], capture_output=True, text=True, timeout=60, check=True)
    listed = {p["name"]: p for p in json.loads(result.stdout)["providers"]}
    assert listed["tempworks"]["display_name"] == "TempWorks"
    assert listed["tempworks"]["distribution"] == "ats-tempworks"


NUMBERS = [
    *((name, bad) for name in ("lookback_seconds", "window_seconds", "retry_max_seconds") for bad in ("inf", 1e300)),
    *(
        (name, bad)
        for name in ("retry_base_delay_seconds", "retry_max_delay_seconds", "timeout_seconds")
        for bad in ("nan", float("inf"), 1e300, -1)
    ),
    ("search_timeout_seconds", "Infinity"),
    ("connect_timeout_seconds", float("nan")),
    *((name, True) for name in ("page_size", "prefetch", "requests_per_window", "retry_attempts")),
    ("max_attachment_bytes", False),
    ("attachment_document_type_id", True),
    ("window_seconds", True),
    ("retry_attempts", 10**9),
    ("requests_per_window", 10**9),
]


@pytest.mark.parametrize(("setting", "bad"), NUMBERS)
def test_non_finite_absurd_or_boolean_numbers_are_refused_naming_the_setting(setting: str, bad: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings("tempworks", TempWorksSettings, {**OAUTH, setting: bad}, environ={})
    assert caught.value.setting == setting


def test_the_largest_numbers_the_settings_take_are_taken_by_the_http_layer() -> None:
    from ats_core.http import RateLimiter, RetryPolicy, Timeouts

    fields = TempWorksSettings.model_fields
    largest = {name: _upper_bound(fields[name]) for name in fields if _upper_bound(fields[name]) is not None}
    settings = load_settings("tempworks", TempWorksSettings, {**OAUTH, **largest}, environ={})
    RateLimiter(settings.requests_per_window, settings.window_seconds, **RATE_HEADERS)
    RetryPolicy(
        max_attempts=settings.retry_attempts,
        max_elapsed_seconds=settings.retry_max_seconds,
        base_delay=settings.retry_base_delay_seconds,
        max_delay=settings.retry_max_delay_seconds,
    )
    Timeouts(
        default=settings.timeout_seconds,
        slow=settings.search_timeout_seconds,
        connect=settings.connect_timeout_seconds,
    )
    assert {"lookback_seconds", "window_seconds", "timeout_seconds", "retry_attempts"} <= largest.keys()


def _upper_bound(field: Any) -> float | None:
    return next((getattr(item, "le", None) for item in field.metadata if getattr(item, "le", None) is not None), None)


def test_numbers_from_the_environment_are_still_read_as_text() -> None:
    environ = {"ATS_TEMPWORKS_ACCESS_TOKEN": "t", "ATS_TEMPWORKS_PREFETCH": "3", "ATS_TEMPWORKS_WINDOW_SECONDS": "2.5"}
    settings = load_settings("tempworks", TempWorksSettings, None, environ=environ)
    assert (settings.prefetch, settings.window_seconds) == (3, 2.5)


@pytest.mark.parametrize("setting", ["client_id", "client_secret", "tenant", "pid"])
@pytest.mark.parametrize("bad", ["value\n", "val\r\nue", "\x00value", " value"])
def test_oauth_values_with_control_characters_are_refused_without_showing_them(setting: str, bad: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings("tempworks", TempWorksSettings, {**OAUTH, setting: bad}, environ={})
    assert caught.value.setting == setting
    assert "value" not in str(caught.value) and "line break" in str(caught.value)


@pytest.mark.parametrize(
    ("values", "setting"),
    [
        ({"access_token": "zq-1\n"}, "access_token"),
        ({"account_sid": "zq-1\r\n", "auth_token": "zq-2"}, "account_sid"),
        ({"account_sid": "zq-1", "auth_token": "zq-2\n"}, "auth_token"),
        ({"account_sid": "zq:1", "auth_token": "zq-2"}, "account_sid"),
    ],
)
def test_static_credentials_that_cannot_travel_in_a_header_are_refused(values: dict[str, str], setting: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings("tempworks", TempWorksSettings, values, environ={})
    assert caught.value.setting == setting
    assert "zq" not in str(caught.value)
