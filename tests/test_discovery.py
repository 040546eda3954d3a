"""Providers are found only through entry-point metadata; broken or duplicate plugins are reported and skipped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_providers import ACME_PROVIDER_SOURCE, write_distribution

import ats_core
from ats_core.errors import CapabilityNotSupported, PluginError
from ats_core.operations import OPERATION_NAMES
from ats_core.registry import discover, load_provider

GROUP = "ats_core.providers"


@pytest.fixture
def acme_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_distribution(
        tmp_path, "acme-ats", {GROUP: {"acme": "acme_ats:AcmeProvider"}}, {"acme_ats.py": ACME_PROVIDER_SOURCE}
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_a_provider_known_only_by_metadata_is_discovered_and_usable(acme_path: Path) -> None:
    found = discover()
    assert "acme" in found.providers
    assert found.providers["acme"].distribution == "acme-ats"
    with ats_core.connect("acme") as client:
        assert client.get_candidate_by_id("7").first_name == "Ada"
        with pytest.raises(CapabilityNotSupported, match="Acme has no stream_candidates"):
            client.stream_candidates()


def test_ats_providers_json_lists_it_in_a_fresh_process(acme_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ats_core", "providers", "--json"],
        env={"PYTHONPATH": str(acme_path), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    providers = {p["name"]: p for p in json.loads(out)["providers"]}
    assert providers["acme"]["counts"]["supported"] == 1
    assert providers["acme"]["counts"]["unsupported_by_provider"] == len(OPERATION_NAMES) - 1


def test_a_broken_plugin_is_reported_and_skipped(
    acme_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path_factory.mktemp("broken")
    write_distribution(
        broken,
        "broken-ats",
        {GROUP: {"broken": "broken_ats:Provider"}},
        {"broken_ats.py": "raise RuntimeError('boom')\n"},
    )
    monkeypatch.syspath_prepend(str(broken))
    found = discover()
    assert "acme" in found.providers
    [error] = [e for e in found.errors if e.name == "broken"]
    assert error.entry_point == "broken_ats:Provider"
    assert "boom" in error.error
    with pytest.raises(PluginError, match="broken.*could not be loaded.*boom"):
        load_provider("broken")


def test_a_lying_plugin_is_reported_naming_the_operation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lying = ACME_PROVIDER_SOURCE.replace(
        'SUPPORTED = {"get_candidate_by_id"}', 'SUPPORTED = {"get_candidate_by_id", "stream_jobs"}'
    )
    write_distribution(tmp_path, "liar-ats", {GROUP: {"acme": "liar_ats:AcmeProvider"}}, {"liar_ats.py": lying})
    monkeypatch.syspath_prepend(str(tmp_path))
    [error] = [e for e in discover().errors if e.name == "acme"]
    assert "'stream_jobs': declared 'supported' but has no hookimpl" in error.error


def test_two_plugins_claiming_one_name_is_a_reported_error(
    acme_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = tmp_path_factory.mktemp("twin")
    write_distribution(
        twin, "acme-twin", {GROUP: {"acme": "acme_twin:AcmeProvider"}}, {"acme_twin.py": ACME_PROVIDER_SOURCE}
    )
    monkeypatch.syspath_prepend(str(twin))
    found = discover()
    assert "acme" not in found.providers
    assert sum("more than one plugin" in e.error for e in found.errors if e.name == "acme") == 2


def test_an_unknown_provider_names_the_installed_ones() -> None:
    with pytest.raises(PluginError, match="no such provider installed"):
        load_provider("no-such-ats")
