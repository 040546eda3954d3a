"""One sandbox tenant's live state: seeded base data, the overlay of writes, credentials and counters."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ats_core.sandbox import SandboxOptions
from ats_tempworks_sandbox.auth import AuthRegistry, RateLimiter
from ats_tempworks_sandbox.employee_detail import build_employee_detail
from ats_tempworks_sandbox.faults import FaultConfig, parse_faults
from ats_tempworks_sandbox.listing import EmployeeListing
from ats_tempworks_sandbox.pdf import text_pdf
from ats_tempworks_sandbox.seeded import SENTINEL_DATE, mix, seeded_guid
from ats_tempworks_sandbox.tenant import ASSIGNMENT, BASE_END, EMPLOYEE, JOB_ORDER, TenantData
from ats_tempworks_sandbox.webhooks import WebhookHub

__all__ = ["Clock", "SandboxState", "StoredFile"]

Clock = Callable[[], float]
_WEBHOOK_ENTITIES = {
    EMPLOYEE: ("employee", "employeeId"),
    JOB_ORDER: ("joborder", "jobOrderId"),
    ASSIGNMENT: ("assignment", "assignmentId"),
}


@dataclass(frozen=True)
class StoredFile:
    """An uploaded document's bytes."""

    employee_id: int
    file_name: str
    content_type: str
    content: bytes


