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
from ats_core.registry import PROVIDER_GROUP, discover
from ats_core.settings import load_settings

SECRET = "s3cret-value"
OAUTH = {"client_id": "cid", "client_secret": SECRET, "tenant": "acme", "pid": "pid-1"}


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
    assert sum(counts.values()) == 30
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
