"""One seed gives one tenant, run after run; a 1,000,000-candidate tenant answers in bounded memory."""

from __future__ import annotations

import itertools
import tracemalloc
from typing import Any

from ats_bullhorn_sandbox import create_app

from ats_core.sandbox import SandboxOptions


def _snapshot(bullhorn: Any) -> list[Any]:
    return [
        bullhorn.ok(
            "GET", "entity/Candidate/10001,10002,10050", params={"fields": "firstName,email,phone,owner,address"}
        ),
        bullhorn.ok(
            "GET", "query/JobSubmission", params={"where": "id>0", "fields": "status,candidate,jobOrder", "count": 30}
        ),
        bullhorn.ok(
            "GET", "search/Note", params={"query": "isDeleted:false", "fields": "action,comments", "count": 30}
        ),
        bullhorn.ok(
            "GET", "entity/JobOrder/2001", params={"fields": "title,clientCorporation,clientContact,customText1"}
        ),
        bullhorn.ok("GET", "file/Candidate/10001/50001")["File"]["fileContent"],
    ]


def test_same_seed_same_tenant_other_seed_other_tenant(make_bullhorn: Any) -> None:
    first = _snapshot(make_bullhorn(size=100, seed=11))
    assert first == _snapshot(make_bullhorn(size=100, seed=11))
    assert first != _snapshot(make_bullhorn(size=100, seed=12))


def test_base_modification_times_rise_with_the_id() -> None:
    space = create_app(SandboxOptions(size=5000)).state.data.spaces["Candidate"]
    times = [space.modified(index) for index in range(space.count)]
    assert all(a < b for a, b in itertools.pairwise(times))
    assert space.first_index_after(times[1234]) == 1235
    assert space.first_index_at_or_after(times[1234]) == 1234


def test_proportions_follow_the_size() -> None:
    data = create_app(SandboxOptions(size=3000)).state.data
    counts = {name: space.count for name, space in data.spaces.items()}
    assert counts["Candidate"] == 3000 and counts["JobSubmission"] == 3000 and counts["Note"] == 4500
    assert counts["JobOrder"] == 150 and counts["ClientCorporation"] == 120 and counts["ClientContact"] == 240
    resumes = sum(data.has_resume(index) for index in range(3000))
    assert resumes == 2400


def test_a_million_candidates_answer_in_bounded_memory(make_bullhorn: Any) -> None:
    tracemalloc.start()
    try:
        bullhorn = make_bullhorn(size=1_000_000, seed=3)
        state = bullhorn.state
        last_id = state.data.spaces["Candidate"].id_of(999_999)
        tail = bullhorn.ok("GET", "search/Candidate", params={"query": f"id:[{last_id - 600} TO *]", "count": 500})
        keyset = bullhorn.ok(
            "GET", "search/Candidate", params={"query": f"id:{{{last_id - 3} TO *] AND isDeleted:0", "sort": "id"}
        )
        email = state.data.candidate_email(999_000)
        by_email = bullhorn.ok("GET", "search/Candidate", params={"query": f'email:"{email}" AND isDeleted:0'})
        mobile = state.data.candidate_mobile(654_321)
        by_phone = bullhorn.ok("GET", "search/Candidate", params={"query": f'phone:"{mobile}" OR mobile:"{mobile}"'})
        submissions = state.data.spaces["JobSubmission"]
        since = submissions.modified(submissions.count - 5)
        changed = bullhorn.ok(
            "GET",
            "query/JobSubmission",
            params={"where": f"dateLastModified>{since}", "fields": "id", "orderBy": "dateLastModified,id"},
        )
        record = bullhorn.ok("GET", f"entity/Candidate/{last_id}", params={"fields": "email,submissions,notes"})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert tail["total"] == 601 and len(tail["data"]) == 500
    assert keyset["data"] == [i for i in range(last_id - 2, last_id + 1) if not state.get("Candidate", i)["isDeleted"]]
    assert by_email["data"] == [state.data.spaces["Candidate"].id_of(999_000)]
    assert by_phone["data"] == [state.data.spaces["Candidate"].id_of(654_321)]
    assert [row["id"] for row in changed["data"]] == [submissions.id_of(submissions.count - n) for n in range(4, 0, -1)]
    assert record["data"]["email"] == state.data.candidate_email(999_999)
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