class SandboxState:
    """Everything a running sandbox knows; every method that reads or writes holds `lock`."""

    def __init__(self, options: SandboxOptions, clock: Clock | None = None) -> None:
        self.options = options
        self.faults: FaultConfig = parse_faults(options.faults)
        base_clock, skew = clock or time.time, self.faults.clock_skew_s
        self.clock: Clock = (lambda: base_clock() + skew) if skew else base_clock  # the server's (skewed) clock
        self.lock = threading.RLock()
        self.data = TenantData(
            options.seed, options.size, self.faults.time_zone, placeholder_title_rate=self.faults.placeholder_title_rate
        )
        self.tenant = self.data.tenant
        self.fault_rng = random.Random(mix(options.seed, 31))
        self.jitter_rng = random.Random(mix(options.seed, 37))
        self.auth = AuthRegistry(options.seed, self.data.tenant, self.data.pid, self.clock, self.faults.token_ttl)
        self.auth.pat_scopes = frozenset(self.faults.scopes)
        self.client_id = f"sandbox-client-{options.seed}"
        self.client_secret = seeded_guid(options.seed, 41).replace("-", "")
        self.auth.register_client(self.client_id, self.client_secret, self.faults.scopes)
        self.limiters = {
            kind: RateLimiter(limit[0], limit[1], self.clock) if limit else None
            for kind, limit in (("pat", self.faults.rate_limit), ("oauth", self.faults.oauth_rate_limit))
        }
        self.api_requests = 0
        self.page_requests = 0
        self.injected: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()
        self.messages_by_employee: Counter[int] = Counter()
        self.modified: dict[int, dict[int, float]] = {EMPLOYEE: {}, JOB_ORDER: {}, ASSIGNMENT: {}}
        self.patches: dict[int, dict[int, dict[str, Any]]] = {EMPLOYEE: {}, JOB_ORDER: {}, ASSIGNMENT: {}}
        self.created: dict[int, dict[str, Any]] = {}
        self.created_cells: dict[int, str | None] = {}
        self.deleted: set[int] = set()
        self.next_employee_id = self.data.employees.first_id + self.data.employees.count
        self.messages: dict[int, dict[str, Any]] = {}
        self.messages_by_origin: dict[tuple[int, int], list[int]] = {}
        self.next_message_id = self.data.new_message_first_id
        self.documents: dict[int, list[dict[str, Any]]] = {}
        self.files: dict[int, StoredFile] = {}
        self.next_document_id = self.data.uploaded_document_first_id
        self.custom: dict[tuple[int, int], dict[str, Any]] = {}
        self.webhooks = WebhookHub(self.data.tenant, options.seed, self.clock, self.data.local)
        self.listing = EmployeeListing(self)

    # time ----------------------------------------------------------------------------------------
    def write_time(self) -> float:
        """Modification time for a write: now, but never before the end of the seeded base data."""
        return max(float(int(self.clock())), BASE_END + 1)

    # record lookups ------------------------------------------------------------------------------
    def base_index(self, kind: int, record_id: int) -> int | None:
        return self.data.space(kind).index_of(record_id)

    def exists(self, kind: int, record_id: int) -> bool:
        if kind == EMPLOYEE:
            return record_id not in self.deleted and (
                record_id in self.created or self.base_index(kind, record_id) is not None
            )
        return self.base_index(kind, record_id) is not None

    def modified_of(self, kind: int, record_id: int) -> float:
        """Effective modification time: the overlay's when written, else the seeded base time."""
        overlay = self.modified[kind].get(record_id)
        if overlay is not None:
            return overlay
        index = self.base_index(kind, record_id)
        if index is None:
            raise KeyError(record_id)
        return self.data.space(kind).modified(index)

    def employee_detail(self, employee_id: int) -> dict[str, Any] | None:
        if employee_id in self.deleted:
            return None
        if employee_id in self.created:
            return dict(self.created[employee_id])
        index = self.data.employees.index_of(employee_id)
        if index is None:
            return None
        detail = self.data.employee_detail(index)
        detail.update(self.patches[EMPLOYEE].get(employee_id, {}))
        return detail

    def employee_name(self, employee_id: int) -> tuple[str, str]:
        """(first, last) of a seeded or created employee, without building its detail."""
        created = self.created.get(employee_id)
        if created is not None:
            return str(created.get("firstName") or ""), str(created.get("lastName") or "")
        index = self.data.employees.index_of(employee_id)
        if index is None:
            raise KeyError(employee_id)
        return self.data.employee_name(index)

    def employee_cell(self, employee_id: int) -> str | None:
        if employee_id in self.created:
            return self.created_cells.get(employee_id)
        index = self.data.employees.index_of(employee_id)
        return None if index is None else self.data.employee_cell(index)

    def employee_list_item(self, employee_id: int) -> dict[str, Any] | None:
        detail = self.employee_detail(employee_id)
        if detail is None:
            return None
        messages = self.messages_of(employee_id)
        address = detail.get("address") or {}
        return {
            "employeeId": detail["employeeId"],
            "firstName": detail["firstName"],
            "lastName": detail["lastName"],
            "branch": detail["branch"],
            "phoneNumber": detail["primaryPhoneNumber"],
            "cellPhoneNumber": self.employee_cell(employee_id),
            "emailAddress": detail["primaryEmailAddress"],
            "isActive": detail["isActive"],
            "isAssigned": detail["isAssigned"],
            "lastMessage": messages[-1]["message"] if messages else None,
            "postalCode": address.get("postalCode"),
            "municipality": address.get("municipality"),
            "hasResumeOnFile": bool(detail.get("resumeDocumentId")),
            "governmentPersonalId": detail["governmentPersonalId"],
            "serviceRep": detail["serviceRep"],
        }

    def job_order(self, job_order_id: int, *, detail: bool) -> dict[str, Any] | None:
        index = self.data.job_orders.index_of(job_order_id)
        if index is None:
            return None
        record = self.data.job_order_detail(index) if detail else self.data.job_order_list_item(index)
        record.update(self.patches[JOB_ORDER].get(job_order_id, {}))
        return record

    def assignment(self, assignment_id: int) -> dict[str, Any] | None:
        index = self.data.assignments.index_of(assignment_id)
        if index is None:
            return None
        record = self.data.assignment(index)
        record.update(self.patches[ASSIGNMENT].get(assignment_id, {}))
        return record

    def record(self, kind: int, record_id: int) -> dict[str, Any] | None:
        """The detail record used for advanced-search columns."""
        if kind == EMPLOYEE:
            return self.employee_detail(record_id)
        if kind == JOB_ORDER:
            return self.job_order(record_id, detail=True)
        return self.assignment(record_id)

    def assignments_of_employee(self, employee_id: int) -> list[dict[str, Any]]:
        index = self.data.employees.index_of(employee_id)
        if index is None:
            return []
        assignment_index = self.data.assignment_index_of_employee(index)
        if assignment_index is None:
            return []
        record = self.assignment(self.data.assignments.id_of(assignment_index))
        return [record] if record else []

    def messages_of(self, employee_id: int) -> list[dict[str, Any]]:
        """Messages linked to an employee, oldest first: its seeded ones, then those written here."""
        index = self.data.employees.index_of(employee_id)
        base = self.data.base_messages(index) if index is not None else []
        return base + self.messages_linked_to(EMPLOYEE, employee_id)

    def messages_linked_to(self, origin_type_id: int, origin_id: int) -> list[dict[str, Any]]:
        """Messages written to this sandbox that link the origin, oldest first."""
        return [self.messages[m] for m in self.messages_by_origin.get((origin_type_id, origin_id), [])]

    def documents_of(self, employee_id: int) -> list[dict[str, Any]]:
        index = self.data.employees.index_of(employee_id)
        base: list[dict[str, Any]] = []
        if index is not None:
            base = self.data.base_documents(index, self.data.employee_detail(index))
        return base + self.documents.get(employee_id, [])

    def document_file(self, employee_id: int, document_id: int) -> StoredFile | None:
        stored = self.files.get(document_id)
        if stored is not None:
            return stored if stored.employee_id == employee_id else None
        index = self.data.employees.index_of(employee_id)
        if index is None or document_id != self.data.document_first_id + index:
            return None
        detail = self.data.employee_detail(index)
        if detail.get("resumeDocumentId") != document_id:
            return None
        detail.update(self.patches[EMPLOYEE].get(employee_id, {}))
        lines = [
            f"Resume of {detail['firstName']} {detail['lastName']}",
            f"Job title: {detail['jobTitle']}",
            f"Branch: {detail['branch']}",
            "Experience: 5 years in light industrial work.",
        ]
        file_name = f"{detail['firstName']}_{detail['lastName']}_Resume.pdf"
        return StoredFile(employee_id, file_name, "application/pdf", text_pdf(lines))

    def custom_data(self, kind: int, record_id: int) -> list[dict[str, Any]]:
        """All active custom data properties of a record, with seeded or written values."""
        index = self.base_index(kind, record_id)
        written = self.custom.get((kind, record_id), {})
        items = []
        for position, definition in enumerate(self.data.custom_definitions[kind]):
            if definition.definition_id in written:
                value = written[definition.definition_id]
            elif index is not None:
                value = self.data.custom_value(kind, index, definition, position)
            else:
                value = None
            item = definition.as_json()
            item["propertyValue"] = value
            item["propertyValueId"] = (
                None if value is None else seeded_guid(self.data.seed, 42, kind, record_id, position)
            )
            items.append(item)
        return items

    # writes --------------------------------------------------------------------------------------
    def touch(self, kind: int, record_id: int, patch: dict[str, Any] | None = None) -> None:
        """Mark a record modified now, optionally changing fields."""
        self.modified[kind][record_id] = self.write_time()
        if patch:
            if kind == EMPLOYEE and record_id in self.created:
                self.created[record_id].update(patch)
            else:
                self.patches[kind].setdefault(record_id, {}).update(patch)

    def create_employee(self, body: dict[str, Any]) -> int:
        """Store a new employee built from a POST /Employees body; returns its id."""
        employee_id = self.next_employee_id
        self.next_employee_id += 1
        branch = self.data.branch_by_id(int(body.get("branchId") or 0)) or self.data.branches[0]
        now = self.write_time()
        rep = self.data.service_reps[0]
        country_code = int(body.get("countryCode") or 840)
        self.created[employee_id] = build_employee_detail(
            employee_id=employee_id,
            employee_guid=seeded_guid(self.data.seed, 43, employee_id),
            first_name=body.get("firstName"),
            middle_name=None,
            last_name=body.get("lastName"),
            id_last_four=str(body.get("governmentPersonalId") or "0000")[-4:],
            branch=branch,
            rep=rep,
            is_active=True,
            activation_date=self.data.local.format(now),
            deactivation_date=SENTINEL_DATE,
            is_assigned=False,
            resume_document_id=None,
            resume_file_name=None,
            is_i9_on_file=False,
            job_title=None,
            phone=body.get("primaryPhoneNumber"),
            phone_calling_code=body.get("primaryPhoneNumberCountryCallingCode") or 1,
            email=body.get("primaryEmailAddress"),
            birthday=None,
            address={
                "street1": body.get("street1"),
                "street2": body.get("street2"),
                "municipality": body.get("municipality"),
                "region": (str(body["region"]).ljust(5) if body.get("region") else None),
                "postalCode": (str(body["postalCode"]).ljust(10) if body.get("postalCode") else None),
                "country": "United States" if country_code == 840 else None,
                "countryCode": country_code,
            },
        )
        self.created_cells[employee_id] = body.get("cellPhoneNumber")
        self.modified[EMPLOYEE][employee_id] = now
        self.writes["employees_created"] += 1
        self.listing.changed()
        self.webhooks.publish("employee.created", {"employeeId": employee_id})
        return employee_id

    def delete_employee(self, employee_id: int) -> None:
        """Remove an employee: gone from lists and searches, 404 by id."""
        self.deleted.add(employee_id)
        self.modified[EMPLOYEE].pop(employee_id, None)
        self.listing.changed()

    def add_message(
        self, action: dict[str, Any], text: str, origins: list[tuple[int, int]], document_ids: list[int]
    ) -> int:
        """Store one message linked to each (originTypeId, originId) and document; returns its id."""
        message_id = self.next_message_id
        self.next_message_id += 1
        rep = self.data.service_reps[0]
        self.messages[message_id] = {
            "messageId": message_id,
            "actionId": action["actionId"],
            "action": action["action"],
            "message": text,
            "dateCreated": self.data.local.format(self.write_time()),
            "serviceRepId": rep.sr_ident,
            "serviceRep": rep.full_name,
            "linkedEntities": [{"originTypeId": kind, "originId": origin_id} for kind, origin_id in origins],
            "linkedDocumentIds": list(document_ids),
        }
        for origin in origins:
            self.messages_by_origin.setdefault(origin, []).append(message_id)
        return message_id

    def add_document(
        self,
        employee_id: int,
        file_name: str,
        content_type: str,
        content: bytes,
        doc_type: dict[str, Any],
        description: str,
    ) -> int:
        document_id = self.next_document_id
        self.next_document_id += 1
        extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
        self.documents.setdefault(employee_id, []).append(
            {
                "documentId": document_id,
                "documentDate": self.data.local.format(self.write_time()),
                "description": description or doc_type["documentType"],
                "fileType": extension,
                "documentTypeId": doc_type["documentTypeId"],
                "documentType": doc_type["documentType"],
                "documentName": description or file_name,
                "fileName": file_name,
                "canBeDeleted": True,
                "canBeEdited": True,
            }
        )
        self.files[document_id] = StoredFile(employee_id, file_name, content_type, content)
        self.writes["documents_uploaded"] += 1
        if doc_type["documentTypeId"] == self.data.resume_type["documentTypeId"]:
            self.touch(EMPLOYEE, employee_id, {"resumeDocumentId": document_id, "resumeFileName": file_name})
        return document_id

    def set_custom_data(self, kind: int, record_id: int, values: dict[str, Any]) -> None:
        self.custom.setdefault((kind, record_id), {}).update(values)
        self.touch(kind, record_id)
        self.writes["custom_data_updates"] += 1
        entity, id_key = _WEBHOOK_ENTITIES[kind]
        names = {d.definition_id: d.name for d in self.data.custom_definitions[kind]}
        changed = [{"propertyDefinitionId": k, "propertyName": names[k], "propertyValue": v} for k, v in values.items()]
        self.webhooks.publish(f"{entity}.custompropertyupdated", {id_key: record_id, "propertyValues": changed})

    # faults --------------------------------------------------------------------------------------
    def roll(self, rate: float) -> bool:
        """A seeded coin flip that is true with probability `rate`."""
        return rate > 0 and self.fault_rng.random() < rate

    def delay(self) -> float:
        """Seconds to hold this request: the fixed latency plus a seeded jitter."""
        low, high = self.faults.jitter_ms
        jitter = self.jitter_rng.uniform(low, high) if high > 0 else 0.0
        return (self.options.latency_ms + jitter) / 1000.0

    def mutate_while_paging(self) -> None:
        """The mutate_* and churn faults: before serving a page, change, insert or delete employees."""
        self.page_requests += 1
        faults = self.faults
        if faults.churn is not None and self.page_requests % faults.churn[1] == 0:
            self._churn(faults.churn[0])
        every = faults.mutate_every and self.page_requests % faults.mutate_every == 0
        if not (every or self.roll(faults.mutate_rate)):
            return
        count = self.data.employees.count
        if count and self.fault_rng.random() < 0.5:
            employee_id = self.data.employees.id_of(self.fault_rng.randrange(count))
            self.touch(EMPLOYEE, employee_id, {"note": f"changed by the sandbox at page request {self.page_requests}"})
            self.injected["mutated"] += 1
            self.webhooks.publish("employee.updated", {"employeeId": employee_id})
        else:
            number = self.page_requests
            self.create_employee(
                {
                    "firstName": "Inserted",
                    "lastName": f"Paging{number}",
                    "primaryEmailAddress": f"inserted{number}@example.com",
                }
            )
            self.writes["employees_created"] -= 1
            self.injected["inserted"] += 1

    def _churn(self, count: int) -> None:
        """Insert `count` employees with seeded names (anywhere in a name order) and delete `count` others."""
        for _ in range(count):
            first, last = self.data.random_name(self.fault_rng)
            number = self.next_employee_id
            self.create_employee(
                {"firstName": first, "lastName": last, "primaryEmailAddress": f"churn{number}@example.com"}
            )
            self.writes["employees_created"] -= 1
            self.injected["churn_inserted"] += 1
        live_created = sorted(set(self.created) - self.deleted)
        space = self.data.employees
        for _ in range(count):
            for _attempt in range(16):
                pick = (
                    self.fault_rng.randrange(space.count + len(live_created))
                    if space.count + len(live_created)
                    else None
                )
                if pick is None:
                    return
                employee_id = space.id_of(pick) if pick < space.count else live_created[pick - space.count]
                if employee_id not in self.deleted:
                    self.delete_employee(employee_id)
                    self.injected["churn_deleted"] += 1
                    break

    def stats(self) -> dict[str, Any]:
        """Counters for tests: requests, injected faults by kind, writes received."""
        with self.lock:
            return {
                "api_requests": self.api_requests,
                "page_requests": self.page_requests,
                "tokens_issued": self.auth.issued,
                "injected": dict(self.injected),
                "writes": dict(self.writes),
                "messages_by_employee": {str(k): v for k, v in self.messages_by_employee.items()},
                "webhooks": {
                    "subscriptions": len(self.webhooks.subscriptions),
                    "published": self.webhooks.published,
                    "delivered": self.webhooks.delivered,
                    "failed": self.webhooks.failed,
                    "pending": len(self.webhooks.pending),
                },
            }
