"""Canonical models: any valid record survives a JSON round trip; invalid input names the field."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from ats_core.models import (
    Address,
    Application,
    Attachment,
    BulkRejectItem,
    BulkRejectResult,
    Candidate,
    CustomFieldDefinition,
    CustomFieldEntity,
    CustomFieldValue,
    DispositionReason,
    EmailAddress,
    EnhancedJob,
    Job,
    Note,
    NoteFormat,
    Page,
    PartialDate,
    PhoneNumber,
    Resume,
    Stage,
    remote_id_of,
)

json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
remote_data = st.dictionaries(st.text(max_size=10), json_values, max_size=6)
ids = st.text(min_size=1, max_size=12)
aware = st.datetimes(
    min_value=datetime(1900, 1, 1),
    max_value=datetime(2200, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))]),
)
text = st.none() | st.text(max_size=30)
money = st.none() | st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False)
dates = st.none() | st.dates(min_value=date(1900, 1, 1))


def records(model: type[BaseModel], **fields: Any) -> st.SearchStrategy[Any]:
    base = {"provider": st.sampled_from(["tempworks", "example"]), "remote_id": ids, "remote_data": remote_data}
    base["updated_at"] = st.none() | aware
    return st.builds(model, **base, **fields)


STRATEGIES = {
    Candidate: records(
        Candidate,
        first_name=text,
        last_name=text,
        preferred_name=text,
        emails=st.lists(st.builds(EmailAddress, value=st.text(min_size=1, max_size=30), primary=st.booleans())),
        phone_numbers=st.lists(st.builds(PhoneNumber, value=st.text(min_size=1, max_size=20), type=text), max_size=3),
        addresses=st.lists(
            st.builds(Address, lines=st.lists(st.text(max_size=20), max_size=3), city=text, postal_code=text),
            max_size=2,
        ),
        tags=st.lists(st.text(max_size=10), max_size=4),
        is_active=st.none() | st.booleans(),
        created_at=st.none() | aware,
        extensions=remote_data,
    ),
    Job: records(
        Job,
        title=text,
        description=text,
        pay_rate=money,
        bill_rate=money,
        start_date=dates,
        positions_required=st.none() | st.integers(0, 100),
        public_title=text,
        posted_at=st.none() | aware,
        hiring_manager_id=text,
    ),
    Application: records(
        Application,
        candidate_id=text,
        job_id=text,
        pay_rate=money,
        start_date=dates,
        end_date=dates,
        expected_end_date=dates,
        rejected_at=st.none() | aware,
        rejection_reason=text,
    ),
    Stage: records(Stage, name=st.text(max_size=20), job_id=text),
    DispositionReason: records(DispositionReason, name=st.text(max_size=20)),
    Note: records(Note, body=st.text(max_size=200), format=st.sampled_from(NoteFormat), candidate_id=text),
    Attachment: records(
        Attachment,
        file_name=st.text(min_size=1, max_size=20),
        content_type=st.just("application/pdf"),
        size_bytes=st.none() | st.integers(0, 10**7),
    ),
    Resume: records(
        Resume,
        file_name=st.text(min_size=1),
        content_type=st.just("application/pdf"),
        content=st.binary(max_size=200),
        candidate_id=ids,
    ),
    CustomFieldDefinition: records(
        CustomFieldDefinition,
        name=st.text(max_size=20),
        entity=st.sampled_from(CustomFieldEntity),
        field_type=st.sampled_from(["string", "date", "decimal"]),
    ),
    EnhancedJob: records(
        EnhancedJob,
        title=text,
        worksite=st.none() | remote_data,
        custom_field_values=st.lists(
            st.builds(CustomFieldValue, definition_id=ids, value=json_values, raw=json_values), max_size=3
        ),
    ),
}


@pytest.mark.parametrize("model", list(STRATEGIES), ids=lambda m: m.__name__)
def test_every_record_model_round_trips_through_json(model: type[BaseModel]) -> None:
    @given(STRATEGIES[model])
    def round_trip(record: BaseModel) -> None:
        assert model.model_validate_json(record.model_dump_json()) == record

    round_trip()


@given(st.lists(STRATEGIES[Candidate], max_size=5), st.none() | st.text(max_size=40))
def test_pages_round_trip_with_their_cursor(items: list[Candidate], cursor: str | None) -> None:
    page = Page[Candidate](items=items, next_cursor=cursor)
    assert Page[Candidate].model_validate_json(page.model_dump_json()) == page


@given(st.lists(st.tuples(ids, st.booleans()), min_size=1, max_size=6, unique_by=lambda t: t[0]))
def test_bulk_reject_result_round_trips_and_splits_outcomes(outcomes: list[tuple[str, bool]]) -> None:
    items = [BulkRejectItem(application_id=i, succeeded=ok, error=None if ok else "locked") for i, ok in outcomes]
    result = BulkRejectResult(results=items)
    assert BulkRejectResult.model_validate_json(result.model_dump_json()) == result
    assert len(result.succeeded) + len(result.failed) == len(items)


def test_bulk_reject_result_is_never_an_empty_stub() -> None:
    with pytest.raises(ValidationError, match="results"):
        BulkRejectResult(results=[])


def test_bulk_reject_result_has_one_outcome_per_id() -> None:
    with pytest.raises(ValidationError, match="exactly one outcome"):
        BulkRejectResult(results=[BulkRejectItem(application_id="1", succeeded=True)] * 2)


def test_failed_rejection_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="needs an error"):
        BulkRejectItem(application_id="7", succeeded=False)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"provider": "x", "remote_id": ""}, "remote_id"),
        ({"provider": "x", "remote_id": "1", "updated_at": "2026-01-01T00:00:00"}, "updated_at"),
        ({"provider": "x", "remote_id": "1", "is_active": "perhaps"}, "is_active"),
        ({"provider": "x", "remote_id": "1", "surprise": 1}, "surprise"),
        ({"remote_id": "1"}, "provider"),
    ],
)
def test_invalid_input_names_the_field(payload: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        Candidate.model_validate(payload)
    assert field in {str(loc) for error in excinfo.value.errors() for loc in error["loc"]}


def test_reprs_hide_payloads_and_contact_details() -> None:
    record = Candidate(
        provider="x",
        remote_id="1",
        emails=[EmailAddress(value="jane@example.com")],
        phone_numbers=[PhoneNumber(value="+15551234567")],
        addresses=[Address(lines=["1 Main St"], postal_code="55101")],
        remote_data={"ssn": "1"},
    )
    assert "jane@example.com" not in repr(record)
    assert "+15551234567" not in repr(record)
    assert "Main St" not in repr(record) and "55101" not in repr(record)
    assert "ssn" not in repr(record)
    resume = Resume(
        provider="x",
        remote_id="r",
        file_name="cv.pdf",
        content_type="application/pdf",
        content=b"%PDF-",
        candidate_id="1",
    )
    assert "PDF" not in repr(resume)


def test_remote_id_of_accepts_records_and_ids() -> None:
    assert remote_id_of("42") == "42"
    assert remote_id_of(Candidate(provider="x", remote_id="43")) == "43"


def test_money_keeps_exact_decimals() -> None:
    job = Job(provider="x", remote_id="1", pay_rate=Decimal("17.2500"))
    assert Job.model_validate_json(job.model_dump_json()).pay_rate == Decimal("17.2500")


@given(
    st.dates(min_value=date(1, 1, 1)).map(lambda day: PartialDate(month=day.month, day=day.day, year=day.year))
    | st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)).map(
        lambda day: PartialDate(month=day.month, day=day.day)
    )
)
def test_partial_dates_round_trip_and_print_as_iso(value: PartialDate) -> None:
    assert PartialDate.model_validate_json(value.model_dump_json()) == value
    printed = str(value)
    assert printed.startswith("--") is (value.year is None)
    assert printed.endswith(f"{value.month:02d}-{value.day:02d}")


@pytest.mark.parametrize(("month", "day", "year"), [(2, 30, None), (2, 29, 2023), (13, 1, None), (4, 31, 2024)])
def test_partial_dates_refuse_days_no_calendar_has(month: int, day: int, year: int | None) -> None:
    with pytest.raises(ValidationError):
        PartialDate(month=month, day=day, year=year)


def test_primary_contact_details_prefer_the_flagged_one_and_fall_back_to_the_first() -> None:
    first = EmailAddress(value="first@example.com")
    flagged = EmailAddress(value="main@example.com", primary=True)
    assert Candidate(provider="x", remote_id="1", emails=[first, flagged]).email == "main@example.com"
    assert Candidate(provider="x", remote_id="1", emails=[first]).email == "first@example.com"
    assert Candidate(provider="x", remote_id="1").email is None
    home = Address(city="Saint Paul")
    assert Candidate(provider="x", remote_id="1", addresses=[home]).address == home


def test_a_job_described_in_html_gets_its_text_and_keeps_the_html() -> None:
    html = "<p>Forklift <b>operator</b></p><ul><li>Days</li><li>Nights</li></ul><script>x()</script>"
    job = Job(provider="x", remote_id="1", description_html=html)
    assert job.description_html == html
    assert job.description is not None
    assert "Forklift operator" in job.description and "Days" in job.description and "Nights" in job.description
    assert "<" not in job.description and "x()" not in job.description
    assert Job(provider="x", remote_id="2", description="plain", description_html=html).description == "plain"
