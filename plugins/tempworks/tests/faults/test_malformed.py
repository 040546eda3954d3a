"""Malformed records: missing required fields, wrong types, undecodable JSON.

By default a bad record raises InvalidResponse naming the record id and the field (never a value). With
on_invalid="quarantine" the stream goes on and each bad record lands in the quarantine sink with its raw
payload and the validation error: streamed + quarantined == the sandbox's total, nothing dropped silently.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from ats_core import InvalidResponse
from ats_core.models import RejectedRecord

EMPLOYEES_PATH = "/search/employees"


def _seeded_id(sandbox: Any, index: int) -> int:
    return int(sandbox.state.data.employees.id_of(index))


def _tamper_records(changes: dict[int, dict[str, Any]]) -> Any:
    """A tamper function giving the listed employees (by id) the listed field values in employee lists."""

    def tamper(path: str, _count: int, payload: Any) -> Any:
        if path == EMPLOYEES_PATH:
            for item in payload["data"]:
                item.update(changes.get(item.get("employeeId"), {}))
        return payload

    return tamper


@pytest.mark.parametrize(
    ("field", "bad_value", "canonical"),
    [("isActive", "maybe", "is_active"), ("emailAddress", {"address": "x"}, "email"), ("firstName", [1, 2], None)],
    ids=["text-not-boolean", "object-not-email", "list-not-string"],
)
def test_a_wrong_type_raises_invalid_response_naming_record_and_field(
    faulty_sandbox: Any, tampering_proxy: Any, kit: Any, leaks: Any, field: str, bad_value: Any, canonical: str | None
) -> None:
    sandbox = faulty_sandbox(size=120)
    target = _seeded_id(sandbox, 30)
    proxy = tampering_proxy(sandbox, _tamper_records({target: {field: bad_value}}))
    with kit.connect(proxy, page_size=50) as client, pytest.raises(InvalidResponse) as caught:
        list(client.stream_candidates())
    message = str(caught.value)
    assert f"Candidate {target}" in message and f"'{field}'" in message and "stream_candidates" in message
    if canonical:
        assert f"Candidate.{canonical}" in message
    assert "on_invalid='quarantine'" in message, "the message says how to continue past bad records"
    leaks.check_error(caught.value)


def test_a_missing_id_raises_invalid_response_naming_the_field(faulty_sandbox: Any, kit: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=400, malformed_rate="0.05")
    assert 1 in kit.malformed_ids(sandbox).values(), "the seed serves at least one employee without an id"
    with kit.connect(sandbox, page_size=100) as client, pytest.raises(InvalidResponse) as caught:
        list(client.stream_candidates())
    message = str(caught.value)
    assert "'employeeId'" in message and "without a readable id" in message and "stream_candidates" in message
    leaks.check_error(caught.value)


def test_quarantine_keeps_every_bad_record_with_payload_and_error(
    faulty_sandbox: Any, tampering_proxy: Any, kit: Any, leaks: Any
) -> None:
    sandbox = faulty_sandbox(size=1000, malformed_rate="0.04")
    flaws = kit.malformed_ids(sandbox)
    missing_id = {remote_id for remote_id, flaw in flaws.items() if flaw == 1}
    text_boolean = {remote_id for remote_id, flaw in flaws.items() if flaw == 2}
    intact = [index for index in range(1000) if str(_seeded_id(sandbox, index)) not in flaws]
    tampered = {_seeded_id(sandbox, intact[n]): {"isActive": "maybe", "emailAddress": 42} for n in (3, 333, 666)}
    proxy = tampering_proxy(sandbox, _tamper_records(tampered))
    sink: list[RejectedRecord] = []

    with kit.connect(proxy, on_invalid="quarantine", quarantine=sink.append, page_size=100) as client:
        streamed = list(client.stream_candidates())
        quarantined = list(client.quarantined)
    print(
        f"\nquarantine: streamed {len(streamed)}, quarantined {len(quarantined)}, injected {sandbox.stats()['injected']}"
    )

    total = len(kit.employee_ids(sandbox))
    assert len(streamed) + len(quarantined) == total == 1000, "nothing dropped silently"
    assert quarantined == sink, "client.quarantined and the caller's sink hold the same records"
    assert len(quarantined) == len(missing_id) + len(tampered) and missing_id
    streamed_ids = Counter(candidate.remote_id for candidate in streamed)
    assert max(streamed_ids.values()) == 1
    assert not (set(streamed_ids) & missing_id) and not (set(streamed_ids) & {str(i) for i in tampered})
    # a text boolean ("true"/"false") is a value the boolean field type reads, so those records stream
    assert text_boolean <= set(streamed_ids)
    for record in quarantined:
        assert record.provider == "tempworks" and record.entity == "Candidate"
        assert isinstance(record.remote_data, dict) and record.remote_data.get("lastName"), "the raw payload is kept"
        if record.remote_id is None:
            assert "employeeId" not in record.remote_data and "'employeeId'" in record.error
        else:
            assert int(record.remote_id) in tampered and record.remote_data["isActive"] == "maybe"
            assert "'isActive'" in record.error or "'emailAddress'" in record.error
        leaks.check_text(record.error, "a quarantine error")


def test_an_undecodable_page_is_never_skipped_and_its_cursor_is_retried(
    faulty_sandbox: Any, tampering_proxy: Any, kit: Any, leaks: Any
) -> None:
    sandbox = faulty_sandbox(size=200)

    def break_second_page_once(path: str, count: int, payload: Any) -> Any:
        if path == EMPLOYEES_PATH and count == 1:
            return b'{"data": [{"employeeId": 1, "firstName": "Ana"'
        return payload

    proxy = tampering_proxy(sandbox, break_second_page_once)
    with kit.connect(proxy, on_invalid="quarantine") as client:
        first = client.fetch_candidates_page(page_size=50)
        assert first.next_cursor is not None
        with pytest.raises(InvalidResponse) as caught:
            client.fetch_candidates_page(cursor=first.next_cursor, page_size=50)
        seen = [candidate.remote_id for candidate in first.items]
        cursor: str | None = first.next_cursor
        while cursor is not None:
            page = client.fetch_candidates_page(cursor=cursor, page_size=50)
            seen.extend(candidate.remote_id for candidate in page.items)
            cursor = page.next_cursor
        assert client.quarantined == [], "an undecodable page is an error, not a quarantined record"
    message = str(caught.value)
    assert "not valid JSON" in message and "fetch_candidates_page" in message and "/Search/Employees" in message
    assert len(seen) == len(set(seen)) and set(seen) == kit.employee_ids(sandbox)
    leaks.check_error(caught.value)


SEARCH_PATH = "/search/1"
COLUMNS_PATH = "/search/1/columns"


@pytest.mark.parametrize(
    "tenant",
    [
        "all-columns",
        "no-first-name-column",  # the read-by-id fallback of a tenant lacking a declared column
    ],
)
def test_an_incremental_row_without_an_id_is_quarantined_not_dropped(
    faulty_sandbox: Any, tampering_proxy: Any, kit: Any, tenant: str
) -> None:
    sandbox = faulty_sandbox(size=200)
    since = datetime(2024, 1, 1, tzinfo=UTC)
    employees = sandbox.state.data.employees
    expected = employees.count - employees.first_index_above(since.timestamp())

    def tamper(path: str, count: int, payload: Any) -> Any:
        if path == COLUMNS_PATH and tenant == "no-first-name-column":
            return [column for column in payload if column.get("columnDisplayName") != "First Name"]
        if path == SEARCH_PATH and count == 0 and len(payload.get("data") or []) > 3:
            del payload["data"][3]["Id"]
        return payload

    proxy = tampering_proxy(sandbox, tamper)
    with kit.connect(proxy, on_invalid="quarantine", lookback_seconds=0) as client:
        streamed = list(client.stream_candidates(updated_after=since))
        quarantined = list(client.quarantined)
    print(f"\nincremental, {tenant}: streamed {len(streamed)}, quarantined {len(quarantined)} of {expected}")
    assert len({candidate.remote_id for candidate in streamed}) == len(streamed)
    assert len(streamed) + len(quarantined) == expected, "a row without an id is quarantined, never dropped"
    assert len(quarantined) == 1
