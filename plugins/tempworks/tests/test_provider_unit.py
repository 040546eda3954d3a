"""The provider against httpx.MockTransport: request shapes, paging, cursors, quirks, notes, attachments, find."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from ats_tempworks.manifest import MANIFEST
from ats_tempworks.plugin import TempWorksProvider
from ats_tempworks.settings import TempWorksSettings

from ats_core.errors import ConfigurationError, InvalidInput, InvalidResponse, WriteOutcomeUnknown
from ats_core.fields import FieldMapping, FieldType
from ats_core.http import FakeClock
from ats_core.provider import ProviderContext
from ats_core.rejects import RejectPolicy

Handler = Callable[[httpx.Request], httpx.Response]
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\ntrailer\n%%EOF\n"
MODIFIED_COLUMN = "5f0c-modified"  # deliberately not the GUID public clients hard-code

ACTIONS = [
    {"actionId": 462, "action": "1st Recruiting Call", "isDefault": False, "isActive": True},
    {"actionId": 9, "action": "Retired Action", "isDefault": False, "isActive": False},
    {"actionId": 17, "action": "General Note", "isDefault": True, "isActive": True},
    {"actionId": 23, "action": "Interview Scheduled", "isDefault": False, "isActive": True},
]


def employee_item(employee_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "employeeId": employee_id,
        "firstName": "Ann  ",
        "lastName": "Lee",
        "emailAddress": f"ann{employee_id}@Example.com",
        "phoneNumber": "(612) 555-0100",
        "postalCode": "55401     ",
        "isActive": True,
        "hasResumeOnFile": False,
        **extra,
    }


def employee_detail(employee_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "employeeId": employee_id,
        "firstName": "Ann",
        "lastName": "Lee",
        "primaryEmailAddress": f"ann{employee_id}@example.com",
        "address": {"region": "CA   ", "postalCode": "90001     ", "countryCode": 840},
        "employeeStatus": "Eligible and Active",
        "isActive": True,
        **extra,
    }


class FakeTempWorks:
    """Routes requests by method and lower-cased path; records every request it sees."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], Handler] = {}
        self.route("GET", "/datalists/messageactions", lambda r: json_response({"data": ACTIONS, "totalCount": 3}))

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path.lower())] = handler

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        handler = self.routes.get((request.method, request.url.path.lower()))
        if handler is None:
            return json_response({"title": "Not Found"}, 404)
        return handler(request)

    def seen(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path.lower() == path.lower()]


def json_response(payload: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=payload)


def query(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}


def provider_for(fake: FakeTempWorks, context: ProviderContext | None = None, **settings: Any) -> TempWorksProvider:
    values: dict[str, Any] = {"base_url": "https://tw.example.test/", "access_token": "tok-123", **settings}
    return TempWorksProvider(
        TempWorksSettings(**values),
        context or ProviderContext("tempworks"),
        transport=httpx.MockTransport(fake),
        clock=FakeClock(),
    )


