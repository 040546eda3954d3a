"""The refresh-token file: Bullhorn refresh tokens are single-use, so each rotated one is saved before it is needed.

A rotation is written to a temporary file beside the target (mode 0600), flushed to disk, and renamed over
the target (`os.replace`, atomic on POSIX), then the directory is synced: after a crash the file holds the
old token or the new one, never a torn one. The file holds the token alone, with a trailing newline.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from pydantic import SecretStr

from ats_core.sdk import errors

__all__ = ["read_refresh_token", "write_refresh_token"]

SETTING = "refresh_token_file"


def read_refresh_token(path: Path) -> SecretStr | None:
    """The token the file holds; None when the file does not exist yet; ConfigurationError when it is unreadable."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise errors.ConfigurationError(
            SETTING, f"could not be read ({type(error).__name__}); check the path"
        ) from None
    return SecretStr(text) if text else None


def write_refresh_token(path: Path, token: SecretStr) -> None:
    """Replace the file's token atomically, readable by its owner only."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise errors.ConfigurationError(SETTING, f"could not be written ({type(error).__name__})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            os.fchmod(stream.fileno(), 0o600)
            stream.write(token.get_secret_value() + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise errors.ConfigurationError(SETTING, f"could not be written ({type(error).__name__})") from None
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a directory)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
