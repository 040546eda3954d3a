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


UNVALIDATED_MANIFEST_SOURCE = (
    ACME_PROVIDER_SOURCE.replace("class AcmeProvider(Provider):", "class Unchecked(Provider):")
    + """
operations = dict(Unchecked.manifest.operations)
del operations["stream_jobs"]
AcmeProvider = type("AcmeProvider", (Unchecked,), {
    "manifest": ProviderManifest.model_construct(**{**dict(Unchecked.manifest), "name": "bent", "operations": operations})
})
"""
)

RAISING_PROVIDER_SOURCE = """
from ats_core import Provider

class Meta(type):
    @property
    def manifest(cls):
        raise RuntimeError("manifest service down")

class RaisingProvider(Provider, metaclass=Meta):
    pass
"""


@pytest.fixture
def bad_plugins(acme_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Beside the honest acme: a model_construct manifest, a class that raises, an import that asserts."""
    bad = tmp_path_factory.mktemp("bad")
    write_distribution(
        bad, "bent-ats", {GROUP: {"bent": "bent_ats:AcmeProvider"}}, {"bent_ats.py": UNVALIDATED_MANIFEST_SOURCE}
    )
    write_distribution(
        bad,
        "raising-ats",
        {GROUP: {"raising": "raising_ats:RaisingProvider"}},
        {"raising_ats.py": RAISING_PROVIDER_SOURCE},
    )
    write_distribution(
        bad, "asserting-ats", {GROUP: {"asserting": "asserting_ats:P"}}, {"asserting_ats.py": "assert False, 'no'\n"}
    )
    monkeypatch.syspath_prepend(str(bad))
    return bad


def test_each_malformed_plugin_is_its_own_load_error_and_the_rest_still_work(bad_plugins: Path) -> None:
    found = discover()
    assert "acme" in found.providers
    errors = {e.name: e.error for e in found.errors}
    assert "the manifest does not validate" in errors["bent"] and "stream_jobs" in errors["bent"]
    assert errors["raising"] == "validation raised RuntimeError: manifest service down"
    assert "AssertionError('no')" in errors["asserting"]
    with ats_core.connect("acme") as client:
        assert client.get_candidate_by_id("7").remote_id == "7"


def test_ats_providers_and_matrix_check_survive_malformed_plugins(bad_plugins: Path, acme_path: Path) -> None:
    env = {"PYTHONPATH": f"{bad_plugins}", "PATH": ""}
    listed = subprocess.run(
        [sys.executable, "-m", "ats_core", "providers", "--json"], env=env, capture_output=True, text=True, check=True
    )
    payload = json.loads(listed.stdout)
    assert {e["name"] for e in payload["errors"]} == {"bent", "raising", "asserting"}
    assert {p["name"] for p in payload["providers"]} >= {"example", "tempworks"}
    root = Path(__file__).resolve().parents[1]
    checked = subprocess.run(
        [sys.executable, "-m", "ats_core", "matrix", "--check"], env=env, cwd=root, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "skipping provider 'bent'" in checked.stderr and "Traceback" not in checked.stderr


def test_two_distributions_declaring_the_same_name_and_target_are_reported(
    acme_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path_factory.mktemp("copy")
    write_distribution(copy, "acme-copy", {GROUP: {"acme": "acme_ats:AcmeProvider"}}, {})
    monkeypatch.syspath_prepend(str(copy))
    found = discover()
    assert "acme" not in found.providers
    [error] = [e for e in found.errors if e.name == "acme"]
    assert "more than one plugin" in error.error
    assert "acme-ats (acme_ats:AcmeProvider)" in error.error and "acme-copy (acme_ats:AcmeProvider)" in error.error
