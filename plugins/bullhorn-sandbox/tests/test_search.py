"""search/{Entity}: the Lucene subset (email, phone and mobile, names, isDeleted, id, ranges), ids-only
answers, sorting, the index schema, and Bullhorn's traps (0/1 booleans, unindexed fields match nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def _search(bullhorn: Any, query: str, entity: str = "Candidate", **params: Any) -> dict[str, Any]:
    return dict(bullhorn.ok("GET", f"search/{entity}", params={"query": query, "count": 500, **params}))


def _candidates(bullhorn: Any) -> list[dict[str, Any]]:
    space = bullhorn.state.data.spaces["Candidate"]
    return [bullhorn.state.get("Candidate", space.id_of(index)) for index in range(space.count)]


def test_without_fields_data_is_a_list_of_ids(bullhorn: Any) -> None:
    body = _search(bullhorn, "id:[10001 TO 10005]", count=3)
    assert body["data"] == [10001, 10002, 10003] and body["total"] == 5 and body["count"] == 3
    with_fields = _search(bullhorn, "id:10001", fields="firstName")
    assert with_fields["data"] == [{"_score": 1.0, "id": 10001, "firstName": with_fields["data"][0]["firstName"]}]


def test_email_finds_the_candidate_and_soft_deleted_rows_need_is_deleted_0(bullhorn: Any) -> None:
    record = bullhorn.state.get("Candidate", 10050)
    query = f'(email:"{record["email"].upper()}" OR email2:"{record["email"]}") AND isDeleted:0'
    assert _search(bullhorn, query)["data"] == [10050]
    bullhorn.state.delete("Candidate", 10050)
    assert _search(bullhorn, f'email:"{record["email"]}"')["data"] == [10050]
    assert _search(bullhorn, f'email:"{record["email"]}" AND isDeleted:0')["data"] == []


def test_phone_matches_digits_of_phone_and_mobile(bullhorn: Any) -> None:
    record = bullhorn.state.get("Candidate", 10077)
    digits = "".join(ch for ch in record["mobile"] if ch.isdigit())
    assert _search(bullhorn, f'mobile:"{record["mobile"]}"')["data"] == [10077]
    assert _search(bullhorn, f"mobile:{digits}")["data"] == [10077]
    assert _search(bullhorn, f'phone:"{record["phone"]}" OR mobile:"{record["phone"]}"')["data"] == [10077]
    updated = "(555) 123-9876"
    bullhorn.ok("POST", "entity/Candidate/10077", json={"phone": updated})
    assert _search(bullhorn, 'phone:"5551239876"')["data"] == [10077]


def test_names_exact_analysed_and_wildcard(bullhorn: Any) -> None:
    candidates = _candidates(bullhorn)
    first, last = candidates[10]["firstName"], candidates[10]["lastName"]
    exact = {c["id"] for c in candidates if c["firstName"] == first and c["lastName"] == last}
    assert set(_search(bullhorn, f"firstName:{first.lower()} AND lastName:{last}")["data"]) == exact
    assert set(_search(bullhorn, f'name:"{first} {last}"')["data"]) == exact
    prefix = {c["id"] for c in candidates if c["lastName"].lower().startswith(last[:3].lower())}
    assert set(_search(bullhorn, f"lastName:{last[:3]}*")["data"]) == prefix


def test_is_deleted_takes_0_and_1_and_false_silently_matches_nothing(bullhorn: Any) -> None:
    deleted = {c["id"] for c in _candidates(bullhorn) if c["isDeleted"]}
    assert deleted and set(_search(bullhorn, "isDeleted:1")["data"]) == deleted
    assert _search(bullhorn, "isDeleted:false")["total"] == 0


def test_date_ranges_accept_epoch_ms_and_yyyymmdd(bullhorn: Any) -> None:
    candidates = _candidates(bullhorn)
    cutoff = sorted(c["dateLastModified"] for c in candidates)[150]
    newer = [c["id"] for c in candidates if c["dateLastModified"] >= cutoff]
    assert _search(bullhorn, f"dateLastModified:[{cutoff} TO *]")["data"] == newer
    in_2025 = [c["id"] for c in candidates if c["dateLastModified"] >= 1735689600000]
    assert _search(bullhorn, "dateLastModified:[20250101 TO *]")["data"] == in_2025


def test_sort_descending_and_by_name(bullhorn: Any) -> None:
    body = _search(bullhorn, "id:[10001 TO 10010]", sort="-id")
    assert body["data"] == list(range(10010, 10000, -1))
    names = _search(bullhorn, "id:[10001 TO 10020]", sort="lastName,id", fields="lastName")["data"]
    assert [n["lastName"].casefold() for n in names] == sorted(n["lastName"].casefold() for n in names)


def test_post_search_takes_the_query_in_the_body(bullhorn: Any) -> None:
    body = bullhorn.ok("POST", "search/Candidate", params={"count": 50}, json={"query": "id:10001 10002 10003"})
    assert body["data"] == [10001, 10002, 10003]


def test_note_index_uses_note_id_and_word_booleans(bullhorn: Any) -> None:
    assert _search(bullhorn, "noteID:30001", entity="Note")["data"] == [30001]
    assert _search(bullhorn, "id:30001", entity="Note")["total"] == 0
    assert _search(bullhorn, "noteID:30001 AND isDeleted:false", entity="Note")["data"] in ([30001], [])


def test_submissions_are_searchable(bullhorn: Any) -> None:
    assert _search(bullhorn, "candidate.id:10003", entity="JobSubmission")["data"] == [20002, 20003]


def test_the_index_schema_lists_typed_fields(bullhorn: Any) -> None:
    fields = {f["name"]: f["type"] for f in bullhorn.ok("GET", "search/Candidate")["searchFields"]}
    assert fields["email"] == "EMAIL" and fields["mobile"] == "PHONE" and fields["isDeleted"] == "BOOLEAN"
    assert fields["id"] == "ID" and fields["name"] == "STRING_ANALYZED" and fields["owner.id"] == "INTEGER"
    assert fields["dateLastModified"] == "DATETIME"


@pytest.mark.parametrize(
    ("entity", "query", "key"),
    [
        ("Candidate", "*", "errors.badQuery"),
        ("Candidate", "id:[1 TO", "errors.badQuery"),
        ("NoteEntity", "id:1", "errors.searchUnknownEntity"),
        ("Nonsense", "id:1", "errors.searchUnknownEntity"),
    ],
)
def test_refusals(bullhorn: Any, entity: str, query: str, key: str) -> None:
    response = bullhorn.get(f"search/{entity}", query=query)
    assert response.status_code == 400 and response.json()["errorMessageKey"] == key


def test_a_bare_star_gets_bullhorns_unfilled_message(bullhorn: Any) -> None:
    assert bullhorn.get("search/Candidate", query="*").json()["errorMessage"] == "Bad Query: {0}"


@settings(max_examples=25)
@given(
    low=st.integers(min_value=10000, max_value=10210),
    width=st.integers(min_value=0, max_value=60),
    deleted=st.sampled_from(["", " AND isDeleted:0", " AND isDeleted:1"]),
    start=st.integers(min_value=0, max_value=10),
)
def test_id_ranges_and_paging_match_a_brute_force_filter(
    shared_bullhorn: Any, low: int, width: int, deleted: str, start: int
) -> None:
    query = f"id:[{low} TO {low + width}}}{deleted}"
    body = shared_bullhorn.ok("GET", "search/Candidate", params={"query": query, "start": start, "count": 20})
    wanted = {"": None, " AND isDeleted:0": False, " AND isDeleted:1": True}[deleted]
    expected = [
        c["id"]
        for c in _candidates(shared_bullhorn)
        if low <= c["id"] < low + width and (wanted is None or c["isDeleted"] == wanted)
    ]
    assert body["total"] == len(expected) and body["data"] == expected[start : start + 20]
