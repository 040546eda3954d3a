"""Settings load from arguments, environment and TOML, with errors naming the setting to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr

from ats_core.errors import ConfigurationError
from ats_core.settings import load_settings


class DemoSettings(BaseModel):
    tenant: str
    client_secret: SecretStr
    page_size: int = 100


def test_arguments_win_over_environment_which_wins_over_toml(tmp_path: Path) -> None:
    toml = tmp_path / "ats.toml"
    toml.write_text('[demo]\ntenant = "from-toml"\nclient_secret = "s1"\npage_size = 5\n', encoding="utf-8")
    env = {"ATS_DEMO_TENANT": "from-env"}
    settings = load_settings("demo", DemoSettings, {"page_size": 7}, toml_path=toml, environ=env)
    assert (settings.tenant, settings.page_size, settings.client_secret.get_secret_value()) == ("from-env", 7, "s1")


def test_missing_setting_names_it_and_where_to_set_it() -> None:
    with pytest.raises(ConfigurationError, match=r"setting 'tenant' field required.*ATS_DEMO_TENANT.*\[demo\]"):
        load_settings("demo", DemoSettings, {"client_secret": "x"}, environ={})


def test_bad_value_never_echoes_a_secret() -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings(
            "demo", DemoSettings, {"tenant": "t", "client_secret": "hunter2", "page_size": "many"}, environ={}
        )
    assert "page_size" in str(excinfo.value)
    assert "hunter2" not in str(excinfo.value)


def test_unreadable_toml_is_a_configuration_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[demo\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="could not be read as TOML"):
        load_settings("demo", DemoSettings, toml_path=broken, environ={})


def test_a_toml_file_that_is_not_utf8_is_a_configuration_error_naming_it(tmp_path: Path) -> None:
    latin = tmp_path / "ats.toml"
    latin.write_bytes('[demo]\ntenant = "Zürich"\nclient_secret = "s"\n'.encode("latin-1"))
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings("demo", DemoSettings, toml_path=latin, environ={})
    assert str(latin) in str(excinfo.value) and "UTF-8" in str(excinfo.value)
    assert excinfo.value.__cause__ is None


@pytest.mark.parametrize("values", [["x"], "tenant=t", 42, ("tenant", "t")])
def test_settings_that_are_not_a_mapping_or_model_are_a_configuration_error(values: object) -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings("demo", DemoSettings, values, environ={})  # type: ignore[arg-type]
    assert excinfo.value.setting == "settings"
    assert "mapping" in str(excinfo.value) and "DemoSettings" in str(excinfo.value)
    assert type(values).__name__ in str(excinfo.value)
