"""Secrets and PII across a whole fault run, with the audit middleware on and DEBUG logging on the root logger.

No token, client secret, password, candidate email or phone may appear in any log record (message, args,
exc_text), exception message or repr. Every fault test is also scanned by the autouse `leaks` fixture; this
module drives one run through every kind of fault and checks the capture itself works.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import pytest

from ats_core import (
    ATSError,
    AuthenticationFailed,
    InvalidResponse,
    NotFound,
    PermissionDenied,
    WriteOutcomeUnknown,
    connect,
)


def _seeded_contact(sandbox: Any, index: int) -> tuple[str, str, str]:
    return tuple(sandbox.state.data.employee_contact(index))  # type: ignore[return-value]


def test_the_leak_check_finds_planted_secrets_and_pii(faulty_sandbox: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=10)
    email, phone, cell = _seeded_contact(sandbox, 3)
    assert leaks.found_in(f"contact {email.upper()} now")
    assert leaks.found_in(f"GET /Search/UniversalEmail?emailAddress={quote(email)}")
    assert leaks.found_in(f"phone {phone}") and leaks.found_in(f"+1{''.join(ch for ch in cell if ch.isdigit())}")
    assert leaks.found_in(f"secret={sandbox.settings['client_secret']}")
    assert leaks.found_in(f"x-tw-token: {sandbox.extra_credentials['x_tw_token']}")
    assert not leaks.found_in("tempworks.stream_candidates outcome=ok duration_ms=3.1 records=10")


def _expect(error_type: type[ATSError], call: Any, leaks: Any) -> ATSError:
    with pytest.raises(error_type) as caught:
        call()
    leaks.check_error(caught.value)
    return caught.value


def test_a_whole_fault_run_leaks_nothing(faulty_sandbox: Any, kit: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(
        size=600,
        clock=kit.StepClock(step=20.0),
        error_rate="0.1",
        burst_429="2/25",
        drop_rate="0.08",
        token_ttl="600",
        malformed_rate="0.02",
        lost_write_rate="1",
    )
    email, phone, _cell = _seeded_contact(sandbox, 5)
    employee = str(sandbox.state.data.employees.id_of(5))
    with kit.connect(sandbox, on_invalid="quarantine", page_size=15) as client:
        found = client.find_candidates_by_details(first_name="Nobody", last_name="Known")
        streamed = list(client.stream_candidates())
        one = client.get_candidate_by_id(employee)
        _expect(NotFound, lambda: client.get_candidate_by_id(str(sandbox.state.data.employees.first_id + 10**7)), leaks)
        _expect(
            WriteOutcomeUnknown, lambda: client.add_note_to_candidate(employee, f"Mail {email}, call {phone}"), leaks
        )
        reprs = [repr(client), repr(client.provider), repr(kit.api_of(client)), repr(kit.api_of(client).auth)]
        reprs += [repr(client.provider.settings), str(client.provider.settings), repr(one), str(one)]
        reprs += [repr(record) for record in client.quarantined] + [repr(c) for c in streamed[:50]]
        quarantined = list(client.quarantined)
        counts = kit.counts(sandbox, client)
    print(f"\nleak run: {len(streamed)} streamed, {len(quarantined)} quarantined, {counts}")
    with kit.connect(sandbox, client_secret="wrong-" + sandbox.settings["client_secret"][::-1]) as client:
        _expect(AuthenticationFailed, lambda: client.get_candidate_by_id(employee), leaks)
    token_only = {key: None for key in ("client_id", "client_secret", "tenant", "pid")}
    with kit.connect(sandbox, **token_only, access_token=sandbox.extra_credentials["x_tw_token"][::-1]) as client:
        _expect(AuthenticationFailed, lambda: client.get_candidate_by_id(employee), leaks)
    with kit.connect(sandbox, on_invalid="raise", page_size=50) as client:
        _expect(InvalidResponse, lambda: list(client.stream_candidates()), leaks)
    limited = faulty_sandbox(size=20, scopes="openid")
    with kit.connect(limited) as client:
        _expect(PermissionDenied, lambda: client.get_candidate_by_id(employee), leaks)

    assert len(streamed) + len(quarantined) == 600 and quarantined and found == []
    assert counts["retries_total"] > 0 and counts["injected"].get("token_expired", 0) > 0, "a run through faults"
    for text in reprs:
        leaks.check_text(text, "a repr")
    names = {record.name for record in leaks.records}
    assert {"ats_core.audit", "ats_core.http"} <= names, f"the capture saw {sorted(names)}"
    assert any(record.levelno == logging.DEBUG for record in leaks.records)
    assert sum(1 for r in leaks.records if r.name == "ats_core.audit") >= 8, "every operation was audited"
    leaks.check_records()


def test_settings_reprs_mask_every_credential_form(faulty_sandbox: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=10)
    credentials = sandbox.extra_credentials
    forms = [
        dict(sandbox.settings),
        {"base_url": sandbox.base_url, "access_token": credentials["x_tw_token"]},
        {
            "base_url": sandbox.base_url,
            "account_sid": credentials["account_sid"],
            "auth_token": credentials["auth_token"],
        },
    ]
    for settings in forms:
        with connect("tempworks", settings, audit=True) as client:
            leaks.check_text(repr(client.provider.settings) + str(client.provider.settings), "settings repr")
            leaks.check_text(repr(client.provider.__dict__), "provider attributes repr")


def test_finding_candidates_by_email_or_phone_logs_no_pii(faulty_sandbox: Any, kit: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=50, error_rate="0.2")
    email, phone, _cell = _seeded_contact(sandbox, 5)
    employee = str(sandbox.state.data.employees.id_of(5))
    with kit.connect(sandbox) as client:
        by_email = client.find_candidates_by_details(email=email)
        by_phone = client.find_candidates_by_details(phone=phone)
    assert [c.remote_id for c in by_email] == [employee] and employee in [c.remote_id for c in by_phone]
    leaks.check_records()


@pytest.mark.parametrize("form", ["header_token", "basic"])
def test_static_credentials_under_faults_leak_nothing(faulty_sandbox: Any, kit: Any, leaks: Any, form: str) -> None:
    sandbox = faulty_sandbox(size=300, error_rate="0.2", drop_rate="0.1", malformed_rate="0.05")
    credentials = sandbox.extra_credentials
    oauth_off = {key: None for key in ("client_id", "client_secret", "tenant", "pid")}
    if form == "header_token":
        settings = {**oauth_off, "access_token": credentials["x_tw_token"]}
    else:
        settings = {**oauth_off, "account_sid": credentials["account_sid"], "auth_token": credentials["auth_token"]}
    with kit.connect(sandbox, on_invalid="quarantine", page_size=20, **settings) as client:
        streamed = list(client.stream_candidates())
        reprs = [repr(client.provider.settings), repr(kit.api_of(client).auth), repr(client.quarantined)]
        counts = kit.counts(sandbox, client)
    print(f"\n{form}: {len(streamed)} streamed, {counts}")
    assert counts["retries_total"] > 0 and len(streamed) + len(client.quarantined) == 300
    for text in reprs:
        leaks.check_text(text, "a repr")
    leaks.check_records()
