"""Endpoint handlers: one method per (endpoint, HTTP method), called with the state lock held.

A handler returns a payload (200), a (status, payload) pair, or a werkzeug Response; it raises
ApiProblem for 400/404 answers.
"""

from __future__ import annotations

import re
import uuid
from datetime import time
from typing import Any, TypeGuard

from werkzeug.wrappers import Request, Response

from ats_tempworks_sandbox.money import Money
from ats_tempworks_sandbox.paging import periodic_count, periodic_indices
from ats_tempworks_sandbox.problems import ApiProblem, LostResponse, decode_json
from ats_tempworks_sandbox.search import columns_for, run_search
from ats_tempworks_sandbox.seeded import SENTINEL_DATE
from ats_tempworks_sandbox.state import SandboxState
from ats_tempworks_sandbox.tenant import ASSIGNMENT, EMPLOYEE, JOB_ORDER, PROFILE_PERIOD, CustomDataDefinition, Profile

__all__ = ["DEFAULT_TAKE", "MAX_TAKE", "Handlers"]

MAX_TAKE = 1000
DEFAULT_TAKE = 20
_ORIGIN_TYPES = {1: EMPLOYEE, 4: JOB_ORDER, 14: ASSIGNMENT}
Payload = dict[str, Any] | list[Any] | tuple[int, Any] | Response


def _envelope(items: list[Any], total: int) -> dict[str, Any]:
    return {"data": items, "totalCount": total}


def _paged(request: Request, items: list[Any]) -> dict[str, Any]:
    """The envelope of the request's skip/take slice of `items`, with their total count."""
    skip, take = _Query(request).paging()
    return _envelope(items[skip : skip + take], len(items))


class _Query:
    """Query-string parameters with case-insensitive names, as ASP.NET binds them."""

    def __init__(self, request: Request) -> None:
        self.values = {key.lower(): value for key, value in request.args.items()}

    def boolean(self, name: str) -> bool | None:
        raw = self.values.get(name.lower())
        if raw is None or raw == "":
            return None
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise ApiProblem.invalid(name, f"The value '{raw}' is not valid for {name}.")

    def integer(self, name: str, default: int | None = None, *, minimum: int = 0) -> int | None:
        raw = self.values.get(name.lower())
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ApiProblem.invalid(name, f"The value '{raw}' is not valid for {name}.") from None
        if value < minimum:
            raise ApiProblem.invalid(name, f"{name} must be >= {minimum}.")
        return value

    def text(self, name: str) -> str:
        return self.values.get(name.lower(), "")

    def paging(self) -> tuple[int, int]:
        skip = self.integer("skip", 0) or 0
        take = self.integer("take", DEFAULT_TAKE)
        assert take is not None
        if take > MAX_TAKE:
            raise ApiProblem.invalid("take", f"take must be at most {MAX_TAKE}.")
        return skip, take


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _digits(text: str | None) -> str:
    digits = re.sub(r"\D", "", text or "")
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


