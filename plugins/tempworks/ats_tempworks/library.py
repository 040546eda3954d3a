"""A typed client of the TempWorks REST API on `ats_core.http.ApiClient` (auth, limiter, retries, errors).

One method per endpoint; each returns decoded payloads or payload models (errors name the operation
through the client call's scope). Paths follow the public clients (case-insensitive on
the server). Endpoints the public material only infers are marked "inferred" in their docstrings.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ats_core.sdk import errors, http, scope_label
from ats_tempworks.field_mappings import ASSIGNMENT_ORIGIN, EMPLOYEE_ORIGIN
from ats_tempworks.models import (
    AdvancedSearchColumn,
    AdvancedSearchPage,
    CustomDataItem,
    DocumentItem,
    ListEnvelope,
    MessageAction,
    MessageCreated,
    MessageItem,
    UniversalEmployeeHit,
)

__all__ = [
    "ASSIGNMENT_ORIGIN",
    "EMPLOYEE_ORIGIN",
    "MIN_PAGE_SIZE",
    "DownloadedFile",
    "TempWorksClient",
    "numeric_id",
]

logger = logging.getLogger("ats_tempworks")

MIN_PAGE_SIZE = 25
"""Page sizes are halved on a 400 down to this floor; below it a 400 is a real error."""

ModelT = TypeVar("ModelT", bound=BaseModel)
PageT = TypeVar("PageT")
_FILENAME_IN_DISPOSITION = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)


def numeric_id(field: str, value: str) -> int:
    """A TempWorks record id (a whole number), or InvalidInput before any request is sent."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise errors.InvalidInput(field, "TempWorks ids are whole numbers (e.g. '4021')")
    return int(text)


@dataclass(frozen=True)
class DownloadedFile:
    """A document's bytes with the name and content type the server gave."""

    content: bytes
    content_type: str
    file_name: str | None


