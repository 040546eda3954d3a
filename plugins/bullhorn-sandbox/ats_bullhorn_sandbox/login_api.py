"""Logging in as Bullhorn does: data-centre discovery, the OAuth 2 code flow (browser and headless forms),
the token endpoint, and the REST login that opens a `BhRestToken` session."""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from ats_bullhorn_sandbox.entity_api import Payload, rest_url
from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.store import SandboxState

__all__ = ["LoginApi"]

_PAGE = """<!DOCTYPE html>
<html><head><title>Bullhorn Login</title></head><body>
<form method="post" action="/oauth/authorize">{error}
<input type="hidden" name="client_id" value="{client_id}"/>
<input type="hidden" name="response_type" value="code"/>
<input type="hidden" name="action" value="Login"/>
<label>Username <input name="username"/></label>
<label>Password <input type="password" name="password"/></label>
<button type="submit">Login</button>
</form></body></html>
"""


def _params(request: Request) -> dict[str, str]:
    """Query parameters and form fields together (Bullhorn takes either)."""
    values = dict(request.args.items())
    values.update(request.form.items())
    return values


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/html;charset=UTF-8")


class LoginApi:
    """Handlers for loginInfo, oauth/authorize, oauth/token and rest-services/login (state lock held)."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def login_info(self, request: Request) -> Payload:
        base = request.host_url.rstrip("/")
        return 200, {
            "atsUrl": f"{base}/ats",
            "billingSyncUrl": f"{base}/billingsync",
            "coreUrl": f"{base}/core",
            "documentEditorUrl": f"{base}/document",
            "mobileUrl": f"{base}/mobile",
            "oauthUrl": f"{base}/oauth",
            "restUrl": f"{base}/rest-services",
            "samlUrl": f"{base}/saml",
            "novoUrl": f"{base}/novo",
            "pulseInsightsUrl": f"{base}/pulse",
        }

    def authorize(self, request: Request) -> Response:
        params = _params(request)
        auth = self.state.auth
        client_id = params.get("client_id", "")
        if not auth.check_client(client_id):
            return _html('<html><body><p class="error">Invalid Client Id</p></body></html>')
        if params.get("response_type") != "code":
            return _html('<html><body><p class="error">Invalid response_type: use code</p></body></html>')
        redirect_uri = params.get("redirect_uri")
        if redirect_uri is not None and redirect_uri != auth.client.redirect_uri:
            return _html('<html><body><p class="error">Invalid Redirect URI</p></body></html>')
        page = _PAGE.replace("{client_id}", html.escape(client_id))
        if params.get("action") != "Login":
            return _html(page.replace("{error}", ""))
        user = auth.check_user(params.get("username"), params.get("password"))
        if user is None:
            return _html(page.replace("{error}", '<p class="error">Invalid username or password</p>'))
        code = auth.issue_code(user, redirect_uri)
        query: dict[str, Any] = {"code": code, "client_id": client_id}
        if "state" in params:
            query["state"] = params["state"]
        response = Response(b"", status=302)
        response.headers["Location"] = f"{redirect_uri or auth.client.redirect_uri}?{urlencode(query)}"
        return response

    def token(self, request: Request) -> Payload:
        params = _params(request)
        auth = self.state.auth
        if not auth.check_client(params.get("client_id"), params.get("client_secret") or ""):
            return 401, {"error": "invalid_client", "error_description": "Bad client credentials"}
        grant_type = params.get("grant_type")
        if grant_type == "authorization_code":
            outcome = auth.redeem_code(params.get("code"), params.get("redirect_uri"))
        elif grant_type == "refresh_token":
            outcome = auth.redeem_refresh_token(params.get("refresh_token"))
        else:
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": f"Unsupported grant type: {grant_type}",
            }
        if isinstance(outcome, str):
            return 400, {"error": "invalid_grant", "error_description": outcome}
        return 200, {
            "access_token": outcome.access_token,
            "token_type": "Bearer",
            "expires_in": outcome.expires_in,
            "refresh_token": outcome.refresh_token,
        }

    def login(self, request: Request) -> Response | Payload:
        params = _params(request)
        if not params.get("version"):
            raise BullhornError.bad_request(
                "Missing required parameter: version (use version=*)", "errors.missingParameter"
            )
        ttl: float | None = None
        if params.get("ttl"):
            try:
                ttl = float(params["ttl"])
            except ValueError:
                raise BullhornError.bad_request(
                    f"Bad ttl {params['ttl']!r}: minutes expected", "errors.badParameter"
                ) from None
        session = self.state.auth.login(params.get("access_token"), ttl)
        if session is None:
            raise BullhornError(
                400, "Invalid or expired OAuth access token.", "errors.authentication.invalidOAuthToken"
            )
        answer = {"BhRestToken": session.token, "restUrl": rest_url(request, self.state.data.corp_token)}
        response = Response(json.dumps(answer), status=200, content_type="application/json;charset=UTF-8")
        response.set_cookie("BhRestToken", session.token, path="/rest-services/", httponly=True)
        return response
