"""The connections file: named tenant connections with their provider, settings, secret references and schedules.

A TOML file, one table per connection::

    [connections.acme-tempworks]
    provider = "tempworks"
    reconcile_every = "1d"        # a full pass (the one that finds deleted records) at least this often

    [connections.acme-tempworks.settings]
    tenant = "acme"
    client_id = "3f6c..."

    [connections.acme-tempworks.secrets]
    client_secret = { env = "ACME_TEMPWORKS_CLIENT_SECRET" }
    # or { file = "secrets.toml", key = "acme.client_secret" }; a file without `key` is read whole

    [connections.acme-tempworks.streams]
    candidates = { every = "15m" }
    jobs = { every = "1h", reconcile_every = "7d" }

Secrets are references: this file, the database, logs and reprs hold a variable name or a path, never a
value. Values are read when a connection is opened, and a setting the provider types as a secret is refused
in `settings`.
"""

from __future__ import annotations

import os
import re
import tomllib
import typing
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretBytes,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ats_core.client import ATSClient, connect
from ats_core.errors import ATSError, ConfigurationError
from ats_core.models import RejectedRecord
from ats_core.registry import load_provider
from ats_core.rejects import OnInvalid
from ats_core.sync import ENTITY_OPERATIONS

__all__ = [
    "Connection",
    "ConnectionsFile",
    "ConnectionsFileError",
    "SecretNotFound",
    "SecretReference",
    "StreamSchedule",
    "format_interval",
    "load_connections",
    "parse_interval",
]

_INTERVAL = re.compile(r"(?:\d+(?:\.\d+)?[smhd])+")
_INTERVAL_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_INTERVAL_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
DEFAULT_RECONCILE_EVERY = timedelta(days=1)


class ConnectionsFileError(ATSError):
    """The connections file cannot be read, does not validate, or has no connection of that name."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__()
        self.path = Path(path)
        self.problem = problem

    def describe(self) -> str:
        """The file and what is wrong with it."""
        return f"connections file {self.path}: {self.problem}"


class SecretNotFound(ConfigurationError):
    """A secret a connection references is not there: an unset variable, a missing file or key."""

    def __init__(self, connection: str, provider: str, setting: str, problem: str) -> None:
        self.connection = connection
        super().__init__(
            setting,
            f"of connection '{connection}' {problem}; fix it, or the reference in [connections.{connection}.secrets]",
            provider=provider,
        )


def parse_interval(value: object) -> object:
    """`30s`, `15m`, `2h`, `1d`, `1h30m` as a timedelta; anything else is left to pydantic (seconds, `PT15M`)."""
    if isinstance(value, str) and _INTERVAL.fullmatch(value.strip()):
        parts = _INTERVAL_PART.findall(value)
        return sum((timedelta(**{_INTERVAL_UNITS[unit]: float(count)}) for count, unit in parts), timedelta())
    return value


def format_interval(value: timedelta) -> str:
    """A duration as `parse_interval` reads it back: `15m`, `1h30m`, `1d`, `45s`."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or f"{value.total_seconds():g}s"


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be longer than zero (e.g. 15m, 1h, 1d)")
    return value


Interval = Annotated[timedelta, BeforeValidator(parse_interval), AfterValidator(_positive)]
"""A positive duration: `30s`, `15m`, `2h`, `1d`, a number of seconds, or ISO 8601 (`PT15M`)."""


