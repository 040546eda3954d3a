"""httpx.Auth flows: OAuth2 client credentials and refresh token, a static header token, HTTP Basic.

Secrets are `SecretStr` and never appear in a repr, a log line or an exception message.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Generator, Iterable, Mapping
from typing import Literal, TypedDict, Unpack

import httpx
from pydantic import SecretStr

from ats_core.errors import AuthenticationFailed, ConfigurationError, InvalidResponse, ProviderUnavailable
from ats_core.http.clock import Clock, SystemClock
from ats_core.http.errors import body_excerpt, provider_message
from ats_core.http.headers import ensure_header_safe, is_header_safe
from ats_core.http.jsonbody import JSONTooDeep, decode_json
from ats_core.http.urls import ensure_secure_url
from ats_core.scope import scope_label

__all__ = [
    "TOKEN_REQUEST",
    "BasicAuth",
    "HeaderToken",
    "OAuth2ClientCredentials",
    "OAuth2Options",
    "OAuth2RefreshToken",
    "SecretBearingAuth",
]

logger = logging.getLogger("ats_core.http")

DEFAULT_EXPIRES_IN = 3600.0
TOKEN_REQUEST = "ats_core.token_request"
"""The request extension marking a token request: the API's rate limit and request counts leave it out."""

AuthFlow = Generator[httpx.Request, httpx.Response, None]


class SecretBearingAuth(httpx.Auth):
    """An auth flow that can list its secret values, so error text can be scrubbed of them."""

    def secret_values(self) -> tuple[str, ...]:
        """Every secret this flow holds or has obtained (for scrubbing)."""
        return ()

    def credential_identity(self) -> tuple[str, ...]:
        """What names the credential a server's rate limit counts (may hold secrets: only ever hashed)."""
        return self.secret_values()


class HeaderToken(SecretBearingAuth):
    """A static token in a header: `Authorization: Bearer <token>` by default, or e.g. `x-tw-token: <token>`.

    `setting` is what the token's setting is called, named when the token cannot travel in a header.
    """

    def __init__(
        self, token: SecretStr, header: str = "Authorization", prefix: str = "Bearer ", *, setting: str = "token"
    ) -> None:
        ensure_header_safe(token.get_secret_value(), setting)
        self._token = token
        self.header = header
        self.prefix = prefix

    def auth_flow(self, request: httpx.Request) -> AuthFlow:
        """Set the header and send."""
        request.headers[self.header] = self.prefix + self._token.get_secret_value()
        yield request

    def secret_values(self) -> tuple[str, ...]:
        """The token."""
        return (self._token.get_secret_value(),)

    def __repr__(self) -> str:
        return f"HeaderToken(header={self.header!r}, token=SecretStr('**********'))"


class BasicAuth(SecretBearingAuth):
    """HTTP Basic: `Authorization: Basic base64(username:password)`; the settings' names are named when refused."""

    def __init__(
        self,
        username: str,
        password: SecretStr,
        *,
        username_setting: str = "username",
        password_setting: str = "password",
    ) -> None:
        ensure_header_safe(username, username_setting)
        if ":" in username:
            raise ConfigurationError(username_setting, "must not contain ':' (HTTP Basic ends the user name at it)")
        ensure_header_safe(password.get_secret_value(), password_setting)
        self._username = username
        self._password = password

    def auth_flow(self, request: httpx.Request) -> AuthFlow:
        """Set the Authorization header and send."""
        request.headers["Authorization"] = "Basic " + self._credential()
        yield request

    def _credential(self) -> str:
        raw = f"{self._username}:{self._password.get_secret_value()}"
        return base64.b64encode(raw.encode()).decode("ascii")

    def secret_values(self) -> tuple[str, ...]:
        """The password and the encoded credential."""
        return (self._password.get_secret_value(), self._credential())

    def __repr__(self) -> str:
        return "BasicAuth(username=<set>, password=SecretStr('**********'))"


