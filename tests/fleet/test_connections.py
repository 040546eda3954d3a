"""The connections file: loading, validation errors that name the table and field, secret references."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, SecretStr

from ats_core.connections import (
    ConnectionsFileError,
    SecretNotFound,
    format_interval,
    load_connections,
    parse_interval,
)
from ats_core.errors import ConfigurationError

FILE = """
[connections.acme-example]
provider = "example"
reconcile_every = "12h"
settings = { size = 30 }
secrets = { seed = { env = "ACME_SEED" } }

[connections.acme-example.streams]
jobs = { every = "1h", reconcile_every = "7d" }
candidates = { every = "15m", page_size = 50 }

[connections.globex]
provider = "example"
secrets = { seed = { file = "secrets.toml", key = "globex.seed" }, size = { file = "size.txt" } }
streams = { candidates = { every = "PT30M" } }
"""


def write(tmp_path: Path, text: str, name: str = "connections.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_loads_with_names_streams_in_order_and_intervals(tmp_path: Path) -> None:
    loaded = load_connections(write(tmp_path, FILE))
    assert list(loaded.connections) == ["acme-example", "globex"]
    acme = loaded.get("acme-example")
    assert acme.name == "acme-example" and acme.provider == "example" and acme.on_invalid == "quarantine"
    assert list(acme.streams) == ["jobs", "candidates"]  # the file's order: `check` reads the first
    assert acme.streams["candidates"].every == timedelta(minutes=15)
    assert acme.streams["candidates"].page_size == 50
    assert acme.reconcile_interval("jobs") == timedelta(days=7)
    assert acme.reconcile_interval("candidates") == timedelta(hours=12)
    globex = loaded.get("globex")
    assert globex.streams["candidates"].every == timedelta(minutes=30)
    assert globex.reconcile_interval("candidates") == timedelta(days=1)
    assert globex.secrets["seed"].file == tmp_path / "secrets.toml"  # beside the connections file


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            'provider = "example"\nstreams = { people = { every = "1h" } }',
            "[connections.x] streams: unknown stream people",
        ),
        (
            'provider = "example"\nstreams = { jobs = { every = "0s" } }',
            "[connections.x.streams.jobs] every: must be longer",
        ),
        ('provider = "example"\nstreams = { jobs = { every = "soon" } }', "[connections.x.streams.jobs] every:"),
        ('provider = "example"\nstreams = {}', "[connections.x] streams:"),
        ('provider = "example"\nstreams = { jobs = { every = "1h", evry = 1 } }', "evry: is not a known field"),
        ('provider = "Ex ample"\nstreams = { jobs = { every = "1h" } }', "[connections.x] provider:"),
        (
            'provider = "example"\nsecrets = { seed = { env = "A", file = "b" } }\nstreams = { jobs = { every = "1h" } }',
            "[connections.x.secrets] seed: give exactly one of env",
        ),
        (
            'provider = "example"\nsecrets = { seed = { key = "a" } }\nstreams = { jobs = { every = "1h" } }',
            "[connections.x.secrets] seed: give exactly one of env",
        ),
        (
            'provider = "example"\nsettings = { seed = 1 }\nsecrets = { seed = { env = "A" } }\nstreams = { jobs = { every = "1h" } }',
            "seed set both in settings and in secrets",
        ),
        ('name = "y"\nprovider = "example"\nstreams = { jobs = { every = "1h" } }', "leave name out"),
        ('provider = "example"\non_invalid = "drop"\nstreams = { jobs = { every = "1h" } }', "on_invalid:"),
    ],
)
def test_a_wrong_table_is_refused_naming_the_table_and_field(tmp_path: Path, table: str, expected: str) -> None:
    path = write(tmp_path, f"[connections.x]\n{table}\n")
    with pytest.raises(ConnectionsFileError) as refused:
        load_connections(path)
    assert expected in str(refused.value)
    assert str(path) in str(refused.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[connections.x\n", "is not TOML"),
        ("[other]\nx = 1\n", "has no [connections.NAME] table"),
        (
            '[connections.x]\nprovider = "example"\nstreams = { jobs = { every = "1h" } }\n[other]\n',
            "other: is not a known",
        ),
    ],
)
def test_a_file_that_is_not_a_connections_file_says_so(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConnectionsFileError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        load_connections(write(tmp_path, text))


def test_a_missing_file_and_an_unknown_name_are_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(ConnectionsFileError, match="cannot be read"):
        load_connections(tmp_path / "nope.toml")
    loaded = load_connections(write(tmp_path, FILE))
    with pytest.raises(ConnectionsFileError, match="has no connection 'initech'; it has: acme-example, globex"):
        loaded.get("initech")


def test_secrets_resolve_from_the_environment_and_from_files(tmp_path: Path) -> None:
    write(tmp_path, '[globex]\nseed = "11"\n', "secrets.toml")
    write(tmp_path, "  40\n", "size.txt")
    loaded = load_connections(write(tmp_path, FILE))
    assert loaded.get("acme-example").resolve_secrets({"ACME_SEED": "5"}) == {"seed": "5"}
    assert loaded.get("globex").resolve_secrets({}) == {"seed": "11", "size": "40"}


def test_a_missing_secret_names_the_variable_the_connection_and_the_setting(tmp_path: Path) -> None:
    acme = load_connections(write(tmp_path, FILE)).get("acme-example")
    with pytest.raises(SecretNotFound) as missing:
        acme.resolve_secrets({})
    message = str(missing.value)
    assert "ACME_SEED" in message and "'acme-example'" in message and "'seed'" in message
    assert isinstance(missing.value, ConfigurationError) and missing.value.setting == "seed"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, "secrets.toml, which cannot be read"),
        ({"secrets.toml": "[globex]\nother = 1\n", "size.txt": "1"}, "key globex.seed of"),
        ({"secrets.toml": "[globex]\nseed = 1\n", "size.txt": "1"}, "which is not a string"),
        ({"secrets.toml": "globex = [", "size.txt": "1"}, "which is not TOML"),
    ],
)
def test_a_missing_file_secret_says_which_file_and_key(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    for name, text in files.items():
        write(tmp_path, text, name)
    globex = load_connections(write(tmp_path, FILE)).get("globex")
    with pytest.raises(SecretNotFound, match=expected):
        globex.resolve_secrets({})


class VaultSettings(BaseModel):
    """A provider's settings with a secret, as a real provider types it."""

    user: str
    token: SecretStr
    size: int = 1


