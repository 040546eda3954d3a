"""The file API on candidates: list attachments, read one (base64 JSON or raw bytes), attach, replace, delete.

Attachments are CandidateFileAttachment records; their rows carry Bullhorn's space-padded
`fileType` ("SAMPLE" padded to 15 characters). Seeded resumes are real one-page PDFs.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from werkzeug.wrappers import Request, Response

from ats_bullhorn_sandbox.entity_api import Payload
from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.store import SandboxState, StoredFile

__all__ = ["FileApi"]

_FILE_ENTITIES = {"Candidate": ("CandidateFileAttachment", "candidate")}
_EXTENSIONS = {"pdf": "application/pdf", "txt": "text/plain", "doc": "application/msword", "html": "text/html"}
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _content_type(name: str, given: str | None) -> str:
    if given:
        return given
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _DOCX if extension == "docx" else _EXTENSIONS.get(extension, "application/octet-stream")


class FileApi:
    """Handlers for `file/...` and `entityFiles/...` (state lock held by the app)."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def _owner(self, entity: str, entity_id: int) -> tuple[str, str]:
        if entity not in _FILE_ENTITIES:
            if entity in self.state.schema and self.state.schema[entity].has_files:
                raise BullhornError.bad_request(
                    f"The sandbox keeps file attachments for Candidate only, not {entity}.", "errors.sandboxNotModelled"
                )
            raise BullhornError.unknown_entity(entity)
        if not self.state.exists(entity, entity_id):
            raise BullhornError.not_found(entity, entity_id)
        return _FILE_ENTITIES[entity]

    def _attachment(self, entity: str, entity_id: int, file_id: int) -> tuple[dict[str, Any], StoredFile]:
        attachment_entity, back = self._owner(entity, entity_id)
        record = self.state.get(attachment_entity, file_id)
        content = self.state.file_content(file_id)
        if (
            record is None
            or record.get("isDeleted")
            or content is None
            or (record.get(back) or {}).get("id") != entity_id
        ):
            raise BullhornError(404, f"Cannot find file {file_id} of {entity} {entity_id}.", "errors.cannotFindFile")
        return record, content

    def entity_files(self, request: Request, corp: str, entity: str, entity_id: int) -> Payload:
        attachment_entity, _back = self._owner(entity, entity_id)
        rows = []
        for file_id in self.state.to_many(entity, entity_id, "fileAttachments"):
            record = self.state.get(attachment_entity, file_id) or {}
            if record and not record.get("isDeleted"):
                rows.append(
                    {
                        "id": file_id,
                        "type": record.get("type"),
                        "name": record.get("name"),
                        "description": record.get("description"),
                        "contentType": record.get("contentType"),
                        "contentSubType": record.get("contentSubType"),
                    }
                )
        return 200, {"EntityFiles": rows}

    def get_file(self, request: Request, corp: str, entity: str, entity_id: int, file_id: int) -> Payload:
        _record, stored = self._attachment(entity, entity_id, file_id)
        content = base64.b64encode(stored.content).decode("ascii")
        return 200, {"File": {"contentType": stored.content_type, "fileContent": content, "name": stored.name}}

    def get_raw(self, request: Request, corp: str, entity: str, entity_id: int, file_id: int) -> Response:
        _record, stored = self._attachment(entity, entity_id, file_id)
        response = Response(stored.content, content_type=stored.content_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{stored.name}"'
        return response

    def put_file(self, request: Request, corp: str, entity: str, entity_id: int) -> Payload:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise BullhornError.bad_request("The request body must be a JSON object.", "errors.badJson")
        content = self._decode(body)
        file_id = self._store(entity, entity_id, body, content, None)
        return 200, {"fileId": file_id}

    def put_raw(self, request: Request, corp: str, entity: str, entity_id: int) -> Payload:
        upload = request.files.get("file")
        if upload is None:
            raise BullhornError.bad_request("Missing multipart field: file", "errors.missingParameter")
        fields: dict[str, Any] = {key: value for key, value in request.args.items() if key != "BhRestToken"}
        fields.setdefault("fileType", fields.pop("filetype", None))
        fields.setdefault("name", upload.filename)
        fields.setdefault("contentType", upload.mimetype if upload.mimetype != "application/octet-stream" else None)
        file_id = self._store(entity, entity_id, fields, upload.read(), None)
        return 200, {"fileId": file_id}

    def post_file(self, request: Request, corp: str, entity: str, entity_id: int, file_id: int) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise BullhornError.bad_request("The request body must be a JSON object.", "errors.badJson")
        self._attachment(entity, entity_id, file_id)
        self._store(entity, entity_id, body, self._decode(body), file_id)
        return Response(b"", status=200)

    def delete_file(self, request: Request, corp: str, entity: str, entity_id: int, file_id: int) -> Payload:
        attachment_entity, _back = self._owner(entity, entity_id)
        self._attachment(entity, entity_id, file_id)
        self.state.update(attachment_entity, file_id, {"isDeleted": True})
        return 200, {"fileId": file_id, "changeType": "DELETED"}

    @staticmethod
    def _decode(body: dict[str, Any]) -> bytes:
        encoded = body.get("fileContent")
        if not isinstance(encoded, str) or not encoded:
            raise BullhornError.bad_request("Missing required field: fileContent (base64)", "errors.missingParameter")
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise BullhornError.bad_request("fileContent is not valid base64.", "errors.badFileContent") from None

    def _store(self, entity: str, entity_id: int, fields: dict[str, Any], content: bytes, file_id: int | None) -> int:
        attachment_entity, back = self._owner(entity, entity_id)
        missing = [name for name in ("externalID", "fileType", "name") if not fields.get(name)]
        if missing:
            raise BullhornError.bad_request(
                f"Missing required field(s): {', '.join(missing)}", "errors.missingParameter"
            )
        name = str(fields["name"])
        content_type = _content_type(name, fields.get("contentType"))
        major, _slash, minor = content_type.partition("/")
        extension = fields.get("fileExtension") or (f".{name.rsplit('.', 1)[-1]}" if "." in name else "")
        values = {
            back: {"id": entity_id},
            "name": name,
            "type": fields.get("type"),
            "description": fields.get("description"),
            "externalID": str(fields["externalID"]),
            "fileType": str(fields["fileType"]).ljust(15),
            "fileExtension": extension,
            "contentType": major,
            "contentSubType": minor,
            "fileSize": len(content),
            "distribution": "internal",
            "isPrivate": False,
            "isExternal": False,
            "isOpen": True,
            "isCopied": False,
            "isSendOut": False,
            "isEncrypted": True,
            "isDeleted": False,
            "fileOwner": {"id": self.state.api_user.user_id},
        }
        if file_id is None:
            values["uuid"] = f"{self.state.fault_rng.getrandbits(128):032X}"
            file_id = self.state.insert(attachment_entity, values)
        else:
            self.state.update(attachment_entity, file_id, values)
        self.state.files[file_id] = StoredFile(name, content_type, content)
        return file_id
