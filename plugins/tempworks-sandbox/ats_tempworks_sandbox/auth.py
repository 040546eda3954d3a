"""Sandbox credentials: OAuth clients and their tokens, the static personal access token, and the rate limiter."""

from __future__ import annotations

import base64
import hashlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = [
    "AccessToken",
    "AuthFailure",
    "AuthRegistry",
    "Credential",
    "OAuthClient",
    "RateDecision",
    "RateLimiter",
    "has_scope",
    "reset_header",
]

Clock = Callable[[], float]
GRANT_TYPE = "tw_vendor_service_credentials"


def has_scope(granted: frozenset[str], needed: str | None) -> bool:
    """True when `needed` is granted; a `<resource>-write` scope also grants `<resource>-read`."""
    if needed is None or needed in granted:
        return True
    return needed.endswith("-read") and needed[: -len("-read")] + "-write" in granted


@dataclass(frozen=True)
class OAuthClient:
    """A registered OAuth client of the sandbox tenant."""

    client_id: str
    client_secret: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class AccessToken:
    """An issued bearer token."""

    client_id: str
    scopes: frozenset[str]
    expires_at: float


@dataclass(frozen=True)
class Credential:
    """Who is calling: the rate-limit key (one per client or PAT), the granted scopes, and the kind.

    `kind` is "pat" (Basic or x-tw-token) or "oauth" (a bearer token): TempWorks limits and labels them apart.
    """

    key: str
    scopes: frozenset[str]
    kind: str = "oauth"


@dataclass(frozen=True)
class AuthFailure:
    """Why a request was not authenticated; `expired` tells an expired token from an unknown one."""

    reason: str
    expired: bool = False


@dataclass(frozen=True)
class TokenError:
    """An OAuth token-endpoint error (RFC 6749 section 5.2)."""

    status: int
    error: str
    description: str


@dataclass
class AuthRegistry:
    """OAuth clients, issued tokens and the personal access token of one sandbox tenant."""

    seed: int
    tenant: str
    pid: str
    clock: Clock
    token_ttl: float
    clients: dict[str, OAuthClient] = field(default_factory=dict)
    tokens: dict[str, AccessToken] = field(default_factory=dict)
    pat_scopes: frozenset[str] = frozenset()
    issued: int = 0

    def __post_init__(self) -> None:
        self.account_sid = self._digest("account-sid")[:32]
        self.auth_token = self._digest("auth-token")[:32]
        self.personal_access_token = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()

    def _digest(self, label: str) -> str:
        return hashlib.sha256(f"tempworks-sandbox:{self.seed}:{label}:{self.issued}".encode()).hexdigest()

    def register_client(self, client_id: str, client_secret: str, scopes: Iterable[str]) -> OAuthClient:
        """Add (or replace) an OAuth client granted `scopes`; tests use it to mint tokens lacking a scope."""
        client = OAuthClient(client_id, client_secret, frozenset(scopes))
        self.clients[client_id] = client
        return client

    def issue_token(self, form: dict[str, str]) -> dict[str, object] | TokenError:
        """Handle a `tw_vendor_service_credentials` grant; the response mirrors TempWorks' token endpoint."""
        grant_type = form.get("grant_type", "")
        if grant_type != GRANT_TYPE:
            return TokenError(400, "unsupported_grant_type", f"grant_type must be {GRANT_TYPE}")
        client = self.clients.get(form.get("client_id", ""))
        if client is None or client.client_secret != form.get("client_secret", ""):
            return TokenError(401, "invalid_client", "unknown client_id or wrong client_secret")
        acr = dict(part.split(":", 1) for part in form.get("acr_values", "").split() if ":" in part)
        if acr.get("tenant") != self.tenant or acr.get("pid", "").lower() != self.pid.lower():
            return TokenError(400, "invalid_request", "acr_values must be 'tenant:<tenant> pid:<pid>' of this tenant")
        requested = frozenset(form.get("scope", "").split())
        if requested - client.scopes:
            return TokenError(400, "invalid_scope", "a requested scope is not granted to this client")
        scopes = requested or client.scopes
        self.issued += 1
        token = self._digest(f"token:{client.client_id}")
        self.tokens[token] = AccessToken(client.client_id, scopes, self.clock() + self.token_ttl)
        return {
            "access_token": token,
            "expires_in": int(self.token_ttl),
            "token_type": "Bearer",
            "scope": " ".join(sorted(scopes)),
        }

    def authenticate(self, authorization: str | None, tw_token: str | None) -> Credential | AuthFailure:
        """Check a Bearer token, a Basic `accountSID:authToken` pair or an `x-tw-token` PAT."""
        if tw_token is not None:
            if tw_token.strip() == self.personal_access_token:
                return Credential(f"pat:{self.account_sid}", self.pat_scopes, "pat")
            return AuthFailure("x-tw-token is not a valid personal access token")
        if not authorization:
            return AuthFailure("no credentials: send Authorization: Bearer <token>, Basic, or x-tw-token")
        scheme, _, value = authorization.strip().partition(" ")
        value = value.strip()
        if scheme.lower() == "basic":
            if value == self.personal_access_token:
                return Credential(f"pat:{self.account_sid}", self.pat_scopes, "pat")
            return AuthFailure("wrong account SID or auth token")
        if scheme.lower() != "bearer":
            return AuthFailure(f"unsupported authorization scheme {scheme!r}")
        token = self.tokens.get(value)
        if token is None:
            return AuthFailure("unknown bearer token")
        if self.clock() >= token.expires_at:
            return AuthFailure("the access token expired", expired=True)
        return Credential(f"client:{token.client_id}", token.scopes)


RESET_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def reset_header(epoch: float) -> str:
    """An `x-rate-limit-reset` value: ISO 8601 UTC with microseconds and Z."""
    return datetime.fromtimestamp(epoch, UTC).strftime(RESET_FORMAT)


@dataclass(frozen=True)
class RateDecision:
    """Whether a request is within the limit, and the x-rate-limit-* headers to send."""

    allowed: bool
    headers: dict[str, str]


@dataclass
class RateLimiter:
    """A sliding window per credential key: at most `limit` requests in any `seconds` (TempWorks: 25 per 5 s).

    Personal access tokens get only `x-rate-limit-count`; OAuth clients also `-remaining` and `-reset` (when
    the oldest request in the window leaves it), as TempWorks documents. Refused requests are not counted.
    """

    limit: int
    seconds: float
    clock: Clock
    windows: dict[str, deque[float]] = field(default_factory=dict)

    def hit(self, key: str, *, oauth: bool) -> RateDecision:
        now = self.clock()
        window = self.windows.setdefault(key, deque())
        while window and window[0] <= now - self.seconds:
            window.popleft()
        allowed = len(window) < self.limit
        if allowed:
            window.append(now)
        headers = {"x-rate-limit-count": str(len(window))}
        if oauth:
            headers["x-rate-limit-remaining"] = str(self.limit - len(window))
            headers["x-rate-limit-reset"] = reset_header(window[0] + self.seconds)
        return RateDecision(allowed, headers)

    @property
    def message(self) -> str:
        return f"{self.limit} requests / {self.seconds:g} sec limit"
