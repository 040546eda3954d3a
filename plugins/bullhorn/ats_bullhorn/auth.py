"""`python -m ats_bullhorn.auth`: run Bullhorn's OAuth code flow once and store the refresh token.

The refresh token goes where the `refresh_token_file` setting says (0600, written atomically); later
connections read it from there and keep it rotated. Settings come from `--settings FILE` (its `[bullhorn]`
table) and `ATS_BULLHORN_*` environment variables, the environment winning, as `ats` reads them.
The code comes from a browser login (the URL is printed; paste the code or the whole redirect URL), or,
with `--headless`, from the API user's username and password.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ats_bullhorn.settings import BullhornSettings
from ats_core.sdk import errors

__all__ = ["main", "settings_from"]

PREFIX = "ATS_BULLHORN_"


def settings_from(path: Path | None, environ: dict[str, str]) -> BullhornSettings:
    """Settings from a TOML file's `[bullhorn]` table, overridden by `ATS_BULLHORN_*` variables."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("bullhorn", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise errors.ConfigurationError(str(path), f"could not be read ({type(error).__name__})") from None
        if not isinstance(table, dict):
            raise errors.ConfigurationError("[bullhorn]", f"in {path} must be a table")
        values.update(table)
    for name in BullhornSettings.model_fields:
        if PREFIX + name.upper() in environ:
            values[name] = environ[PREFIX + name.upper()]
    if not values.get("refresh_token_file"):
        raise errors.ConfigurationError("refresh_token_file", "is needed: it is where the refresh token is stored")
    return BullhornSettings.model_validate(values)


def _code_of(answer: str) -> str:
    """The code from what the user pasted: the code itself, or the redirect URL carrying `code=`."""
    text = answer.strip()
    if "code=" in text:
        found = parse_qs(urlsplit(text).query or text.split("?", 1)[-1]).get("code")
        if found:
            return found[0]
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Authorize once; exit 0 with the refresh token stored, 1 naming what went wrong."""
    parser = argparse.ArgumentParser(prog="python -m ats_bullhorn.auth", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=Path, help="TOML file with a [bullhorn] table")
    parser.add_argument("--headless", action="store_true", help="log in with username and password (no browser)")
    options = parser.parse_args(argv)
    from ats_bullhorn.plugin import BullhornProvider
    from ats_core.sdk import ProviderContext

    try:
        settings = settings_from(options.settings, dict(os.environ))
        provider = BullhornProvider(settings, ProviderContext("bullhorn"))
        try:
            chain = provider.chain
            if options.headless:
                chain.exchange_code(chain.authorization_code())
            else:
                print(
                    f"Open this URL, log in and accept, then paste the code (or the redirect URL):\n{chain.authorize_url()}"
                )
                chain.exchange_code(_code_of(input("code: ")))
            session = chain.current()
        finally:
            provider.close()
    except errors.ATSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"refresh token stored in {settings.refresh_token_file}; REST login OK ({session.rest_url.split('/')[2]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