def test_provider_settings_merge_settings_and_secrets_and_ignore_ats_variables(tmp_path: Path) -> None:
    text = '[connections.v]\nprovider = "vault"\nsettings = { user = "u" }\nsecrets = { token = { env = "V_TOKEN" } }\n'
    connection = load_connections(write(tmp_path, text + 'streams = { jobs = { every = "1h" } }\n')).get("v")
    settings = connection.provider_settings(VaultSettings, {"V_TOKEN": "s3cr3t-value", "ATS_VAULT_SIZE": "9"})
    assert isinstance(settings, VaultSettings)
    assert settings.token.get_secret_value() == "s3cr3t-value"
    assert settings.size == 1  # another tenant's ATS_<PROVIDER>_* variables never leak in
    assert "s3cr3t-value" not in repr(connection) + repr(settings) + connection.model_dump_json()


def test_a_secret_setting_written_in_the_clear_is_refused(tmp_path: Path) -> None:
    text = '[connections.v]\nprovider = "vault"\nsettings = { user = "u", token = "plain" }\n'
    connection = load_connections(write(tmp_path, text + 'streams = { jobs = { every = "1h" } }\n')).get("v")
    with pytest.raises(ConfigurationError, match=r"'token' of connection 'v' is a secret: move it") as refused:
        connection.provider_settings(VaultSettings, {})
    assert "plain" not in str(refused.value)


def test_invalid_provider_settings_name_the_connection_and_where_to_fix(tmp_path: Path) -> None:
    text = '[connections.v]\nprovider = "vault"\nsettings = { size = "big" }\nsecrets = { token = { env = "T" } }\n'
    connection = load_connections(write(tmp_path, text + 'streams = { jobs = { every = "1h" } }\n')).get("v")
    with pytest.raises(ConfigurationError) as refused:
        connection.provider_settings(VaultSettings, {"T": "x"})
    assert refused.value.setting == "user"
    assert "connection 'v'" in str(refused.value) and "[connections.v.settings]" in str(refused.value)


@given(st.integers(min_value=1, max_value=400 * 86400))
def test_format_interval_reads_back_with_parse_interval(seconds: int) -> None:
    interval = timedelta(seconds=seconds)
    assert parse_interval(format_interval(interval)) == interval


def test_intervals_accept_units_compounds_and_pass_other_forms_to_pydantic() -> None:
    assert parse_interval("90s") == timedelta(seconds=90)
    assert parse_interval("1h30m") == timedelta(minutes=90)
    assert parse_interval("1.5d") == timedelta(hours=36)
    assert parse_interval("PT15M") == "PT15M"
    assert parse_interval(60) == 60
