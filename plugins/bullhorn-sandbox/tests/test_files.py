"""The file API on candidates: listing, base64 and raw reads of real PDFs, uploads both ways, updates, deletes."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest


def _assert_pdf(content: bytes) -> None:
    """A structurally valid PDF: header, an xref table where startxref says, and the end marker."""
    assert content.startswith(b"%PDF-1.") and content.rstrip().endswith(b"%%EOF")
    match = re.search(rb"startxref\s+(\d+)", content)
    assert match is not None and content[int(match.group(1)) :].startswith(b"xref")


def test_attachments_are_listed_with_bullhorn_row_shapes(bullhorn: Any) -> None:
    rows = bullhorn.ok(
        "GET", "entity/Candidate/10001/fileAttachments", params={"fields": "name,fileType,type,fileSize"}
    )
    assert rows["count"] == 1
    row = rows["data"][0]
    assert row["fileType"] == "SAMPLE         " and row["type"] == "Resume" and row["name"].endswith(".pdf")
    legacy = bullhorn.ok("GET", "entityFiles/Candidate/10001")["EntityFiles"]
    assert legacy == [
        {
            "id": row["id"],
            "type": "Resume",
            "name": row["name"],
            "description": "Resume",
            "contentType": "application",
            "contentSubType": "pdf",
        }
    ]
    assert bullhorn.ok("GET", "entityFiles/Candidate/10005")["EntityFiles"] == []


def test_a_seeded_resume_is_a_real_pdf_as_base64_and_raw(bullhorn: Any) -> None:
    file_id = bullhorn.state.to_many("Candidate", 10001, "fileAttachments")[0]
    body = bullhorn.ok("GET", f"file/Candidate/10001/{file_id}")["File"]
    assert body["contentType"] == "application/pdf" and body["name"].endswith("_Resume.pdf")
    content = base64.b64decode(body["fileContent"])
    _assert_pdf(content)
    candidate = bullhorn.state.get("Candidate", 10001)
    assert f"{candidate['firstName']} {candidate['lastName']}".encode() in content
    raw = bullhorn.get(f"file/Candidate/10001/{file_id}/raw")
    assert raw.content == content and raw.headers["content-type"] == "application/pdf"
    size = bullhorn.ok("GET", f"entity/CandidateFileAttachment/{file_id}", params={"fields": "fileSize"})["data"]
    assert size["fileSize"] == len(content)


def test_upload_base64_then_read_update_and_delete(bullhorn: Any) -> None:
    content = b"%PDF-1.4 tiny test file"
    upload = {
        "externalID": "portfolio",
        "fileContent": base64.b64encode(content).decode(),
        "fileType": "SAMPLE",
        "name": "Cover.pdf",
        "type": "Cover Letter",
        "description": "Cover letter",
    }
    file_id = bullhorn.ok("PUT", "file/Candidate/10002", json=upload)["fileId"]
    read = bullhorn.ok("GET", f"file/Candidate/10002/{file_id}")["File"]
    assert base64.b64decode(read["fileContent"]) == content and read["contentType"] == "application/pdf"
    rows = bullhorn.ok("GET", "entity/Candidate/10002/fileAttachments", params={"fields": "type,fileType"})["data"]
    assert {"id": file_id, "type": "Cover Letter", "fileType": "SAMPLE         "} in rows
    replaced = bullhorn.call("POST", f"file/Candidate/10002/{file_id}", json=upload | {"fileContent": "bmV3"})
    assert replaced.status_code == 200 and replaced.content == b""
    assert bullhorn.get(f"file/Candidate/10002/{file_id}/raw").content == b"new"
    assert bullhorn.ok("DELETE", f"file/Candidate/10002/{file_id}") == {"fileId": file_id, "changeType": "DELETED"}
    assert bullhorn.get(f"file/Candidate/10002/{file_id}").status_code == 404


def test_upload_multipart_raw(bullhorn: Any) -> None:
    response = bullhorn.call(
        "PUT",
        "file/Candidate/10003/raw",
        params={"externalID": "portfolio", "fileType": "SAMPLE", "type": "Resume"},
        files={"file": ("resume.txt", b"plain text resume", "text/plain")},
    )
    assert response.status_code == 200
    file_id = response.json()["fileId"]
    body = bullhorn.ok("GET", f"file/Candidate/10003/{file_id}")["File"]
    assert body == {
        "contentType": "text/plain",
        "fileContent": base64.b64encode(b"plain text resume").decode(),
        "name": "resume.txt",
    }


@pytest.mark.parametrize(
    "upload",
    [
        {"fileContent": "aGk=", "fileType": "SAMPLE", "name": "a.txt"},
        {"externalID": "x", "fileContent": "not base64!", "fileType": "SAMPLE", "name": "a.txt"},
        {"externalID": "x", "fileType": "SAMPLE", "name": "a.txt"},
    ],
)
def test_bad_uploads_are_refused(bullhorn: Any, upload: dict[str, str]) -> None:
    assert bullhorn.call("PUT", "file/Candidate/10001", json=upload).status_code == 400


def test_files_of_other_candidates_and_entities(bullhorn: Any) -> None:
    file_id = bullhorn.state.to_many("Candidate", 10001, "fileAttachments")[0]
    assert bullhorn.get(f"file/Candidate/10002/{file_id}").status_code == 404
    assert bullhorn.get("file/Candidate/99999999/1").status_code == 404
    assert bullhorn.get("file/JobOrder/2001/1").status_code == 400