class TempWorksClient:
    """The TempWorks endpoints the provider uses; caches tenant lookups for the connection's lifetime."""

    def __init__(self, api: http.ApiClient, *, page_size: int) -> None:
        self.api = api
        self.page_size = page_size
        self._lock = threading.Lock()
        self._columns: dict[int, list[AdvancedSearchColumn]] = {}
        self._actions: list[MessageAction] | None = None
        self._document_types: list[dict[str, Any]] | None = None

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.api.close()

    # --- decoding -----------------------------------------------------------------------------------

    def _invalid(self, path: str, problem: str) -> errors.InvalidResponse:
        return errors.InvalidResponse(problem, method="GET", path=path)

    def _model(self, model: type[ModelT], payload: Any, path: str) -> ModelT:
        try:
            return model.model_validate(payload)
        except ValidationError as error:
            where = ".".join(str(p) for p in error.errors()[0]["loc"]) or "(body)"
            raise self._invalid(path, f"unexpected {model.__name__} shape at '{where}'") from None

    def _items(self, payload: Any, path: str) -> tuple[list[dict[str, Any]], int | None]:
        """Items of a `{data, totalCount}` envelope, or of a bare list (some endpoints return one)."""
        if isinstance(payload, list):
            if not all(isinstance(item, dict) for item in payload):
                raise self._invalid(path, "a list item is not an object")
            return payload, None
        envelope = self._model(ListEnvelope, payload, path)
        return envelope.data, envelope.total_count

    def _object(self, payload: Any, path: str) -> dict[str, Any]:
        if not isinstance(payload, dict):
            raise self._invalid(path, "expected a JSON object")
        return payload

    # --- lists (skip/take) ----------------------------------------------------------------------------

    def list_page(
        self, path: str, *, skip: int, take: int, params: Mapping[str, Any] | None = None
    ) -> http.OffsetPage[dict[str, Any]]:
        """One skip/take page of a `{data, totalCount}` list."""
        query = {"skip": skip, "take": take, **(params or {})}
        payload = self.api.get_json(path, params=query, request_class="slow")
        items, total = self._items(payload, path)
        return http.OffsetPage(items, total)

    def all_items(self, path: str, *, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every item of a small skip/take list (messages, documents, message actions), page by page."""

        def fetch(skip: int, take: int) -> http.OffsetPage[dict[str, Any]]:
            return self.list_page(path, skip=skip, take=take, params=params)

        return list(http.OffsetPager(fetch, page_size=self.page_size))

    def first_page(
        self, path: str, *, skip: int, take: int, params: Mapping[str, Any] | None = None
    ) -> tuple[int, http.OffsetPage[dict[str, Any]]]:
        """The list page at `skip` with the largest take the server accepts (see `shrinking_take`)."""
        return self.shrinking_take(
            take, path, lambda accepted: self.list_page(path, skip=skip, take=accepted, params=params)
        )

    def shrinking_take(self, take: int, path: str, read: Callable[[int], PageT]) -> tuple[int, PageT]:
        """`read(take)`, halving `take` while the server answers 400 (TempWorks documents no maximum take).

        Returns the take that worked with its page; the connection remembers it for later pages.
        """
        take = min(take, self.page_size)
        while True:
            try:
                return take, read(take)
            except errors.ProviderError as error:
                if error.status_code != 400 or take <= MIN_PAGE_SIZE:
                    raise
                smaller = max(MIN_PAGE_SIZE, take // 2)
                logger.info(
                    "%s: take=%d refused with 400 on %s; retrying with take=%d", scope_label(), take, path, smaller
                )
                take = smaller
                self.page_size = min(self.page_size, take)

    # --- records by id ------------------------------------------------------------------------------

    def record(self, resource: str, record_id: int) -> dict[str, Any]:
        """`GET {resource}/{id}` (e.g. `/Employees/4021`): one record's detail."""
        path = f"{resource}/{record_id}"
        return self._object(self.api.get_json(path), path)

    def employee(self, employee_id: int) -> dict[str, Any]:
        """`GET /Employees/{id}`: the employee detail."""
        return self.record("/Employees", employee_id)

    def job_order(self, job_order_id: int) -> dict[str, Any]:
        """`GET /JobOrders/{id}`: the job order detail."""
        return self.record("/JobOrders", job_order_id)

    def job_order_worksite(self, job_order_id: int) -> dict[str, Any] | None:
        """`GET /JobOrders/{id}/Worksite`: the job order's worksite (None when the body is empty)."""
        path = f"/JobOrders/{job_order_id}/Worksite"
        payload = self.api.get_json(path)
        return None if payload is None else self._object(payload, path)

    def assignment(self, assignment_id: int) -> dict[str, Any]:
        """`GET /Assignments/{id}` (inferred: the public clients read assignments only through search lists)."""
        return self.record("/Assignments", assignment_id)

    def custom_data(self, resource: str, record_id: int) -> list[tuple[CustomDataItem, dict[str, Any]]]:
        """`GET /{Employees|JobOrders|Assignments}/{id}/CustomData`: each custom property with its raw payload."""
        path = f"/{resource}/{record_id}/CustomData"
        items, _ = self._items(self.api.get_json(path), path)
        return [(self._model(CustomDataItem, item, path), item) for item in items]

    # --- universal and advanced search --------------------------------------------------------------

    def universal_search(self, *, email: str | None = None, phone: str | None = None) -> list[UniversalEmployeeHit]:
        """`GET /Search/UniversalEmail?emailAddress=` or `/Search/UniversalPhone?phone=`: the employee hits."""
        if email is not None:
            path, params = "/Search/UniversalEmail", {"emailAddress": email}
        elif phone is not None:
            path, params = "/Search/UniversalPhone", {"phone": phone}
        else:
            raise ValueError("universal_search needs an email or a phone")
        payload = self.api.get_json(path, params=params, request_class="slow")
        hits: Any = payload
        for key in ("employees", "results", "result"):
            hits = hits.get(key) if isinstance(hits, dict) else None
        if hits is None:
            return []
        if not isinstance(hits, list):
            raise self._invalid(path, "employees.results.result is not a list")
        return [self._model(UniversalEmployeeHit, hit, path) for hit in hits]

    def search_columns(self, origin_type_id: int) -> list[AdvancedSearchColumn]:
        """`GET /search/{originTypeId}/columns`, cached per connection."""
        with self._lock:
            cached = self._columns.get(origin_type_id)
        if cached is not None:
            return cached
        path = f"/search/{origin_type_id}/columns"
        items, _ = self._items(self.api.get_json(path), path)
        columns = [self._model(AdvancedSearchColumn, item, path) for item in items]
        with self._lock:
            self._columns[origin_type_id] = columns
        return columns

    def advanced_search(
        self,
        origin_type_id: int,
        *,
        rules: Sequence[Mapping[str, Any]],
        return_column_ids: Sequence[str],
        sort_column_id: str | None,
        skip: int,
        take: int,
    ) -> AdvancedSearchPage:
        """`POST /search/{originTypeId}`: rows matching every rule (a read, so safe to retry)."""
        body = {
            "searchCriteria": {
                "rootGroup": {"condition": 0, "not": False, "rules": list(rules)},
                "returnColumnIds": list(return_column_ids),
            },
            "sortByColumns": [{"columnId": sort_column_id, "isDescending": False}] if sort_column_id else [],
            "ignoreCachedResults": True,
            "skip": skip,
            "take": take,
        }
        path = f"/search/{origin_type_id}"
        payload = self.api.post_json(path, json=body, idempotent=True, request_class="slow")
        return self._model(AdvancedSearchPage, payload, path)

    # --- messages -----------------------------------------------------------------------------------

    def message_actions(self) -> list[MessageAction]:
        """`GET /DataLists/messageActions?active=true`: the tenant's actions, cached per connection."""
        with self._lock:
            if self._actions is not None:
                return self._actions
        path = "/DataLists/messageActions"
        items = self.all_items(path, params={"active": "true"})
        actions = [self._model(MessageAction, item, path) for item in items]
        with self._lock:
            self._actions = actions
        return actions

    def post_employee_message(
        self,
        employee_id: int,
        *,
        action_id: str,
        message: str,
        linked: Sequence[tuple[int, int]],
        document_ids: Sequence[int] = (),
    ) -> tuple[MessageCreated, dict[str, Any]]:
        """`POST /Employees/{id}/messages`, never re-sent once it may have reached the server; (answer, raw)."""
        body = {
            "actionId": int(action_id) if action_id.isdigit() else action_id,
            "message": message,
            "linkedEntities": [{"originTypeId": origin, "originId": origin_id} for origin, origin_id in linked],
            "linkedDocumentIds": list(document_ids),
            "shouldLinkRelatedEntities": False,
            "shouldLinkOriginsOneByOne": False,
        }
        path = f"/Employees/{employee_id}/messages"
        payload = self.api.post_json(path, json=body, idempotent=False)
        return self._model(MessageCreated, payload, path), payload

    def messages(self, resource: str, record_id: int) -> list[tuple[MessageItem, dict[str, Any]]]:
        """`GET /{Employees|Assignments}/{id}/messages?skip&take` (inferred): each linked message with its raw item."""
        path = f"/{resource}/{record_id}/messages"
        return [(self._model(MessageItem, item, path), item) for item in self.all_items(path)]

    # --- documents (inferred) -----------------------------------------------------------------------

    def employee_documents(self, employee_id: int) -> list[tuple[DocumentItem, dict[str, Any]]]:
        """`GET /Employees/{id}/Documents?skip&take`: the employee's documents, each with its raw item."""
        path = f"/Employees/{employee_id}/Documents"
        return [(self._model(DocumentItem, item, path), item) for item in self.all_items(path)]

    def document_types(self) -> list[dict[str, Any]] | None:
        """`GET /DataLists/documentTypes` (inferred), cached; None when the tenant's API has no such list (404)."""
        with self._lock:
            if self._document_types is not None:
                return self._document_types
        path = "/DataLists/documentTypes"
        try:
            payload = self.api.get_json(path)
        except errors.NotFound:
            return None
        items, _ = self._items(payload, path)
        with self._lock:
            self._document_types = items
        return items

    def download_document(self, employee_id: int, document_id: int) -> DownloadedFile:
        """`GET /Employees/{id}/Documents/{documentId}` (inferred): the file's bytes."""
        path = f"/Employees/{employee_id}/Documents/{document_id}"
        response = self.api.request("GET", path)
        disposition = response.headers.get("content-disposition", "")
        match = _FILENAME_IN_DISPOSITION.search(disposition)
        content_type = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
        return DownloadedFile(response.content, content_type, match.group(1).strip() if match else None)

    def upload_document(
        self,
        employee_id: int,
        *,
        file_name: str,
        content: bytes,
        content_type: str,
        description: str,
        document_type_id: int | None,
    ) -> dict[str, Any]:
        """`POST /Employees/{id}/Documents` as multipart (inferred); answers `{"documentId": n}`; never re-sent."""
        path = f"/Employees/{employee_id}/Documents"
        form = {"description": description, "fileName": file_name}
        if document_type_id is not None:
            form["documentTypeId"] = str(document_type_id)
        response = self.api.request(
            "POST",
            path,
            files={"file": (file_name, content, content_type)},
            data=form,
            idempotent=False,
        )
        try:
            payload = http.decode_json(response.content)  # bounded depth, like every JSON body
        except ValueError:
            raise self._invalid(path, "the upload answer is not JSON") from None
        return self._object(payload, path)
