"""Bullhorn's login chain: OAuth 2 authorization codes, access and refresh tokens, and REST sessions.

Codes and access tokens expire; refresh tokens never expire but are single-use, and each refresh grant
answers a new pair. A REST session (`BhRestToken`) lives `ttl` minutes (at most 2880) or the tenant's
default. Secrets are random per sandbox run; nothing here logs or reprs a token.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field

from ats_bullhorn_sandbox.clock import Clock

__all__ = ["MAX_SESSION_TTL_MINUTES", "ApiUser", "AuthState", "OAuthClient", "Session", "TokenPair"]

MAX_SESSION_TTL_MINUTES = 2880
_SWIMLANE = "60"


@dataclass(frozen=True)
class ApiUser:
    """The API user the sandbox knows: its CorporateUser id and login."""

    user_id: int
    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class OAuthClient:
    """A registered OAuth key: id, secret and its registered redirect URI."""

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str


@dataclass(frozen=True)
class TokenPair:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int


@dataclass
class _Grant:
    client_id: str
    user: ApiUser
    expires: float = float("inf")
    redirect_uri: str | None = None


@dataclass
class Session:
    """One REST session."""

    token: str = field(repr=False)
    user: ApiUser
    expires: float


class AuthState:
    """Issued codes, tokens and sessions of one sandbox, checked against `clock`."""

    def __init__(
        self,
        clock: Clock,
        user: ApiUser,
        client: OAuthClient,
        *,
        code_ttl: float,
        access_ttl: float,
        session_ttl: float,
    ) -> None:
        self.clock = clock
        self.user = user
        self.client = client
        self.code_ttl, self.access_ttl, self.session_ttl = code_ttl, access_ttl, session_ttl
        self.codes: dict[str, _Grant] = {}
        self.access_tokens: dict[str, _Grant] = {}
        self.refresh_tokens: dict[str, _Grant] = {}
        self.sessions: dict[str, Session] = {}
        self.counts = {"codes": 0, "access_tokens": 0, "refresh_grants": 0, "logins": 0}

    @staticmethod
    def _token() -> str:
        return f"{_SWIMLANE}:{uuid.uuid4()}"

    def check_client(self, client_id: str | None, client_secret: str | None = None) -> bool:
        if client_id != self.client.client_id:
            return False
        return client_secret is None or secrets.compare_digest(client_secret, self.client.client_secret)

    def check_user(self, username: str | None, password: str | None) -> ApiUser | None:
        known = username == self.user.username and password is not None
        return self.user if known and secrets.compare_digest(password or "", self.user.password) else None

    def issue_code(self, user: ApiUser, redirect_uri: str | None) -> str:
        code = self._token()
        self.codes[code] = _Grant(self.client.client_id, user, self.clock() + self.code_ttl, redirect_uri)
        self.counts["codes"] += 1
        return code

    def redeem_code(self, code: str | None, redirect_uri: str | None) -> TokenPair | str:
        """A token pair, or the OAuth error description: codes are single-use and short-lived."""
        grant = self.codes.pop(code or "", None)
        if grant is None or grant.expires <= self.clock():
            return "Invalid, expired, or revoked authorization code."
        if grant.redirect_uri is not None and grant.redirect_uri != redirect_uri:
            return "redirect_uri does not match the one used to obtain the authorization code."
        return self._pair(grant.user)

    def redeem_refresh_token(self, refresh_token: str | None) -> TokenPair | str:
        """A new token pair; the refresh token used is spent."""
        grant = self.refresh_tokens.pop(refresh_token or "", None)
        if grant is None:
            return "Invalid, expired, or revoked refresh token."
        self.counts["refresh_grants"] += 1
        return self._pair(grant.user)

    def issue_refresh_token(self) -> str:
        """A refresh token for the API user, as if the code flow had run (for settings and tests)."""
        token = self._token()
        self.refresh_tokens[token] = _Grant(self.client.client_id, self.user)
        return token

    def _pair(self, user: ApiUser) -> TokenPair:
        access, refresh = self._token(), self._token()
        self.access_tokens[access] = _Grant(self.client.client_id, user, self.clock() + self.access_ttl)
        self.refresh_tokens[refresh] = _Grant(self.client.client_id, user)
        self.counts["access_tokens"] += 1
        return TokenPair(access, refresh, int(self.access_ttl))

    def login(self, access_token: str | None, ttl_minutes: float | None) -> Session | None:
        """A REST session for a valid access token; None when it is unknown or expired."""
        grant = self.access_tokens.get(access_token or "")
        now = self.clock()
        if grant is None or grant.expires <= now:
            return None
        lifetime = self.session_ttl if ttl_minutes is None else min(ttl_minutes, MAX_SESSION_TTL_MINUTES) * 60
        session = Session(str(uuid.uuid4()), grant.user, now + lifetime)
        self.sessions[session.token] = session
        self.counts["logins"] += 1
        return session

    def session(self, token: str) -> Session | None:
        """The live session for a BhRestToken; expired ones are forgotten."""
        session = self.sessions.get(token)
        if session is not None and session.expires <= self.clock():
            del self.sessions[token]
            return None
        return session

    def end(self, token: str) -> None:
        self.sessions.pop(token, None)
