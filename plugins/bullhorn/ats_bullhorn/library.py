"""A typed client of Bullhorn's REST API on `ats_core.http.ApiClient` (session auth, limiter, retries, errors).

One method per call the provider makes; each returns decoded payloads. Paths are relative to the session's
`restUrl`. Bullhorn's error bodies (`errorMessage`, `errorMessageKey`, `errors[]`) are read into the typed
errors' messages, without values (property names and problem types only).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ats_core.sdk import MappingTable, errors

if TYPE_CHECKING:
    from ats_core.sdk import http

__all__ = ["MAX_COUNT", "BullhornClient", "fields_of", "numeric_id"]

MAX_COUNT = 500
"""Records per query, search or to-many call: what Bullhorn's SDK, dataloader and other clients use."""
_MESSAGE = re.compile(r'"errorMessage"\s*:\s*"((?:[^"\\]|\\.)*)"')
_KEY = re.compile(r'"errorMessageKey"\s*:\s*"([^"]*)"')


def numeric_id(field: str, value: str) -> int:
    """A Bullhorn record id (a whole number), or InvalidInput before any request is sent."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise errors.InvalidInput(field, "Bullhorn ids are whole numbers (e.g. '10482')")
    return int(text)


def fields_of(table: MappingTable, *extra: str) -> str:
    """The `fields=` parameter a mapping table needs: every remote path it reads, nested as `a(b,c)`."""
    tree: dict[str, set[str]] = {}
    paths = [table.id_field, *(m.remote for m in table.fields), *(x.remote for x in table.extensions), *extra]
    paths += [fallback for m in table.fields for fallback in m.fallbacks]
    if table.updated_at_field:
        paths.append(table.updated_at_field)
    for path in paths:
        top, _, rest = path.partition(".")
        tree.setdefault(top, set())
        if rest:
            tree[top].add(rest.partition(".")[0])
    return ",".join(f"{top}({','.join(sorted(subs))})" if subs else top for top, subs in tree.items())


class BullhornClient:
    """The Bullhorn calls the provider uses; caches tenant settings and metadata for the connection's lifetime."""

    def __init__(self, api: http.ApiClient) -> None:
        self.api = api
        self._lock = threading.Lock()
        self._settings: dict[str, Any] = {}
        self._meta: dict[str, list[dict[str, Any]]] = {}

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.api.close()

    # --- errors ---------------------------------------------------------------------------------------

    @contextmanager
    def _bullhorn_errors(self) -> Iterator[None]:
        """Fill a typed error's message from Bullhorn's error body when the core found none."""
        try:
            yield
        except errors.ProviderError as error:
            if error.provider_message is None and error.body:
                error.provider_message = _bullhorn_message(error.body)
            raise

    def _invalid(self, path: str, problem: str, method: str = "GET") -> errors.InvalidResponse:
        return errors.InvalidResponse(problem, method=method, path=path)

    def _object(self, payload: Any, path: str, method: str = "GET") -> dict[str, Any]:
        if not isinstance(payload, dict):
            raise self._invalid(path, "expected a JSON object", method)
        return payload

    def _rows(self, payload: Any, path: str) -> list[dict[str, Any]]:
        data = self._object(payload, path).get("data")
        if data is None:
            return []
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise self._invalid(path, "'data' is not a list of records")
        return data

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET a JSON answer."""
        with self._bullhorn_errors():
            return self.api.get_json(path, params=params)

    def send(self, method: str, path: str, body: Any, *, idempotent: bool) -> dict[str, Any]:
        """PUT or POST a JSON body; a create (not idempotent) is never re-sent once it may have arrived."""
        with self._bullhorn_errors():
            response = self.api.request(method, path, json=body, idempotent=idempotent)
            return self._object(self.api.decode(response) or {}, path, method)

    # --- records --------------------------------------------------------------------------------------

    def entity(self, entity: str, record_id: int, fields: str) -> dict[str, Any]:
        """`GET entity/{Entity}/{id}?fields=`: one record (NotFound when Bullhorn has none)."""
        path = f"entity/{entity}/{record_id}"
        record = self._object(self.get(path, {"fields": fields}), path).get("data")
        if not isinstance(record, dict):
            raise self._invalid(path, "'data' is not a record")
        return record

    def entities(self, entity: str, record_ids: Sequence[int], fields: str) -> list[dict[str, Any]]:
        """`GET entity/{Entity}/{id},{id}`: the records found (none found: an empty list)."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(record_ids), MAX_COUNT):
            chunk = ",".join(str(i) for i in record_ids[start : start + MAX_COUNT])
            path = f"entity/{entity}/{chunk}"
            try:
                data = self._object(self.get(path, {"fields": fields}), path).get("data")
            except errors.NotFound:
                continue
            found.extend([data] if isinstance(data, dict) else [r for r in data or () if isinstance(r, dict)])
        return found

    def to_many(self, entity: str, record_id: int, association: str, fields: str) -> list[dict[str, Any]]:
        """`GET entity/{Entity}/{id}/{association}`, every page (soft-deleted items included)."""
        path = f"entity/{entity}/{record_id}/{association}"
        rows: list[dict[str, Any]] = []
        while True:
            page = self._rows(self.get(path, {"fields": fields, "start": len(rows), "count": MAX_COUNT}), path)
            rows.extend(page)
            if len(page) < MAX_COUNT:
                return rows

    def query(self, entity: str, where: str, fields: str, *, count: int, order_by: str = "id") -> list[dict[str, Any]]:
        """`query/{Entity}` (JPQL; POSTed when the where clause is long): up to `count` rows from the start."""
        path = f"query/{entity}"
        params = {"fields": fields, "count": count, "start": 0, "orderBy": order_by}
        if len(where) > 7000:
            with self._bullhorn_errors():
                payload = self.api.post_json(path, json={"where": where}, params=params, idempotent=True)
        else:
            payload = self.get(path, {**params, "where": where})
        return self._rows(payload, path)

    def search(self, entity: str, query: str, fields: str, *, count: int, sort: str = "id") -> list[dict[str, Any]]:
        """`search/{Entity}` (Lucene): up to `count` rows from the start."""
        path = f"search/{entity}"
        params = {"query": query, "fields": fields, "count": count, "start": 0, "sort": sort}
        return self._rows(self.get(path, params), path)

    def create(self, entity: str, body: Mapping[str, Any]) -> int:
        """`PUT entity/{Entity}`: the new record's id (never re-sent: Bullhorn does not deduplicate creates)."""
        answer = self.send("PUT", f"entity/{entity}", dict(body), idempotent=False)
        return self._changed_id(answer, f"entity/{entity}")

    def update(self, entity: str, record_id: int, body: Mapping[str, Any]) -> None:
        """`POST entity/{Entity}/{id}`: set the given fields (setting them again is harmless, so retried)."""
        self.send("POST", f"entity/{entity}/{record_id}", dict(body), idempotent=True)

    def _changed_id(self, answer: dict[str, Any], path: str) -> int:
        changed = answer.get("changedEntityId")
        if isinstance(changed, bool) or not isinstance(changed, int):
            raise self._invalid(path, "the answer has no changedEntityId", "PUT")
        return changed

    # --- tenant configuration -------------------------------------------------------------------------

    def setting(self, name: str) -> Any:
        """`GET settings/{name}`, cached per connection."""
        with self._lock:
            if name in self._settings:
                return self._settings[name]
        value = self._object(self.get(f"settings/{name}"), f"settings/{name}").get(name)
        with self._lock:
            self._settings[name] = value
        return value

    def string_list_setting(self, name: str) -> list[str]:
        """A setting that is a list of texts (jobResponseStatusList, commentActionList)."""
        value = self.setting(name)
        if not isinstance(value, list):
            raise self._invalid(f"settings/{name}", f"'{name}' is not a list")
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]

    def meta(self, entity: str) -> list[dict[str, Any]]:
        """`GET meta/{Entity}?fields=*&meta=full`: the entity's field descriptions, cached per connection."""
        with self._lock:
            if entity in self._meta:
                return self._meta[entity]
        path = f"meta/{entity}"
        described = self._object(self.get(path, {"fields": "*", "meta": "full"}), path).get("fields")
        if not isinstance(described, list):
            raise self._invalid(path, "'fields' is not a list")
        items = [item for item in described if isinstance(item, dict) and isinstance(item.get("name"), str)]
        with self._lock:
            self._meta[entity] = items
        return items

    # --- files ----------------------------------------------------------------------------------------

    def file_bytes(self, entity: str, record_id: int, file_id: int) -> tuple[bytes, str]:
        """`GET file/{Entity}/{id}/{fileId}/raw`: the file's bytes and content type."""
        with self._bullhorn_errors():
            response = self.api.request("GET", f"file/{entity}/{record_id}/{file_id}/raw")
        content_type = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
        return response.content, content_type

    def upload(self, entity: str, record_id: int, body: Mapping[str, Any]) -> int:
        """`PUT file/{Entity}/{id}` with base64 content: the new file's id (never re-sent)."""
        path = f"file/{entity}/{record_id}"
        answer = self.send("PUT", path, dict(body), idempotent=False)
        file_id = answer.get("fileId")
        if isinstance(file_id, bool) or not isinstance(file_id, int):
            raise self._invalid(path, "the upload answer has no fileId", "PUT")
        return file_id


def _bullhorn_message(body: str) -> str | None:
    """`errorMessageKey: errorMessage (property: TYPE; ...)` from a (redacted, maybe cut) Bullhorn error body."""
    try:
        payload: Any = json.loads(body)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        message, key = payload.get("errorMessage"), payload.get("errorMessageKey")
        problems = [
            f"{item.get('propertyName') or 'record'}: {item.get('type')}"
            for item in payload.get("errors") or ()
            if isinstance(item, dict)
        ]
    else:
        found, keyed = _MESSAGE.search(body), _KEY.search(body)
        message, key, problems = (found.group(1) if found else None), (keyed.group(1) if keyed else None), []
    if not isinstance(message, str) or not message:
        return None
    text = f"{key}: {message}" if isinstance(key, str) and key else message
    return (text + (f" ({'; '.join(problems[:3])})" if problems else ""))[:300]
