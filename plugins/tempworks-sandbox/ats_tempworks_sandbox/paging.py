"""Ordered result sets that are paged without being materialised: each page costs O(page + writes)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ats_tempworks_sandbox.tenant import PROFILE_PERIOD

__all__ = ["OrderedIds", "periodic_count", "periodic_indices"]


@dataclass
class OrderedIds:
    """The ids [lo, hi) minus `excluded`, plus `extras`.

    merge=True: one ascending sequence (extras sorted, disjoint from the range part).
    merge=False: the range part ascending, then `extras` in the given order.
    """

    lo: int
    hi: int
    excluded: list[int] = field(default_factory=list)
    extras: list[int] = field(default_factory=list)
    merge: bool = True

    def __post_init__(self) -> None:
        self.hi = max(self.hi, self.lo)
        self.excluded = sorted(x for x in set(self.excluded) if self.lo <= x < self.hi)
        self._excluded_set = frozenset(self.excluded)

    @property
    def range_total(self) -> int:
        return self.hi - self.lo - len(self.excluded)

    @property
    def total(self) -> int:
        return self.range_total + len(self.extras)

    def _range_le(self, x: int) -> int:
        if x < self.lo:
            return 0
        return min(x, self.hi - 1) - self.lo + 1 - bisect.bisect_right(self.excluded, x)

    def _range_kth(self, k: int) -> int:
        x = self.lo + k
        while True:
            moved = self.lo + k + bisect.bisect_right(self.excluded, x)
            if moved == x:
                return x
            x = moved

    def _range_from(self, start: int) -> Iterator[int]:
        for x in range(max(start, self.lo), self.hi):
            if x not in self._excluded_set:
                yield x

    def _merged_from(self, start: int) -> Iterator[int]:
        ranged = self._range_from(start)
        extras = iter(self.extras[bisect.bisect_left(self.extras, start) :])
        a, b = next(ranged, None), next(extras, None)
        while a is not None or b is not None:
            if b is None or (a is not None and a < b):
                assert a is not None
                yield a
                a = next(ranged, None)
            else:
                yield b
                b = next(extras, None)

    def _positions(self, start: int, count: int) -> list[int]:
        out: list[int] = []
        if count <= 0:
            return out
        if not self.merge:
            if start < self.range_total:
                for x in self._range_from(self._range_kth(start)):
                    out.append(x)
                    if len(out) == count:
                        return out
            tail_start = max(0, start - self.range_total)
            out.extend(self.extras[tail_start : tail_start + count - len(out)])
            return out
        low = min(self.lo, self.extras[0]) if self.extras else self.lo
        high = max(self.hi - 1, self.extras[-1]) if self.extras else self.hi - 1
        while low < high:
            middle = (low + high) // 2
            if self._range_le(middle) + bisect.bisect_right(self.extras, middle) >= start + 1:
                high = middle
            else:
                low = middle + 1
        for x in self._merged_from(low):
            out.append(x)
            if len(out) == count:
                break
        return out

    def page(self, skip: int, take: int, *, descending: bool = False) -> list[int]:
        """The ids at positions skip .. skip+take-1 (counted from the end when descending)."""
        total = self.total
        if skip >= total or take <= 0:
            return []
        if descending:
            end = total - skip
            start = max(0, end - take)
            return self._positions(start, end - start)[::-1]
        return self._positions(skip, min(take, total - skip))

    def __iter__(self) -> Iterator[int]:
        if self.merge:
            return self._merged_from(min([self.lo, *self.extras[:1]]))
        return iter([*self._range_from(self.lo), *self.extras])


def periodic_count(count: int, residues: Sequence[int]) -> int:
    """How many indices in [0, count) have `index % PROFILE_PERIOD` in the sorted `residues`."""
    full, rest = divmod(count, PROFILE_PERIOD)
    return full * len(residues) + bisect.bisect_left(residues, rest)


def periodic_indices(count: int, residues: Sequence[int], skip: int, take: int) -> list[int]:
    """The matching indices at positions skip .. skip+take-1 (ascending)."""
    if not residues:
        return []
    end = min(skip + take, periodic_count(count, residues))
    out = []
    for position in range(skip, end):
        period, slot = divmod(position, len(residues))
        out.append(period * PROFILE_PERIOD + residues[slot])
    return out
