"""Connection settings from arguments, environment variables (`ATS_<PROVIDER>_<FIELD>`) or a TOML file."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, ValidationError

from ats_core.errors import ConfigurationError
from ats_core.fields import resolve_time_zone

__all__ = ["Seconds", "TimeZoneName", "Whole", "env_prefix", "load_settings"]


def _not_a_bool(value: object) -> object:
    """Refuse true/false where a number is meant (pydantic would read True as 1)."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


Whole = Annotated[int, BeforeValidator(_not_a_bool)]
"""An integer setting: from a number or numeric text, never from a bool."""
Seconds = Annotated[float, BeforeValidator(_not_a_bool), Field(allow_inf_nan=False)]
"""A duration setting: finite, never a bool."""


def _known_zone(value: str) -> str:
    try:
        resolve_time_zone(value)
    except ValueError as error:
        raise ConfigurationError("time_zone", str(error)) from None
    return value


TimeZoneName = Annotated[str, AfterValidator(_known_zone)]
"""An IANA time zone name setting (e.g. 'America/Chicago'); an unknown one is a ConfigurationError."""

SettingsT = TypeVar("SettingsT", bound=BaseModel)


def env_prefix(provider: str) -> str:
    """The environment-variable prefix of a provider's settings, e.g. `ATS_TEMPWORKS_`."""
    return f"ATS_{provider.upper()}_"


def _from_env(provider: str, model: type[BaseModel], environ: Mapping[str, str]) -> dict[str, Any]:
    prefix = env_prefix(provider)
    return {name: environ[prefix + name.upper()] for name in model.model_fields if prefix + name.upper() in environ}


def _from_toml(provider: str, path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigurationError(
            str(path), "is not UTF-8 text; TOML files must be saved as UTF-8", provider=provider
        ) from None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigurationError(str(path), f"could not be read as TOML: {error}", provider=provider) from None
    section = data.get(provider, {})
    if not isinstance(section, dict):
        raise ConfigurationError(f"[{provider}]", f"in {path} must be a table", provider=provider)
    return section


def load_settings(
    provider: str,
    model: type[SettingsT],
    values: Mapping[str, Any] | BaseModel | None = None,
    *,
    toml_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> SettingsT:
    """Validate settings; explicit values win over the environment, which wins over the TOML file."""
    if isinstance(values, model):
        return values
    if values is not None and not isinstance(values, Mapping | BaseModel):
        raise ConfigurationError(
            "settings",
            f"must be a mapping (e.g. a dict) or a {model.__name__} instance, got a {type(values).__name__}",
            provider=provider,
        )
    merged: dict[str, Any] = {}
    if toml_path is not None:
        merged.update(_from_toml(provider, Path(toml_path)))
    merged.update(_from_env(provider, model, os.environ if environ is None else environ))
    if isinstance(values, BaseModel):
        merged.update(values.model_dump())
    elif values is not None:
        merged.update(values)
    try:
        return model.model_validate(merged)
    except ConfigurationError as error:  # raised by a provider's own validator: name the provider here
        error.provider = error.provider or provider
        raise
    except ValidationError as error:
        first = error.errors()[0]
        setting = ".".join(str(part) for part in first["loc"]) or "settings"
        hint = f"set it in the arguments, {env_prefix(provider)}{setting.upper()} or the TOML table [{provider}]"
        raise ConfigurationError(setting, f"{first['msg'].lower()}; {hint}", provider=provider) from None
