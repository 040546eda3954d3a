"""The pretend ATS: seeded raw payloads, shaped as a remote API would send them, and a request counter.

A real provider has an HTTP client here instead; everything else in the template stays the same.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

Payload = dict[str, Any]
SortKey = tuple[str, int]

_FIRST = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim")
_LAST = ("Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Berners")
_CITIES = (("Minneapolis", "MN"), ("Austin", "TX"), ("Denver", "CO"), ("Boston", "MA"))
_TITLES = ("Forklift Operator", "Line Cook", "Warehouse Associate", "Receptionist", "Welder")
_CUSTOMERS = ("Acme Logistics", "Globex Foods", "Initech")
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def sort_key(payload: Payload) -> SortKey:
    """Records are served in (lastModified, id) order, which makes keyset cursors resumable."""
    return (payload["lastModified"], payload["id"])


class ExampleStore:
    """Candidates, jobs, notes and custom field definitions, generated from `seed`."""

    def __init__(self, seed: int, size: int, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        rng = random.Random(seed)
        self.clock = clock
        self.requests = 0
        self.candidates = {c["id"]: c for c in (self._candidate(rng, 1000 + n) for n in range(size))}
        self.jobs = {j["id"]: j for j in (self._job(rng, 500 + n) for n in range(max(1, size // 3)))}
        self.notes: list[Payload] = []
        self.candidate_fields: list[Payload] = [
            {"id": "cf-shift", "label": "Preferred shift", "type": "enum", "required": False},
            {"id": "cf-forklift", "label": "Forklift licence", "type": "boolean", "required": True},
        ]

    @staticmethod
    def _candidate(rng: random.Random, number: int) -> Payload:
        first, last, (city, region) = rng.choice(_FIRST), rng.choice(_LAST), rng.choice(_CITIES)
        created = _EPOCH + timedelta(minutes=rng.randrange(0, 60 * 24 * 90))
        return {
            "id": number,
            "firstName": first,
            "lastName": last,
            "emailAddress": f"{first}.{last}.{number}@example.com".lower(),
            "phoneNumber": f"+1 555 {number:04d}" if rng.random() < 0.8 else None,
            "address": {"city": city, "region": region},
            "isActive": rng.random() < 0.9,
            "createdAt": _stamp(created),
            "lastModified": _stamp(created + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))),
        }

    @staticmethod
    def _job(rng: random.Random, number: int) -> Payload:
        created = _EPOCH + timedelta(minutes=rng.randrange(0, 60 * 24 * 90))
        return {
            "id": number,
            "jobTitle": rng.choice(_TITLES),
            "status": rng.choice(("open", "open", "closed")),
            "customer": {"name": rng.choice(_CUSTOMERS)},
            "worksite": {"city": rng.choice(_CITIES)[0]},
            "openings": rng.randrange(1, 6),
            "createdAt": _stamp(created),
            "lastModified": _stamp(created + timedelta(hours=rng.randrange(0, 24 * 20))),
        }

    def list_page(
        self,
        table: dict[int, Payload],
        *,
        modified_since: datetime | None,
        after: SortKey | None,
        limit: int,
        where: Callable[[Payload], bool] = lambda _: True,
    ) -> list[Payload]:
        """One request: up to `limit` matching records modified at or after `modified_since`, following `after`."""
        self.requests += 1
        rows = sorted(filter(where, table.values()), key=sort_key)
        if modified_since is not None:
            rows = [r for r in rows if datetime.fromisoformat(r["lastModified"]) >= modified_since]
        if after is not None:
            rows = [r for r in rows if sort_key(r) > after]
        return rows[:limit]

    def get(self, table: dict[int, Payload], record_id: int) -> Payload | None:
        """One request: a record by id, or None (the API's 404)."""
        self.requests += 1
        return table.get(record_id)

    def search_candidates(self, criteria: dict[str, str]) -> list[Payload]:
        """One request: candidates whose fields equal every criterion, ignoring case."""
        self.requests += 1
        return [
            c
            for c in sorted(self.candidates.values(), key=sort_key)
            if all(str(c.get(key) or "").casefold() == value.casefold() for key, value in criteria.items())
        ]

    def list_candidate_fields(self) -> list[Payload]:
        """One request: the candidate custom field definitions."""
        self.requests += 1
        return list(self.candidate_fields)

    def list_notes(self, candidate_id: int) -> list[Payload]:
        """One request: the notes on a candidate, oldest first."""
        self.requests += 1
        return [n for n in self.notes if n["candidateId"] == candidate_id]

    def add_note(self, candidate_id: int, text: str, action: str | None) -> Payload:
        """One request: store a note and touch the candidate, as an ATS would."""
        self.requests += 1
        now = _stamp(self.clock())
        note = {"noteId": len(self.notes) + 1, "candidateId": candidate_id, "text": text, "action": action}
        note["createdAt"] = now
        self.notes.append(note)
        self.candidates[candidate_id]["lastModified"] = now
        return note
