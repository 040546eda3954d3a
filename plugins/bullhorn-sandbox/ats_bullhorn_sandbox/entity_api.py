"""REST calls on records: entity GET/PUT/POST/DELETE, to-many GETs, query, search, meta and settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from werkzeug.wrappers import Request

from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.fields import Selection, parse_fields, project
from ats_bullhorn_sandbox.jpql import parse_where
from ats_bullhorn_sandbox.lucene import parse_query, search_fields
from ats_bullhorn_sandbox.meta import entity_meta
from ats_bullhorn_sandbox.paging import flag, parse_order, parse_paging
from ats_bullhorn_sandbox.schema import EntitySpec
from ats_bullhorn_sandbox.store import SandboxState
from ats_bullhorn_sandbox.writes import CheckedWrite, check_write

__all__ = ["EntityApi", "Payload", "rest_url"]

Payload = tuple[int, Any]
DEFAULT_QUERY_COUNT = 15
DEFAULT_SEARCH_COUNT = 20
DEFAULT_ASSOCIATION_COUNT = 15


def rest_url(request: Request, corp_token: str) -> str:
    """The session's base REST URL, with its trailing slash."""
    return f"{request.host_url}rest-services/{corp_token}/"


def _body(request: Request) -> dict[str, Any]:
    if not request.get_data():
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BullhornError.bad_request("The request body must be a JSON object.", "errors.badJson")
    return body


