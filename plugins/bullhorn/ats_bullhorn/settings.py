"""Connection settings of the Bullhorn provider, validated with errors that name the setting to fix.

Bullhorn logs in through OAuth 2: an authorization code (from a browser, or headless with the API user's
`username` and `password`) is exchanged for an access token and a single-use refresh token, and the access
token opens a REST session (`BhRestToken` and the tenant's `restUrl`). A connection needs `client_id` and
`client_secret`, and one way to a token: a refresh token (`refresh_token`, or the file `refresh_token_file`
that keeps the rotated one), or `username` + `password` for the headless code flow. `python -m
ats_bullhorn.auth` runs the code flow once and stores the refresh token where `refresh_token_file` says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ats_core.sdk import Seconds, TimeZoneName, Whole, errors, fields

__all__ = ["DEFAULT_LOGIN_INFO_URL", "MAX_SESSION_TTL_MINUTES", "BullhornSettings", "TokenSource"]

DEFAULT_LOGIN_INFO_URL = "https://rest.bullhornstaffing.com/rest-services/loginInfo"
MAX_SESSION_TTL_MINUTES = 2880
"""Bullhorn caps a REST session's ttl at 2880 minutes."""
TokenSource = Literal["refresh_token", "password"]

_DAY = 86_400.0
_HOUR = 3_600.0


class BullhornSettings(BaseModel):
    """Where the tenant's Bullhorn is, how to log in, and how to page, wait and read its dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_id: str = Field(min_length=1, description="the OAuth key's client id (from Bullhorn support)")
    client_secret: SecretStr = Field(description="the OAuth key's client secret")
    username: str | None = Field(None, description="the API user: finds its data centre; with password, logs in")
    password: SecretStr | None = Field(None, description="the API user's password (headless code flow)")
    refresh_token: SecretStr | None = Field(
        None, description="a refresh token (single-use: each use returns a new one)"
    )
    refresh_token_file: Path | None = Field(
        None, description="file keeping the current refresh token; rotated tokens are written here (0600, atomically)"
    )
    redirect_uri: str | None = Field(None, description="redirect URI registered on the key, if the key needs one")
    login_info_url: str = Field(DEFAULT_LOGIN_INFO_URL, description="data-centre discovery (loginInfo)")
    oauth_url: str | None = Field(None, description="the OAuth host's /oauth URL; None = discovered via loginInfo")
    rest_login_url: str | None = Field(None, description="the REST host's /rest-services URL; None = discovered")
    session_ttl_minutes: Whole | None = Field(
        None, ge=1, le=MAX_SESSION_TTL_MINUTES, description="REST session lifetime asked at login; None = Bullhorn's"
    )
    time_zone: TimeZoneName = Field(
        "America/New_York", description="zone of DATE-only fields (Bullhorn is Eastern-centric)"
    )
    default_note_action: str | None = Field(None, description="Note action when none is given; None = the first")
    rejection_statuses: str | None = Field(
        None,
        description="comma-separated JobSubmission statuses that reject (disposition reasons); None = the tenant's "
        "statuses naming a rejection, a decline, a withdrawal or 'not interested'",
    )
    search_date_format: Literal["epoch_ms", "digits"] = Field(
        "epoch_ms",
        description="how Lucene date ranges are written (Bullhorn does not document it): epoch_ms, or digits "
        "(yyyyMMddHHmmss, read 14 h early as its zone is unknown; the core drops what is older)",
    )
    page_size: Whole | None = Field(None, ge=1, le=500, description="records per query/search (Bullhorn: 500 at most)")
    lookback_seconds: Seconds | None = Field(None, ge=0, le=366 * _DAY)
    requests_per_window: Whole | None = Field(None, ge=1, le=1_000_000, description="rate limit; None = declared")
    window_seconds: Seconds | None = Field(None, gt=0, le=_DAY)
    retry_attempts: Whole = Field(6, ge=1, le=100)
    retry_max_seconds: Seconds = Field(120, ge=0, le=_DAY)
    retry_base_delay_seconds: Seconds = Field(1.0, ge=0, le=_HOUR, description="Bullhorn asks 1 s after a 429")
    retry_max_delay_seconds: Seconds = Field(30, ge=0, le=_HOUR)
    timeout_seconds: Seconds = Field(30, gt=0, le=_HOUR)
    connect_timeout_seconds: Seconds = Field(10, gt=0, le=_HOUR)
    max_attachment_bytes: Whole = Field(10 * 1024 * 1024, ge=1, le=1024 * 1024 * 1024)

    @field_validator("login_info_url", "oauth_url", "rest_login_url", "redirect_uri")
    @classmethod
    def _https_or_loopback(cls, value: str | None, info: ValidationInfo) -> str | None:
        from ats_core.sdk import http  # here, not at import: discovery reads settings without the HTTP stack

        if value is not None:
            http.ensure_secure_url(value, info.field_name or "url")
        return None if value is None else value.rstrip("/")

    @field_validator("client_id", "client_secret", "username", "password", "refresh_token")
    @classmethod
    def _fit_for_a_request(cls, value: str | SecretStr | None, info: ValidationInfo) -> str | SecretStr | None:
        """A credential with a line break, NUL or surrounding whitespace (a file's trailing newline) is refused."""
        from ats_core.sdk import http

        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text:
            http.ensure_header_safe(text, info.field_name or "credentials")
        return value

    @model_validator(mode="after")
    def _a_way_to_a_token(self) -> BullhornSettings:
        self.token_source  # noqa: B018 - raises ConfigurationError naming what to set
        if not self.username and (self.oauth_url is None or self.rest_login_url is None):
            raise errors.ConfigurationError(
                "username",
                "is needed to find the API user's data centre (loginInfo); set it, or set oauth_url and rest_login_url",
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The zone DATE-only fields are read in."""
        return fields.resolve_time_zone(self.time_zone)

    @property
    def token_source(self) -> TokenSource:
        """How the first access token is obtained; ConfigurationError naming what to set when there is no way."""
        if self.refresh_token is not None or self.refresh_token_file is not None:
            return "refresh_token"
        if self.username and self.password is not None:
            return "password"
        if self.username and self.password is None:
            raise errors.ConfigurationError(
                "password", "is missing: the headless code flow needs username and password (or set a refresh_token)"
            )
        raise errors.ConfigurationError(
            "refresh_token",
            "is missing: set refresh_token_file (run `python -m ats_bullhorn.auth` once to fill it), refresh_token, "
            "or username + password for the headless code flow",
        )

    @property
    def statuses_that_reject(self) -> tuple[str, ...] | None:
        """The configured rejection statuses, or None to find them in the tenant's status list."""
        if self.rejection_statuses is None:
            return None
        return tuple(part.strip() for part in self.rejection_statuses.split(",") if part.strip())
