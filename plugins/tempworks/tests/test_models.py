"""The list envelope checks its shape without copying the records it carries."""

from __future__ import annotations

import pytest
from ats_tempworks.models import ListEnvelope
from pydantic import ValidationError


def test_envelope_keeps_the_decoded_record_dicts() -> None:
    records = [{"employeeId": 1, "firstName": " Ann "}, {"employeeId": 2}]
    envelope = ListEnvelope.model_validate({"data": records, "totalCount": 2})
    assert envelope.total_count == 2
    assert all(kept is given for kept, given in zip(envelope.data, records, strict=True))


@pytest.mark.parametrize("item", [3, "text", None, [1, 2]])
def test_envelope_refuses_an_item_that_is_not_an_object_and_names_its_position(item: object) -> None:
    with pytest.raises(ValidationError) as caught:
        ListEnvelope.model_validate({"data": [{"employeeId": 1}, item]})
    assert caught.value.errors()[0]["loc"] == ("data", 1)


def test_envelope_without_data_is_empty() -> None:
    assert ListEnvelope.model_validate({"totalCount": 0}).data == []
