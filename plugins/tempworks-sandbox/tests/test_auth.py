"""Authentication and scopes: OAuth service credentials, the personal access token, 401 and 403."""

from __future__ import annotations

import base64
from typing import Any


def test_token_response_shape(sandbox: Any) -> None:
    response = sandbox.http.post("/connect/token", data=sandbox.token_form())
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"access_token", "expires_in", "token_type", "scope"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert "employee-read" in body["scope"].split()


def test_wrong_secret_and_wrong_tenant_are_refused(sandbox: Any) -> None:
    wrong_secret = sandbox.http.post("/connect/token", data=sandbox.token_form(client_secret="nope"))
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "invalid_client"
    wrong_tenant = sandbox.http.post("/connect/token", data=sandbox.token_form(acr_values="tenant:other pid:x"))
    assert wrong_tenant.status_code == 400 and wrong_tenant.json()["error"] == "invalid_request"
    wrong_grant = sandbox.http.post("/connect/token", data=sandbox.token_form(grant_type="client_credentials"))
    assert wrong_grant.json()["error"] == "unsupported_grant_type"


def test_missing_or_unknown_credentials_get_401(sandbox: Any) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer not-a-token"},
        {"x-tw-token": "bogus"},
        {"Authorization": "Basic eDp5"},
    ):
        response = sandbox.http.get("/Search/Employees", params={"take": 1}, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_expires_after_its_ttl(make_sandbox: Any, clock: Any) -> None:
    sandbox = make_sandbox(token_ttl="30")
    headers = sandbox.bearer()
    assert sandbox.http.get("/Search/Employees", params={"take": 1}, headers=headers).status_code == 200
    clock.advance(31)
    expired = sandbox.http.get("/Search/Employees", params={"take": 1}, headers=headers)
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]
    assert sandbox.state.stats()["injected"]["token_expired"] == 1
    assert sandbox.get("/Search/Employees", params={"take": 1}).status_code == 200


def test_personal_access_token_via_header_or_basic(sandbox: Any) -> None:
    auth = sandbox.state.auth
    pat = auth.personal_access_token
    assert base64.b64decode(pat).decode() == f"{auth.account_sid}:{auth.auth_token}"
    for headers in ({"x-tw-token": pat}, {"Authorization": f"Basic {pat}"}):
        assert sandbox.http.get("/Search/Employees", params={"take": 1}, headers=headers).status_code == 200


def test_token_lacking_a_scope_gets_403(sandbox: Any) -> None:
    sandbox.state.auth.register_client("reader", "secret", ["employee-read"])
    headers = sandbox.bearer(client_id="reader", client_secret="secret")
    assert sandbox.get("/Search/Employees", params={"take": 1}, headers=headers).status_code == 200
    employee_id = sandbox.get("/Search/Employees", params={"take": 1}).json()["data"][0]["employeeId"]
    forbidden = sandbox.post(
        f"/Employees/{employee_id}/messages", headers=headers, json={"actionId": 1, "message": "hi"}
    )
    assert forbidden.status_code == 403 and "message-write" in forbidden.json()["title"]
    assert sandbox.get("/Search/JobOrders", headers=headers).status_code == 403
    assert sandbox.get("/Search/UniversalEmail", params={"emailAddress": "a@b.c"}, headers=headers).status_code == 403


def test_requested_scope_narrows_the_token_and_write_implies_read(sandbox: Any) -> None:
    headers = sandbox.bearer(scope="employee-write")
    assert sandbox.get("/Search/Employees", params={"take": 1}, headers=headers).status_code == 200
    assert sandbox.get("/Search/Assignments", headers=headers).status_code == 403
    refused = sandbox.http.post("/connect/token", data=sandbox.token_form(scope="superpowers"))
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"


def test_scopes_fault_limits_the_default_client(make_sandbox: Any) -> None:
    sandbox = make_sandbox(scopes="employee-read,message-write")
    scope = sandbox.http.post("/connect/token", data=sandbox.token_form()).json()["scope"]
    assert scope.split() == ["employee-read", "message-write"]
    assert sandbox.get("/Search/JobOrders").status_code == 403
