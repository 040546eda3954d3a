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
    Application,
    Attachment,
    BulkRejectItem,
    BulkRejectResult,
    Candidate,
    CustomFieldDefinition,
    CustomFieldEntity,
    CustomFieldValue,
    DispositionReason,
    EnhancedJob,
    Job,
    Note,
    NoteFormat,
    Page,
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
        email=text,
        phone=text,
        is_active=st.none() | st.booleans(),
        created_at=st.none() | aware,
    ),
    Job: records(
        Job,
        title=text,
        description=text,
        pay_rate=money,
        bill_rate=money,
        start_date=dates,
        positions_required=st.none() | st.integers(0, 100),
    ),
    Application: records(Application, candidate_id=text, job_id=text, pay_rate=money, start_date=dates, end_date=dates),
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
        custom_field_values=st.lists(st.builds(CustomFieldValue, definition_id=ids, value=json_values), max_size=3),
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
        provider="x", remote_id="1", email="jane@example.com", phone="+15551234567", remote_data={"ssn": "1"}
    )
    assert "jane@example.com" not in repr(record)
    assert "+15551234567" not in repr(record)
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