class OAuth2Options(TypedDict, total=False):
    """Keyword options every OAuth2 grant takes; each may be left out (its default is in the comment)."""

    extra_form: Mapping[str, str] | None  # more form fields for the token request (None)
    scope: str | None  # scopes to request; None = the client's defaults
    refresh_margin_seconds: float  # fetch a new token this long before the old one expires (240)
    clock: Clock | None  # None = the system clock
    client_auth: Literal["form", "basic"]  # client credentials in the form or as HTTP Basic ("form")
    client_id_setting: str  # the setting named when the credentials are refused ("client_id")
    client_secret_setting: str  # likewise ("client_secret")


class _OAuth2Flow(SecretBearingAuth):
    """Shared token handling: fetch through the connection's own transport, cache, refresh early and on a 401."""

    def __init__(
        self, token_url: str, client_id: str, client_secret: SecretStr, **options: Unpack[OAuth2Options]
    ) -> None:
        unknown = sorted(options.keys() - OAuth2Options.__optional_keys__)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword arguments: {', '.join(unknown)}")
        self.token_url = ensure_secure_url(token_url, "token_url")
        self.client_id = client_id
        self._client_secret = client_secret
        self.extra_form = dict(options.get("extra_form") or {})
        self.scope = options.get("scope")
        self.refresh_margin_seconds = options.get("refresh_margin_seconds", 240)
        self.clock: Clock = options.get("clock") or SystemClock()
        self.client_auth = options.get("client_auth", "form")
        self.client_id_setting = options.get("client_id_setting", "client_id")
        self.client_secret_setting = options.get("client_secret_setting", "client_secret")
        ensure_header_safe(client_id, self.client_id_setting)
        ensure_header_safe(client_secret.get_secret_value(), self.client_secret_setting)
        self._lock = threading.Lock()
        self._token: SecretStr | None = None
        self._expires_at = float("-inf")
        self._generation = 0
        self.token_fetches = 0

    def _grant_form(self) -> dict[str, str]:
        raise NotImplementedError

    def _secret_inputs(self) -> Iterable[str]:
        return (self._client_secret.get_secret_value(),)

    def credential_identity(self) -> tuple[str, ...]:
        """The client at its token endpoint, with the extra form (a tenant, say): every token it gets shares a limit."""
        return (
            str(self.token_url),
            self.client_id,
            *sorted(f"{key}={value}" for key, value in self.extra_form.items()),
        )

    def secret_values(self) -> tuple[str, ...]:
        """The client secret, any refresh token, and the current access token."""
        values = list(self._secret_inputs())
        if self._token is not None:
            values.append(self._token.get_secret_value())
        return tuple(values)

    def sync_auth_flow(self, request: httpx.Request) -> AuthFlow:
        """Send with a valid token; after a 401, refresh once and replay the same request."""
        request.read()  # buffer the body so the request can be replayed after a 401
        with self._lock:
            if self._token is None or self.clock.monotonic() >= self._expires_at:
                yield from self._fetch_token()
            token, generation = self._token, self._generation
        assert token is not None
        request.headers["Authorization"] = "Bearer " + token.get_secret_value()
        response = yield request
        if response.status_code != 401:
            return
        response.read()
        with self._lock:
            if self._generation == generation:
                logger.debug("%s: access token refused (401); fetching a new one and replaying", scope_label())
                yield from self._fetch_token()
            token = self._token
        assert token is not None
        request.headers["Authorization"] = "Bearer " + token.get_secret_value()
        yield request

    def auth_flow(self, request: httpx.Request) -> AuthFlow:
        """Same as `sync_auth_flow` (the async client is not supported)."""
        return self.sync_auth_flow(request)

    def _token_request(self) -> httpx.Request:
        form = {**self._grant_form(), **self.extra_form}
        if self.scope is not None:
            form["scope"] = self.scope
        headers = {"Accept": "application/json"}
        if self.client_auth == "basic":
            raw = f"{self.client_id}:{self._client_secret.get_secret_value()}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
        else:
            form["client_id"] = self.client_id
            form["client_secret"] = self._client_secret.get_secret_value()
        return httpx.Request("POST", self.token_url, data=form, headers=headers, extensions={TOKEN_REQUEST: True})

    def _fetch_token(self) -> Generator[httpx.Request, httpx.Response, None]:
        started = self.clock.monotonic()
        response = yield self._token_request()
        response.read()
        self.token_fetches += 1
        logger.debug("%s: POST %s (token) -> %s", scope_label(), self.token_url.path, response.status_code)
        if response.status_code >= 400:
            raise self._token_error(response)
        try:
            payload = decode_json(response.content)
        except JSONTooDeep as error:
            raise InvalidResponse(
                f"token response is {error}",
                method="POST",
                path=self.token_url.path,
                status_code=response.status_code,
                hint="check token_url points at the OAuth2 token endpoint",
            ) from None
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
            raise InvalidResponse(
                "token response has no access_token",
                method="POST",
                path=self.token_url.path,
                status_code=response.status_code,
                hint="check token_url points at the OAuth2 token endpoint",
            )
        self._accept_token(payload, started)

    def _accept_token(self, payload: dict[str, object], started: float) -> None:
        for field in ("access_token", "refresh_token"):
            value = payload.get(field)
            if isinstance(value, str) and not is_header_safe(value):
                raise ConfigurationError(
                    "token_url",
                    f"points at an endpoint that issued a {field} with a line break, NUL or other control "
                    "character, or surrounding whitespace; check it is the OAuth2 token endpoint",
                )
        lifetime = _seconds(payload.get("expires_in")) or DEFAULT_EXPIRES_IN
        usable = max(lifetime - self.refresh_margin_seconds, lifetime / 2)
        self._token = SecretStr(str(payload["access_token"]))
        self._expires_at = started + usable
        self._generation += 1
        new_refresh = payload.get("refresh_token")
        if isinstance(new_refresh, str) and new_refresh:
            self._rotate_refresh_token(SecretStr(new_refresh))

    def _rotate_refresh_token(self, refresh_token: SecretStr) -> None:
        """Keep a refresh token the server issued (only the refresh-token flow uses it)."""

    def _token_error(self, response: httpx.Response) -> Exception:
        secrets = self.secret_values()
        message = provider_message(response, secrets=secrets)
        body = body_excerpt(response, secrets)
        path, status = self.token_url.path, response.status_code
        if status == 429 or status >= 500:
            return ProviderUnavailable(message, method="POST", path=path, status_code=status, body=body)
        hint = (
            f"the token endpoint refused the credentials; check the {self.client_id_setting} and "
            f"{self.client_secret_setting} settings (and any tenant/scope values sent with them)"
        )
        return AuthenticationFailed(message, method="POST", path=path, status_code=status, hint=hint, body=body)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(token_url={self.token_url.scheme}://{self.token_url.host}{self.token_url.path}, "
            f"client_id={self.client_id!r}, client_secret=SecretStr('**********'))"
        )