def list_route(records: list[dict[str, Any]], *, max_take: int | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        params = query(request)
        skip, take = int(params["skip"]), int(params["take"])
        if max_take is not None and take > max_take:
            return json_response({"title": f"take must be at most {max_take}"}, 400)
        return json_response({"data": records[skip : skip + take], "totalCount": len(records)})

    return handler


# --- authentication ---------------------------------------------------------------------------------


def test_header_token_is_sent_as_x_tw_token() -> None:
    fake = FakeTempWorks()
    fake.route("GET", "/employees/5", lambda r: json_response(employee_detail(5)))
    provider_for(fake).get_candidate_by_id("5")
    request = fake.seen("GET", "/Employees/5")[0]
    assert request.headers["x-tw-token"] == "tok-123"
    assert "authorization" not in request.headers


def test_personal_access_token_is_basic_auth() -> None:
    fake = FakeTempWorks()
    fake.route("GET", "/employees/5", lambda r: json_response(employee_detail(5)))
    provider_for(fake, access_token=None, account_sid="sid", auth_token="secret").get_candidate_by_id("5")
    expected = "Basic " + base64.b64encode(b"sid:secret").decode()
    assert fake.seen("GET", "/Employees/5")[0].headers["authorization"] == expected


def test_oauth_uses_the_vendor_grant_with_tenant_and_pid() -> None:
    fake = FakeTempWorks()
    fake.route(
        "POST",
        "/connect/token",
        lambda r: json_response({"access_token": "at-1", "expires_in": 3600, "token_type": "Bearer"}),
    )
    fake.route("GET", "/employees/5", lambda r: json_response(employee_detail(5)))
    provider = provider_for(
        fake,
        access_token=None,
        token_url="https://tw.example.test/connect/token",
        client_id="cid",
        client_secret="cs",
        tenant="acme",
        pid="0000-pid",
    )
    provider.get_candidate_by_id("5")
    form = parse_qs(fake.seen("POST", "/connect/token")[0].content.decode())
    assert form["grant_type"] == ["tw_vendor_service_credentials"]
    assert form["acr_values"] == ["tenant:acme pid:0000-pid"]
    assert form["client_id"] == ["cid"]
    assert fake.seen("GET", "/Employees/5")[0].headers["authorization"] == "Bearer at-1"


# --- streams, paging, cursors -------------------------------------------------------------------------


def test_stream_pages_with_skip_take_and_maps_quirks() -> None:
    fake = FakeTempWorks()
    records = [employee_item(i) for i in range(1, 8)]
    fake.route("GET", "/search/employees", list_route(records))
    candidates = list(provider_for(fake, page_size=3, prefetch=1).stream_candidates(None))
    assert [c.remote_id for c in candidates] == [str(i) for i in range(1, 8)]
    assert [query(r)["skip"] for r in fake.seen("GET", "/Search/Employees")] == ["0", "3", "6"]
    first = candidates[0]
    assert first.first_name == "Ann"
    assert first.address is not None and first.address.postal_code == "55401"
    assert first.email == "ann1@example.com"
    assert first.phone == "+16125550100"
    assert first.remote_data is not None and first.remote_data["postalCode"] == "55401     "


def test_a_refused_take_is_halved_and_remembered() -> None:
    fake = FakeTempWorks()
    records = [employee_item(i) for i in range(1, 301)]
    fake.route("GET", "/search/employees", list_route(records, max_take=100))
    provider = provider_for(fake, page_size=400, prefetch=2)
    assert len(list(provider.stream_candidates(None))) == 300
    takes = [int(query(r)["take"]) for r in fake.seen("GET", "/Search/Employees")]
    assert takes[:3] == [400, 200, 100]
    assert set(takes[3:]) == {100}
    assert provider.library.page_size == 100


def test_pages_resume_from_the_cursor() -> None:
    fake = FakeTempWorks()
    fake.route("GET", "/search/employees", list_route([employee_item(i) for i in range(1, 6)]))
    provider = provider_for(fake)
    first = provider.fetch_candidates_page(None, None, 2)
    assert [c.remote_id for c in first.items] == ["1", "2"] and first.next_cursor
    second = provider.fetch_candidates_page(None, first.next_cursor, None)
    assert [c.remote_id for c in second.items] == ["3", "4"]
    third = provider.fetch_candidates_page(None, second.next_cursor, None)
    assert [c.remote_id for c in third.items] == ["5"] and third.next_cursor is None
    with pytest.raises(InvalidInput, match="cursor"):
        provider.fetch_jobs_page(None, None, first.next_cursor, None)


def modified_search_fake(rows: list[tuple[int, str]]) -> FakeTempWorks:
    fake = FakeTempWorks()
    columns = [
        {
            "columnId": "c-created",
            "columnName": "DateCreated",
            "columnDisplayName": "Date Created",
            "columnType": "Date",
        },
        {"columnId": "c-note", "columnName": "ModificationNote", "columnType": "String"},
        {"columnId": "c-id", "columnName": "EmployeeId", "columnDisplayName": "Employee Id", "columnType": "Integer"},
        {
            "columnId": MODIFIED_COLUMN,
            "columnName": "LastModified",
            "columnDisplayName": "Last Modified",
            "columnType": "DateTime",
        },
    ]
    fake.route("GET", "/search/1/columns", lambda r: json_response(columns))

    def search(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        skip, take = body["skip"], body["take"]
        data = [
            {"Id": {"value": i, "originId": i, "originTypeId": 1}, MODIFIED_COLUMN: {"value": stamp}}
            for i, stamp in rows[skip : skip + take]
        ]
        return json_response({"columns": [], "data": data, "totalCount": len(rows)})

    fake.route("POST", "/search/1", search)
    for employee_id, _ in rows:
        fake.route("GET", f"/employees/{employee_id}", lambda r, i=employee_id: json_response(employee_detail(i)))
    return fake


def test_updated_after_uses_the_modified_column_found_at_run_time() -> None:
    fake = modified_search_fake([(7, "2024-07-01T09:30:00"), (8, "2024-07-02T10:00:00")])
    provider = provider_for(fake, lookback_seconds=600, time_zone="America/Chicago")
    since = datetime(2024, 7, 1, 14, 0, tzinfo=UTC)
    candidates = list(provider.stream_candidates(since))
    assert [c.remote_id for c in candidates] == ["7", "8"]
    assert candidates[0].updated_at == datetime(2024, 7, 1, 14, 30, tzinfo=UTC)  # Chicago is UTC-5 in July
    body = json.loads(fake.seen("POST", "/search/1")[0].content)
    rule = body["searchCriteria"]["rootGroup"]["rules"][0]
    assert rule["columnId"] == MODIFIED_COLUMN
    assert rule["values"] == ["2024-07-01T08:50:00"]  # 14:00 UTC - 10 min lookback, in Chicago time
    assert body["sortByColumns"] == [{"columnId": "c-id", "isDescending": False}]  # by id: none passed over


def test_an_incremental_read_without_the_id_column_is_a_clear_error_never_a_silent_re_sort() -> None:
    fake = modified_search_fake([(7, "2024-07-01T09:30:00")])
    columns = [c for c in fake.routes[("GET", "/search/1/columns")](None).json() if c["columnId"] != "c-id"]
    fake.route("GET", "/search/1/columns", lambda r: json_response(columns))
    with pytest.raises(InvalidResponse, match="no id column \\('Employee Id'\\)"):
        list(provider_for(fake).stream_candidates(datetime(2024, 7, 1, tzinfo=UTC)))


_SEARCH_TABLE = MANIFEST.mapping("employee_search")
EMPLOYEE_SEARCH_COLUMNS = (
    *_SEARCH_TABLE.fields,
    FieldMapping(canonical="updated_at", remote=str(_SEARCH_TABLE.updated_at_field), type=FieldType.DATETIME),
)


def column_search_fake(rows: list[dict[str, Any]]) -> FakeTempWorks:
    """Advanced search with every column the declared candidate column mapping names, under per-tenant ids."""
    fake = FakeTempWorks()
    names = [m.remote for m in EMPLOYEE_SEARCH_COLUMNS]
    columns = [
        {
            "columnId": f"guid-{n}",
            "columnName": m.remote.replace(" ", ""),
            "columnDisplayName": m.remote,
            "columnType": "Date" if m.type is FieldType.DATETIME else "String",
        }
        for n, m in enumerate(EMPLOYEE_SEARCH_COLUMNS)
    ]
    columns.append({"columnId": "guid-pet", "columnDisplayName": "First Name", "isCustomData": True})
    columns.append({"columnId": "guid-id", "columnName": "EmployeeId", "columnDisplayName": "Employee Id"})
    fake.route("GET", "/search/1/columns", lambda r: json_response({"data": columns, "totalCount": len(columns)}))
    ids = {name: f"guid-{n}" for n, name in enumerate(names)}

    def search(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        skip, take = body["skip"], body["take"]
        data = [
            {
                "Id": {"value": row["Id"], "originId": row["Id"]},
                **{ids[k]: {"value": v} for k, v in row.items() if k != "Id"},
            }
            for row in rows[skip : skip + take]
        ]
        return json_response({"columns": [], "data": data, "totalCount": len(rows)})

    fake.route("POST", "/search/1", search)
    return fake


def test_updated_after_maps_declared_columns_with_one_request_per_page() -> None:
    rows = [
        {
            "Id": 7,
            "First Name": "Ann ",
            "State": "CA   ",
            "Employee Status": "Active",
            "Last Modified": "2024-07-01T09:30:00",
        },
        {"Id": 8, "First Name": "Bo", "Phone Number": "(612) 555-0100", "Last Modified": "2024-07-02T10:00:00"},
        {"Id": 9, "First Name": "Cy", "Last Modified": "2024-07-02T11:00:00"},
    ]
    fake = column_search_fake(rows)
    provider = provider_for(fake, time_zone="America/Chicago", page_size=2)
    candidates = list(provider.stream_candidates(datetime(2024, 7, 1, tzinfo=UTC)))
    assert [c.remote_id for c in candidates] == ["7", "8", "9"]
    assert candidates[0].updated_at == datetime(2024, 7, 1, 14, 30, tzinfo=UTC)
    assert (candidates[0].first_name, candidates[0].address and candidates[0].address.region) == ("Ann", "CA")
    assert candidates[0].status == "Active"
    assert candidates[1].phone == "+16125550100"
    assert candidates[0].remote_data["Last Modified"] == "2024-07-01T09:30:00"
    searches = fake.seen("POST", "/search/1")
    assert len(searches) == 2 and not [r for r in fake.requests if r.url.path.lower().startswith("/employees/")]
    body = json.loads(searches[0].content)
    assert body["sortByColumns"] == [{"columnId": "guid-id", "isDescending": False}]  # a change keeps its place
    returned = body["searchCriteria"]["returnColumnIds"]
    declared = {f"guid-{n}" for n in range(len(EMPLOYEE_SEARCH_COLUMNS))}
    assert set(returned) <= declared and "guid-pet" not in returned  # the declared columns, never the custom one


def test_a_missing_declared_column_leaves_its_field_none_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    fake = modified_search_fake([(7, "2024-07-01T09:30:00"), (8, "2024-07-01T09:40:00")])  # no "First Name" etc.
    with caplog.at_level(logging.WARNING, logger="ats_tempworks"):
        candidates = list(provider_for(fake, page_size=1).stream_candidates(datetime(2024, 7, 1, tzinfo=UTC)))
    assert [c.remote_id for c in candidates] == ["7", "8"] and candidates[0].first_name is None
    assert not fake.seen("GET", "/employees/7"), "no read by id: the search rows are the records"
    warnings = [r.getMessage() for r in caplog.records if "no column named" in r.getMessage()]
    assert len(warnings) == 1 and "'First Name' / 'Employee First Name'" in warnings[0]


def test_http_stats_are_the_connection_counters() -> None:
    fake = FakeTempWorks()
    fake.route("GET", "/search/employees", list_route([employee_item(1)]))
    provider = provider_for(fake)
    list(provider.stream_candidates(None))
    assert provider.http_stats()["requests"] == len(fake.requests) == 1


def test_messages_and_documents_read_back_as_notes_and_attachments() -> None:
    fake = FakeTempWorks()
    linked = [{"originTypeId": 1, "originId": 4}, {"originTypeId": 14, "originId": 90}]
    message = {
        "messageId": 31,
        "actionId": 17,
        "action": "General Note",
        "message": "hi",
        "dateCreated": "2024-07-01T09:30:00",
        "linkedEntities": linked,
        "linkedDocumentIds": [12],
    }
    documents = [
        {"documentId": 12, "fileName": "cv.pdf", "documentType": "Other"},
        {"documentId": 13, "fileName": "id.png", "documentType": "Other"},
    ]
    fake.route("GET", "/employees/4/messages", list_route([message]))
    fake.route("GET", "/assignments/90/messages", list_route([message]))
    fake.route("GET", "/assignments/90", lambda r: json_response({"assignmentId": 90, "employeeId": 4}))
    fake.route("GET", "/employees/4/documents", list_route(documents))
    provider = provider_for(fake, time_zone="UTC")
    (note,) = provider.list_candidate_notes("4")
    assert (note.remote_id, note.body, note.action_type, note.candidate_id) == ("31", "hi", "General Note", "4")
    assert note.created_at == datetime(2024, 7, 1, 9, 30, tzinfo=UTC) and note.application_id == "90"
    (on_assignment,) = provider.list_application_notes("90")
    assert (on_assignment.application_id, on_assignment.candidate_id) == ("90", "4")
    assert [a.content_type for a in provider.list_candidate_attachments("4")] == ["application/pdf", "image/png"]
    (attachment,) = provider.list_application_attachments("90")  # only the document a message links
    assert (attachment.remote_id, attachment.file_name, attachment.application_id) == ("12", "cv.pdf", "90")


def test_a_search_row_without_an_id_is_raised_or_quarantined() -> None:
    fake = modified_search_fake([(7, "2024-07-01T09:30:00"), (8, "2024-07-01T09:40:00")])
    answer = fake.routes[("POST", "/search/1")]

    def without_first_id(request: httpx.Request) -> httpx.Response:
        payload = answer(request).json()
        del payload["data"][0]["Id"]
        return json_response(payload)

    fake.route("POST", "/search/1", without_first_id)
    since = datetime(2024, 7, 1, tzinfo=UTC)
    with pytest.raises(InvalidResponse, match="without a readable id: field 'Id'"):
        list(provider_for(fake).stream_candidates(since))
    context = ProviderContext("tempworks", RejectPolicy("quarantine"))
    assert [c.remote_id for c in provider_for(fake, context).stream_candidates(since)] == ["8"]
    (kept,) = context.policy.quarantined
    assert kept.entity == "Candidate" and kept.remote_id is None and "Last Modified" in kept.remote_data


def test_a_cursor_keeps_its_updated_after() -> None:
    fake = modified_search_fake([(i, "2024-07-02T10:00:00") for i in range(1, 4)])
    provider = provider_for(fake)
    since = datetime(2024, 7, 1, tzinfo=UTC)
    first = provider.fetch_candidates_page(since, None, 2)
    assert first.next_cursor is not None
    with pytest.raises(InvalidInput, match="updated_after"):
        provider.fetch_candidates_page(datetime(2020, 1, 1, tzinfo=UTC), first.next_cursor, None)
    rest = provider.fetch_candidates_page(None, first.next_cursor, None)
    assert [c.remote_id for c in rest.items] == ["3"] and rest.next_cursor is None


def test_job_quirks_money_dates_and_status_filter() -> None:
    fake = FakeTempWorks()
    jobs = [
        {
            "orderId": 1,
            "jobTitle": "Welder ",
            "orderStatus": "Unfilled",
            "payRate": "18.5000",
            "billRate": "0.0000",
            "startDate": "0001-01-01T00:00:00+00:00",
            "positionsRequired": 2,
        },
        {
            "orderId": 2,
            "jobTitle": "Picker",
            "orderStatus": "Filled",
            "payRate": 17,
            "startDate": "2024-05-01T00:00:00",
        },
    ]
    fake.route("GET", "/search/joborders", list_route(jobs))
    provider = provider_for(fake)
    welder, picker = provider.stream_jobs(None, None)
    assert welder.title == "Welder" and welder.pay_rate == Decimal("18.5") and welder.bill_rate == Decimal(0)
    assert welder.start_date is None and welder.positions_required == 2
    assert picker.start_date == date(2024, 5, 1)
    assert [j.remote_id for j in provider.stream_jobs(None, ["filled"])] == ["2"]


def test_invalid_records_raise_or_are_quarantined() -> None:
    fake = FakeTempWorks()
    fake.route("GET", "/search/employees", list_route([employee_item(1), employee_item(2, isActive="perhaps")]))
    with pytest.raises(InvalidResponse, match="Candidate 2") as caught:
        list(provider_for(fake).stream_candidates(None))
    assert "perhaps" not in str(caught.value)
    context = ProviderContext("tempworks", RejectPolicy("quarantine"))
    kept = list(provider_for(fake, context).stream_candidates(None))
    assert [c.remote_id for c in kept] == ["1"]
    assert [q.remote_id for q in context.policy.quarantined] == ["2"]


# --- notes ------------------------------------------------------------------------------------------------


def message_fake() -> FakeTempWorks:
    fake = FakeTempWorks()
    fake.route(
        "POST",
        "/employees/5/messages",
        lambda r: json_response(
            {"messageId": 901, "failedToBeLinkedOrigins": [], "failedToBeLinkedDocuments": []}, 201
        ),
    )
    return fake


def test_note_uses_the_tenant_default_action_and_caches_the_list() -> None:
    fake = message_fake()
    provider = provider_for(fake)
    note = provider.add_note_to_candidate("5", "Called back.", None)
    provider.add_note_to_candidate("5", "Interview booked.", "interview SCHEDULED")
    bodies = [json.loads(r.content) for r in fake.seen("POST", "/Employees/5/messages")]
    assert [b["actionId"] for b in bodies] == [17, 23]
    assert bodies[0]["linkedEntities"] == [{"originTypeId": 1, "originId": 5}]
    assert bodies[0]["message"] == "Called back."
    assert note.remote_id == "901" and note.action_type == "General Note"
    assert len(fake.seen("GET", "/DataLists/messageActions")) == 1


def test_configured_default_action_and_unknown_action_lists_the_names() -> None:
    fake = message_fake()
    provider_for(fake, default_note_action="1st recruiting call").add_note_to_candidate("5", "Hi", None)
    assert json.loads(fake.seen("POST", "/Employees/5/messages")[0].content)["actionId"] == 462
    with pytest.raises(InvalidInput) as caught:
        provider_for(fake).add_note_to_candidate("5", "Hi", "Telepathy")
    assert "General Note" in str(caught.value) and "Interview Scheduled" in str(caught.value)
    with pytest.raises(InvalidInput, match="not a message action"):
        provider_for(fake).add_note_to_candidate("5", "Hi", "retired action")
    assert len(fake.seen("POST", "/Employees/5/messages")) == 1


def test_note_on_application_links_the_assignment() -> None:
    fake = message_fake()
    fake.route(
        "GET", "/assignments/77", lambda r: json_response({"assignmentId": 77, "employeeId": 5, "jobOrderId": 3})
    )
    note = provider_for(fake).add_note_to_application("77", "Placed.", None)
    body = json.loads(fake.seen("POST", "/Employees/5/messages")[0].content)
    assert body["linkedEntities"] == [{"originTypeId": 1, "originId": 5}, {"originTypeId": 14, "originId": 77}]
    assert note.application_id == "77" and note.candidate_id == "5"


def test_a_lost_message_response_is_never_resent() -> None:
    fake = FakeTempWorks()

    def drop(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset", request=request)

    fake.route("POST", "/employees/5/messages", drop)
    with pytest.raises(WriteOutcomeUnknown):
        provider_for(fake).add_note_to_candidate("5", "Once only.", None)
    assert len(fake.seen("POST", "/Employees/5/messages")) == 1


# --- attachments -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "payload", "field"),
    [
        ("report.pdf", base64.b64encode(b"GIF89a not a pdf").decode(), "pdf_b64"),
        ("report.pdf", "%%% not base64 %%%", "pdf_b64"),
        ("report.pdf", base64.b64encode(PDF).decode()[:-2] + "!=", "pdf_b64"),
        ("report.pdf", base64.b64encode(PDF + b"x" * 2048).decode(), "pdf_b64"),
        ("../../etc/passwd.pdf", base64.b64encode(PDF).decode(), "filename"),
        ("dir/report.pdf", base64.b64encode(PDF).decode(), "filename"),
        ("report\x00.pdf", base64.b64encode(PDF).decode(), "filename"),
        ("report.exe", base64.b64encode(PDF).decode(), "filename"),
        ("..\\report.pdf", base64.b64encode(PDF).decode(), "filename"),
    ],
)
def test_attachments_are_refused_before_any_request(filename: str, payload: str, field: str) -> None:
    fake = FakeTempWorks()
    provider = provider_for(fake, max_attachment_bytes=1024)
    for add in (
        lambda: provider.add_attachment_to_candidate(filename, "5", payload),
        lambda: provider.add_attachment_to_application(filename, "77", payload),
    ):
        with pytest.raises(InvalidInput) as caught:
            add()
        assert caught.value.field == field
    assert fake.requests == []


def test_attachment_upload_is_multipart_with_the_document_type() -> None:
    fake = FakeTempWorks()
    fake.route(
        "GET",
        "/datalists/documenttypes",
        lambda r: json_response(
            {
                "data": [
                    {"documentTypeId": 31, "documentType": "Resume"},
                    {"documentTypeId": 34, "documentType": "Other"},
                ]
            }
        ),
    )
    fake.route("POST", "/employees/5/documents", lambda r: json_response({"documentId": 4400}, 201))
    attachment = provider_for(fake).add_attachment_to_candidate("report.pdf", "5", base64.b64encode(PDF).decode())
    upload = fake.seen("POST", "/Employees/5/Documents")[0]
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert b'name="documentTypeId"\r\n\r\n34' in upload.content
    assert PDF in upload.content
    assert attachment.remote_id == "4400" and attachment.size_bytes == len(PDF)


def test_an_upload_answer_without_a_document_id_is_an_invalid_response_saying_to_check() -> None:
    fake = FakeTempWorks()
    types = {"data": [{"documentTypeId": 34, "documentType": "Other"}]}
    fake.route("GET", "/datalists/documenttypes", lambda r: json_response(types))
    fake.route("POST", "/employees/5/documents", lambda r: json_response({}, 201))
    with pytest.raises(InvalidResponse, match="may be stored") as excinfo:
        provider_for(fake).add_attachment_to_candidate("report.pdf", "5", base64.b64encode(PDF).decode())
    assert excinfo.value.path == "/Employees/5/Documents"
    assert len(fake.seen("POST", "/Employees/5/Documents")) == 1


def test_unknown_document_type_names_the_setting() -> None:
    fake = FakeTempWorks()
    fake.route(
        "GET",
        "/datalists/documenttypes",
        lambda r: json_response({"data": [{"documentTypeId": 31, "documentType": "Resume"}]}),
    )
    with pytest.raises(ConfigurationError, match="attachment_document_type"):
        provider_for(fake).add_attachment_to_candidate("report.pdf", "5", base64.b64encode(PDF).decode())
    assert fake.seen("POST", "/Employees/5/Documents") == []


# --- finding candidates ------------------------------------------------------------------------------------


def universal(*employee_ids: str) -> dict[str, Any]:
    hits = [{"employeeId": i, "firstName": "Ann", "lastName": f"Lee{i}"} for i in employee_ids]
    return {"employees": {"results": {"result": hits}}, "customers": {}, "contacts": {}}


def test_find_combines_criteria_with_and_and_removes_duplicates() -> None:
    fake = FakeTempWorks()
    fake.route("GET", "/search/universalemail", lambda r: json_response(universal("5", "6", "5")))
    fake.route("GET", "/search/universalphone", lambda r: json_response(universal("6", "5", "9")))
    for i in (5, 6, 9):
        fake.route("GET", f"/employees/{i}", lambda r, i=i: json_response(employee_detail(i)))
    provider = provider_for(fake)
    both = provider.find_candidates_by_details(None, None, "ann@example.com", "612-555-0100")
    assert [c.remote_id for c in both] == ["5", "6"]
    assert query(fake.seen("GET", "/Search/UniversalEmail")[0]) == {"emailAddress": "ann@example.com"}
    assert query(fake.seen("GET", "/Search/UniversalPhone")[0]) == {"phone": "6125550100"}
    named = provider.find_candidates_by_details("ANN", "lee6", "ann@example.com", None)
    assert [c.remote_id for c in named] == ["6"]
    with pytest.raises(InvalidInput):
        provider.find_candidates_by_details(None, None, None, "  ")


def test_ids_are_checked_before_any_request() -> None:
    fake = FakeTempWorks()
    provider = provider_for(fake)
    for bad in ("12/../13", "abc", "-4", "1e3"):
        with pytest.raises(InvalidInput):
            provider.get_candidate_by_id(bad)
    assert fake.requests == []


def test_name_search_uses_equals_on_name_columns_found_at_run_time() -> None:
    fake = FakeTempWorks()
    columns = [
        {"columnId": "c-first", "columnName": "FirstName", "columnDisplayName": "First Name", "columnType": "String"},
        {"columnId": "c-last", "columnName": "LastName", "columnDisplayName": "Last Name", "columnType": "String"},
        {"columnId": "c-cd", "columnName": "FirstNameOfPet", "columnType": "String", "isCustomData": True},
    ]
    fake.route("GET", "/search/1/columns", lambda r: json_response(columns))
    rows = [
        {"Id": {"value": 5}, "c-first": {"value": "Ann"}, "c-last": {"value": "Lee "}},
        {"Id": {"value": 5}, "c-first": {"value": "Ann"}, "c-last": {"value": "Lee"}},
        {"Id": {"value": 6}, "c-first": {"value": "Ann"}, "c-last": {"value": "Leeds"}},
    ]
    fake.route("POST", "/search/1", lambda r: json_response({"data": rows, "totalCount": 3}))
    for i in (5, 6):
        fake.route("GET", f"/employees/{i}", lambda r, i=i: json_response(employee_detail(i)))
    found = provider_for(fake).find_candidates_by_details("ann", "lee", None, None)
    assert [c.remote_id for c in found] == ["5"]
    rules = json.loads(fake.seen("POST", "/search/1")[0].content)["searchCriteria"]["rootGroup"]["rules"]
    assert rules == [
        {"columnId": "c-first", "operatorId": 7, "values": ["ann"]},
        {"columnId": "c-last", "operatorId": 7, "values": ["lee"]},
    ]


def test_detail_fields_the_sandbox_never_fills_map_to_their_targets() -> None:
    """The employee_detail mappings the conformance suite cannot exercise on the sandbox (unexercised_mappings)."""
    address = {"street1": "1 Main St", "street2": "Apt 4", "municipality": "Los Angeles", "postalCode": "90001"}
    detail = employee_detail(
        7, alias="Annie", namePrefix="Dr.", nameSuffix="Jr.", driverLicenseExpire="2027-05-01T00:00:00", address=address
    )
    record = provider_for(FakeTempWorks()).mapper("employee_detail").map_one(detail)
    assert (record.preferred_name, record.name_suffix) == ("Annie", "Jr.")
    assert record.addresses[0].lines == ["1 Main St", "Apt 4"]
    assert record.extensions["name_prefix"] == "Dr."
    assert record.extensions["driver_license_expires"] == date(2027, 5, 1)
    sentinel = (
        provider_for(FakeTempWorks())
        .mapper("employee_detail")
        .map_one(employee_detail(8, driverLicenseExpire="0001-01-01T00:00:00+00:00"))
    )
    assert sentinel.extensions.get("driver_license_expires") is None
