"""`/meta` answers built from the entity model: `GET meta` and `GET meta/{Entity}?fields=&meta=basic|full`."""

from __future__ import annotations

from typing import Any

from ats_bullhorn_sandbox.schema import EntitySpec, FieldSpec, Schema

__all__ = ["entity_meta", "field_meta"]


def field_meta(schema: Schema, spec: FieldSpec, rest_url: str, *, full: bool) -> dict[str, Any]:
    """One field's metadata in Bullhorn's key order; `full` adds required/optional/readOnly/multiValue/inputType."""
    meta: dict[str, Any] = {"name": spec.name, "type": spec.kind}
    if spec.data_type:
        meta["dataType"] = spec.data_type
    if spec.data_type == "String" and spec.max_length is not None:
        meta["maxLength"] = spec.max_length
    if spec.specialization:
        meta["dataSpecialization"] = spec.specialization
    if spec.kind != "ID":
        meta["confidential"] = False
        if full:
            meta["optional"] = not spec.required
        meta["label"] = spec.label
        if full:
            meta.update(required=spec.required, readOnly=spec.read_only, multiValue=False)
            if spec.options or spec.kind == "TO_ONE":
                meta["inputType"] = "SELECT"
        meta["hideFromSearch"] = False
    if spec.options:
        meta["options"] = [{"value": option, "label": option} for option in spec.options]
    if spec.target:
        meta["optionsType"] = spec.target
        meta["optionsUrl"] = f"{rest_url}options/{spec.target}"
        target = schema[spec.target]
        reference_fields = [target.by_name["id"], *(target.by_name[name] for name in spec.ref_fields)]
        meta["associatedEntity"] = {
            "entity": target.name,
            "entityMetaUrl": f"{rest_url}meta/{target.name}?fields=*",
            "label": target.label,
            "fields": [field_meta(schema, item, rest_url, full=False) for item in reference_fields],
        }
    if spec.subfields:
        meta["fields"] = [field_meta(schema, item, rest_url, full=full) for item in spec.subfields]
    return meta


def entity_meta(
    schema: Schema, entity: EntitySpec, rest_url: str, names: list[str] | None, *, full: bool, modified: int
) -> dict[str, Any]:
    """An entity's metadata; `names` None means every field (`fields=*`)."""
    fields = entity.fields if names is None else [entity.by_name[name] for name in names if name in entity.by_name]
    return {
        "entity": entity.name,
        "entityMetaUrl": f"{rest_url}meta/{entity.name}?fields=*",
        "label": entity.label,
        "dateLastModified": str(modified),
        "fields": [field_meta(schema, spec, rest_url, full=full) for spec in fields],
    }
