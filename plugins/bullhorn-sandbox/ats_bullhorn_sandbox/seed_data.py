"""The seeded base data of one sandbox tenant, generated record by record on demand.

Nothing is materialised: record `i` of every entity is a pure function of (seed, i), so a tenant of
1,000,000 candidates costs a few kilobytes. Relations are arithmetic on indexes, so they are cheap both
ways: candidate `c` has `c % 3` submissions and `1 + c % 2` notes; submission `s` is for job
`s % jobs`; contact `k` works at company `k // 2`. Base modification times grow with the index, so
"modified after T" is an index range found by binary search. Emails and phone numbers carry the index,
which lets the search index find a candidate by email or phone without a scan.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from ats_bullhorn_sandbox.schema import CUSTOM_FIELD_LABELS, Schema
from ats_bullhorn_sandbox.seeded import mix, pick, quick_hash, record_rng, seeded_uuid
from ats_core.pdf import build_pdf

__all__ = ["BASE_END_MS", "BASE_START_MS", "DELETED_SHARE", "USERS", "EntitySpace", "TenantData"]

BASE_START_MS = int(datetime(2019, 1, 1, tzinfo=UTC).timestamp() * 1000)
BASE_END_MS = int(datetime(2025, 12, 31, tzinfo=UTC).timestamp() * 1000)
_DAY_MS = 86_400_000
_PHONE_SPACE = 10_000_000
_MOBILE_FACTOR = 7_654_321
_MOBILE_OFFSET = 1_234_567
_MOBILE_INVERSE = pow(_MOBILE_FACTOR, -1, _PHONE_SPACE)
_PHONE_OFFSET = 2_000_000  # home numbers start at 200-0000, so none reads 000-0000

_KIND = {
    "CorporateUser": 1,
    "ClientCorporation": 2,
    "ClientContact": 3,
    "JobOrder": 4,
    "Candidate": 5,
    "JobSubmission": 6,
    "Note": 7,
    "NoteEntity": 8,
    "CandidateFileAttachment": 9,
}
_FIRST_ID = {
    "CorporateUser": 1,
    "ClientCorporation": 101,
    "ClientContact": 1001,
    "JobOrder": 2001,
    "Candidate": 10001,
    "JobSubmission": 20001,
    "Note": 30001,
    "NoteEntity": 40001,
    "CandidateFileAttachment": 50001,
}
DELETED_SHARE = {"Candidate": 0.02, "JobSubmission": 0.02, "Note": 0.01, "ClientContact": 0.02, "JobOrder": 0.01}

FIRST_NAMES = (
    "Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal",
    "Kira", "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tara",
    "Umar", "Vera", "Wes", "Xena", "Yusuf", "Zoe", "Aiden", "Bella", "Chen", "Dana",
    "Emil", "Fatima", "Gus", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nadia",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Garcia", "Nguyen", "Johnson", "Patel", "Kim", "Brown", "Lopez", "Khan", "Miller",
    "Davis", "Wilson", "Moore", "Taylor", "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin",
    "Thompson", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
    "Hill", "Ramirez", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres",
)  # fmt: skip
_CITIES = (
    ("Boston", "MA", "02110", "617"),
    ("Chicago", "IL", "60601", "312"),
    ("Dallas", "TX", "75201", "214"),
    ("Denver", "CO", "80202", "303"),
    ("Atlanta", "GA", "30303", "404"),
    ("Seattle", "WA", "98101", "206"),
    ("Phoenix", "AZ", "85004", "602"),
    ("Tampa", "FL", "33602", "813"),
    ("St. Louis", "MO", "63101", "314"),
    ("Minneapolis", "MN", "55401", "612"),
)
_STREETS = ("Oak", "Maple", "Cedar", "Pine", "Elm", "Lake", "Hill", "Main", "Park", "River", "Summer", "Tremont")
_DOMAINS = ("example.com", "example.net", "example.org")
_TITLES = (
    "Java Developer", "Registered Nurse", "Project Manager", "Accountant", "Warehouse Associate",
    "Data Analyst", "Forklift Operator", "Administrative Assistant", "Electrician", "Sales Representative",
)  # fmt: skip
_SKILLS = ("Java", "SQL", "Python", "Excel", "Forklift", "Patient Care", "AutoCAD", "Salesforce", "SAP", "Welding")
_COMPANY_WORDS = ("Acme", "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark")
_COMPANY_KINDS = ("Logistics", "Health", "Manufacturing", "Financial", "Foods", "Systems")
_SOURCES = ("LinkedIn", "Referral", "Indeed", "Corporate Web", "Dice.com", "Monster.com")
_NOTE_TEXTS = (
    "Called about the role; interested and available in two weeks.",
    "Left a voicemail about the open position.",
    "Strong interview, client wants a second round.",
    "Sent the job description by email.",
    "Reference check came back positive.",
)
_CUSTOM_TEXT_CHOICES = {
    "Shift Preference": ("Days", "Nights", "Weekends", "Any"),
    "Security Clearance": ("None", "Public Trust", "Secret", "Top Secret"),
    "Cost Center": ("CC-100", "CC-200", "CC-300"),
    "Submission Channel": ("Email", "VMS", "Portal"),
    "Decision Maker": ("Yes", "No"),
    "Account Tier": ("Gold", "Silver", "Bronze"),
}
USERS = (
    ("API", "Integration", "api.integration"),
    ("Rachel", "Recruiter", "rachel.recruiter"),
    ("Sam", "Sourcer", "sam.sourcer"),
    ("Alex", "Account", "alex.account"),
    ("Morgan", "Manager", "morgan.manager"),
    ("Jordan", "Delivery", "jordan.delivery"),
)


@dataclass(frozen=True)
class EntitySpace:
    """The seeded records of one entity: ids first_id..first_id+count-1, modified times rising with the id."""

    seed: int
    kind: int
    first_id: int
    count: int
    exists: Callable[[int], bool] | None = None

    def salt(self, part: int) -> int:
        """A per-space, per-purpose salt for `quick_hash` (cheap per-record values)."""
        return mix(self.seed, self.kind, part) & 0xFFFFFFFF

    @property
    def end_id(self) -> int:
        """One past the last seeded id: the first id a create gets."""
        return self.first_id + self.count

    def index_of(self, record_id: int) -> int | None:
        index = record_id - self.first_id
        if 0 <= index < self.count and (self.exists is None or self.exists(index)):
            return index
        return None

    def id_of(self, index: int) -> int:
        return self.first_id + index

    def modified(self, index: int) -> int:
        """Base dateLastModified (epoch ms), strictly increasing with the index."""
        return BASE_START_MS + index * self._step + quick_hash(self._salts[0], index) % (self._step // 2)

    def added(self, index: int) -> int:
        """Base dateAdded (epoch ms): up to 400 days before the modification, not before the base window."""
        earliest = BASE_START_MS - 30 * _DAY_MS
        return max(earliest, self.modified(index) - quick_hash(self._salts[1], index) * 8047 % (400 * _DAY_MS))

    def deleted(self, index: int, share: float) -> bool:
        return share > 0 and quick_hash(self._salts[2], index) < share * 0x100000000

    @cached_property
    def _step(self) -> int:
        return max(2, (BASE_END_MS - BASE_START_MS) // max(1, self.count))

    @cached_property
    def _salts(self) -> tuple[int, int, int]:
        return (self.salt(11), self.salt(12), self.salt(13))  # modified jitter, added offset, deleted

    def first_index_after(self, epoch_ms: float) -> int:
        """The first index whose base modification time is strictly greater than `epoch_ms`."""
        return bisect.bisect_right(range(self.count), epoch_ms, key=self.modified)

    def first_index_at_or_after(self, epoch_ms: float) -> int:
        return bisect.bisect_left(range(self.count), epoch_ms, key=self.modified)


class TenantData:
    """Seeded base records of every entity for one (seed, size); records are built when asked for."""

    def __init__(
        self, seed: int, size: int, schema: Schema, submission_statuses: Sequence[str], actions: Sequence[str]
    ) -> None:
        if size < 1:
            raise ValueError(f"sandbox size {size}: expected at least 1 candidate")
        self.seed = seed
        self.size = size
        self.schema = schema
        self.statuses = tuple(submission_statuses)
        self.actions = tuple(actions)
        self.corporations = max(2, size // 25)
        self.jobs = max(3, size // 20)
        submissions = 3 * (size // 3) + (1 if size % 3 == 2 else 0)
        notes = 3 * (size // 2) + size % 2
        counts = {
            "CorporateUser": len(USERS),
            "ClientCorporation": self.corporations,
            "ClientContact": 2 * self.corporations,
            "JobOrder": self.jobs,
            "Candidate": size,
            "JobSubmission": submissions,
            "Note": notes,
            "NoteEntity": 2 * notes,
            "CandidateFileAttachment": size,
        }
        exists: dict[str, Callable[[int], bool]] = {
            "NoteEntity": lambda index: index % 2 == 0 or self.note_job(index // 2) is not None,
            "CandidateFileAttachment": self.has_resume,
        }
        self.spaces = {
            name: EntitySpace(seed, _KIND[name], _FIRST_ID[name], count, exists.get(name))
            for name, count in counts.items()
        }
        self.corp_token = f"{mix(seed, 90) % (36**6):06x}"[:6]

    # relations --------------------------------------------------------------------------------------
    def candidate_submissions(self, candidate: int) -> list[int]:
        block, offset = divmod(candidate, 3)
        return [3 * block] if offset == 1 else [3 * block + 1, 3 * block + 2] if offset == 2 else []

    def submission_candidate(self, submission: int) -> int:
        block, offset = divmod(submission, 3)
        return 3 * block + (1 if offset == 0 else 2)

    def submission_job(self, submission: int) -> int:
        return submission % self.jobs

    def job_submissions(self, job: int) -> range:
        return range(job, self.spaces["JobSubmission"].count, self.jobs)

    def candidate_notes(self, candidate: int) -> list[int]:
        block, offset = divmod(candidate, 2)
        return [3 * block] if offset == 0 else [3 * block + 1, 3 * block + 2]

    def note_candidate(self, note: int) -> int:
        block, offset = divmod(note, 3)
        return 2 * block + (0 if offset == 0 else 1)

    def note_job(self, note: int) -> int | None:
        """The job a seeded note is about: the last note of a candidate with submissions names its first job."""
        candidate = self.note_candidate(note)
        submissions = self.candidate_submissions(candidate)
        if submissions and self.candidate_notes(candidate)[-1] == note:
            return self.submission_job(submissions[0])
        return None

    def has_resume(self, candidate: int) -> bool:
        return candidate % 5 != 4

    def corporation_contacts(self, corporation: int) -> list[int]:
        return [2 * corporation, 2 * corporation + 1]

    def job_corporation(self, job: int) -> int:
        return job % self.corporations

    def job_contact(self, job: int) -> int:
        return 2 * self.job_corporation(job) + (job // self.corporations) % 2

    def owner_of(self, kind: str, index: int) -> int:
        """Index of the CorporateUser owning a record: the recruiters, never the API user."""
        return 1 + mix(self.seed, _KIND[kind], index, 14) % (len(USERS) - 1)

    # cheap candidate fields, also used by the search index ------------------------------------------
    def candidate_name(self, index: int) -> tuple[str, str]:
        salts = self._candidate_salts
        return (
            FIRST_NAMES[quick_hash(salts[0], index) % len(FIRST_NAMES)],
            LAST_NAMES[quick_hash(salts[1], index) % len(LAST_NAMES)],
        )

    def candidate_email(self, index: int) -> str:
        first, last = self.candidate_name(index)
        domain = _DOMAINS[quick_hash(self._candidate_salts[2], index) % len(_DOMAINS)]
        return f"{first.lower()}.{last.lower()}{index}@{domain}"

    def _area(self, index: int, part: int) -> str:
        return _CITIES[quick_hash(self._candidate_salts[part], index) % len(_CITIES)][3]

    @cached_property
    def _candidate_salts(self) -> tuple[int, ...]:
        space = self.spaces["Candidate"]
        return tuple(space.salt(part) for part in range(1, 8))

    def candidate_phone(self, index: int) -> str:
        return _phone(self._area(index, 4), (index + _PHONE_OFFSET) % _PHONE_SPACE)

    def candidate_mobile(self, index: int) -> str:
        return _phone(self._area(index, 5), (index * _MOBILE_FACTOR + _MOBILE_OFFSET) % _PHONE_SPACE)

    def candidates_by_email(self, email: str) -> list[int]:
        """Seeded candidates whose base email may be `email` (the index is written before the @)."""
        local = email.partition("@")[0]
        digits = local[len(local.rstrip("0123456789")) :]
        if not digits:
            return []
        index = int(digits)
        return [index] if index < self.size else []

    def candidates_by_phone(self, digits: str) -> list[int]:
        """Seeded candidates whose base phone or mobile may end with `digits` (7 or more digits)."""
        if len(digits) < 7:
            return []
        number = int(digits[-7:])
        home = (number - _PHONE_OFFSET) % _PHONE_SPACE
        found = [home] if home < self.size else []
        mobile = ((number - _MOBILE_OFFSET) * _MOBILE_INVERSE) % _PHONE_SPACE
        if mobile < self.size and mobile not in found:
            found.append(mobile)
        return found

    # records --------------------------------------------------------------------------------------
    def deleted(self, entity: str, index: int) -> bool:
        return self.spaces[entity].deleted(index, DELETED_SHARE.get(entity, 0.0))

    def record(self, entity: str, index: int) -> dict[str, Any]:
        """The stored form of seeded record `index`: scalars, composites, and to-ones as {"id": n}."""
        space = self.spaces[entity]
        record: dict[str, Any] = {spec.name: None for spec in self.schema[entity].fields if spec.kind != "TO_MANY"}
        record["id"] = space.id_of(index)
        if "dateAdded" in record:
            record["dateAdded"] = space.added(index)
        if "dateLastModified" in record:
            record["dateLastModified"] = space.modified(index)
        if "isDeleted" in record:
            record["isDeleted"] = self.deleted(entity, index)
        builder: Callable[[dict[str, Any], int], None] = getattr(self, f"_fill_{entity}")
        builder(record, index)
        self._fill_custom(entity, record, index)
        return record

    def _ref(self, entity: str, index: int) -> dict[str, int]:
        return {"id": self.spaces[entity].id_of(index)}

    def _address(self, kind: int, index: int) -> dict[str, Any]:
        city, state, zip_code, _area = pick(_CITIES, self.seed, kind, index, 20)
        number = 1 + mix(self.seed, kind, index, 21) % 9000
        return {
            "address1": f"{number} {pick(_STREETS, self.seed, kind, index, 22)} St",
            "address2": "",
            "city": city,
            "state": state,
            "zip": zip_code,
            "countryID": 1,
        }

    def _fill_CorporateUser(self, record: dict[str, Any], index: int) -> None:
        first, last, username = USERS[index]
        record.update(
            firstName=first,
            lastName=last,
            name=f"{first} {last}",
            email=f"{username}@sandbox-staffing.example",
            username=username,
            occupation="API User" if index == 0 else "Recruiter",
            phone=_phone("617", 5550100 + index),
            enabled=True,
            isDeleted=False,
        )

    def _company_name(self, index: int) -> str:
        word = _COMPANY_WORDS[index % len(_COMPANY_WORDS)]
        kind = _COMPANY_KINDS[(index // len(_COMPANY_WORDS)) % len(_COMPANY_KINDS)]
        return f"{word} {kind} {index + 1}"

    def _fill_ClientCorporation(self, record: dict[str, Any], index: int) -> None:
        name = self._company_name(index)
        record.update(
            name=name,
            status=pick(("Active Account", "Active Account", "Passive Account", "Prospect"), self.seed, 2, index, 1),
            phone=_phone(self._area(index, 6), mix(self.seed, 2, index, 2) % _PHONE_SPACE),
            companyURL=f"https://{name.split()[0].lower()}{index + 1}.example.com",
            address=self._address(2, index),
        )

    def _fill_ClientContact(self, record: dict[str, Any], index: int) -> None:
        first, last = pick(FIRST_NAMES, self.seed, 3, index, 1), pick(LAST_NAMES, self.seed, 3, index, 2)
        corporation = index // 2
        domain = self._company_name(corporation).split()[0].lower()
        record.update(
            firstName=first,
            lastName=last,
            name=f"{first} {last}",
            namePrefix=pick(("Mr.", "Ms.", "Dr."), self.seed, 3, index, 3),
            occupation=pick(("Hiring Manager", "HR Director", "VP Operations"), self.seed, 3, index, 4),
            email=f"{first.lower()}.{last.lower()}@{domain}{corporation + 1}.example.com",
            phone=_phone(self._area(index, 6), mix(self.seed, 3, index, 5) % _PHONE_SPACE),
            status=pick(("Active", "Active", "Passive", "Prospect"), self.seed, 3, index, 6),
            address=self._address(3, index),
            clientCorporation=self._ref("ClientCorporation", corporation),
            owner=self._ref("CorporateUser", self.owner_of("ClientContact", index)),
        )

    def _fill_JobOrder(self, record: dict[str, Any], index: int) -> None:
        rng = record_rng(self.seed, 4, index)
        title = _TITLES[index % len(_TITLES)]
        status = rng.choice(("Accepting Candidates", "Accepting Candidates", "Covered", "Filled", "Closed"))
        pay = round(rng.uniform(18, 85), 2)
        start = self.spaces["JobOrder"].added(index) + rng.randrange(7, 60) * _DAY_MS
        record.update(
            title=title,
            status=status,
            isOpen=status in ("Accepting Candidates", "Covered"),
            isPublic=rng.random() < 0.6,
            employmentType=rng.choice(("Contract", "Contract To Hire", "Direct Hire", "Temporary")),
            onSite=rng.choice(("On-Site", "Remote", "Hybrid")),
            description=f"<p>{title} needed. {rng.choice(_SKILLS)} experience preferred.</p>",
            publicDescription=f"<p>We are hiring a {title}.</p>",
            numOpenings=rng.randrange(1, 6),
            payRate=pay,
            clientBillRate=round(pay * 1.45, 2),
            salary=0,
            address=self._address(4, index),
            startDate=start,
            dateClosed=None if status != "Closed" else self.spaces["JobOrder"].modified(index),
            clientCorporation=self._ref("ClientCorporation", self.job_corporation(index)),
            clientContact=self._ref("ClientContact", self.job_contact(index)),
            owner=self._ref("CorporateUser", self.owner_of("JobOrder", index)),
        )

    def _fill_Candidate(self, record: dict[str, Any], index: int) -> None:
        rng = record_rng(self.seed, 5, index)
        first, last = self.candidate_name(index)
        title = rng.choice(_TITLES)
        skills = rng.sample(_SKILLS, 3)
        record.update(
            firstName=first,
            lastName=last,
            middleName=rng.choice(("", "", "A.", "J.", "M.")),
            name=f"{first} {last}",
            email=self.candidate_email(index),
            phone=self.candidate_phone(index),
            mobile=self.candidate_mobile(index),
            status=rng.choice(("New Lead", "Active", "Active", "Available", "Placed", "Inactive")),
            source=rng.choice(_SOURCES),
            occupation=title,
            companyName=self._company_name(rng.randrange(self.corporations)),
            employeeType=rng.choice(("W2", "1099", "Corp to Corp")),
            preferredContact=rng.choice(("Email", "Phone", "Mobile")),
            comments="",
            skillSet=", ".join(skills),
            description=f"<p>{first} {last}: {title} with {rng.randrange(1, 20)} years of {skills[0]}.</p>",
            address=self._address(5, index),
            salary=rng.choice((0, 55000, 72000, 98000)),
            hourlyRate=round(rng.uniform(18, 90), 2),
            dateAvailable=self.spaces["Candidate"].modified(index) + rng.randrange(0, 60) * _DAY_MS,
            owner=self._ref("CorporateUser", self.owner_of("Candidate", index)),
        )

    def _fill_JobSubmission(self, record: dict[str, Any], index: int) -> None:
        rng = record_rng(self.seed, 6, index)
        status = rng.choice(self.statuses)
        job = self.submission_job(index)
        record.update(
            candidate=self._ref("Candidate", self.submission_candidate(index)),
            jobOrder=self._ref("JobOrder", job),
            status=status,
            source=rng.choice(("Web Response", "Recruiter", "Referral")),
            comments="",
            isHidden=False,
            payRate=round(rng.uniform(18, 85), 2),
            billRate=round(rng.uniform(30, 120), 2),
            dateWebResponse=self.spaces["JobSubmission"].added(index) if status == self.statuses[0] else None,
            sendingUser=self._ref("CorporateUser", self.owner_of("JobSubmission", index)),
        )

    def _fill_Note(self, record: dict[str, Any], index: int) -> None:
        job = self.note_job(index)
        record.update(
            action=pick(self.actions, self.seed, 7, index, 1),
            comments=pick(_NOTE_TEXTS, self.seed, 7, index, 2),
            minutesSpent=mix(self.seed, 7, index, 3) % 30,
            personReference=self._ref("Candidate", self.note_candidate(index)),
            commentingPerson=self._ref("CorporateUser", self.owner_of("Note", index)),
            jobOrder=None if job is None else self._ref("JobOrder", job),
        )

    def _fill_NoteEntity(self, record: dict[str, Any], index: int) -> None:
        note, slot = divmod(index, 2)
        if slot == 0:
            target = ("User", self.spaces["Candidate"].id_of(self.note_candidate(note)))
        else:
            job = self.note_job(note)
            target = ("JobOrder", self.spaces["JobOrder"].id_of(job if job is not None else 0))
        record.update(note=self._ref("Note", note), targetEntityName=target[0], targetEntityID=target[1])

    def _fill_CandidateFileAttachment(self, record: dict[str, Any], index: int) -> None:
        first, last = self.candidate_name(index)
        added = self.spaces["Candidate"].added(index)
        record.update(
            candidate=self._ref("Candidate", index),
            name=f"{first}_{last}_Resume.pdf",
            type="Resume",
            description="Resume",
            externalID="portfolio",
            fileType="SAMPLE".ljust(15),
            fileExtension=".pdf",
            contentType="application",
            contentSubType="pdf",
            fileSize=len(self.resume_pdf(index)),
            directory=f"{self.corp_token}/{datetime.fromtimestamp(added / 1000, UTC):%Y.%m}/",
            distribution="internal",
            uuid=seeded_uuid(self.seed, 9, index, upper=True),
            isPrivate=False,
            isExternal=False,
            isOpen=True,
            isCopied=False,
            isSendOut=False,
            isEncrypted=True,
            isDeleted=False,
            dateAdded=added,
            fileOwner=self._ref("CorporateUser", self.owner_of("Candidate", index)),
        )

    def _fill_custom(self, entity: str, record: dict[str, Any], index: int) -> None:
        for name, label in CUSTOM_FIELD_LABELS.get(entity, {}).items():
            value_seed = mix(self.seed, _KIND[entity], index, hash_name(name))
            if name.startswith("customTextBlock"):
                record[name] = f"<p>{label}: seeded note {value_seed % 1000}.</p>"
            elif name.startswith("customText"):
                record[name] = pick(_CUSTOM_TEXT_CHOICES.get(label, ("A", "B", "C")), value_seed)
            elif name.startswith("customDate"):
                record[name] = BASE_START_MS + (value_seed % 2500) * _DAY_MS
            elif name.startswith("customInt"):
                record[name] = int(value_seed % 25)
            elif name.startswith("customFloat"):
                record[name] = round(20 + (value_seed % 8000) / 100, 2)

    def resume_pdf(self, index: int) -> bytes:
        """The seeded resume of candidate `index`: a real one-page PDF."""
        first, last = self.candidate_name(index)
        rng = record_rng(self.seed, 5, index, 30)
        title = pick(_TITLES, self.seed, 5, index, 31)
        lines = [
            f"{title}",
            f"Email: {self.candidate_email(index)}",
            f"Phone: {self.candidate_phone(index)}",
            "",
            "Experience",
            f"  {rng.randrange(1, 20)} years as {title}",
            f"  Skills: {', '.join(rng.sample(_SKILLS, 4))}",
        ]
        return build_pdf(f"{first} {last}", lines)


def hash_name(name: str) -> int:
    """A stable integer for a field name (Python's str hash is salted per process)."""
    return int.from_bytes(name.encode()[:8].ljust(8, b"\0"), "big") ^ len(name)


def _phone(area: str, number: int) -> str:
    return f"({area}) {number // 10000:03d}-{number % 10000:04d}"
