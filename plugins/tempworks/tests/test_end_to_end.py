"""Every implemented operation against the sandbox over a real loopback socket, through ats_core.connect."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from ats_core import ATSClient, CapabilityNotSupported, InvalidInput, InvalidResponse, NotFound, connect
from ats_core.models import Application, Candidate, CustomFieldEntity, EnhancedJob, Job, NoteFormat
from ats_core.operations import OPERATION_NAMES
from ats_core.sandbox import SandboxOptions, start_sandbox

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _all_pages(fetch: Any) -> list[Any]:
    items, cursor = [], None
    while True:
        page = fetch(cursor)
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return items


def test_stream_candidates_reads_every_employee(client: ATSClient) -> None:
    candidates = list(client.stream_candidates())
    assert len(candidates) >= 60
    assert len({c.remote_id for c in candidates}) == len(candidates)
    first = candidates[0]
    assert isinstance(first, Candidate) and first.provider == "tempworks"
    assert first.remote_data["employeeId"] is not None
    postal_codes = [a.postal_code for c in candidates for a in c.addresses if a.postal_code is not None]
    assert postal_codes and all(code == code.strip() for code in postal_codes)
    assert all(c.phone is None or c.phone.startswith("+") for c in candidates)


def test_a_page_size_above_the_server_maximum_is_halved(sandbox_settings: dict[str, Any]) -> None:
    with connect("tempworks", {**sandbox_settings, "page_size": 8000}) as client:
        assert len(list(client.stream_candidates())) >= 60
        assert client.provider.library.page_size < 8000  # type: ignore[attr-defined]


def test_incremental_reads_halve_a_take_advanced_search_refuses() -> None:
    """An advanced-search maximum below the configured take used to fail every incremental read."""
    faults = {"search_max_take": "30", "rate_limit": "off"}
    sandbox = start_sandbox("tempworks", SandboxOptions(size=120, seed=3, faults=faults))
    unlimited = {"requests_per_window": 10_000, "window_seconds": 0.01}
    try:
        with connect("tempworks", {**sandbox.settings, **unlimited, "page_size": 100}) as client:
            everyone = {c.remote_id for c in client.stream_candidates()}
            since = datetime(2000, 1, 1, tzinfo=UTC)
            changed = [c.remote_id for c in client.stream_candidates(updated_after=since)]
            assert set(changed) == everyone and len(changed) == len(everyone)
            assert client.provider.library.page_size <= 30  # type: ignore[attr-defined]
            applications = list(client.stream_applications(updated_after=since))
            assert len({a.remote_id for a in applications}) == len(applications) > 0
    finally:
        sandbox.stop()


def test_candidate_pages_resume_from_cursors_and_match_the_stream(client: ATSClient) -> None:
    streamed = [c.remote_id for c in client.stream_candidates()]
    paged = _all_pages(lambda cursor: client.fetch_candidates_page(cursor=cursor, page_size=7))
    assert [c.remote_id for c in paged] == streamed


def test_incremental_candidates_use_the_modified_column(sandbox_settings: dict[str, Any], sandbox: Any) -> None:
    with connect("tempworks", sandbox_settings) as client:
        lookback = timedelta(seconds=client.manifest.streams[0].lookback_seconds)
        everyone = list(client.stream_candidates())
        before = client.provider.http_stats()["requests"]
        since_ever = list(client.stream_candidates(updated_after=datetime(2000, 1, 1, tzinfo=UTC)))
        assert {c.remote_id for c in since_ever} == {c.remote_id for c in everyone}
        sent = client.provider.http_stats()["requests"] - before
        assert sent <= 3, (
            f"{sent} requests for {len(since_ever)} records: columns + one search per page, no reads by id"
        )
        assert all(c.address and c.address.region and c.status for c in since_ever)  # columns the list lacks
        state = getattr(sandbox, "state", None)
        if state is not None:  # the sandbox's own record of each modification instant
            from ats_tempworks_sandbox import EMPLOYEE

            for candidate in since_ever[:10]:
                truth = datetime.fromtimestamp(state.modified_of(EMPLOYEE, int(candidate.remote_id)), UTC)
                assert candidate.updated_at == truth.replace(microsecond=0)
        stamps = sorted(c.updated_at for c in since_ever if c.updated_at is not None)
        assert len(stamps) == len(since_ever)
        middle = stamps[len(stamps) // 2]
        changed = list(client.stream_candidates(updated_after=middle))
        expected = {c.remote_id for c in since_ever if c.updated_at is not None and c.updated_at >= middle}
        reread = {c.remote_id for c in since_ever if c.updated_at is not None and c.updated_at >= middle - lookback}
        assert expected <= {c.remote_id for c in changed} <= reread  # at or after, and the declared lookback
        assert len({c.remote_id for c in changed}) == len(changed)
        paged = _all_pages(
            lambda cursor: client.fetch_candidates_page(
                updated_after=middle if cursor is None else None, cursor=cursor, page_size=5
            )
        )
        assert {c.remote_id for c in paged} == {c.remote_id for c in changed}
        assert list(client.stream_candidates(updated_after=stamps[-1] + timedelta(days=1))) == []


def test_jobs_stream_pages_and_status_filter(client: ATSClient) -> None:
    jobs = list(client.stream_jobs())
    assert jobs and all(isinstance(j, Job) for j in jobs)
    status = jobs[0].status
    assert status is not None
    only = list(client.stream_jobs(statuses=[status.upper()]))
    assert only and all(j.status == status for j in only)
    paged = _all_pages(lambda cursor: client.fetch_jobs_page(cursor=cursor, page_size=9))
    assert [j.remote_id for j in paged] == [j.remote_id for j in jobs]


def test_applications_stream_pages_and_job_filter(client: ATSClient) -> None:
    applications = list(client.stream_applications())
    assert applications and all(isinstance(a, Application) for a in applications)
    job_id = applications[0].job_id
    assert job_id is not None
    for_job = list(client.stream_applications(for_job_ids=[job_id]))
    assert for_job and all(a.job_id == job_id for a in for_job)
    paged = _all_pages(lambda cursor: client.fetch_applications_page(cursor=cursor, page_size=11))
    assert [a.remote_id for a in paged] == [a.remote_id for a in applications]
    since_ever = list(client.stream_applications(updated_after=datetime(2000, 1, 1, tzinfo=UTC)))
    assert {a.remote_id for a in since_ever} == {a.remote_id for a in applications}
    assert all(a.updated_at is not None for a in since_ever)


def test_reads_by_id(client: ATSClient) -> None:
    candidate = next(iter(client.stream_candidates()))
    detail = client.get_candidate_by_id(candidate.remote_id)
    assert detail.remote_id == candidate.remote_id
    assert detail.last_name == candidate.last_name
    job = next(iter(client.stream_jobs()))
    assert client.get_job_by_job_id(job.remote_id).title == job.title
    application = next(iter(client.stream_applications()))
    assert client.get_application_by_application_id(application.remote_id).job_id == application.job_id


def test_unknown_ids_are_not_found_naming_the_operation(client: ATSClient) -> None:
    with pytest.raises(NotFound, match="get_candidate_by_id"):
        client.get_candidate_by_id("999999999")
    with pytest.raises(NotFound, match="get_job_by_job_id"):
        client.get_job_by_job_id("999999999")
    with pytest.raises(NotFound, match="get_application_by_application_id"):
        client.get_application_by_application_id("999999999")


def test_enhanced_jobs(client: ATSClient) -> None:
    job = next(iter(client.stream_jobs()))
    enhanced = client.get_enhanced_job(job_id=job.remote_id)
    assert isinstance(enhanced, EnhancedJob) and enhanced.remote_id == job.remote_id
    assert enhanced.custom_field_values and all(v.entity_id == job.remote_id for v in enhanced.custom_field_values)
    batch = client.fetch_enhanced_jobs_page(cursor=None, page_size=3)
    assert len(batch.items) == 3 and batch.next_cursor
    following = client.fetch_enhanced_jobs_page(cursor=batch.next_cursor, page_size=3)
    assert {j.remote_id for j in following.items}.isdisjoint({j.remote_id for j in batch.items})


def test_find_candidates_by_email_phone_and_name(client: ATSClient) -> None:
    known = next(c for c in (client.get_candidate_by_id(c.remote_id) for c in client.stream_candidates()) if c.email)
    assert known.email is not None and known.first_name is not None and known.last_name is not None
    by_email = client.find_candidates_by_details(email=known.email)
    assert known.remote_id in {c.remote_id for c in by_email}
    both = client.find_candidates_by_details(email=known.email, first_name=known.first_name.upper())
    assert [c.remote_id for c in both] == [known.remote_id]
    nobody = client.find_candidates_by_details(email=known.email, first_name="Nobody-By-This-Name")
    assert nobody == []
    by_name = client.find_candidates_by_details(first_name=known.first_name, last_name=known.last_name)
    assert known.remote_id in {c.remote_id for c in by_name}
    assert len({c.remote_id for c in by_name}) == len(by_name)
    if known.phone:
        by_phone = client.find_candidates_by_details(phone=known.phone)
        assert known.remote_id in {c.remote_id for c in by_phone}


def test_resume_download(client: ATSClient) -> None:
    with_resume = next(c for c in client.stream_candidates() if c.has_resume)
    resume = client.get_resume_for_candidate_id(with_resume.remote_id)
    assert resume is not None and resume.content and resume.candidate_id == with_resume.remote_id
    without = next((c for c in client.stream_candidates() if c.has_resume is False), None)
    if without is not None:
        assert client.get_resume_for_candidate_id(without.remote_id) is None


def test_notes_on_candidates_and_applications(client: ATSClient) -> None:
    candidate = next(iter(client.stream_candidates()))
    note = client.add_note_to_candidate(candidate.remote_id, "Called; interested in night shifts.", None)
    assert note.remote_id and note.format is NoteFormat.PLAIN and note.candidate_id == candidate.remote_id
    named = client.add_note_to_candidate(candidate, "Interview booked.", "interview scheduled")
    assert named.action_type == "Interview Scheduled"
    application = next(iter(client.stream_applications()))
    on_application = client.add_note_to_application(application, "Placement confirmed.", None)
    assert on_application.candidate_id == application.candidate_id
    by_id = client.add_note_to_application(application.remote_id, "Second note.", None)
    assert by_id.candidate_id == application.candidate_id
    assert isinstance(note.remote_data["messageId"], int), "remote_data is the answer as sent, not re-serialised"
    listed = client.list_candidate_notes(candidate.remote_id)
    assert {note.remote_id, named.remote_id} <= {n.remote_id for n in listed}
    read = next(n for n in listed if n.remote_id == note.remote_id)
    assert read.body == note.body and read.created_at is not None
    stamps = [n.created_at for n in listed if n.created_at is not None]
    assert stamps == sorted(stamps), "oldest first"
    on_assignment = client.list_application_notes(application.remote_id)
    assert {on_application.remote_id, by_id.remote_id} <= {n.remote_id for n in on_assignment}


def test_attachments(client: ATSClient) -> None:
    candidate = next(iter(client.stream_candidates()))
    pdf_b64 = base64.b64encode(PDF).decode()
    attachment = client.add_attachment_to_candidate("report.pdf", candidate.remote_id, pdf_b64)
    assert attachment.remote_id and attachment.size_bytes == len(PDF)
    application = next(iter(client.stream_applications()))
    on_application = client.add_attachment_to_application("assessment.pdf", application.remote_id, pdf_b64)
    assert on_application.candidate_id == application.candidate_id
    stored = {a.remote_id: a for a in client.list_candidate_attachments(candidate.remote_id)}
    assert stored[attachment.remote_id].file_name == "report.pdf"
    linked = client.list_application_attachments(application.remote_id)
    assert [a.remote_id for a in linked] == [on_application.remote_id]


def test_custom_fields(client: ATSClient) -> None:
    for entity, read in (
        (CustomFieldEntity.CANDIDATE, client.get_candidate_custom_fields),
        (CustomFieldEntity.JOB, client.get_job_custom_fields),
        (CustomFieldEntity.APPLICATION, client.get_application_custom_fields),
    ):
        definitions = read()
        assert definitions and all(d.entity is entity and d.name for d in definitions)
    job = next(iter(client.stream_jobs()))
    values = client.get_job_custom_field_values(job.remote_id)
    assert values and {v.definition_id for v in values} <= {d.remote_id for d in client.get_job_custom_fields()}


EXPECTED_PYTHON_TYPES = {
    "string": str,
    "decimal": Decimal,
    "money": Decimal,
    "integer": int,
    "boolean": bool,
    "date": date,
    "datetime": datetime,
    "time": time,
    "guid": str,
}


def test_custom_field_values_are_typed_by_their_definitions(client: ATSClient) -> None:
    candidate = next(iter(client.stream_candidates()))
    application = next(iter(client.stream_applications()))
    job = next(iter(client.stream_jobs()))
    seen: set[str] = set()
    for values in (
        client.get_candidate_custom_field_values(candidate.remote_id),
        client.get_application_custom_field_values(application.remote_id),
        client.get_job_custom_field_values(job.remote_id),
    ):
        for value in values:
            assert value.problem is None, value.name
            assert value.field_type is not None
            if value.value is None:
                continue
            expected = EXPECTED_PYTHON_TYPES[value.field_type]
            items = value.value if isinstance(value.value, list) else [value.value]
            assert all(isinstance(item, expected) for item in items), (value.name, value.field_type)
            if isinstance(value.value, datetime):
                assert value.value.tzinfo is UTC
            seen.add(value.field_type)
    assert {"decimal", "date", "boolean", "integer", "money", "time"} <= seen
    on_candidate = client.get_candidate_custom_field_values(candidate.remote_id)
    assert all(v.entity is CustomFieldEntity.CANDIDATE and v.entity_id == candidate.remote_id for v in on_candidate)


def test_passthrough_reaches_the_tenant_api_and_refuses_to_leave_it(client: ATSClient) -> None:
    candidate = next(iter(client.stream_candidates()))
    answer = client.passthrough("GET", f"/Employees/{candidate.remote_id}", None, None)
    assert answer.status_code == 200 and str(answer.body["employeeId"]) == candidate.remote_id
    assert not {"authorization", "set-cookie"} & {name.lower() for name in answer.headers}
    for path in ("https://evil.example/Employees", "//evil.example/x", "/Employees/../../admin", "/a\\b"):
        with pytest.raises(InvalidInput, match="path"):
            client.passthrough("GET", path, None, None)
    with pytest.raises(InvalidInput, match="method"):
        client.passthrough("TRACE", "/Employees", None, None)
    with pytest.raises(NotFound):
        client.passthrough("GET", "/Employees/999999999", None, None)


def test_declared_unsupported_operations_raise_with_reason(client: ATSClient) -> None:
    manifest = client.manifest
    refused = [op for op in OPERATION_NAMES if not manifest.status_of(op).implemented]
    assert "get_all_application_stages" in refused
    with pytest.raises(CapabilityNotSupported) as caught:
        client.get_all_application_stages()
    assert caught.value.reason == manifest.operations["get_all_application_stages"].reason


def test_header_token_and_basic_credentials_work(sandbox_settings: dict[str, Any], sandbox: Any) -> None:
    extra = getattr(sandbox, "extra_credentials", None)
    if not extra:
        pytest.skip("the sandbox offers no static credentials")
    base = {"base_url": sandbox_settings["base_url"], "requests_per_window": 10_000, "window_seconds": 1}
    credentials = extra() if callable(extra) else extra
    header_token = {"access_token": credentials["x_tw_token"]}
    basic = {"account_sid": credentials["account_sid"], "auth_token": credentials["auth_token"]}
    for credential in (header_token, basic):
        with connect("tempworks", {**base, **credential}) as connected:
            assert connected.get_job_by_job_id(next(iter(connected.stream_jobs())).remote_id)


def test_malformed_records_are_quarantined_or_raised() -> None:
    options = SandboxOptions(size=40, seed=5, faults={"rate_limit": "off", "malformed_rate": "0.3"})
    sandbox = start_sandbox("tempworks", options)
    try:
        settings = {"time_zone": "UTC", **sandbox.settings}
        with connect("tempworks", settings, on_invalid="quarantine") as client:
            kept = list(client.stream_candidates())
            quarantined = client.quarantined
            assert quarantined, "the fault injected no record without an id"
            assert all(q.remote_id is None and "employeeId" in q.error for q in quarantined)
            assert all(isinstance(c.is_active, bool) for c in kept)  # string "true"/"false" is read as a boolean
        with connect("tempworks", settings) as strict, pytest.raises(InvalidResponse, match="employeeId"):
            list(strict.stream_candidates())
    finally:
        sandbox.stop()
    assert len(kept) + len(quarantined) >= 40