def _seconds(value: object) -> float | None:
    """A positive number of seconds from a JSON value (number or numeric string), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 < seconds < float("inf") else None


class OAuth2ClientCredentials(_OAuth2Flow):
    """OAuth2 client credentials (grant type configurable, e.g. a vendor grant) with extra form fields."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: SecretStr,
        *,
        grant_type: str = "client_credentials",
        **options: Unpack[OAuth2Options],
    ) -> None:
        super().__init__(token_url, client_id, client_secret, **options)
        self.grant_type = grant_type

    def _grant_form(self) -> dict[str, str]:
        return {"grant_type": self.grant_type}


class OAuth2RefreshToken(_OAuth2Flow):
    """OAuth2 refresh-token grant; keeps a rotated refresh token when the server issues a new one."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: SecretStr,
        refresh_token: SecretStr,
        *,
        refresh_token_setting: str = "refresh_token",
        **options: Unpack[OAuth2Options],
    ) -> None:
        super().__init__(token_url, client_id, client_secret, **options)
        ensure_header_safe(refresh_token.get_secret_value(), refresh_token_setting)
        self._refresh_token = refresh_token

    def _grant_form(self) -> dict[str, str]:
        return {"grant_type": "refresh_token", "refresh_token": self._refresh_token.get_secret_value()}

    def _secret_inputs(self) -> Iterable[str]:
        return (self._client_secret.get_secret_value(), self._refresh_token.get_secret_value())

    def _rotate_refresh_token(self, refresh_token: SecretStr) -> None:
        self._refresh_token = refresh_token
