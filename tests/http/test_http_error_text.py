"""Error text keeps no secret (whole or cut) and no email address or phone number the server echoed."""

from __future__ import annotations

import string

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from ats_core.errors import ProviderError
from ats_core.http import ApiClient, FakeClock, HeaderToken, RetryPolicy, error_for_response, provider_message
from ats_core.http.errors import MESSAGE_LIMIT, redact

BASE_URL = "https://api.example.test"
TOKEN = "Zx9" + "k" * 10 + "q7" * 10  # 33 characters


def refusing(status: int, **body: object) -> ApiClient:
    """A client with a header token whose API answers `status` with the JSON `body`."""
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    return ApiClient(
        BASE_URL,
        auth=HeaderToken(SecretStr(TOKEN)),
        transport=transport,
        clock=FakeClock(),
        retry=RetryPolicy(max_attempts=1),
    )


def texts_of(error: ProviderError) -> list[str]:
    return [str(error), repr(error), error.body or "", error.provider_message or ""]


def fragments(secret: str, size: int = 6) -> list[str]:
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


@pytest.mark.parametrize("offset", range(MESSAGE_LIMIT - len(TOKEN), MESSAGE_LIMIT + 1, 4))
def test_a_token_straddling_the_message_cut_leaves_no_piece_behind(offset: int) -> None:
    title = "x" * offset + TOKEN + " was refused " + "y" * 300
    with pytest.raises(ProviderError) as info:
        refusing(400, title=title).get_json("/a")
    for text in texts_of(info.value):
        for piece in fragments(TOKEN):
            assert piece not in text, (offset, text)
    assert info.value.provider_message is not None and len(info.value.provider_message) == MESSAGE_LIMIT


def test_a_partial_secret_exactly_at_the_cut_is_masked() -> None:
    secrets = ("abcdefghij-klmnopqrst",)
    request = httpx.Request("GET", f"{BASE_URL}/a")
    text = "n" * (MESSAGE_LIMIT - 11) + "abcdefghij-" + "tail"  # the cut falls right after the secret's first 10
    message = provider_message(httpx.Response(400, text=text, request=request), secrets=secrets)
    assert message is not None and "abcdefghij" not in message and "abcde" not in message
    assert message.endswith("***…")


def test_emails_and_phone_numbers_are_redacted_from_messages_and_bodies() -> None:
    title = "Candidate jane.doe+ats@example.com (phone +1 (555) 123-4567, alt 555.987.6543) already exists"
    with pytest.raises(ProviderError) as info:
        refusing(409, title=title, detail="duplicate of JANE@Example.org, call 5559876543").get_json("/a")
    for text in texts_of(info.value):
        for leaked in ("jane.doe", "example.com", "123-4567", "987.6543", "JANE@", "5559876543"):
            assert leaked not in text, text
    assert "<email>" in str(info.value) and "<phone>" in str(info.value)


def test_ids_dates_and_guids_stay_readable() -> None:
    kept = "Employee 4000123 not found since 2024-01-05; see 3fa85f64-5717-4562-b3fc-2c963f66afa6 (v1.2.3)"
    assert redact(kept, ()) == kept


def test_a_url_encoded_email_echoed_in_a_body_is_redacted() -> None:
    request = httpx.Request("GET", f"{BASE_URL}/Search")
    response = httpx.Response(400, text="bad query emailAddress=someone%40example.com", request=request)
    error = error_for_response(response)
    assert "someone" not in (error.body or "") and "someone" not in str(error)


phones = st.from_regex(r"\+?1? ?\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]?\d{4}", fullmatch=True)
secrets = st.text(alphabet=string.ascii_letters + string.digits + "-_.~+/=", min_size=12, max_size=40).map(
    lambda value: "Zx9" + value
)


@settings(max_examples=60, deadline=None)
@given(email=st.emails(), phone=phones, secret=secrets, pad=st.integers(0, 260))
def test_no_email_phone_or_secret_survives_in_error_text(email: str, phone: str, secret: str, pad: int) -> None:
    request = httpx.Request("GET", f"{BASE_URL}/a")
    payload = {"title": "#" * pad + f" {secret} {email} {phone} ", "detail": f"{email}/{phone}/{secret}"}
    error = error_for_response(httpx.Response(400, json=payload, request=request), secrets=(secret,))
    for text in texts_of(error):
        assert email not in text and phone not in text
        for piece in fragments(secret, 8):
            assert piece not in text
