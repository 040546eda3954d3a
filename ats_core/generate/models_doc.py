"""docs/models.md: every canonical model's fields, with their types, meanings and the nearest Merge and Kombo names.

Read from the pydantic models themselves (`ats_core.models`): a field added there appears here on the
next `ats models`; `ats models --check` (run by `make test`) reports drift.
"""

from __future__ import annotations

import inspect
import re
import typing
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ats_core import models
from ats_core.generate.rendering import generated_notice, md_inline
from ats_core.models import SCHEMA_VERSION, CanonicalModel

__all__ = ["MODELS_DOC_PATH", "models_doc"]

MODELS_DOC_PATH = PurePosixPath("docs/models.md")
COMMAND = "ats models"
_QUALIFIER = re.compile(r"\b(?:typing|datetime|decimal|ats_core\.models|pydantic\.types|collections\.abc)\.")


def _documented_models() -> list[type[BaseModel]]:
    """The canonical models in `ats_core.models.__all__` order (records first, then their parts)."""
    found = [getattr(models, name) for name in models.__all__]
    documented = [
        model
        for model in found
        if inspect.isclass(model)
        and issubclass(model, CanonicalModel)
        and not model.__pydantic_generic_metadata__["parameters"]
    ]
    first = [models.Record, models.Candidate, models.Job, models.Application]
    return first + [model for model in documented if model not in first]


def _type_text(annotation: Any) -> str:
    """An annotation as a reader writes it: `list[EmailAddress]`, `Decimal | None`."""
    text = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    text = _QUALIFIER.sub("", text)
    text = text.replace("NoneType", "None").replace("AwareDatetime", "datetime (aware)")
    return text.replace("|", "\\|")  # a bare | would end the table cell


def _row(name: str, info: FieldInfo) -> str:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    merge, kombo = extra.get("merge", "—"), extra.get("kombo", "—")
    cells = (
        f"`{name}`",
        f"`{_type_text(info.annotation)}`",
        md_inline(info.description or ""),
        "—" if merge == "—" else f"`{merge}`",
        "—" if kombo == "—" else f"`{kombo}`",
    )
    return "| " + " | ".join(cells) + " |"


def _properties(model: type[BaseModel]) -> list[str]:
    rows = []
    for name, member in inspect.getmembers(model, lambda value: isinstance(value, property)):
        if name.startswith("_") or name in {"model_extra", "model_fields_set"}:
            continue
        returns = typing.get_type_hints(member.fget).get("return") if member.fget else None
        summary = (inspect.getdoc(member) or "").splitlines()[0] if inspect.getdoc(member) else ""
        rows.append(f"| `{name}` (read-only) | `{_type_text(returns)}` | {md_inline(summary)} | — | — |")
    return rows


def models_doc() -> str:
    """The text of docs/models.md."""
    lines = [
        f"<!-- {generated_notice(COMMAND, 'the canonical models in ats_core/models.py')} -->",
        "",
        f"# Canonical models (schema {SCHEMA_VERSION})",
        "",
        "What every provider's records look like. Each record also keeps `remote_data` (the ATS's payload as",
        "sent) and `extensions` (provider-specific fields, typed as the provider's mapping table declares; see",
        "its page under `docs/providers/`). The Merge and Kombo columns name their nearest field, for",
        "comparison and migration; — where they have none.",
    ]
    for model in _documented_models():
        doc = (inspect.getdoc(model) or "").splitlines()[0]
        lines += ["", f"## {model.__name__}", "", md_inline(doc), ""]
        inherited = (
            models.Record.model_fields if issubclass(model, models.Record) and model is not models.Record else {}
        )
        if inherited:
            lines += ["The fields of every [Record](#record), and:", ""]
        lines += ["| Field | Type | Meaning | Merge | Kombo |", "| --- | --- | --- | --- | --- |"]
        lines += [_row(name, info) for name, info in model.model_fields.items() if name not in inherited]
        lines += _properties(model)
    return "\n".join(lines) + "\n"