class SecretReference(BaseModel):
    """Where a secret is: an environment variable (`env`), or a file (`file`), read whole or at a TOML `key`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="an environment variable's name")
    file: Path | None = Field(None, description="relative paths start at the connections file's directory")
    key: str | None = Field(None, min_length=1, description="dotted key in a TOML file, e.g. acme.client_secret")

    @field_validator("file")
    @classmethod
    def _beside_the_connections_file(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        base = (info.context or {}).get("base_dir")
        return value if value is None or value.is_absolute() or base is None else Path(base) / value

    @model_validator(mode="after")
    def _one_place(self) -> SecretReference:
        if (self.env is None) == (self.file is None):
            raise ValueError('give exactly one of env = "VARIABLE" or file = "path" (with key = "dotted.key" for TOML)')
        if self.key is not None and self.file is None:
            raise ValueError("key needs a file")
        return self

    def describe(self) -> str:
        """Where the value comes from, for listings and errors."""
        if self.env is not None:
            return f"environment variable {self.env}"
        return f"file {self.file}" + (f" key {self.key}" if self.key else "")

    def read(self, environ: Mapping[str, str]) -> str:
        """The value; LookupError saying what is missing."""
        if self.env is not None:
            if self.env not in environ:
                raise LookupError(f"reads the environment variable {self.env}, which is not set")
            return environ[self.env]
        assert self.file is not None  # _one_place
        try:
            text = self.file.read_text(encoding="utf-8")
        except OSError as error:
            raise LookupError(f"reads the file {self.file}, which cannot be read ({error.strerror})") from None
        if self.key is None:
            return text.strip()
        try:
            value: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise LookupError(f"reads the file {self.file}, which is not TOML ({error})") from None
        for part in self.key.split("."):
            if not isinstance(value, dict) or part not in value:
                raise LookupError(f"reads the key {self.key} of {self.file}, which it does not have")
            value = value[part]
        if not isinstance(value, str):
            raise LookupError(f"reads the key {self.key} of {self.file}, which is not a string")
        return value


class StreamSchedule(BaseModel):
    """How often one stream of a connection is brought up to date, and how often it is read in full."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: Interval = Field(description="an incremental run at least this often")
    reconcile_every: Interval | None = Field(None, description="a full pass this often; the connection's if unset")
    page_size: int | None = Field(None, ge=1, description="records per request; the provider's default if unset")


class Connection(BaseModel):
    """One tenant of one provider: its settings, secret references and the streams kept in sync."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    provider: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="an installed provider (see `ats providers`)")
    settings: dict[str, Any] = Field(default_factory=dict, description="the provider's settings, secrets excluded")
    secrets: dict[str, SecretReference] = Field(default_factory=dict, description="setting name -> where its value is")
    streams: dict[str, StreamSchedule] = Field(min_length=1, description="stream -> schedule, in declaration order")
    reconcile_every: Interval = Field(DEFAULT_RECONCILE_EVERY, description="a full pass of each stream this often")
    on_invalid: OnInvalid = Field("quarantine", description="a record that fails validation: quarantine or raise")

    @field_validator("streams")
    @classmethod
    def _known_streams(cls, value: dict[str, StreamSchedule]) -> dict[str, StreamSchedule]:
        unknown = [name for name in value if name not in ENTITY_OPERATIONS]
        if unknown:
            raise ValueError(f"unknown stream {', '.join(unknown)}; streams are {', '.join(ENTITY_OPERATIONS)}")
        return value

    @model_validator(mode="after")
    def _each_setting_once(self) -> Connection:
        both = sorted(set(self.settings) & set(self.secrets))
        if both:
            raise ValueError(f"{', '.join(both)} set both in settings and in secrets; keep one")
        return self

    def reconcile_interval(self, stream: str) -> timedelta:
        """How often `stream` is read in full: its own interval, else the connection's."""
        return self.streams[stream].reconcile_every or self.reconcile_every

    def resolve_secrets(self, environ: Mapping[str, str] | None = None) -> dict[str, str]:
        """Every secret's value, read now; SecretNotFound naming the first one missing."""
        environ = os.environ if environ is None else environ
        values = {}
        for setting, reference in self.secrets.items():
            try:
                values[setting] = reference.read(environ)
            except LookupError as missing:
                raise SecretNotFound(self.name, self.provider, setting, str(missing)) from None
        return values

    def provider_settings(self, model: type[BaseModel], environ: Mapping[str, str] | None = None) -> BaseModel:
        """The provider's settings model from `settings` and the resolved secrets; nothing from ATS_* variables.

        A setting the model types as a secret must come from `secrets`, so that no value sits in the file.
        """
        in_the_clear = sorted(name for name in self.settings if _is_secret(model, name))
        if in_the_clear:
            raise ConfigurationError(
                in_the_clear[0],
                f"of connection '{self.name}' is a secret: move it from [connections.{self.name}.settings] to "
                f'[connections.{self.name}.secrets] as {{ env = "VARIABLE" }} or {{ file = "...", key = "..." }}',
                provider=self.provider,
            )
        values = {**self.settings, **self.resolve_secrets(environ)}
        try:
            return model.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            setting = ".".join(str(part) for part in first["loc"]) or "settings"
            where = f"[connections.{self.name}.settings] or [connections.{self.name}.secrets]"
            problem = f"of connection '{self.name}' {first['msg'].lower()}; set it in {where}"
            raise ConfigurationError(setting, problem, provider=self.provider) from None
        except ConfigurationError as error:
            problem = f"of connection '{self.name}' {error.problem}"
            raise ConfigurationError(error.setting, problem, provider=self.provider) from None

    def connect(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        quarantine: Callable[[RejectedRecord], None] | None = None,
    ) -> ATSClient:
        """A client for this connection: its provider, settings and secrets, and its invalid-record policy."""
        loaded = load_provider(self.provider)
        settings = self.provider_settings(loaded.provider_class.settings_model, environ)
        return connect(self.provider, settings, on_invalid=self.on_invalid, quarantine=quarantine)


