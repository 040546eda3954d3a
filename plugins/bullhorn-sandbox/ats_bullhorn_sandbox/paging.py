"""Request parameters shared by the read calls: start/count paging, ordering and booleans."""

from __future__ import annotations

from collections.abc import Mapping

from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.schema import EntitySpec

__all__ = ["MAX_COUNT", "flag", "parse_order", "parse_paging"]

MAX_COUNT = 500


def _integer(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BullhornError.bad_request(
            f"Parameter {name}={raw!r} is not a whole number.", "errors.badParameter"
        ) from None
    if value < 0:
        raise BullhornError.bad_request(f"Parameter {name}={raw!r} must not be negative.", "errors.badParameter")
    return value


def parse_paging(params: Mapping[str, str], default_count: int) -> tuple[int, int]:
    """(start, count): count defaults per call and is capped at MAX_COUNT records."""
    return _integer(params, "start", 0), min(MAX_COUNT, _integer(params, "count", default_count))


def flag(params: Mapping[str, str], name: str) -> bool:
    return params.get(name, "").lower() == "true"


def parse_order(text: str | None, entity: EntitySpec) -> list[tuple[str, bool]]:
    """`dateLastModified,id` or `-id` -> [(field, descending)]; 400 names a field the entity lacks."""
    order = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        descending = part.startswith("-")
        name = part.lstrip("+-").strip()
        root = entity.get(name.split(".")[0])
        if root is None or root.kind == "TO_MANY":
            raise BullhornError.bad_request(f"Bad sort: unknown field {name}", "errors.badSort")
        order.append((name, descending))
    return order
