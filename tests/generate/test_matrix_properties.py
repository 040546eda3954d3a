"""Properties of the matrix for any valid manifests: schema-valid, loads back, counts sum to the catalog, order-free."""

from __future__ import annotations

import random
from typing import Any

import jsonschema
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ats_core.fields import FieldMapping, FieldType, MappingTable
from ats_core.generate import ProviderMetadata, ProviderSource, matrix_data, matrix_schema, render_matrix_yaml
from ats_core.generate.outputs import checklist_outputs, matrix_outputs, page_outputs
from ats_core.manifest import (
    ImplementationType,
    OperationDeclaration,
    OperationStatus,
    PageSize,
    ProviderManifest,
    RateLimit,
    StreamDeclaration,
)
from ats_core.models import NoteFormat
from ats_core.operations import OPERATION_NAMES, Entity

VALIDATOR = jsonschema.Draft202012Validator(matrix_schema())
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t:#|{}<>&'\"-"))
NON_BLANK = TEXT.filter(lambda text: text.strip() != "")


@st.composite
def declarations(draw: st.DrawFn) -> OperationDeclaration:
    status = draw(st.sampled_from(OperationStatus))
    reason = draw(TEXT if status is OperationStatus.SUPPORTED else NON_BLANK)
    return OperationDeclaration(status=status, reason=reason)


@st.composite
def manifests(draw: st.DrawFn, name: str | None = None) -> ProviderManifest:
    mapping = st.builds(
        FieldMapping,
        canonical=st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
        remote=st.from_regex(r"[A-Za-z.]{1,12}", fullmatch=True),
        type=st.sampled_from(FieldType),
        description=TEXT,
    )
    return ProviderManifest(
        name=name or draw(st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)),
        display_name=draw(NON_BLANK),
        version=draw(NON_BLANK),
        implementation_type=draw(st.sampled_from(ImplementationType)),
        note_format=draw(st.sampled_from(NoteFormat)),
        base_url=draw(NON_BLANK),
        auth_methods=tuple(draw(st.lists(NON_BLANK, min_size=1, max_size=3))),
        rate_limit=draw(
            st.none()
            | st.builds(
                RateLimit,
                requests=st.integers(1, 10_000),
                per_seconds=st.floats(0.001, 86_400, allow_nan=False, allow_infinity=False),
            )
        ),
        operations={op: draw(declarations()) for op in OPERATION_NAMES},
        streams=tuple(
            StreamDeclaration(
                entity=entity,
                incremental=draw(st.booleans()),
                sort=draw(NON_BLANK),
                lookback_seconds=draw(st.floats(0, 86_400, allow_nan=False, allow_infinity=False)),
                page_size=PageSize(default=draw(st.integers(1, 1000))),
            )
            for entity in draw(st.sets(st.sampled_from(Entity)))
        ),
        field_mappings=tuple(
            MappingTable(name=f"table_{n}", entity=entity, source="somewhere", id_field="id", fields=fields)
            for n, (entity, fields) in enumerate(
                draw(st.lists(st.tuples(st.sampled_from(Entity), st.lists(mapping, max_size=3).map(tuple))))
            )
        ),
    )


@st.composite
def provider_sets(draw: st.DrawFn) -> list[ProviderSource]:
    names = draw(st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), min_size=0, max_size=3, unique=True))
    return [ProviderSource(draw(manifests(name)), ProviderMetadata()) for name in names]


def _shuffled(sources: list[ProviderSource], seed: int) -> list[ProviderSource]:
    """The same providers in another order, each declaring its operations in another order."""
    rng = random.Random(seed)
    shuffled = []
    for source in sources:
        items = list(source.manifest.operations.items())
        rng.shuffle(items)
        fields: dict[str, Any] = {**source.manifest.model_dump(), "operations": dict(items)}
        shuffled.append(ProviderSource(ProviderManifest.model_validate(fields), source.metadata))
    rng.shuffle(shuffled)
    return shuffled


@settings(max_examples=40, deadline=None)
@given(provider_sets())
def test_yaml_is_schema_valid_and_loads_back_to_the_same_data(sources: list[ProviderSource]) -> None:
    loaded = yaml.safe_load(render_matrix_yaml(sources))
    VALIDATOR.validate(loaded)
    assert loaded == matrix_data(sources)


@settings(max_examples=40, deadline=None)
@given(provider_sets())
def test_per_provider_counts_sum_to_the_catalog(sources: list[ProviderSource]) -> None:
    data = matrix_data(sources)
    assert list(data["providers"]) == sorted(source.name for source in sources)
    for source in sources:
        entry = data["providers"][source.name]
        totals = entry["totals"]
        assert sum(totals[status.value] for status in OperationStatus) == len(OPERATION_NAMES)
        assert totals["implemented"] == totals["supported"] + totals["basic"]
        assert list(entry["operations"]) == list(OPERATION_NAMES)
        for key, operation in (
            ("disposition_reasons", "get_disposition_reasons"),
            ("all_application_stages", "get_all_application_stages"),
        ):
            derived = entry["configuration"][key]
            assert derived["status"] == entry["operations"][operation]["status"]
            assert derived["available"] == source.manifest.status_of(operation).implemented


@settings(max_examples=15, deadline=None)
@given(provider_sets(), st.integers(0, 2**32))
def test_every_output_is_byte_identical_across_runs_and_declaration_orders(
    sources: list[ProviderSource], seed: int
) -> None:
    def everything(given_sources: list[ProviderSource]) -> dict[Any, str]:
        return {
            **matrix_outputs(given_sources),
            **checklist_outputs(given_sources),
            **page_outputs(given_sources, ("md", "mdx")),
        }

    first = everything(sources)
    assert everything(sources) == first
    assert everything(_shuffled(sources, seed)) == first


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(matrix_schema())


def test_schema_rejects_a_matrix_missing_an_operation(acme: ProviderSource) -> None:
    data = matrix_data([acme])
    del data["providers"]["acme"]["operations"]["stream_jobs"]
    assert not VALIDATOR.is_valid(data)
