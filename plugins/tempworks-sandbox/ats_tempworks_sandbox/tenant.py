"""The seeded base data of one sandbox tenant, generated record by record on demand.

Nothing is materialised: record `i` of any kind is a pure function of (seed, i), so a tenant of
1,000,000 employees costs a few kilobytes. Base modification times grow with the index, which makes
"modified after T" an index range found by binary search.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from ats_tempworks_sandbox.employee_detail import build_employee_detail
from ats_tempworks_sandbox.local_time import DEFAULT_TIME_ZONE, LocalTime
from ats_tempworks_sandbox.money import Money
from ats_tempworks_sandbox.seeded import SENTINEL_DATE, mix, record_rng, seeded_guid, unit

__all__ = [
    "ASSIGNMENT",
    "BASE_END",
    "BASE_START",
    "EMPLOYEE",
    "JOB_ORDER",
    "PLACEHOLDER_TITLE",
    "PROFILE_PERIOD",
    "Branch",
    "CustomDataDefinition",
    "EntitySpace",
    "Profile",
    "ServiceRep",
    "TenantData",
]

EMPLOYEE = 1
JOB_ORDER = 4
ASSIGNMENT = 14
_MESSAGE_KIND = 101
_CUSTOM_KIND = 103
_TABLE_KIND = 104
_PLACEHOLDER_KIND = 105
PLACEHOLDER_TITLE = "Default"
"""The jobTitle live tenants show on job orders whose real title is only in publicJobTitle."""

BASE_START = datetime(2019, 1, 1, tzinfo=UTC).timestamp()
BASE_END = datetime(2025, 12, 31, tzinfo=UTC).timestamp()
PROFILE_PERIOD = 60
_DAY = 86400

_FIRST = [
    "Ana",
    "Ben",
    "Carla",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Xena",
    "Yusuf",
    "Zoe",
    "Aiden",
    "Bella",
    "Chen",
    "Dana",
    "Emil",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Marco",
    "Nadia",
]
_LAST = [
    "Smith",
    "Garcia",
    "Nguyen",
    "Johnson",
    "Patel",
    "Kim",
    "Brown",
    "Lopez",
    "Khan",
    "Miller",
    "Davis",
    "Wilson",
    "Moore",
    "Taylor",
    "Anderson",
    "Thomas",
    "Jackson",
    "White",
    "Harris",
    "Martin",
    "Thompson",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Ramirez",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Phillips",
    "Evans",
    "Turner",
    "Torres",
]
_STREETS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Lake", "Hill", "Main", "Park", "River", "Sunset", "Washington"]
_STREET_KINDS = ("St", "Ave", "Blvd", "Rd", "Ln", "Dr")
_CITIES = (
    ("Minneapolis", "MN", "55401", 612),
    ("Los Angeles", "CA", "90001", 213),
    ("Phoenix", "AZ", "85001", 602),
    ("Dallas", "TX", "75201", 214),
    ("Chicago", "IL", "60601", 312),
    ("Denver", "CO", "80201", 303),
    ("Atlanta", "GA", "30301", 404),
    ("Seattle", "WA", "98101", 206),
    ("Omaha", "NE", "68102", 402),
    ("Tampa", "FL", "33601", 813),
)
_DOMAINS = ("example.com", "example.net", "example.org", "mail.example")
_JOB_TITLES = (
    "Forklift Operator",
    "Warehouse Associate",
    "Administrative Assistant",
    "CNC Machinist",
    "Customer Service Representative",
    "Registered Nurse",
    "Line Cook",
    "Welder",
    "Payroll Clerk",
    "Delivery Driver",
)
_COMPANY_WORDS = [
    "Acme",
    "Northwind",
    "Contoso",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
]
_COMPANY_KINDS = ("Logistics", "Manufacturing", "Health", "Foods", "Industries", "Services")
_DEPARTMENTS = ("Main", "Shipping", "Receiving", "Front Office", "Night Shift")
_MESSAGE_ACTIONS = (
    ("1st Recruiting Call", True, True),
    ("Left Message", False, True),
    ("Interview Scheduled", False, True),
    ("General Note", False, True),
    ("Email Sent", False, True),
    ("Resume Received", False, True),
    ("Reference Check", False, True),
    ("No Show - Do Not Use", False, False),
)
_DOCUMENT_TYPES = ("Resume", "I-9", "W-4", "Certification", "Other")
_ASSIGNMENT_STATUSES = ((26, "Open"), (3, "Customer Cancelled"), (27, "Ended"))
_JOB_ORDER_STATUSES = ((19, "Unfilled"), (20, "Filled"), (21, "Closed"))
_MESSAGES = (
    "Called about the open shift; will confirm tomorrow.",
    "Interview went well, strong forklift experience.",
    "Updated availability: weekdays only.",
    "Sent onboarding packet by email.",
)
_CHOICES: dict[str, tuple[str, ...]] = {
    "Uniform Size": ("S", "M", "L", "XL"),
    "Languages": ("English", "Spanish", "Vietnamese", "Somali"),
    "Work Type": ("Warehouse", "Office", "Healthcare"),
    "Required Certifications": ("Forklift", "OSHA 10", "CPR"),
    "Shift Pattern": ("5x8", "4x10", "3x12"),
    "Equipment": ("Hard Hat", "Vest", "Gloves", "Boots"),
}
"""Data-list choices of the custom properties that have one (hasDatalist, or multi-value picks)."""

# (name, propertyType, isReadOnly, allowMultipleValues, hasDatalist); every type the live CustomData shows
_CUSTOM_DEFINITIONS: dict[int, tuple[tuple[str, str, bool, bool, bool], ...]] = {
    EMPLOYEE: (
        ("Shirt Size", "string", False, False, False),
        ("Years of Experience", "decimal", False, False, False),
        ("Forklift Certified", "boolean", False, False, False),
        ("Certification Expires", "date", False, False, False),
        ("Preferred Shift", "string", False, False, False),
        ("Legacy System Id", "string", True, False, False),
        ("Dependents", "integer", False, False, False),
        ("Referral Bonus", "money", False, False, False),
        ("Available From", "datetime", False, False, False),
        ("Shift Start", "time", False, False, False),
        ("Badge Guid", "guid", False, False, False),
        ("Uniform Size", "string", False, False, True),
        ("Languages", "string", False, True, False),
    ),
    JOB_ORDER: (
        ("Cost Center", "string", False, False, False),
        ("Overtime Allowed", "boolean", False, False, False),
        ("Shift Differential", "decimal", False, False, False),
        ("Headcount Budget", "integer", False, False, False),
        ("Sign-on Bonus", "money", False, False, False),
        ("Needed By", "date", False, False, False),
        ("Posted At", "datetime", False, False, False),
        ("Shift Start", "time", False, False, False),
        ("Requisition Guid", "guid", False, False, False),
        ("Work Type", "string", False, False, True),
        ("Required Certifications", "string", False, True, False),
    ),
    ASSIGNMENT: (
        ("Badge Number", "string", False, False, False),
        ("PPE Issued", "boolean", False, False, False),
        ("Review Date", "date", False, False, False),
        ("Hours Per Week", "integer", False, False, False),
        ("Per Diem", "money", False, False, False),
        ("Markup", "decimal", False, False, False),
        ("Checked In At", "datetime", False, False, False),
        ("Shift Start", "time", False, False, False),
        ("Timecard Guid", "guid", False, False, False),
        ("Shift Pattern", "string", False, False, True),
        ("Equipment", "string", False, True, False),
    ),
}


@dataclass(frozen=True)
class Profile:
    """Filterable attributes shared by all records whose index has the same residue mod PROFILE_PERIOD."""

    is_active: bool
    branch_index: int


@dataclass(frozen=True)
class Branch:
    """A branch (office) of the tenant."""

    branch_id: int
    name: str
    municipality: str
    region: str
    postal_code: str
    area_code: int


@dataclass(frozen=True)
class ServiceRep:
    """A service rep (user) of the tenant."""

    sr_ident: int
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.first_name}.{self.last_name}@staffing.example".lower()


@dataclass(frozen=True)
class CustomDataDefinition:
    """A custom data property definition of one origin type."""

    definition_id: str
    name: str
    property_type: str
    is_read_only: bool
    category_id: str
    category_name: str
    allow_multiple: bool = False
    has_datalist: bool = False

    @property
    def choices(self) -> tuple[str, ...]:
        """The data-list values a value (or each of a multi-value's values) is picked from; () when free."""
        return _CHOICES.get(self.name, ())

    def as_json(self) -> dict[str, Any]:
        return {
            "propertyDefinitionId": self.definition_id,
            "propertyName": self.name,
            "propertyType": self.property_type,
            "categoryId": self.category_id,
            "categoryName": self.category_name,
            "isActive": True,
            "isRequired": False,
            "isReadOnly": self.is_read_only,
            "allowMultipleValues": self.allow_multiple,
            "hasDatalist": self.has_datalist,
        }


@dataclass(frozen=True)
class EntitySpace:
    """The base records of one kind: ids first_id .. first_id+count-1, modified times increasing with the index.

    Modified times skip `gaps` ((start, seconds) intervals, sorted): the hours whose local wall time repeats
    when clocks fall back, so every seeded "Last Modified" names exactly one instant in the tenant's zone.
    """

    kind: int
    seed: int
    first_id: int
    count: int
    gaps: tuple[tuple[float, float], ...] = ()

    @cached_property
    def step(self) -> int:
        span = BASE_END - BASE_START - sum(seconds for _start, seconds in self.gaps)
        return max(1, int(span // max(self.count, 1)))

    def id_of(self, index: int) -> int:
        return self.first_id + index

    def index_of(self, record_id: int) -> int | None:
        index = record_id - self.first_id
        return index if 0 <= index < self.count else None

    def modified(self, index: int) -> float:
        """Base modification time of record `index` (epoch seconds), strictly increasing in the index."""
        step = self.step
        moment = BASE_START + index * step + mix(self.seed, self.kind, index, 7) % step
        for start, seconds in self.gaps:
            if moment < start:
                break
            moment += seconds
        return moment

    def first_index_above(self, epoch: float) -> int:
        """Smallest index whose base modified time is > epoch (count when none)."""
        return bisect.bisect_right(range(self.count), epoch, key=self.modified)

    def first_index_at_or_above(self, epoch: float) -> int:
        """Smallest index whose base modified time is >= epoch (count when none)."""
        return bisect.bisect_left(range(self.count), epoch, key=self.modified)


def _pick(rng_value: int, pool: tuple[str, ...] | list[str]) -> str:
    return pool[rng_value % len(pool)]


def _pad(text: str, width: int) -> str:
    return text.ljust(width)


def _branch_address(street: str, branch: Branch) -> dict[str, Any]:
    """A US street address in a branch's town (street1 to countryCode, padded as TempWorks pads them)."""
    return {
        "street1": street,
        "street2": None,
        "municipality": branch.municipality,
        "region": _pad(branch.region, 5),
        "postalCode": _pad(branch.postal_code, 10),
        "country": "United States",
        "countryCode": 840,
    }


def _phone(area: int, record_id: int) -> str:
    digits = f"{record_id % 10_000_000:07d}"
    return f"({area}) {digits[:3]}-{digits[3:]}"


class TenantData:
    """Seeded lookups and on-demand base records for one tenant."""

    def __init__(
        self, seed: int, employees: int, time_zone: str = DEFAULT_TIME_ZONE, placeholder_title_rate: float = 0.0
    ) -> None:
        if employees < 0:
            raise ValueError(f"sandbox size must be >= 0 employees, got {employees}")
        self.seed = seed
        self.placeholder_title_rate = placeholder_title_rate
        self.tenant = f"sandbox-{seed}"
        self.pid = seeded_guid(seed, 11)
        self.local = LocalTime(time_zone)
        gaps = self.local.repeated_hours(BASE_START, BASE_END)
        table = record_rng(seed, _TABLE_KIND, 0)
        self.employees = EntitySpace(EMPLOYEE, seed, 10_000 + table.randrange(90_000), employees, gaps)
        job_orders = PROFILE_PERIOD * max(1, math.ceil(employees / (10 * PROFILE_PERIOD)))
        self.job_orders = EntitySpace(JOB_ORDER, seed, 200_000 + table.randrange(100_000), job_orders, gaps)
        assignments = max(1, employees // 2) if employees else 0
        self.assignments = EntitySpace(ASSIGNMENT, seed, 3_000_000 + table.randrange(1_000_000), assignments, gaps)
        self.document_first_id = 50_000_000 + table.randrange(1_000_000)
        self.message_first_id = 80_000_000 + table.randrange(1_000_000)
        self.uploaded_document_first_id = self.document_first_id + employees + 1_000
        self.new_message_first_id = self.message_first_id + 3 * employees + 1_000
        self._assignment_stride = next(
            p for p in (7919, 104_729, 1_299_709, 15_485_863) if math.gcd(p, employees or 1) == 1
        )
        self._assignment_inverse = pow(self._assignment_stride, -1, employees) if employees > 1 else 0

        cities = list(_CITIES)
        table.shuffle(cities)
        branch_base = 1_000 + table.randrange(9_000)
        self.branches = tuple(
            Branch(branch_base + 7 * n, f"{city} Branch", city, region, postal, area)
            for n, (city, region, postal, area) in enumerate(cities[:6])
        )
        self.service_reps = tuple(
            ServiceRep(5_000 + table.randrange(5_000) * 10 + n, table.choice(_FIRST), table.choice(_LAST))
            for n in range(5)
        )
        self.customers = tuple(
            (100_000 + table.randrange(800_000), f"{table.choice(_COMPANY_WORDS)} {table.choice(_COMPANY_KINDS)}")
            for _ in range(40)
        )
        self.profiles = {
            kind: tuple(
                Profile(table.random() < active, table.randrange(len(self.branches))) for _ in range(PROFILE_PERIOD)
            )
            for kind, active in ((EMPLOYEE, 0.85), (JOB_ORDER, 0.7), (ASSIGNMENT, 0.6))
        }
        action_base = 100 + table.randrange(900)
        action_ids = sorted(table.sample(range(action_base, action_base + 5_000), len(_MESSAGE_ACTIONS)))
        self.message_actions = tuple(
            self._message_action(action_id, name, is_default, active)
            for action_id, (name, is_default, active) in zip(action_ids, _MESSAGE_ACTIONS, strict=True)
        )
        self._actions_by_id = {a["actionId"]: a for a in self.message_actions}
        self.active_action_ids = tuple(a["actionId"] for a in self.message_actions if a["isActive"])
        type_base = 10 + table.randrange(500)
        self.document_types = tuple(
            {"documentTypeId": type_base + 3 * n, "documentType": name, "isActive": True}
            for n, name in enumerate(_DOCUMENT_TYPES)
        )
        self.resume_type = self.document_types[0]
        self.custom_definitions: dict[int, tuple[CustomDataDefinition, ...]] = {
            kind: tuple(
                CustomDataDefinition(
                    seeded_guid(seed, _CUSTOM_KIND, kind, n),
                    name,
                    property_type,
                    read_only,
                    seeded_guid(seed, _CUSTOM_KIND, kind, 99),
                    "Sandbox",
                    multiple,
                    datalist,
                )
                for n, (name, property_type, read_only, multiple, datalist) in enumerate(specs)
            )
            for kind, specs in _CUSTOM_DEFINITIONS.items()
        }

    # lookups -------------------------------------------------------------------------------------
    def space(self, kind: int) -> EntitySpace:
        return {EMPLOYEE: self.employees, JOB_ORDER: self.job_orders, ASSIGNMENT: self.assignments}[kind]

    def profile(self, kind: int, index: int) -> Profile:
        return self.profiles[kind][index % PROFILE_PERIOD]

    def branch_by_id(self, branch_id: int) -> Branch | None:
        return next((b for b in self.branches if b.branch_id == branch_id), None)

    def branch_of(self, kind: int, index: int) -> Branch:
        return self.branches[self.profile(kind, index).branch_index]

    def _message_action(self, action_id: int, name: str, is_default: bool, active: bool) -> dict[str, Any]:
        return {
            "actionId": action_id,
            "action": name,
            "actionDescription": name,
            "isDefault": is_default,
            "isEmployeeRelevant": True,
            "isCustomerRelevant": name != "Resume Received",
            "isContactRelevant": name != "Resume Received",
            "isDeact": not active,
            "isReact": False,
            "isAvailability": False,
            "isDefaultDeactCode": False,
            "isDefaultReactCode": False,
            "isDefaultEmailCode": name == "Email Sent",
            "isDefaultLMTC": name == "Left Message",
            "isActive": active,
            "isDoNotAssign": not active,
            "messageActionTypeId": seeded_guid(self.seed, 12, action_id),
            "messageActionType": "Message",
            "displayColor": "#1F6FB2",
            "canRead": True,
            "canWrite": True,
        }

    def action(self, action_id: int) -> dict[str, Any] | None:
        return self._actions_by_id.get(action_id)

    # employees -----------------------------------------------------------------------------------
    def employee_contact(self, index: int) -> tuple[str, str, str]:
        """(email, primary phone, cell phone) of base employee `index`; each embeds the employee id."""
        rng = record_rng(self.seed, EMPLOYEE, index)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        employee_id = self.employees.id_of(index)
        email = f"{first}.{last}{employee_id}@{_DOMAINS[index % len(_DOMAINS)]}".lower()
        branch = self.branch_of(EMPLOYEE, index)
        return email, _phone(branch.area_code, employee_id), self.employee_cell(index)

    def employee_cell(self, index: int) -> str:
        """Cell phone of base employee `index` (embeds the employee id, like every seeded phone)."""
        employee_id = self.employees.id_of(index)
        return _phone(900 + employee_id % 99, employee_id)

    def _employee_rng(self, index: int) -> tuple[random.Random, str, str]:
        """The generator of base employee `index`, after drawing its first and last name."""
        rng = record_rng(self.seed, EMPLOYEE, index)
        return rng, rng.choice(_FIRST), rng.choice(_LAST)

    def employee_name(self, index: int) -> tuple[str, str]:
        """(first, last) of base employee `index`."""
        _rng, first, last = self._employee_rng(index)
        return first, last

    @staticmethod
    def random_name(rng: random.Random) -> tuple[str, str]:
        """A (first, last) name from the tenant's name pools."""
        return rng.choice(_FIRST), rng.choice(_LAST)

    def employee_detail(self, index: int) -> dict[str, Any]:
        """EmployeeDetail of base employee `index`."""
        rng, first, last = self._employee_rng(index)
        middle = rng.choice(_FIRST) if rng.random() < 0.3 else None
        employee_id = self.employees.id_of(index)
        profile = self.profile(EMPLOYEE, index)
        branch = self.branches[profile.branch_index]
        email = f"{first}.{last}{employee_id}@{_DOMAINS[index % len(_DOMAINS)]}".lower()
        phone = _phone(branch.area_code, employee_id)
        modified = self.employees.modified(index)
        activation = max(BASE_START - 400 * _DAY, modified - rng.randrange(1, 900) * _DAY)
        rep = self.service_reps[rng.randrange(len(self.service_reps))]
        has_resume = rng.random() < 0.7
        street = f"{rng.randrange(100, 9999)} {rng.choice(_STREETS)} {rng.choice(_STREET_KINDS)}"
        assignment = self.assignment_index_of_employee(index)
        is_assigned = assignment is not None and self.profile(ASSIGNMENT, assignment).is_active and profile.is_active
        id_last_four = f"{rng.randrange(10_000):04d}"
        is_i9_on_file = rng.random() < 0.5
        job_title = rng.choice(_JOB_TITLES)
        birthday = f"{rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}"
        return build_employee_detail(
            employee_id=employee_id,
            employee_guid=seeded_guid(self.seed, EMPLOYEE, index),
            first_name=first,
            middle_name=middle,
            last_name=last,
            id_last_four=id_last_four,
            branch=branch,
            rep=rep,
            is_active=profile.is_active,
            activation_date=self.local.format(activation),
            deactivation_date=SENTINEL_DATE if profile.is_active else self.local.format(modified - _DAY),
            is_assigned=is_assigned,
            resume_document_id=self.document_first_id + index if has_resume else None,
            resume_file_name=f"{first}_{last}_Resume.pdf" if has_resume else None,
            is_i9_on_file=is_i9_on_file,
            job_title=job_title,
            phone=phone,
            phone_calling_code=1,
            email=email,
            birthday=birthday,
            address=_branch_address(street, branch),
        )

    def base_messages(self, index: int) -> list[dict[str, Any]]:
        """0 to 2 seeded messages of base employee `index`, oldest first."""
        count = mix(self.seed, _MESSAGE_KIND, index) % 3
        modified = self.employees.modified(index)
        messages = []
        for k in range(count):
            action_id = self.active_action_ids[mix(self.seed, _MESSAGE_KIND, index, k) % len(self.active_action_ids)]
            action = self.action(action_id) or self.message_actions[0]
            rep = self.service_reps[(index + k) % len(self.service_reps)]
            messages.append(
                {
                    "messageId": self.message_first_id + 3 * index + k,
                    "actionId": action["actionId"],
                    "action": action["action"],
                    "message": _MESSAGES[(index + k) % len(_MESSAGES)],
                    "dateCreated": self.local.format(modified - (count - k) * 3 * _DAY),
                    "serviceRepId": rep.sr_ident,
                    "serviceRep": rep.full_name,
                    "linkedEntities": [{"originTypeId": EMPLOYEE, "originId": self.employees.id_of(index)}],
                    "linkedDocumentIds": [],
                }
            )
        return messages

    def base_documents(self, index: int, detail: dict[str, Any]) -> list[dict[str, Any]]:
        """The resume document of base employee `index`, if it has one."""
        if not detail.get("resumeDocumentId"):
            return []
        return [
            {
                "documentId": detail["resumeDocumentId"],
                "documentDate": detail["activationDate"],
                "description": "Resume",
                "fileType": "pdf",
                "documentTypeId": self.resume_type["documentTypeId"],
                "documentType": self.resume_type["documentType"],
                "documentName": "Resume",
                "fileName": detail["resumeFileName"],
                "canBeDeleted": True,
                "canBeEdited": True,
            }
        ]

    def custom_value(self, kind: int, index: int, definition: CustomDataDefinition, position: int) -> Any:
        """The seeded custom data value of base record `index` (None for about a third)."""
        h = mix(self.seed, _CUSTOM_KIND, kind, index, position)
        if h % 3 == 0:
            return None
        if definition.property_type == "decimal":
            return f"{(h >> 8) % 40 + ((h >> 16) % 4) / 4:.4f}"
        if definition.property_type == "boolean":
            return bool((h >> 8) % 2)
        if definition.property_type in ("date", "datetime"):
            return self.local.format(BASE_START + (h >> 8) % int(BASE_END - BASE_START))
        if definition.property_type == "integer":
            return (h >> 8) % 40
        if definition.property_type == "money":
            return Money(((h >> 8) % 50_000) / 100)
        if definition.property_type == "time":
            return f"{(h >> 8) % 24:02d}:{(h >> 16) % 4 * 15:02d}:00"
        if definition.property_type == "guid":
            return seeded_guid(self.seed, _CUSTOM_KIND, kind, index, position)
        if definition.allow_multiple:
            choices = definition.choices
            return list(dict.fromkeys(choices[(h >> (8 + 2 * k)) % len(choices)] for k in range(1 + (h >> 20) % 2)))
        if definition.has_datalist:
            return definition.choices[(h >> 8) % len(definition.choices)]
        if definition.name == "Shirt Size":
            return ("S", "M", "L", "XL")[(h >> 8) % 4]
        if definition.name == "Preferred Shift":
            return ("Day", "Swing", "Night")[(h >> 8) % 3]
        return f"LEG-{(h >> 8) % 1_000_000:06d}"

    def malformed(self, kind: int, record_id: int, rate: float) -> int:
        """0 when the record is served intact, else 1 (missing id) or 2 (wrong isActive type); fixed per id."""
        if rate <= 0 or unit(self.seed, 13, kind, record_id) >= rate:
            return 0
        return 1 + mix(self.seed, 14, kind, record_id) % 2

    # job orders ----------------------------------------------------------------------------------
    def _job_order_core(self, index: int) -> dict[str, Any]:
        rng = record_rng(self.seed, JOB_ORDER, index)
        profile = self.profile(JOB_ORDER, index)
        branch = self.branches[profile.branch_index]
        customer_id, customer_name = self.customers[rng.randrange(len(self.customers))]
        status_id, status = _JOB_ORDER_STATUSES[0 if profile.is_active else rng.randrange(1, 3)]
        required = rng.randrange(1, 8)
        pay = rng.randrange(1500, 3500) / 100
        modified = self.job_orders.modified(index)
        return {
            "id": self.job_orders.id_of(index),
            "branch": branch,
            "customer_id": customer_id,
            "customer_name": customer_name,
            "department": rng.choice(_DEPARTMENTS),
            "title": rng.choice(_JOB_TITLES),
            "pay": pay,
            "bill": round(pay * 1.45, 2),
            "status_id": status_id,
            "status": status,
            "required": required,
            "filled": required if status == "Filled" else rng.randrange(0, required),
            "is_active": profile.is_active,
            "taken": modified - rng.randrange(5, 200) * _DAY,
            "start": modified - rng.randrange(0, 4) * _DAY,
            "worksite_id": customer_id * 10 + 1,
            "rep": self.service_reps[rng.randrange(len(self.service_reps))],
            "street": f"{rng.randrange(100, 9999)} {rng.choice(_STREETS)} {rng.choice(_STREET_KINDS)}",
            "compact_money": rng.random() < 0.5,
            "placeholder": unit(self.seed, _PLACEHOLDER_KIND, index) < self.placeholder_title_rate,
        }

    def job_order_list_item(self, index: int) -> dict[str, Any]:
        core = self._job_order_core(index)
        return {
            "orderId": core["id"],
            "customerId": core["customer_id"],
            "customerName": core["customer_name"],
            "departmentName": core["department"],
            "jobTitle": PLACEHOLDER_TITLE if core["placeholder"] else core["title"],
            "orderType": "TE",
            "payRate": Money(core["pay"], compact=core["compact_money"]),
            "billRate": Money(core["bill"]),
            "startDate": self.local.format(core["start"]),
            "orderStatus": core["status"],
            "positionsRequired": core["required"],
            "positionsFilled": core["filled"],
            "workSiteId": core["worksite_id"],
            "worksite": f"{core['customer_name']} - {core['branch'].municipality}",
            "isActive": core["is_active"],
            "branchId": core["branch"].branch_id,
            "branchName": core["branch"].name,
            "serviceRepId": core["rep"].sr_ident,
            "serviceRep": core["rep"].full_name,
        }

    def job_order_detail(self, index: int) -> dict[str, Any]:
        core = self._job_order_core(index)
        title = core["title"]
        description = (
            f"<p><strong>{title}</strong> needed at {core['customer_name']}.</p>"
            "<ul><li>Weekly pay</li><li>Day and night shifts</li></ul>"
        )
        return {
            "jobOrderId": core["id"],
            "branchId": core["branch"].branch_id,
            "branch": core["branch"].name,
            "jobOrderTypeId": 1,
            "jobOrderType": "Temp to Hire",
            "jobTitleId": 1 if core["placeholder"] else 100 + _JOB_TITLES.index(title),
            "jobTitle": PLACEHOLDER_TITLE if core["placeholder"] else title,
            "jobDescription": None if core["placeholder"] else description,
            "payRate": Money(core["pay"], compact=core["compact_money"]),
            "billRate": Money(core["bill"]),
            "jobOrderStatusId": core["status_id"],
            "jobOrderStatus": core["status"],
            "isActive": core["is_active"],
            "positionsRequired": core["required"],
            "positionsFilled": core["filled"],
            "customerId": core["customer_id"],
            "customerName": core["customer_name"],
            "departmentName": core["department"],
            "jobOrderDurationId": 2,
            "jobOrderDuration": "Long Term",
            "dateOrderTaken": self.local.format(core["taken"]),
            "startDate": self.local.format(core["start"]),
            "supervisorContactId": core["customer_id"] * 10 + 2,
            "supervisorFirstName": core["rep"].first_name,
            "supervisorLastName": "Supervisor",
            "supervisorOfficePhone": _phone(core["branch"].area_code, core["id"]),
            "supervisorEmailAddress": f"supervisor{core['customer_id']}@customer.example",
            "doNotAutoClose": False,
            "usesTimeClock": False,
            "usesPeopleNet": False,
            "notes": None,
            "alternateJobOrderId": None,
            "dressCode": "Steel-toe boots",
            "safetyNotes": None,
            "directions": None,
            "serviceRepId": core["rep"].sr_ident,
            "serviceRep": core["rep"].full_name,
            "salesTeamId": 1,
            "salesTeam": "Default",
            "publicJobTitle": title,
            "publicJobDescription": description,
            "publicPostingDate": self.local.format(core["taken"]),
            "doNotPostPublicly": not core["is_active"],
            "publicEducationSummary": None,
            "publicExperienceSummary": None,
            "showPayRate": True,
            "showWorksiteAddress": False,
            "isDirectHireJobOrder": False,
            "remoteWorkStatusId": 1,
            "remoteWorkStatus": "On Site",
            "localizedJobOrderDetails": [],
        }

    def worksite(self, index: int) -> dict[str, Any]:
        core = self._job_order_core(index)
        branch = core["branch"]
        return {
            "worksiteId": core["worksite_id"],
            "worksiteName": f"{core['customer_name']} - {branch.municipality}",
            **_branch_address(core["street"], branch),
        }

    # assignments ---------------------------------------------------------------------------------
    def employee_index_of_assignment(self, index: int) -> int:
        return (index * self._assignment_stride) % max(self.employees.count, 1)

    def assignment_index_of_employee(self, employee_index: int) -> int | None:
        """The base assignment of base employee `employee_index`, if any (each has at most one)."""
        if self.employees.count == 0:
            return None
        index = (employee_index * self._assignment_inverse) % self.employees.count
        return index if index < self.assignments.count else None

    def job_order_index_of_assignment(self, index: int) -> int:
        return index % self.job_orders.count

    def assignment(self, index: int) -> dict[str, Any]:
        """Assignment record of base assignment `index` (the same shape in search and by id)."""
        rng = record_rng(self.seed, ASSIGNMENT, index)
        employee_index = self.employee_index_of_assignment(index)
        employee, first, last = self._employee_rng(employee_index)
        middle = employee.choice(_FIRST) if employee.random() < 0.3 else None
        email, phone, _cell = self.employee_contact(employee_index)
        job = self._job_order_core(self.job_order_index_of_assignment(index))
        profile = self.profile(ASSIGNMENT, index)
        modified = self.assignments.modified(index)
        start = modified - rng.randrange(1, 120) * _DAY
        status_id, status = _ASSIGNMENT_STATUSES[0 if profile.is_active else rng.randrange(1, 3)]
        return {
            "assignmentId": self.assignments.id_of(index),
            "employeeId": self.employees.id_of(employee_index),
            "firstName": first,
            "lastName": last,
            "middleName": middle,
            "employeePrimaryEmailAddress": email,
            "employeePrimaryPhoneNumber": phone,
            "customerId": job["customer_id"],
            "customerName": job["customer_name"],
            "departmentName": job["department"],
            "jobOrderId": job["id"],
            "jobTitle": PLACEHOLDER_TITLE if job["placeholder"] else job["title"],  # the job order's, as it shows
            "payRate": Money(job["pay"], compact=job["compact_money"]),
            "billRate": Money(job["bill"]),
            "startDate": self.local.format(start),
            "endDate": SENTINEL_DATE if profile.is_active else self.local.format(modified - _DAY),
            "originalStartDate": self.local.format(start),
            "expectedEndDate": self.local.format(start + 90 * _DAY),
            "branchId": job["branch"].branch_id,
            "branchName": job["branch"].name,
            "isActive": profile.is_active,
            "isDeleted": False,
            "supervisorId": job["customer_id"] * 10 + 2,
            "supervisor": f"{job['rep'].first_name} Supervisor",
            "supervisorContactInfo": f"supervisor{job['customer_id']}@customer.example",
            "activeStatus": 1 if profile.is_active else 0,
            "assignmentStatusId": status_id,
            "assignmentStatus": status,
            "performanceNote": None,
            "isTimeclockOrder": False,
            "serviceRep": job["rep"].full_name,
            "dateCreated": self.local.format(start - 2 * _DAY),
            "assignmentRootGuid": seeded_guid(self.seed, ASSIGNMENT, index),
            "employeeRootGuid": seeded_guid(self.seed, EMPLOYEE, employee_index),
        }
