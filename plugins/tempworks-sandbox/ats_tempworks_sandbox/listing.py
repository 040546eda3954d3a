"""The order of `GET /Search/Employees`: by id (default), by name, or a seeded shuffle, less deleted employees.

By id, a page costs O(page + deletions) on any tenant size. The other orders are not by id, as on live
tenants, so an insert or delete while a client pages shifts records across page boundaries; they sort the
filtered employees in memory once per change (at most `MAX_ORDERED_EMPLOYEES`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ats_tempworks_sandbox.paging import OrderedIds, periodic_count, periodic_indices
from ats_tempworks_sandbox.seeded import mix
from ats_tempworks_sandbox.tenant import PROFILE_PERIOD

if TYPE_CHECKING:
    from ats_tempworks_sandbox.state import SandboxState

__all__ = ["MAX_ORDERED_EMPLOYEES", "EmployeeListing"]

MAX_ORDERED_EMPLOYEES = 200_000
_SHUFFLE_KIND = 71

SortKey = tuple[Any, ...]


class EmployeeListing:
    """Pages of employee ids matching the list filters, in the tenant's list order."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.order = state.faults.list_order
        if self.order != "id" and state.data.employees.count > MAX_ORDERED_EMPLOYEES:
            raise ValueError(
                f"list_order={self.order} sorts employees in memory: at most {MAX_ORDERED_EMPLOYEES:,} "
                f"(size {state.data.employees.count:,}); use list_order=id for larger tenants"
            )
        self.version = 0  # bumped by every insert or delete
        self._sorted: dict[tuple[bool | None, int | None], tuple[int, list[int]]] = {}

    def changed(self) -> None:
        """An employee was inserted or deleted: orders built before are stale."""
        self.version += 1

    def page(
        self, residues: list[int], matches: Callable[[dict[str, Any]], bool], skip: int, take: int
    ) -> tuple[list[int], int]:
        """The ids at positions skip .. skip+take-1 and the total, for base residues and a created-record filter."""
        state = self.state
        created = [i for i in sorted(state.created) if i not in state.deleted and matches(state.created[i])]
        if self.order == "id":
            return self._by_id(residues, created, skip, take)
        key = (tuple(residues), tuple(created))
        ids = self._ordered(key, residues, created)
        return ids[skip : skip + take], len(ids)

    def _by_id(self, residues: list[int], created: list[int], skip: int, take: int) -> tuple[list[int], int]:
        space = self.state.data.employees
        base_total = periodic_count(space.count, residues)
        slots = {residue: slot for slot, residue in enumerate(residues)}
        gone = []
        for employee_id in self.state.deleted:
            index = space.index_of(employee_id)
            if index is not None and index % PROFILE_PERIOD in slots:
                gone.append(index // PROFILE_PERIOD * len(residues) + slots[index % PROFILE_PERIOD])
        positions = OrderedIds(0, base_total, gone)
        ids = [space.id_of(periodic_indices(space.count, residues, p, 1)[0]) for p in positions.page(skip, take)]
        if len(ids) < take:
            start = max(0, skip - positions.total)
            ids += created[start : start + take - len(ids)]
        return ids, positions.total + len(created)

    def _ordered(self, key: Any, residues: list[int], created: list[int]) -> list[int]:
        cached = self._sorted.get(key)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        space = self.state.data.employees
        deleted = self.state.deleted
        base = [space.id_of(i) for i in periodic_indices(space.count, residues, 0, space.count)]
        live = [i for i in base if i not in deleted] + created
        ids = sorted(live, key=self._sort_key)
        self._sorted = {key: (self.version, ids)}  # one filter at a time: a paging client repeats its filter
        return ids

    def _sort_key(self, employee_id: int) -> SortKey:
        if self.order == "random-stable":
            return (mix(self.state.data.seed, _SHUFFLE_KIND, employee_id), employee_id)
        first, last = self.state.employee_name(employee_id)
        return (last.lower(), first.lower(), employee_id)