def _ids(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise BullhornError.bad_request(f"Bad entity id(s): {text}", "errors.badEntityId") from None
    if not ids:
        raise BullhornError.bad_request(f"Bad entity id(s): {text}", "errors.badEntityId")
    return ids


class EntityApi:
    """Handlers for the record calls of one sandbox tenant (the app holds the state lock around them)."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    # helpers --------------------------------------------------------------------------------------
    def entity(self, name: str) -> EntitySpec:
        spec = self.state.schema.get(name)
        if spec is None:
            raise BullhornError.unknown_entity(name)
        return spec

    def selection(self, request: Request, spec: EntitySpec, *, required: bool = True) -> tuple[Selection, ...] | None:
        fields = request.args.get("fields")
        if fields is None or not fields.strip():
            if request.args.get("layout"):
                raise BullhornError.bad_request(
                    "The sandbox has no configured layouts; send fields.", "errors.badLayout"
                )
            if required:
                raise BullhornError.bad_request(
                    "Missing required parameter: fields (or layout).", "errors.missingParameter"
                )
            return None
        return parse_fields(fields, self.state.schema, spec)

    def project(self, spec: EntitySpec, record: dict[str, Any], selection: tuple[Selection, ...]) -> dict[str, Any]:
        return project(self.state, spec.name, record, selection)

    def with_meta(self, request: Request, payload: dict[str, Any], spec: EntitySpec, corp: str) -> dict[str, Any]:
        level = request.args.get("meta", "off")
        if level in ("basic", "full"):
            names = [item.name for item in self.selection(request, spec, required=False) or ()]
            payload["meta"] = entity_meta(
                self.state.schema, spec, rest_url(request, corp), ["id", *names], full=level == "full", modified=0
            )
        return payload

    # entity ---------------------------------------------------------------------------------------
    def get_entity(self, request: Request, corp: str, entity: str, ids: str) -> Payload:
        spec = self.entity(entity)
        wanted = _ids(ids)
        selection = self.selection(request, spec) or ()
        found = [record for record in (self.state.get(entity, record_id) for record_id in wanted) if record]
        if not found:
            raise BullhornError.not_found(entity, ids)
        data: Any = [self.project(spec, record, selection) for record in found]
        if len(wanted) == 1:
            data = data[0]
        return 200, self.with_meta(request, {"data": data}, spec, corp)

    def get_to_many(self, request: Request, corp: str, entity: str, ids: str, association: str) -> Payload:
        spec = self.entity(entity)
        field = spec.get(association)
        if field is None or field.kind != "TO_MANY" or field.target is None:
            raise BullhornError.bad_request(
                f"'{association}' is not a to-many field of {entity}.", "errors.badAssociation"
            )
        owners = [record_id for record_id in _ids(ids) if self.state.exists(entity, record_id)]
        if not owners:
            raise BullhornError.not_found(entity, ids)
        target = self.state.schema[field.target]
        selection = self.selection(request, target) or ()
        start, count = parse_paging(request.args, DEFAULT_ASSOCIATION_COUNT)
        order = parse_order(request.args.get("orderBy"), target)
        item_ids = sorted({item for owner in owners for item in self.state.to_many(entity, owner, association)})
        records = [record for record in (self.state.get(target.name, item) for item in item_ids) if record]
        for name, descending in reversed(order):
            path = tuple(name.split("."))
            records.sort(key=lambda r: _order_key(self.state.resolve(target.name, r, path)), reverse=descending)
        page = [self.project(target, record, selection) for record in records[start : start + count]]
        return 200, {"start": start, "count": len(page), "data": page}

    def put_entity(self, request: Request, corp: str, entity: str) -> Payload:
        spec = self.entity(entity)
        checked = check_write(self.state, entity, _body(request))
        if entity == "NoteEntity":
            self._refuse_duplicate_link(checked.values)
        record_id = self.state.insert(entity, checked.values)
        self._after_insert(entity, record_id, checked.values)
        return 200, _change(spec, record_id, "INSERT", checked)

    def post_entity(self, request: Request, corp: str, entity: str, ids: str) -> Payload:
        spec = self.entity(entity)
        record_id = _ids(ids)[0]
        current = self.state.get(entity, record_id)
        if current is None:
            raise BullhornError.not_found(entity, record_id)
        body = _body(request)
        if body.get("id") not in (None, record_id):
            raise BullhornError.bad_request(
                f"Body id {body['id']} does not match the URL id {record_id}.", "errors.badEntityId"
            )
        checked = check_write(self.state, entity, body, current)
        if checked.values:
            self.state.update(entity, record_id, checked.values)
        return 200, _change(spec, record_id, "UPDATE", checked)

    def delete_entity(self, request: Request, corp: str, entity: str, ids: str) -> Payload:
        spec = self.entity(entity)
        record_id = _ids(ids)[0]
        if not self.state.exists(entity, record_id):
            raise BullhornError.not_found(entity, record_id)
        if spec.deletion == "immutable":
            raise BullhornError.bad_request(
                f"Entities of type {entity} are immutable and cannot be deleted.", "errors.cannotDeleteImmutableEntity"
            )
        self.state.delete(entity, record_id)
        return 200, {"changedEntityType": entity, "changedEntityId": record_id, "changeType": "DELETE"}

    def _refuse_duplicate_link(self, values: dict[str, Any]) -> None:
        note = (values.get("note") or {}).get("id")
        for link_id in self.state.to_many("Note", int(note or 0), "entities") if note else ():
            link = self.state.get("NoteEntity", link_id) or {}
            same = (link.get("targetEntityID"), link.get("targetEntityName")) == (
                values.get("targetEntityID"),
                values.get("targetEntityName"),
            )
            if same:
                raise BullhornError(
                    500,
                    "error persisting an entity of type: NoteEntity",
                    "errors.cannotPersistEntity",
                    errors=[{"propertyName": None, "severity": "ERROR", "type": "DUPLICATE_VALUE"}],
                    entityName="NoteEntity",
                )

    def _after_insert(self, entity: str, record_id: int, values: dict[str, Any]) -> None:
        """Bullhorn's side effects of a create: a note's links, a company's archived contact."""
        state = self.state
        if entity == "Note":
            person = values.get("personReference") or {}
            if person.get("id") is not None:
                state.insert(
                    "NoteEntity",
                    {"note": {"id": record_id}, "targetEntityID": person["id"], "targetEntityName": "User"},
                )
            job = values.get("jobOrder") or {}
            if job.get("id") is not None:
                state.insert(
                    "NoteEntity",
                    {"note": {"id": record_id}, "targetEntityID": job["id"], "targetEntityName": "JobOrder"},
                )
        elif entity == "ClientCorporation":
            state.insert(
                "ClientContact",
                {
                    "firstName": "Company",
                    "lastName": str(values.get("name")),
                    "name": f"Company {values.get('name')}",
                    "status": "Archive",
                    "clientCorporation": {"id": record_id},
                    "owner": {"id": state.api_user.user_id},
                    "isDeleted": False,
                },
            )

    # query and search -----------------------------------------------------------------------------
    def query(self, request: Request, corp: str, entity: str) -> Payload:
        spec = self.entity(entity)
        if not spec.queryable:
            if spec.searchable:
                raise BullhornError.bad_request(
                    f"Query operation not supported for {entity}, please use /search call instead.",
                    "errors.queryIndexedEntity",
                )
            raise BullhornError.bad_request(f"Query operation not supported for {entity}.", "errors.queryNotSupported")
        where = _body(request).get("where") if request.method == "POST" else request.args.get("where")
        if not where:
            raise BullhornError.bad_request("Missing required parameter: where", "errors.missingParameter")
        predicate = parse_where(str(where), self.state.schema, spec)
        state = self.state
        if flag(request.args, "totalOnly"):
            return 200, {"total": sum(1 for _ in state.select(entity, predicate, []))}
        selection = self.selection(request, spec) or ()
        start, count = parse_paging(request.args, DEFAULT_QUERY_COUNT)
        order = parse_order(request.args.get("orderBy"), spec)
        state.mutate_while_paging()
        with_total = flag(request.args, "showTotalMatched")
        page_ids, total = _page(state.select(entity, predicate, order), start, count, with_total=with_total)
        payload: dict[str, Any] = {"total": total} if with_total else {}
        records = [state.get(entity, record_id) or {"id": record_id} for record_id in page_ids]
        payload.update(start=start, count=len(page_ids), data=[self.project(spec, r, selection) for r in records])
        return 200, self.with_meta(request, payload, spec, corp)

    def search(self, request: Request, corp: str, entity: str) -> Payload:
        spec = self.state.schema.get(entity)
        if spec is None or not spec.searchable:
            raise BullhornError.bad_request(f"Unknown search entity: {entity}", "errors.searchUnknownEntity")
        if request.method == "GET" and not request.args.keys() - {"BhRestToken"}:
            return 200, {"searchFields": self.search_fields(spec)}
        query = _body(request).get("query") if request.method == "POST" else request.args.get("query")
        if not query:
            raise BullhornError.bad_request("Missing required parameter: query", "errors.missingParameter")
        predicate = parse_query(str(query), spec)
        selection = self.selection(request, spec, required=False)
        start, count = parse_paging(request.args, DEFAULT_SEARCH_COUNT)
        order = parse_order(request.args.get("sort"), spec)
        state = self.state
        state.mutate_while_paging()
        page_ids, total = _page(state.select(entity, predicate, order), start, count, with_total=True)
        data: list[Any]
        if selection is None:
            data = list(page_ids)
        else:
            data = []
            for record_id in page_ids:
                record = state.get(entity, record_id) or {"id": record_id}
                data.append({"_score": 1.0, **self.project(spec, record, selection)})
        payload = {"total": total, "start": start, "count": len(data), "data": data}
        return 200, self.with_meta(request, payload, spec, corp)

    @staticmethod
    def search_fields(spec: EntitySpec) -> list[dict[str, Any]]:
        return [
            {"name": name, "type": index_type, "isSortable": True}
            for name, (index_type, _path) in sorted(search_fields(spec).items())
        ]

    # meta and settings ----------------------------------------------------------------------------
    def meta_list(self, request: Request, corp: str) -> Payload:
        base = rest_url(request, corp)
        return 200, [{"entity": name, "metaUrl": f"{base}meta/{name}?fields=*"} for name in sorted(self.state.schema)]

    def meta_entity(self, request: Request, corp: str, entity: str) -> Payload:
        spec = self.entity(entity)
        fields = request.args.get("fields", "*").strip() or "*"
        names = None if fields == "*" else [name.strip() for name in fields.split(",") if name.strip()]
        for name in names or ():
            if spec.get(name) is None:
                raise BullhornError.bad_field(entity, name)
        full = request.args.get("meta") == "full"
        modified = self.state.data.spaces[entity].modified(0)
        return 200, entity_meta(self.state.schema, spec, rest_url(request, corp), names, full=full, modified=modified)

    def settings_values(self) -> dict[str, tuple[str, bool, Any]]:
        """Setting name -> (valueType, isArray, value)."""
        state = self.state
        statuses = state.faults.submission_statuses
        interview = next((status for status in statuses if "interview" in status.lower()), statuses[0])
        return {
            "commentActionList": ("STRING", True, list(state.faults.note_actions)),
            "corporationId": ("INTEGER", False, state.corporation_id),
            "corporationName": ("STRING", False, state.corporation_name),
            "interviewScheduledJobResponseStatus": ("STRING", False, interview),
            "jobResponseStatusList": ("STRING", True, list(statuses)),
            "userId": ("INTEGER", False, state.api_user.user_id),
        }

    def settings_list(self, request: Request, corp: str) -> Payload:
        base = rest_url(request, corp)
        return 200, {
            "data": [
                {"name": name, "valueUrl": f"{base}settings/{name}", "valueType": kind, "isArray": is_array}
                for name, (kind, is_array, _value) in sorted(self.settings_values().items())
            ]
        }

    def settings(self, request: Request, corp: str, names: str) -> Payload:
        values = self.settings_values()
        wanted = [name.strip() for name in names.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in values]
        if unknown:
            raise BullhornError.bad_request(f"Unknown setting(s): {', '.join(unknown)}", "errors.unknownSetting")
        return 200, {name: values[name][2] for name in wanted}


def _page(matches: Iterator[int], start: int, count: int, *, with_total: bool) -> tuple[list[int], int]:
    """The ids of one page, and how many matched (counted only `with_total`, else a lower bound)."""
    page: list[int] = []
    seen = 0
    for record_id in matches:
        if seen >= start and len(page) < count:
            page.append(record_id)
        seen += 1
        if not with_total and len(page) >= count:
            break
    return page, seen


def _change(spec: EntitySpec, record_id: int, change_type: str, checked: CheckedWrite) -> dict[str, Any]:
    """A create or update answer: what changed, the values written, and any warnings."""
    values = {key: dict(value) if isinstance(value, dict) else value for key, value in checked.values.items()}
    answer: dict[str, Any] = {
        "changedEntityType": spec.name,
        "changedEntityId": record_id,
        "changeType": change_type,
        "data": values,
    }
    if checked.messages:
        answer["messages"] = checked.messages
    return answer


def _order_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, dict):
        value = value.get("id")
    if value is None:
        return (0, "")
    return (1, value.casefold() if isinstance(value, str) else value)