class Handlers:
    """The TempWorks endpoints of one sandbox tenant."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.data = state.data

    # helpers -------------------------------------------------------------------------------------
    def _served(self, kind: int, record: dict[str, Any], id_key: str) -> dict[str, Any]:
        """Apply the malformed_rate fault: fixed per record id, a missing id or a string isActive."""
        record_id = record.get(id_key)
        flaw = self.data.malformed(kind, int(record_id or 0), self.state.faults.malformed_rate)
        if flaw:
            self.state.injected["malformed"] += 1
            record = dict(record)
            if flaw == 1:
                record.pop(id_key, None)
            else:
                record["isActive"] = "true" if record.get("isActive") else "false"
        return record

    def _residues(self, kind: int, is_active: bool | None, branch_id: int | None) -> list[int]:
        def matches(profile: Profile) -> bool:
            branch = self.data.branches[profile.branch_index].branch_id
            return (is_active is None or profile.is_active == is_active) and (branch_id is None or branch == branch_id)

        return [r for r in range(PROFILE_PERIOD) if matches(self.data.profiles[kind][r])]

    def _employee_or_404(self, employee_id: int) -> dict[str, Any]:
        detail = self.state.employee_detail(employee_id)
        if detail is None:
            raise ApiProblem.not_found(f"Employee {employee_id}")
        return detail

    def _require(self, kind: int, record_id: int, what: str) -> None:
        if not self.state.exists(kind, record_id):
            raise ApiProblem.not_found(f"{what} {record_id}")

    # employees -----------------------------------------------------------------------------------
    def search_employees_get(self, request: Request) -> Payload:
        query = _Query(request)
        skip, take = query.paging()
        is_active, branch_id = query.boolean("isActive"), query.integer("branchId")
        self.state.mutate_while_paging()
        residues = self._residues(EMPLOYEE, is_active, branch_id)

        def created_matches(detail: dict[str, Any]) -> bool:
            return (is_active is None or detail["isActive"] == is_active) and (
                branch_id is None or detail["branchId"] == branch_id
            )

        ids, total = self.state.listing.page(residues, created_matches, skip, take)
        items = [self._served(EMPLOYEE, self.state.employee_list_item(i) or {}, "employeeId") for i in ids]
        return _envelope(items, total)

    def employee_get(self, request: Request, employee_id: int) -> Payload:
        return self._served(EMPLOYEE, self._employee_or_404(employee_id), "employeeId")

    def create_employee_post(self, request: Request) -> Payload:
        body = decode_json(request)
        if not isinstance(body, dict):
            raise ApiProblem.invalid("$", "The body must be a JSON object.")
        errors: dict[str, list[str]] = {}
        for name in ("firstName", "lastName"):
            if not isinstance(body.get(name), str) or not body[name].strip():
                errors[name[0].upper() + name[1:]] = [f"The {name[0].upper() + name[1:]} field is required."]
        for name in (
            "governmentPersonalId",
            "street1",
            "street2",
            "municipality",
            "region",
            "postalCode",
            "primaryEmailAddress",
            "primaryPhoneNumber",
            "cellPhoneNumber",
        ):
            if body.get(name) is not None and not isinstance(body[name], str):
                errors[name[0].upper() + name[1:]] = [f"The {name} field must be a string."]
        for name in (
            "countryCode",
            "howHeardOfId",
            "primaryPhoneNumberCountryCallingCode",
            "cellPhoneNumberCountryCallingCode",
        ):
            value = body.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                errors[name[0].upper() + name[1:]] = [f"The {name} field must be an integer."]
        branch_id = body.get("branchId")
        if branch_id is not None and (not isinstance(branch_id, int) or self.data.branch_by_id(branch_id) is None):
            errors["BranchId"] = [f"Branch {branch_id} does not exist in this tenant."]
        if errors:
            raise ApiProblem(400, "One or more validation errors occurred.", errors)
        employee_id = self.state.create_employee(body)
        response = Response(status=201, content_type="application/json; charset=utf-8")
        response.set_data(f'{{"employeeId":{employee_id}}}')
        response.headers["Location"] = f"/Employees/{employee_id}"
        return response

    def employee_status_get(self, request: Request, employee_id: int) -> Payload:
        detail = self._employee_or_404(employee_id)
        active = bool(detail["isActive"])
        return {
            "employeeStatusId": detail["employeeStatusId"],
            "employeeStatus": detail["employeeStatus"],
            "washedStatusId": 1,
            "washedStatus": "Not Washed",
            "isWashed": False,
            "employmentCategoryId": 1,
            "employmentCategory": "Temporary",
            "orderTypeId": 1,
            "orderType": "TE",
            "orientationGivenDate": detail["activationDate"] if active else SENTINEL_DATE,
            "anniversaryDate": detail["activationDate"],
            "interviewDate": detail["activationDate"],
            "interviewedBySrIdent": detail["serviceRepId"],
            "interviewedBy": detail["serviceRep"],
            "wotcEligibilityStatusId": 0,
            "wotcEligibilityStatus": "Not Screened",
            "isFaceVerificationOnboardingRequired": False,
        }

    def employee_assignments_get(self, request: Request, employee_id: int) -> Payload:
        self._employee_or_404(employee_id)
        query = _Query(request)
        skip, take = query.paging()
        is_active = query.boolean("isActive")
        items = [
            a
            for a in self.state.assignments_of_employee(employee_id)
            if is_active is None or a["isActive"] == is_active
        ]
        return _envelope([self._served(ASSIGNMENT, a, "assignmentId") for a in items[skip : skip + take]], len(items))

    # custom data ---------------------------------------------------------------------------------
    def _custom_get(self, kind: int, record_id: int, what: str) -> Payload:
        self._require(kind, record_id, what)
        items = self.state.custom_data(kind, record_id)
        return _envelope(items, len(items))

    def _custom_put(self, request: Request, kind: int, record_id: int, what: str) -> Payload:
        self._require(kind, record_id, what)
        body = decode_json(request)
        if isinstance(body, dict):
            body = body.get("data", body.get("propertyValues"))
        if not isinstance(body, list):
            raise ApiProblem.invalid("$", "Send a list of {propertyDefinitionId, propertyValue} objects.")
        definitions = {d.definition_id.lower(): d for d in self.data.custom_definitions[kind]}
        values: dict[str, Any] = {}
        for n, item in enumerate(body):
            if not isinstance(item, dict):
                raise ApiProblem.invalid(f"[{n}]", "Each item must be an object.")
            definition = definitions.get(str(item.get("propertyDefinitionId", "")).lower())
            if definition is None:
                raise ApiProblem.invalid(
                    f"[{n}].propertyDefinitionId", f"Unknown property definition '{item.get('propertyDefinitionId')}'."
                )
            if definition.is_read_only:
                raise ApiProblem.invalid(f"[{n}].propertyDefinitionId", f"Property '{definition.name}' is read-only.")
            values[definition.definition_id] = self._custom_value(definition, item.get("propertyValue"), n)
        self.state.set_custom_data(kind, record_id, values)
        items = self.state.custom_data(kind, record_id)
        return _envelope(items, len(items))

    def _custom_value(self, definition: CustomDataDefinition, value: Any, n: int) -> Any:
        """The stored form of a written value; a 400 when it does not fit the property's type or data list."""
        if value is None:
            return None
        where = f"[{n}].propertyValue"
        if definition.allow_multiple:
            if not isinstance(value, list) or not all(isinstance(part, str) for part in value):
                raise ApiProblem.invalid(where, f"'{definition.name}' takes a list of strings.")
            unknown = [part for part in value if definition.choices and part not in definition.choices]
            if unknown:
                raise ApiProblem.invalid(where, f"{unknown} not in the data list of '{definition.name}'.")
            return list(dict.fromkeys(value))
        property_type = definition.property_type
        if isinstance(value, (dict, list)):
            raise ApiProblem.invalid(where, f"A {property_type} property takes a single value, not {value!r}.")
        if definition.has_datalist and value not in definition.choices:
            raise ApiProblem.invalid(where, f"'{value}' is not in the data list of '{definition.name}'.")
        try:
            return self._typed_value(property_type, value)
        except (TypeError, ValueError):
            raise ApiProblem.invalid(where, f"'{value}' is not a {property_type}.") from None

    def _typed_value(self, property_type: str, value: Any) -> Any:
        """`value` as the tenant stores a `property_type`; TypeError or ValueError when it is not one."""
        if property_type == "boolean":
            if not isinstance(value, bool):
                raise TypeError
            return value
        if property_type in ("decimal", "money", "integer") and isinstance(value, bool):
            raise TypeError
        if property_type == "decimal":
            return f"{float(value):.4f}"
        if property_type == "money":
            return Money(float(value))
        if property_type == "integer":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if property_type in ("date", "datetime"):
            return self.data.local.normalise(str(value))
        if property_type == "time":
            return time.fromisoformat(str(value)).strftime("%H:%M:%S")
        if property_type == "guid":
            return str(uuid.UUID(str(value)))
        return str(value)

    def employee_custom_data_get(self, request: Request, employee_id: int) -> Payload:
        return self._custom_get(EMPLOYEE, employee_id, "Employee")

    def employee_custom_data_put(self, request: Request, employee_id: int) -> Payload:
        return self._custom_put(request, EMPLOYEE, employee_id, "Employee")

    def job_order_custom_data_get(self, request: Request, job_order_id: int) -> Payload:
        return self._custom_get(JOB_ORDER, job_order_id, "Job order")

    def job_order_custom_data_put(self, request: Request, job_order_id: int) -> Payload:
        return self._custom_put(request, JOB_ORDER, job_order_id, "Job order")

    def assignment_custom_data_get(self, request: Request, assignment_id: int) -> Payload:
        return self._custom_get(ASSIGNMENT, assignment_id, "Assignment")

    def assignment_custom_data_put(self, request: Request, assignment_id: int) -> Payload:
        return self._custom_put(request, ASSIGNMENT, assignment_id, "Assignment")

    def custom_data_definitions_get(self, request: Request, origin_type_id: int) -> Payload:
        kind = _ORIGIN_TYPES.get(origin_type_id)
        if kind is None:
            raise ApiProblem.not_found(f"Origin type {origin_type_id}")
        items = [d.as_json() for d in self.data.custom_definitions[kind]]
        return _envelope(items, len(items))

    # documents -----------------------------------------------------------------------------------
    def employee_documents_get(self, request: Request, employee_id: int) -> Payload:
        self._employee_or_404(employee_id)
        return _paged(request, self.state.documents_of(employee_id))

    def employee_documents_post(self, request: Request, employee_id: int) -> Payload:
        self._employee_or_404(employee_id)
        if not request.mimetype.startswith("multipart/form-data"):
            raise ApiProblem.invalid(
                "file", "Upload a document as multipart/form-data with a 'file' part and 'documentTypeId'."
            )
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise ApiProblem.invalid("file", "The file part is required.")
        try:
            type_id = int(request.form.get("documentTypeId", ""))
        except ValueError:
            raise ApiProblem.invalid(
                "documentTypeId", "The documentTypeId field is required (see /DataLists/documentTypes)."
            ) from None
        doc_type = next((t for t in self.data.document_types if t["documentTypeId"] == type_id), None)
        if doc_type is None:
            raise ApiProblem.invalid("documentTypeId", f"Document type {type_id} does not exist in this tenant.")
        content = upload.read()
        document_id = self.state.add_document(
            employee_id,
            upload.filename,
            upload.mimetype or "application/octet-stream",
            content,
            doc_type,
            request.form.get("description", ""),
        )
        return 201, {"documentId": document_id}

    def employee_document_get(self, request: Request, employee_id: int, document_id: int) -> Payload:
        self._employee_or_404(employee_id)
        stored = self.state.document_file(employee_id, document_id)
        if stored is None:
            raise ApiProblem.not_found(f"Document {document_id} of employee {employee_id}")
        response = Response(stored.content, status=200, content_type=stored.content_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{stored.file_name}"'
        return response

    def document_types_get(self, request: Request) -> Payload:
        return _envelope(list(self.data.document_types), len(self.data.document_types))

    # messages ------------------------------------------------------------------------------------
    def employee_messages_get(self, request: Request, employee_id: int) -> Payload:
        self._employee_or_404(employee_id)
        return _paged(request, self.state.messages_of(employee_id))

    def assignment_messages_get(self, request: Request, assignment_id: int) -> Payload:
        self._require(ASSIGNMENT, assignment_id, "Assignment")
        return _paged(request, self.state.messages_linked_to(ASSIGNMENT, assignment_id))

    def _linkable_origin(self, entity: Any, employee_id: int) -> tuple[int, int] | None:
        """(originTypeId, originId) of a linkedEntities item that can be linked, else None.

        Employees (1) link when they exist; assignments (14) when they exist and belong to `employee_id`.
        """
        if not isinstance(entity, dict):
            return None
        origin_type, origin_id = entity.get("originTypeId"), entity.get("originId")
        if not (_is_int(origin_type) and _is_int(origin_id)):
            return None
        if origin_type == EMPLOYEE and self.state.exists(EMPLOYEE, origin_id):
            return EMPLOYEE, origin_id
        if origin_type == ASSIGNMENT:
            assignment = self.state.assignment(origin_id)
            if assignment is not None and assignment["employeeId"] == employee_id:
                return ASSIGNMENT, origin_id
        return None

    def employee_messages_post(self, request: Request, employee_id: int) -> Payload:
        self._employee_or_404(employee_id)
        body = decode_json(request)
        if not isinstance(body, dict):
            raise ApiProblem.invalid("$", "The body must be a JSON object.")
        action_id = body.get("actionId")
        action = self.data.action(action_id) if _is_int(action_id) else None
        if action is None or not action["isActive"]:
            raise ApiProblem.invalid(
                "ActionId",
                f"ActionId {action_id!r} is not an active message action of this tenant (see /DataLists/messageActions).",
            )
        text = body.get("message")
        if not isinstance(text, str) or not text.strip():
            raise ApiProblem.invalid("Message", "The Message field is required.")
        entities = body.get("linkedEntities") or []
        if not isinstance(entities, list):
            raise ApiProblem.invalid("LinkedEntities", "LinkedEntities must be a list of {originTypeId, originId}.")
        document_ids = body.get("linkedDocumentIds") or []
        if not isinstance(document_ids, list):
            raise ApiProblem.invalid("LinkedDocumentIds", "LinkedDocumentIds must be a list of document ids.")
        origins = [(EMPLOYEE, employee_id)]
        failed_origins = []
        for entity in entities:
            origin = self._linkable_origin(entity, employee_id)
            if origin is None:
                failed_origins.append(entity)
            elif origin not in origins:
                origins.append(origin)
        known_documents = {d["documentId"] for d in self.state.documents_of(employee_id)}
        linked_documents: list[int] = []
        failed_documents = []
        for document_id in document_ids:
            if _is_int(document_id) and document_id in known_documents:
                if document_id not in linked_documents:
                    linked_documents.append(document_id)
            else:
                failed_documents.append(document_id)
        message_id = self.state.add_message(action, text, origins, linked_documents)
        self.state.writes["messages"] += 1
        self.state.messages_by_employee[employee_id] += 1
        if self.state.roll(self.state.faults.lost_write_rate):
            self.state.injected["lost_write"] += 1
            raise LostResponse
        return 201, {
            "messageId": message_id,
            "failedToBeLinkedOrigins": failed_origins,
            "failedToBeLinkedDocuments": failed_documents,
            "numberOfSuccessfullyLinkedOrigins": len(origins),
        }

    def message_actions_get(self, request: Request) -> Payload:
        active = _Query(request).boolean("active")
        items = [a for a in self.data.message_actions if active is None or a["isActive"] == active]
        return _envelope(items, len(items))

    def branches_get(self, request: Request) -> Payload:
        items = [
            {
                "branchId": b.branch_id,
                "branchName": b.name,
                "branchFullName": f"Sandbox Staffing - {b.name}",
                "isActive": True,
                "emailAddress": f"{b.municipality.replace(' ', '').lower()}@staffing.example",
                "phoneNumber": f"({b.area_code}) 555-0100",
                "address": f"1 Main St, {b.municipality}",
                "region": b.region.ljust(5),
                "employerId": 1,
                "employer": "Sandbox Staffing LLC",
                "hierId": b.branch_id,
            }
            for b in self.data.branches
        ]
        return _envelope(items, len(items))

    # job orders ----------------------------------------------------------------------------------
    def search_job_orders_get(self, request: Request) -> Payload:
        query = _Query(request)
        skip, take = query.paging()
        residues = self._residues(JOB_ORDER, query.boolean("isActive"), query.integer("branchId"))
        self.state.mutate_while_paging()
        space = self.data.job_orders
        items = []
        for index in periodic_indices(space.count, residues, skip, take):
            record = self.state.job_order(space.id_of(index), detail=False) or {}
            items.append(self._served(JOB_ORDER, record, "orderId"))
        return _envelope(items, periodic_count(space.count, residues))

    def job_order_get(self, request: Request, job_order_id: int) -> Payload:
        record = self.state.job_order(job_order_id, detail=True)
        if record is None:
            raise ApiProblem.not_found(f"Job order {job_order_id}")
        return self._served(JOB_ORDER, record, "jobOrderId")

    def job_order_worksite_get(self, request: Request, job_order_id: int) -> Payload:
        index = self.data.job_orders.index_of(job_order_id)
        if index is None:
            raise ApiProblem.not_found(f"Job order {job_order_id}")
        return self.data.worksite(index)

    # assignments ---------------------------------------------------------------------------------
    def search_assignments_get(self, request: Request) -> Payload:
        query = _Query(request)
        skip, take = query.paging()
        residues = self._residues(ASSIGNMENT, query.boolean("isActive"), query.integer("branchId"))
        self.state.mutate_while_paging()
        space = self.data.assignments
        indices = periodic_indices(space.count, residues, skip, take)
        total = periodic_count(space.count, residues)
        items = [self._served(ASSIGNMENT, self.state.assignment(space.id_of(i)) or {}, "assignmentId") for i in indices]
        return _envelope(items, total)

    def assignment_get(self, request: Request, assignment_id: int) -> Payload:
        record = self.state.assignment(assignment_id)
        if record is None:
            raise ApiProblem.not_found(f"Assignment {assignment_id}")
        return self._served(ASSIGNMENT, record, "assignmentId")

    # universal search ----------------------------------------------------------------------------
    def _universal_hit(self, employee_id: int, phone_type: str) -> dict[str, Any]:
        detail = self.state.employee_detail(employee_id) or {}
        messages = self.state.messages_of(employee_id)
        assignments = [a for a in self.state.assignments_of_employee(employee_id) if a["isActive"]]
        phone = detail.get("primaryPhoneNumber") if phone_type == "Phone" else self.state.employee_cell(employee_id)
        return {
            "employeeId": str(employee_id),
            "firstName": detail.get("firstName"),
            "lastName": detail.get("lastName"),
            "branchName": detail.get("branch"),
            "phoneNumber": phone,
            "phoneType": phone_type,
            "isAssigned": detail.get("isAssigned"),
            "isActive": detail.get("isActive"),
            "lastMsg": messages[-1]["message"] if messages else None,
            "lastDate": messages[-1]["dateCreated"] if messages else None,
            "postalCode": (detail.get("address") or {}).get("postalCode"),
            "eCurrentAssignment": assignments[0]["jobTitle"] if assignments else None,
        }

    @staticmethod
    def _universal(hits: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "employees": {"results": {"result": hits}},
            "customers": {"results": {"result": []}},
            "contacts": {"results": {"result": []}},
        }

    def universal_email_get(self, request: Request) -> Payload:
        wanted = _Query(request).text("emailAddress").strip().lower()
        if not wanted:
            raise ApiProblem.invalid("emailAddress", "The emailAddress field is required.")
        candidates = set(
            i for i, d in self.state.created.items() if str(d.get("primaryEmailAddress") or "").lower() == wanted
        )
        embedded = re.search(r"(\d+)@", wanted)
        if embedded:
            candidates.add(int(embedded.group(1)))
        hits = []
        for employee_id in sorted(candidates):
            detail = self.state.employee_detail(employee_id)
            if detail and str(detail.get("primaryEmailAddress") or "").lower() == wanted:
                hits.append(self._universal_hit(employee_id, "Phone"))
        return self._universal(hits)

    def universal_phone_get(self, request: Request) -> Payload:
        wanted = _digits(_Query(request).text("phone"))
        if len(wanted) < 7:
            raise ApiProblem.invalid("phone", "The phone field needs at least 7 digits.")
        candidates = set(self.state.created)
        candidates.add(int(wanted[-7:]))
        hits = []
        for employee_id in sorted(candidates):
            detail = self.state.employee_detail(employee_id)
            if detail is None:
                continue
            for phone_type, number in (
                ("Phone", detail.get("primaryPhoneNumber")),
                ("Cell", self.state.employee_cell(employee_id)),
            ):
                digits = _digits(number)
                if digits and (digits == wanted or (len(wanted) == 7 and digits.endswith(wanted))):
                    hits.append(self._universal_hit(employee_id, phone_type))
                    break
        return self._universal(hits)

    # advanced search -----------------------------------------------------------------------------
    def search_columns_get(self, request: Request, origin_type_id: int) -> Payload:
        items = [column.metadata(self.data.seed) for column in columns_for(self.state, _ORIGIN_TYPES[origin_type_id])]
        return _envelope(items, len(items)) if self.state.faults.column_list == "envelope" else items

    def advanced_search_post(self, request: Request, origin_type_id: int) -> Payload:
        body = decode_json(request)
        self.state.mutate_while_paging()
        return run_search(self.state, _ORIGIN_TYPES[origin_type_id], body, self.state.faults.search_max_take)

    # webhooks ------------------------------------------------------------------------------------
    def subscriptions_get(self, request: Request) -> Payload:
        client = str(request.environ.get("sandbox.client", "")).split(":", 1)[-1]
        subscriptions = self.state.webhooks.subscriptions.values()
        mine = [s.as_json(self.data.tenant) for s in subscriptions if s.client_id == client]
        if not mine:
            raise ApiProblem.not_found("Subscriptions")
        return {"subscriptions": mine}

    def subscriptions_post(self, request: Request) -> Payload:
        client = str(request.environ.get("sandbox.client", ""))
        subscription = self.state.webhooks.subscribe(client.split(":", 1)[-1], decode_json(request))
        return 201, {"subscriptionId": subscription.subscription_id}

    def subscription_delete(self, request: Request, subscription_id: str) -> Payload:
        if not self.state.webhooks.unsubscribe(subscription_id):
            raise ApiProblem.not_found(f"Subscription {subscription_id}")
        return Response(status=204)
