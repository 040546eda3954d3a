"""Demo-relevant seeded data: about 70% of employees have a resume on file that downloads as a real PDF."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("seed", [7, 11])
def test_about_seventy_percent_of_employees_have_a_resume(make_sandbox: Any, seed: int) -> None:
    sandbox = make_sandbox(size=1000, seed=seed)
    page = sandbox.get("/Search/Employees", params={"skip": 0, "take": 1000}).json()
    with_resume = [e for e in page["data"] if e["hasResumeOnFile"]]
    assert page["totalCount"] == len(page["data"]) == 1000
    assert 0.65 <= len(with_resume) / 1000 <= 0.75


def test_every_seeded_resume_is_listed_and_downloads_as_a_pdf(make_sandbox: Any) -> None:
    sandbox = make_sandbox(size=40)
    items = sandbox.get("/Search/Employees", params={"skip": 0, "take": 40}).json()["data"]
    assert any(e["hasResumeOnFile"] for e in items) and not all(e["hasResumeOnFile"] for e in items)
    for item in items:
        detail = sandbox.get(f"/Employees/{item['employeeId']}").json()
        documents = sandbox.get(f"/Employees/{item['employeeId']}/Documents", params={"skip": 0, "take": 10}).json()
        assert item["hasResumeOnFile"] == (detail["resumeDocumentId"] is not None)
        if detail["resumeDocumentId"] is None:
            assert documents["totalCount"] == 0 and detail["resumeFileName"] is None
            continue
        (document,) = documents["data"]
        assert (document["documentId"], document["fileName"]) == (detail["resumeDocumentId"], detail["resumeFileName"])
        assert document["documentType"] == "Resume" and document["fileName"].endswith(".pdf")
        download = sandbox.get(f"/Employees/{item['employeeId']}/Documents/{document['documentId']}")
        assert download.status_code == 200 and download.headers["content-type"] == "application/pdf"
        assert download.content.startswith(b"%PDF-") and detail["lastName"].encode() in download.content
