"""Logging in as Bullhorn does, and staying logged in.

`LoginChain` finds the API user's data centre (`loginInfo`), gets an access token (a refresh-token grant,
or the headless authorization-code flow with the API user's username and password), and opens a REST
session (`login` -> `BhRestToken` and the tenant's `restUrl`). Refresh tokens are single-use: each grant
returns a new one, saved (`token_file`) before anything else happens. `RestTokenAuth` sends the session
token with every REST call; when Bullhorn answers 401 (the session expired mid-stream), it logs in again
once and replays the request. Every secret stays a `SecretStr`: nothing here logs or reprs one.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from pydantic import SecretStr

from ats_bullhorn.settings import BullhornSettings
from ats_bullhorn.token_file import read_refresh_token, write_refresh_token
from ats_core.sdk import errors, http, scope_label

__all__ = ["Hosts", "LoginChain", "RestSession", "RestTokenAuth"]

logger = logging.getLogger("ats_bullhorn")

ACCESS_TOKEN_MARGIN_SECONDS = 60.0
"""An access token is not used for a login this close to its expiry (Bullhorn's last 10 minutes)."""
MAX_DATA_CENTRE_HOPS = 3
"""307/308 answers followed to the right data centre during the code flow."""
_PAGE_ERROR = re.compile(r'<p class="error">(.*?)</p>', re.IGNORECASE | re.DOTALL)
_REAUTHORIZE = "run `python -m ats_bullhorn.auth` to authorize again, or set username and password"


@dataclass(frozen=True)
class Hosts:
    """Where the API user's data centre serves OAuth (`.../oauth`) and REST logins (`.../rest-services`)."""

    oauth_url: str
    rest_login_url: str


@dataclass(frozen=True)
class RestSession:
    """An open REST session: the token every call sends, the tenant's REST URL, and which login made it."""

    token: SecretStr = field(repr=False)
    rest_url: str
    generation: int


class LoginChain:
    """Discovery, access tokens and REST logins for one connection; thread-safe, one login at a time."""

    def __init__(self, settings: BullhornSettings, api: http.ApiClient, clock: http.Clock) -> None:
        self.settings = settings
        self.api = api
        self.clock = clock
        self._lock = threading.RLock()
        self._hosts: Hosts | None = None
        self._refresh_token = settings.refresh_token
        if settings.refresh_token_file is not None:
            self._refresh_token = read_refresh_token(settings.refresh_token_file) or settings.refresh_token
        self._access_token: SecretStr | None = None
        self._access_expires = float("-inf")
        self._session: RestSession | None = None
        self._generation = 0
        self._warned_unsaved = False
        self.counts = {"logins": 0, "refresh_grants": 0, "code_flows": 0}

    def __repr__(self) -> str:
        return f"LoginChain(client_id={self.settings.client_id!r}, session={'open' if self._session else 'none'})"

    def secret_values(self) -> tuple[str, ...]:
        """Every secret this chain holds (to scrub from error text)."""
        held = [self.settings.client_secret, self.settings.password, self._refresh_token, self._access_token]
        if self._session is not None:
            held.append(self._session.token)
        return tuple(secret.get_secret_value() for secret in held if secret is not None)

    # --- the session -----------------------------------------------------------------------------------

    def current(self) -> RestSession:
        """The open REST session, logging in first when there is none."""
        with self._lock:
            if self._session is None:
                self._session = self._log_in()
            return self._session

    def renew(self, generation: int) -> RestSession:
        """A new session after `generation`'s was refused (another thread may already have made one)."""
        with self._lock:
            if self._session is None or self._session.generation == generation:
                logger.info("%s: Bullhorn REST session expired; logging in again", scope_label())
                self._session = self._log_in()
            return self._session

    def _log_in(self) -> RestSession:
        """`login` with a usable access token; one retry with a new token when Bullhorn refuses it."""
        for attempt in range(2):
            access = self._usable_access_token(force_new=attempt > 0)
            try:
                answer = self._rest_login(access)
            except errors.ProviderError as error:
                if error.status_code != 400 or "invalidOAuthToken" not in (error.body or ""):
                    raise
                if attempt == 0:
                    self._access_token = None
                    continue
                raise errors.AuthenticationFailed(
                    "Bullhorn refused a new access token at login",
                    method=error.method,
                    path=error.path,
                    status_code=400,
                    hint="the token may be from another data centre: set oauth_url and rest_login_url of one centre",
                ) from None
            return answer
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _rest_login(self, access: SecretStr) -> RestSession:
        params: dict[str, Any] = {"version": "*", "access_token": access.get_secret_value()}
        if self.settings.session_ttl_minutes is not None:
            params["ttl"] = self.settings.session_ttl_minutes
        url = f"{self.hosts().rest_login_url}/login"
        payload = self._json(self.api.request("POST", url, params=params, idempotent=True), "login")
        token, rest_url = payload.get("BhRestToken"), payload.get("restUrl")
        if not isinstance(token, str) or not token or not isinstance(rest_url, str) or not rest_url:
            raise errors.InvalidResponse(
                "the login answer has no BhRestToken or restUrl",
                method="POST",
                path=httpx.URL(url).path,
                hint="check rest_login_url (or login_info_url) points at Bullhorn's rest-services",
            )
        http.ensure_secure_url(rest_url, "restUrl (from Bullhorn's login answer)")
        http.ensure_header_safe(token, "BhRestToken (from Bullhorn's login answer)")
        self._generation += 1
        self.counts["logins"] += 1
        return RestSession(SecretStr(token), rest_url if rest_url.endswith("/") else rest_url + "/", self._generation)

    # --- data centre -----------------------------------------------------------------------------------

    def hosts(self) -> Hosts:
        """The OAuth and REST login hosts: from the settings, or `loginInfo` for the API user."""
        with self._lock:
            if self._hosts is None:
                self._hosts = self._discover()
            return self._hosts

    def _discover(self) -> Hosts:
        settings = self.settings
        if settings.oauth_url is not None and settings.rest_login_url is not None:
            return Hosts(settings.oauth_url, settings.rest_login_url)
        assert settings.username, "BullhornSettings refuses a connection with neither a username nor both hosts"
        response = self.api.request("GET", settings.login_info_url, params={"username": settings.username})
        info = self._json(response, "loginInfo")
        found = {key: info.get(key) for key in ("oauthUrl", "restUrl")}
        if not all(isinstance(value, str) and value for value in found.values()):
            raise errors.InvalidResponse(
                "loginInfo names no oauthUrl or restUrl",
                method="GET",
                path=httpx.URL(settings.login_info_url).path,
                hint="check login_info_url and username (the API user's login name)",
            )
        oauth = settings.oauth_url or str(found["oauthUrl"]).rstrip("/")
        rest = settings.rest_login_url or str(found["restUrl"]).rstrip("/")
        http.ensure_secure_url(oauth, "oauthUrl (from loginInfo)")
        http.ensure_secure_url(rest, "restUrl (from loginInfo)")
        return Hosts(oauth, rest)

    # --- access tokens ---------------------------------------------------------------------------------

    def _usable_access_token(self, *, force_new: bool) -> SecretStr:
        if not force_new and self._access_token is not None and self.clock.monotonic() < self._access_expires:
            return self._access_token
        if self._refresh_token is not None:
            try:
                return self._grant({"grant_type": "refresh_token", "refresh_token": self._refresh_token})
            except errors.AuthenticationFailed:
                self._refresh_token = None  # refused: never sent again
                if not (self.settings.username and self.settings.password is not None):
                    raise
                logger.warning("%s: the refresh token was refused; running the code flow instead", scope_label())
        return self._grant({"grant_type": "authorization_code", "code": self.authorization_code()})

    def _grant(self, form: Mapping[str, str | SecretStr]) -> SecretStr:
        """POST oauth/token (never re-sent once it may have arrived: a refresh token works once)."""
        body = {key: value.get_secret_value() if isinstance(value, SecretStr) else value for key, value in form.items()}
        body.update(client_id=self.settings.client_id, client_secret=self.settings.client_secret.get_secret_value())
        if self.settings.redirect_uri is not None and form.get("grant_type") == "authorization_code":
            body["redirect_uri"] = self.settings.redirect_uri
        url = f"{self.hosts().oauth_url}/token"
        started = self.clock.monotonic()
        kind = "refresh_grants" if form.get("grant_type") == "refresh_token" else "code_flows"
        try:
            response = self.api.request("POST", url, data=body, idempotent=False)
        except errors.WriteOutcomeUnknown as error:
            error.hint = "the token answer was lost; a refresh token it spent cannot be used again: " + _REAUTHORIZE
            raise
        except errors.ProviderError as error:
            if error.status_code is None or error.status_code >= 500 or error.status_code == 429:
                raise
            raise self._refused(error, form.get("grant_type")) from None
        self.counts[kind] += 1
        payload = self._json(response, "token")
        access, refresh = payload.get("access_token"), payload.get("refresh_token")
        if not isinstance(access, str) or not access:
            raise errors.InvalidResponse("the token answer has no access_token", method="POST", path="/oauth/token")
        if isinstance(refresh, str) and refresh:
            self._rotate(SecretStr(refresh))
        lifetime = payload.get("expires_in")
        seconds = float(lifetime) if isinstance(lifetime, int | float) and not isinstance(lifetime, bool) else 600.0
        self._access_token = SecretStr(access)
        self._access_expires = started + max(0.0, seconds - ACCESS_TOKEN_MARGIN_SECONDS)
        return self._access_token

    def _refused(self, error: errors.ProviderError, grant: object) -> errors.ATSError:
        body = error.body or ""
        if "invalid_client" in body or error.status_code == 401:
            hint = "Bullhorn refused the OAuth key: check client_id and client_secret"
        elif grant == "refresh_token":
            hint = f"the refresh token is spent, revoked or from another key: {_REAUTHORIZE}"
        else:
            hint = "Bullhorn refused the authorization code (expired, used, or another redirect_uri): log in again"
        return errors.AuthenticationFailed(
            error.provider_message, method="POST", path=error.path, status_code=error.status_code, hint=hint
        )

    def _rotate(self, token: SecretStr) -> None:
        """Keep the new refresh token, saved first: the old one no longer works."""
        path = self.settings.refresh_token_file
        if path is not None:
            write_refresh_token(path, token)
        elif self.settings.refresh_token is not None and not self._warned_unsaved:
            self._warned_unsaved = True
            logger.warning(
                "%s: Bullhorn rotated the refresh token and refresh_token_file is not set; the new one lives in "
                "memory only, so the next run cannot use the configured refresh_token",
                scope_label(),
            )
        self._refresh_token = token

    def exchange_code(self, code: str) -> None:
        """Redeem an authorization code (from a browser login): the refresh token it brings is saved."""
        with self._lock:
            self._grant({"grant_type": "authorization_code", "code": code.strip()})

    def authorize_url(self) -> str:
        """The browser login URL of the OAuth key (the code comes back on the redirect URI's `code=`)."""
        params = {"client_id": self.settings.client_id, "response_type": "code"}
        if self.settings.redirect_uri is not None:
            params["redirect_uri"] = self.settings.redirect_uri
        return str(httpx.URL(f"{self.hosts().oauth_url}/authorize", params=params))

    # --- the headless authorization-code flow -----------------------------------------------------------

    def authorization_code(self) -> str:
        """A code from `oauth/authorize` with the API user's login (action=Login), read from the 302's Location."""
        settings = self.settings
        if not settings.username or settings.password is None:
            raise errors.ConfigurationError("password", f"is needed for the code flow: {_REAUTHORIZE}")
        form = {
            "client_id": settings.client_id,
            "response_type": "code",
            "action": "Login",
            "username": settings.username,
            "password": settings.password.get_secret_value(),
        }
        if settings.redirect_uri is not None:
            form["redirect_uri"] = settings.redirect_uri
        url = f"{self.hosts().oauth_url}/authorize"
        for _ in range(MAX_DATA_CENTRE_HOPS + 1):
            response = self.api.request("POST", url, data=form, idempotent=True, follow_redirects=False)
            location = response.headers.get("location", "")
            if response.status_code in (307, 308) and location:
                url = str(response.request.url.join(location))  # another data centre; ApiClient checks https
                continue
            return self._code_of(response, location)
        raise errors.InvalidResponse(
            f"more than {MAX_DATA_CENTRE_HOPS} data-centre redirects", method="POST", path="/oauth/authorize"
        )

    def _code_of(self, response: httpx.Response, location: str) -> str:
        path = response.request.url.path
        if response.status_code in (301, 302, 303) and location:
            query = parse_qs(urlsplit(location).query)
            if query.get("code"):
                return query["code"][0]
            problem = query.get("error_description") or query.get("error") or ["no code in the redirect"]
            raise errors.AuthenticationFailed(
                problem[0][:200], method="POST", path=path, status_code=response.status_code, hint=_REAUTHORIZE
            )
        page_error = _PAGE_ERROR.search(response.text)
        text = html.unescape(page_error.group(1)).strip() if page_error else "the login page came back"
        if "client" in text.lower():
            hint = "Bullhorn does not know this OAuth key: check client_id"
        elif "redirect" in text.lower():
            hint = "set redirect_uri to a URI registered on the OAuth key (or leave it unset)"
        else:
            hint = (
                "check username and password (the API user); a new API user may first have to log in once in a "
                "browser to accept Bullhorn's terms of service"
            )
        raise errors.AuthenticationFailed(
            text[:200], method="POST", path=path, status_code=response.status_code, hint=hint
        )

    # --- decoding --------------------------------------------------------------------------------------

    def _json(self, response: httpx.Response, what: str) -> dict[str, Any]:
        payload = self.api.decode(response)
        if not isinstance(payload, dict):
            raise errors.InvalidResponse(
                f"the {what} answer is not a JSON object",
                method=response.request.method,
                path=response.request.url.path,
                status_code=response.status_code,
            )
        return payload


class ChainSecrets(http.SecretBearingAuth):
    """The login client's auth: sends nothing itself, names the chain's secrets so errors are scrubbed of them."""

    def __init__(self) -> None:
        self.chain: LoginChain | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send as is: login calls carry their credentials in their own form fields."""
        yield request

    def secret_values(self) -> tuple[str, ...]:
        """The chain's secrets."""
        return () if self.chain is None else self.chain.secret_values()


class RestTokenAuth(http.SecretBearingAuth):
    """The `BhRestToken` header on every REST call; a 401 logs in again once and replays the request."""

    def __init__(self, chain: LoginChain) -> None:
        self.chain = chain

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send with the session token; after a 401, renew the session and send once more."""
        request.read()  # buffered, so it can be replayed
        session = self.chain.current()
        request.headers["BhRestToken"] = session.token.get_secret_value()
        response = yield request
        if response.status_code != 401:
            return
        response.read()
        renewed = self.chain.renew(session.generation)
        request.headers["BhRestToken"] = renewed.token.get_secret_value()
        yield request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Same as `sync_auth_flow` (the async client is not supported)."""
        return self.sync_auth_flow(request)

    def secret_values(self) -> tuple[str, ...]:
        """The chain's secrets, the session token included."""
        return self.chain.secret_values()

    def __repr__(self) -> str:
        return "RestTokenAuth(BhRestToken=SecretStr('**********'))"
