"""Connection settings of the TempWorks provider, validated with errors that name the setting to fix.

Three credential forms, exactly one per connection:

- OAuth2 app-only grant (`tw_vendor_service_credentials`): `client_id` + `client_secret`, with `tenant`
  and `pid` sent as `acr_values`;
- a header token: `access_token`, sent as `x-tw-token`;
- a Personal Access Token: `account_sid` + `auth_token`, sent as HTTP Basic.

`time_zone` defaults to America/Chicago: TempWorks is a US Central company and its API writes timestamps
without an offset; set the tenant's own zone when it differs.
"""

from __future__ import annotations

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

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TOKEN_URL",
    "AuthMethod",
    "TempWorksSettings",
]

DEFAULT_BASE_URL = "https://api.ontempworks.com/"
DEFAULT_TOKEN_URL = "https://login.ontempworks.com/connect/token"
AuthMethod = Literal["oauth2", "header_token", "basic"]

# Upper bounds of the numeric settings: generous, and within what the core's HTTP layer takes (a test checks).
_DAY = 86_400.0
_HOUR = 3_600.0
_MAX_LOOKBACK_SECONDS = 366 * _DAY


class TempWorksSettings(BaseModel):
    """Where the tenant's API is, how to authenticate, and how to page, wait and read its timestamps."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str = Field(DEFAULT_BASE_URL, description="the tenant's REST API root (TempWorks-hosted: the default)")
    token_url: str = Field(DEFAULT_TOKEN_URL, description="the OAuth2 token endpoint")
    tenant: str | None = Field(None, description="the TempWorks customer (acr_values tenant:...)")
    pid: str | None = Field(None, description="your app's product instance GUID for this tenant (acr_values pid:...)")
    client_id: str | None = None
    client_secret: SecretStr | None = None
    scope: str | None = Field(None, description="OAuth2 scopes to request; None = the client's defaults")
    access_token: SecretStr | None = Field(None, description="a static token sent as the x-tw-token header")
    account_sid: str | None = Field(None, description="Personal Access Token account SID (HTTP Basic user)")
    auth_token: SecretStr | None = Field(None, description="Personal Access Token auth token (HTTP Basic password)")
    webhooks_url: str = Field(
        "https://webhooks-api.ontempworks.com/api/", description="TempWorks' webhooks API root (a separate host)"
    )
    webhook_header_name: str = Field("X-ATS-Webhook-Token", description="the header TempWorks sends with each event")
    webhook_header_value: SecretStr | None = Field(
        None, description="the header's value: TempWorks does not sign events, this shared secret is the only check"
    )
    time_zone: TimeZoneName = Field(
        "America/Chicago", description="IANA zone the tenant's offset-less timestamps are in"
    )
    default_note_action: str | None = Field(
        None, description="message action NAME used when a note has no action type; None = the tenant's default"
    )
    page_size: Whole | None = Field(
        None, ge=1, le=10_000, description="records per list request (halved if refused); None = the declared default"
    )
    prefetch: Whole = Field(2, ge=1, le=8, description="list pages fetched concurrently")
    lookback_seconds: Seconds | None = Field(
        None,
        ge=0,
        le=_MAX_LOOKBACK_SECONDS,
        description="read this long before updated_after, if longer than the declared lookback",
    )
    requests_per_window: Whole | None = Field(
        None, ge=1, le=1_000_000, description="rate limit: requests per window; None = the declared limit"
    )
    window_seconds: Seconds | None = Field(
        None, gt=0, le=_DAY, description="rate limit window in seconds; None = the declared one"
    )
    retry_attempts: Whole = Field(6, ge=1, le=100, description="sends of one request at most (transient faults, 429)")
    retry_max_seconds: Seconds = Field(120, ge=0, le=_DAY, description="retrying stops this long after the first send")
    retry_base_delay_seconds: Seconds = Field(
        0.5, ge=0, le=_HOUR, description="first backoff delay; doubles, with full jitter"
    )
    retry_max_delay_seconds: Seconds = Field(30, ge=0, le=_HOUR, description="longest single backoff delay")
    timeout_seconds: Seconds = Field(30, gt=0, le=_HOUR)
    search_timeout_seconds: Seconds = Field(360, gt=0, le=_HOUR, description="timeout of the slow search endpoints")
    connect_timeout_seconds: Seconds = Field(10, gt=0, le=_HOUR)
    attachment_document_type: str = Field(
        "Other", description="document type NAME uploaded PDFs get (looked up in the tenant's document types)"
    )
    attachment_document_type_id: Whole | None = Field(
        None, ge=0, description="documentTypeId for uploaded PDFs; overrides attachment_document_type (no lookup)"
    )
    max_attachment_bytes: Whole = Field(
        10 * 1024 * 1024, ge=1, le=1024 * 1024 * 1024, description="largest PDF accepted for upload"
    )

    @field_validator("base_url", "token_url", "webhooks_url")
    @classmethod
    def _https_or_loopback(cls, value: str, info: ValidationInfo) -> str:
        from ats_core.sdk import http  # here, not at import: discovery reads settings without the HTTP stack

        setting = info.field_name or "base_url"
        http.ensure_secure_url(value, setting)
        return value if value.endswith("/") or setting == "token_url" else value + "/"

    @field_validator(
        "client_id",
        "client_secret",
        "tenant",
        "pid",
        "access_token",
        "account_sid",
        "auth_token",
        "webhook_header_name",
        "webhook_header_value",
    )
    @classmethod
    def _fit_for_a_header(cls, value: str | SecretStr | None, info: ValidationInfo) -> str | SecretStr | None:
        """A credential with a line break, NUL or surrounding whitespace (a file's trailing newline) is refused."""
        from ats_core.sdk import http  # here, not at import: see _https_or_loopback

        if value is None:
            return None
        setting = info.field_name or "credentials"
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text:
            http.ensure_header_safe(text, setting)
        if setting == "account_sid" and ":" in text:
            raise errors.ConfigurationError(setting, "must not contain ':' (HTTP Basic ends the user name at it)")
        return value

    @model_validator(mode="after")
    def _one_complete_credential(self) -> TempWorksSettings:
        self.auth_method  # noqa: B018 - raises ConfigurationError naming what to fix
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The tenant time zone."""
        return fields.resolve_time_zone(self.time_zone)

    @property
    def auth_method(self) -> AuthMethod:
        """Which credential form these settings hold; ConfigurationError when none or several are complete."""
        given = {
            "oauth2": self.client_id is not None or self.client_secret is not None,
            "header_token": self.access_token is not None,
            "basic": self.account_sid is not None or self.auth_token is not None,
        }
        chosen = [name for name, present in given.items() if present]
        if not chosen:
            raise errors.ConfigurationError(
                "client_id",
                "is missing: set client_id + client_secret (+ tenant, pid) for OAuth2, access_token for the "
                "x-tw-token header, or account_sid + auth_token for a Personal Access Token",
            )
        if len(chosen) > 1:
            first, second = (_FIRST_SETTING[name] for name in chosen[:2])
            raise errors.ConfigurationError(
                second, f"conflicts with '{first}': configure exactly one credential form, remove the other"
            )
        method: AuthMethod = chosen[0]  # type: ignore[assignment]
        if method == "oauth2":
            for name in ("client_id", "client_secret", "tenant", "pid"):
                if not _filled(getattr(self, name)):
                    raise errors.ConfigurationError(
                        name, "is required for OAuth2 (client_id, client_secret, tenant, pid)"
                    )
        if method == "basic":
            for name in ("account_sid", "auth_token"):
                if not _filled(getattr(self, name)):
                    raise errors.ConfigurationError(
                        name, "is required for a Personal Access Token (account_sid + auth_token)"
                    )
        if method == "header_token" and not _filled(self.access_token):
            raise errors.ConfigurationError("access_token", "is empty")
        return method


_FIRST_SETTING = {"oauth2": "client_id", "header_token": "access_token", "basic": "account_sid"}


def _filled(value: str | SecretStr | None) -> bool:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    return bool(value and value.strip())