def _is_secret(model: type[BaseModel], setting: str) -> bool:
    field = model.model_fields.get(setting)
    if field is None:
        return False
    kinds = {field.annotation, *typing.get_args(field.annotation)}
    return bool(kinds & {SecretStr, SecretBytes})


class ConnectionsFile(BaseModel):
    """Every connection of a connections file, by name, in the file's order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    connections: dict[str, Connection]

    @model_validator(mode="before")
    @classmethod
    def _names_from_table_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("connections"), dict):
            tables = data["connections"]
            for name, table in tables.items():
                if isinstance(table, dict) and table.get("name", name) != name:
                    raise ValueError(f"[connections.{name}] has name = {table['name']!r}; leave name out")
            named = {
                name: {**table, "name": name} if isinstance(table, dict) else table for name, table in tables.items()
            }
            data = {**data, "connections": named}
        return data

    def get(self, name: str) -> Connection:
        """The connection called `name`; ConnectionsFileError listing the names when there is none."""
        try:
            return self.connections[name]
        except KeyError:
            known = ", ".join(self.connections) or "none"
            raise ConnectionsFileError(self.path, f"has no connection '{name}'; it has: {known}") from None


def load_connections(path: Path | str) -> ConnectionsFile:
    """Read and validate a connections file; ConnectionsFileError naming the table and field that are wrong."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConnectionsFileError(path, f"cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConnectionsFileError(path, f"is not TOML ({error})") from None
    if "connections" not in data:
        raise ConnectionsFileError(path, "has no [connections.NAME] table; see `ats connections --help`")
    try:
        return ConnectionsFile.model_validate({**data, "path": path}, context={"base_dir": path.parent})
    except ValidationError as error:
        raise ConnectionsFileError(path, _describe(error)) from None


def _describe(error: ValidationError, limit: int = 3) -> str:
    """The first few problems, each as `[table] field: message`, in TOML's terms."""
    problems = []
    for problem in error.errors()[:limit]:
        location = [str(part) for part in problem["loc"]]
        table, field = location[:-1], location[-1:]
        where = f"[{'.'.join(table)}] " if table else ""
        message = "is not a known field" if problem["type"] == "extra_forbidden" else problem["msg"]
        problems.append(f"{where}{'.'.join(field)}: {message.removeprefix('Value error, ')}".strip())
    more = len(error.errors()) - limit
    return "; ".join(problems) + (f" (and {more} more)" if more > 0 else "")
