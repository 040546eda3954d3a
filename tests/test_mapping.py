"""The compiled field mapper: one validator per declaration, raw payload kept, bad records by policy."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ats_core.errors import InvalidResponse
from ats_core.fields import FieldMapping, FieldType, MappingTable
from ats_core.mapping import MappingDeclarationError, compile_mapper, compile_table
from ats_core.models import Candidate, Job, RejectedRecord, Stage
from ats_core.operations import Entity
from ats_core.rejects import RejectPolicy
from ats_core.scope import operation_scope

CHICAGO = ZoneInfo("America/Chicago")
MAPPINGS = (
    FieldMapping(canonical="first_name", remote="firstName", type=FieldType.STRING),
    FieldMapping(canonical="emails", remote="emailAddress", type=FieldType.EMAIL),
    FieldMapping(canonical="phone_numbers", remote="phoneNumber", type=FieldType.PHONE),
    FieldMapping(canonical="address.region", remote="address.region", type=FieldType.STRING),
    FieldMapping(canonical="is_active", remote="isActive", type=FieldType.BOOLEAN),
    FieldMapping(canonical="created_at", remote="dateCreated", type=FieldType.DATETIME),
)
MAPPER = compile_mapper(
    Candidate,
    MAPPINGS,
    provider="acme",
    time_zone=CHICAGO,
    id_field="employeeId",
    updated_at_field="lastModified",
    null_dates=(date(1, 1, 1),),
)


def employee(employee_id: Any = 1, **extra: Any) -> dict[str, Any]:
    return {
        "employeeId": employee_id,
        "firstName": "Ann   ",
        "emailAddress": "ann@Example.com",
        "phoneNumber": "(612) 555-0100",
        "address": {"region": "MN   ", "postalCode": "55401     "},
        "isActive": "true",
        "dateCreated": "2024-07-01T09:30:00",
        "lastModified": "0001-01-01T00:00:00+00:00",
        "unmappedField": [1, 2, 3],
        **extra,
    }


def test_maps_a_page_converting_every_declared_field() -> None:
    raw = [employee(1), employee("2")]
    first, second = MAPPER.map_page(raw).records
    assert type(first) is Candidate
    assert first.provider == "acme"
    assert (first.remote_id, second.remote_id) == ("1", "2")
    assert first.first_name == "Ann"
    assert first.email == "ann@example.com"
    assert first.phone == "+16125550100"
    assert first.address is not None and first.address.region == "MN"
    assert first.is_active is True
    assert first.created_at == datetime(2024, 7, 1, 14, 30, tzinfo=UTC)
    assert first.updated_at is None  # the sentinel date
    assert first.remote_data == raw[0] and first.remote_data is not raw[0]


def test_remote_data_is_a_copy_the_provider_cannot_change_afterwards() -> None:
    raw = employee(1)
    paged, single = MAPPER.map_page([raw]).records[0], MAPPER.map_one(raw)
    raw["firstName"] = "changed later"
    del raw["emailAddress"]
    for record in (paged, single):
        assert record.remote_data is not None
        assert record.remote_data["firstName"] == employee(1)["firstName"] and "emailAddress" in record.remote_data


def test_records_are_canonical_instances() -> None:
    record = MAPPER.map_one(employee(7))
    same = Candidate.model_validate(record.model_dump())
    assert record == same
    assert pickle.loads(pickle.dumps(record)) == record
    assert "remote_data" in record.model_dump(exclude_unset=True)


def test_invalid_record_raises_naming_id_and_field_never_the_value() -> None:
    secret = "not-an-email-secret"
    with pytest.raises(InvalidResponse) as caught, operation_scope("acme", "stream_candidates"):
        RejectPolicy("raise").apply(MAPPER.map_page([employee(1), employee(99, emailAddress=secret)]).rejected)
    message = str(caught.value)
    assert "Candidate 99" in message
    assert "emailAddress" in message
    assert "stream_candidates" in message
    assert secret not in message


def test_missing_id_is_invalid() -> None:
    raw = employee()
    del raw["employeeId"]
    with pytest.raises(InvalidResponse, match="employeeId"):
        MAPPER.map_one(raw)


def test_a_page_maps_good_records_and_hands_back_bad_ones_with_their_payloads() -> None:
    bad = employee(5, isActive="perhaps")
    mapped = MAPPER.map_page([employee(4), bad, "not a record", employee(6)])
    assert [r.remote_id for r in mapped.records] == ["4", "6"]
    assert [q.remote_id for q in mapped.rejected] == ["5", None]
    assert mapped.rejected[0].remote_data is bad
    assert "isActive" in mapped.rejected[0].error


def test_the_policy_raises_on_the_first_rejected_record_or_keeps_them_all() -> None:
    mapped = MAPPER.map_page([employee(4), employee(5, isActive="perhaps")])
    with pytest.raises(InvalidResponse, match="Candidate 5"):
        RejectPolicy("raise").apply(mapped.rejected)
    seen: list[RejectedRecord] = []
    policy = RejectPolicy("quarantine", sink=seen.append)
    policy.apply(mapped.rejected)
    assert seen == policy.quarantined == mapped.rejected


def test_nested_money_and_integer_fields() -> None:
    mapper = compile_mapper(
        Job,
        (
            FieldMapping(canonical="pay_rate", remote="rates.pay", type=FieldType.MONEY),
            FieldMapping(canonical="positions_required", remote="positionsRequired", type=FieldType.INTEGER),
            FieldMapping(canonical="start_date", remote="startDate", type=FieldType.DATE),
        ),
        provider="acme",
        time_zone=CHICAGO,
        id_field="orderId",
    )
    job = mapper.map_one({"orderId": 3, "rates": {"pay": "18.5000"}, "positionsRequired": "2", "startDate": None})
    assert job.pay_rate == Decimal("18.5")
    assert job.positions_required == 2
    assert job.start_date is None
    assert mapper.map_one({"orderId": 4, "rates": "flat"}).pay_rate is None  # the path does not exist


def test_bad_declarations_fail_at_compile_time() -> None:
    with pytest.raises(MappingDeclarationError, match="no field"):
        compile_mapper(
            Candidate,
            (FieldMapping(canonical="nickname", remote="alias", type=FieldType.STRING),),
            provider="acme",
            time_zone=CHICAGO,
            id_field="id",
        )
    with pytest.raises(MappingDeclarationError, match="required"):
        compile_mapper(Stage, (), provider="acme", time_zone=CHICAGO, id_field="id")
    with pytest.raises(MappingDeclarationError, match="reserved"):
        compile_mapper(
            Candidate,
            (FieldMapping(canonical="provider", remote="x", type=FieldType.STRING),),
            provider="acme",
            time_zone=CHICAGO,
            id_field="id",
        )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
payloads = st.fixed_dictionaries(
    {},
    optional={
        "employeeId": json_values,
        "firstName": json_values,
        "emailAddress": json_values,
        "phoneNumber": json_values,
        "address": st.dictionaries(st.sampled_from(["region", "x"]), json_values, max_size=2) | json_values,
        "isActive": json_values,
        "dateCreated": json_values,
        "lastModified": json_values,
    },
)


@given(page=st.lists(payloads | json_values, max_size=4))
def test_compiled_mapper_maps_or_raises_invalid_response(page: list[Any]) -> None:
    mapped = MAPPER.map_page(page)
    assert len(mapped.records) + len(mapped.rejected) == len(page)
    for record in mapped.records:
        assert type(record) is Candidate and record.remote_id
    try:
        RejectPolicy("raise").apply(mapped.rejected)
    except InvalidResponse:
        assert mapped.rejected
    else:
        assert not mapped.rejected


def test_a_table_declares_how_its_updated_at_is_written() -> None:
    """An epoch-millisecond modified date (Bullhorn's) becomes an aware updated_at; DATETIME stays the default."""
    table = MappingTable(
        name="people",
        entity=Entity.CANDIDATE,
        source="test payloads",
        id_field="id",
        updated_at_field="dateLastModified",
        updated_at_type=FieldType.EPOCH_MS,
        fields=(FieldMapping(canonical="created_at", remote="dateAdded", type=FieldType.EPOCH_MS),),
    )
    mapper = compile_table(table, provider="acme", time_zone=CHICAGO)
    record = mapper.map_one({"id": 7, "dateLastModified": 1_719_835_200_000, "dateAdded": "1719835200000"})
    assert record.updated_at == datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
    assert record.created_at == record.updated_at
    with pytest.raises(InvalidResponse, match="dateLastModified"):
        mapper.map_one({"id": 8, "dateLastModified": "yesterday"})
    assert MappingTable.model_fields["updated_at_type"].default is FieldType.DATETIME
