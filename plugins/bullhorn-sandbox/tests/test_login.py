"""Bullhorn's login chain over loopback: data-centre discovery, the OAuth code flow, token grants, REST
sessions and their expiry, and the 307 from the wrong data centre."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from ats_bullhorn_sandbox import WRONG_DATA_CENTRE

INVALID_SESSION = {
    "errorMessage": "Bad 'BhRestToken' or timed-out.",
    "errorMessageKey": "errors.authentication.invalidRestToken",
    "errorCode": 401,
}


def test_login_info_names_the_users_hosts(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    info = bullhorn.http.get(bullhorn.settings["login_info_url"], params={"username": "api.integration"}).json()
    base = bullhorn.sandbox.base_url
    assert info["oauthUrl"] == f"{base}/oauth" and info["restUrl"] == f"{base}/rest-services"
    assert {"atsUrl", "coreUrl", "samlUrl"} <= set(info)


def test_headless_authorize_answers_302_with_an_encoded_code_and_the_state(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    settings = bullhorn.settings
    response = bullhorn.http.get(
        f"{bullhorn.auth_url}/authorize",
        params={
            "client_id": settings["client_id"],
            "response_type": "code",
            "action": "Login",
            "username": settings["username"],
            "password": settings["password"],
            "state": "xyz",
        },
    )
    assert response.status_code == 302
    location = response.headers["location"]
    assert "code=60%3A" in location
    query = parse_qs(urlparse(location).query)
    assert query["client_id"] == [settings["client_id"]] and query["state"] == ["xyz"]
    post = bullhorn.http.post(
        f"{bullhorn.auth_url}/authorize",
        data={"client_id": settings["client_id"], "response_type": "code", "action": "Login"}
        | {"username": settings["username"], "password": settings["password"]},
    )
    assert post.status_code == 302 and "code=" in post.headers["location"]


@pytest.mark.parametrize(
    ("overrides", "marker"),
    [
        ({"password": "wrong"}, '<p class="error">'),
        ({"username": "nobody"}, '<p class="error">'),
        ({"client_id": "not-a-client"}, "Invalid Client Id"),
        ({"redirect_uri": "https://elsewhere.invalid/cb"}, "Invalid Redirect URI"),
    ],
)
def test_bad_credentials_give_an_html_page_not_a_redirect(
    make_bullhorn: Any, overrides: dict[str, str], marker: str
) -> None:
    bullhorn = make_bullhorn(login=False)
    settings = bullhorn.settings
    params = {"client_id": settings["client_id"], "response_type": "code", "action": "Login"}
    params |= {"username": settings["username"], "password": settings["password"], **overrides}
    response = bullhorn.http.get(f"{bullhorn.auth_url}/authorize", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert marker in response.text and "location" not in response.headers


def test_authorize_without_action_shows_the_login_form(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    params = {"client_id": bullhorn.settings["client_id"], "response_type": "code"}
    response = bullhorn.http.get(f"{bullhorn.auth_url}/authorize", params=params)
    assert response.status_code == 200 and 'name="password"' in response.text and "error" not in response.text


def test_code_grant_answers_a_token_pair_and_codes_are_single_use(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    code = bullhorn.code()
    pair = bullhorn.token_grant(grant_type="authorization_code", code=code)
    assert pair.status_code == 200
    body = pair.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600
    assert body["access_token"].startswith("60:") and body["refresh_token"].startswith("60:")
    again = bullhorn.token_grant(grant_type="authorization_code", code=code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_token_grant_accepts_a_form_body_and_checks_the_client_secret(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    settings = bullhorn.settings
    form = {"grant_type": "authorization_code", "code": bullhorn.code(), "client_id": settings["client_id"]}
    bad = bullhorn.http.post(f"{bullhorn.auth_url}/token", data=form | {"client_secret": "wrong"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    good = bullhorn.http.post(f"{bullhorn.auth_url}/token", data=form | {"client_secret": settings["client_secret"]})
    assert good.status_code == 200 and "access_token" in good.json()


def test_redirect_uri_must_match_between_authorize_and_token(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    registered = bullhorn.state.oauth_client.redirect_uri
    code = bullhorn.code(redirect_uri=registered)
    assert bullhorn.token_grant(grant_type="authorization_code", code=code).status_code == 400
    code = bullhorn.code(redirect_uri=registered)
    assert bullhorn.token_grant(grant_type="authorization_code", code=code, redirect_uri=registered).status_code == 200


def test_codes_expire(make_bullhorn: Any, clock: Any) -> None:
    bullhorn = make_bullhorn(login=False, auth_code_ttl="60")
    code = bullhorn.code()
    clock.advance(61)
    assert bullhorn.token_grant(grant_type="authorization_code", code=code).status_code == 400


def test_refresh_tokens_are_single_use_and_rotate(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    first = bullhorn.tokens()
    second = bullhorn.token_grant(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"] and rotated["access_token"] != first["access_token"]
    replay = bullhorn.token_grant(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    third = bullhorn.token_grant(grant_type="refresh_token", refresh_token=rotated["refresh_token"])
    assert third.status_code == 200
    preissued = bullhorn.sandbox.extra_credentials["refresh_token"]
    assert bullhorn.token_grant(grant_type="refresh_token", refresh_token=preissued).status_code == 200
    assert bullhorn.token_grant(grant_type="refresh_token", refresh_token=preissued).status_code == 400


def test_rest_login_answers_a_session_and_the_corp_rest_url(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    for verb in ("GET", "POST"):
        access = bullhorn.tokens()["access_token"]
        response = bullhorn.http.request(
            verb, f"{bullhorn.sandbox.base_url}/rest-services/login", params={"version": "*", "access_token": access}
        )
        assert response.status_code == 200
        body = response.json()
        corp = bullhorn.state.data.corp_token
        assert body["restUrl"] == f"{bullhorn.sandbox.base_url}/rest-services/{corp}/"
        assert len(body["BhRestToken"]) == 36
        assert response.cookies["BhRestToken"] == body["BhRestToken"], "login sets the cookie for browser clients"


def test_expired_or_bad_access_tokens_cannot_log_in(make_bullhorn: Any, clock: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    access = bullhorn.tokens()["access_token"]
    clock.advance(601)
    expired = bullhorn.rest_login(access)
    assert expired.status_code == 400
    assert expired.json() == {
        "errorMessage": "Invalid or expired OAuth access token.",
        "errorMessageKey": "errors.authentication.invalidOAuthToken",
        "errorCode": 400,
    }
    assert bullhorn.rest_login("60:nonsense").status_code == 400
    missing_version = bullhorn.http.post(
        f"{bullhorn.sandbox.base_url}/rest-services/login", params={"access_token": bullhorn.tokens()["access_token"]}
    )
    assert missing_version.status_code == 400


def test_session_ttl_ping_and_expiry(make_bullhorn: Any, clock: Any) -> None:
    bullhorn = make_bullhorn(login=False).login(ttl="5")
    assert bullhorn.ok("GET", "ping") == {"sessionExpires": clock.ms + 5 * 60 * 1000}
    clock.advance(5 * 60)
    expired = bullhorn.get("ping")
    assert expired.status_code == 401 and expired.json() == INVALID_SESSION


def test_session_ttl_is_capped_at_2880_minutes_and_defaults_from_the_tenant(make_bullhorn: Any, clock: Any) -> None:
    capped = make_bullhorn(login=False).login(ttl="100000")
    assert capped.ok("GET", "ping")["sessionExpires"] == clock.ms + 2880 * 60 * 1000
    default = make_bullhorn(login=False, session_ttl="90").login()
    assert default.ok("GET", "ping")["sessionExpires"] == clock.ms + 90 * 1000


def test_the_session_token_goes_in_a_header_the_query_or_a_cookie(bullhorn: Any) -> None:
    url = bullhorn.rest_url + "ping"
    assert bullhorn.http.get(url, headers={"BHRestToken": bullhorn.token}).status_code == 200
    assert bullhorn.http.get(url, params={"BhRestToken": bullhorn.token}).status_code == 200
    with httpx.Client(cookies={"BhRestToken": bullhorn.token}, timeout=10.0) as browser:
        assert browser.get(url).status_code == 200
    missing = httpx.get(url, timeout=10.0)
    assert missing.status_code == 412 and missing.json()["errorCode"] == 412
    wrong = httpx.get(url, headers={"BhRestToken": "not-a-session"}, timeout=10.0)
    assert wrong.status_code == 401 and wrong.json() == INVALID_SESSION


def test_logout_ends_the_session(bullhorn: Any) -> None:
    assert bullhorn.ok("GET", "logout") == {"logout": "OK"}
    assert bullhorn.get("ping").status_code == 401


def test_a_session_only_serves_its_own_corporation(bullhorn: Any) -> None:
    other = bullhorn.rest_url.replace(bullhorn.state.data.corp_token, "zz9zz9")
    response = bullhorn.http.get(other + "ping", headers={"BhRestToken": bullhorn.token})
    assert response.status_code == 401


def test_the_wrong_data_centre_redirects_with_307_keeping_the_query(make_bullhorn: Any) -> None:
    bullhorn = make_bullhorn(login=False)
    settings = bullhorn.settings
    params = {"client_id": settings["client_id"], "response_type": "code", "action": "Login"}
    params |= {"username": settings["username"], "password": settings["password"]}
    wrong = bullhorn.sandbox.extra_credentials["wrong_data_centre_auth_url"]
    assert wrong.endswith(f"{WRONG_DATA_CENTRE}/oauth")
    redirected = bullhorn.http.get(f"{wrong}/authorize", params=params)
    assert redirected.status_code == 307
    assert redirected.headers["location"].startswith(f"{bullhorn.auth_url}/authorize?client_id=")
    followed = bullhorn.http.get(redirected.headers["location"])
    assert followed.status_code == 302 and "code=" in followed.headers["location"]
