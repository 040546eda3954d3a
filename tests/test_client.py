"""The typed facade: dispatch to one provider, typed refusals, input checks, audit middleware."""

from __future__ import annotations

import inspect
import logging
from datetime import datetime
from typing import Any

import pytest
from fixture_providers import FixtureProviderBase, manifest_for
from hypothesis import given
from hypothesis import strategies as st

from ats_core import NoSettings, Provider, ProviderContext, hookimpl
from ats_core.client import ATSClient
from ats_core.errors import CapabilityNotSupported, InvalidInput, NotFound, PluginError, ProviderContractError
from ats_core.middleware import AuditMiddleware
from ats_core.models import Candidate
from ats_core.operations import OPERATIONS, Operation, ReturnKind
from ats_core.registry import LoadedProvider

DUMMY_ARGUMENTS: dict[str, Any] = {
    "updated_after": None,
    "statuses": None,
    "for_job_ids": None,
    "cursor": None,
    "page_size": None,
    "application_ids": ["1"],
    "limit": 5,
    "updates": {"field": "value"},
    "pdf_b64": "JVBERi0=",
    "note_action_type": None,
}


def client_for(
    implemented: tuple[str, ...] = ("stream_candidates", "get_candidate_by_id"), middleware: list[object] | None = None
) -> ATSClient:
    cls = type("FixtureProvider", (FixtureProviderBase, Provider), {"manifest": manifest_for(implemented=implemented)})
    provider = cls(NoSettings(), ProviderContext(provider="fixture"))
    return ATSClient(LoadedProvider("fixture", "tests:FixtureProvider", cls), provider, middleware or [])


def arguments(op: Operation) -> dict[str, Any]:
    return {name: DUMMY_ARGUMENTS.get(name, "1") for name in op.parameters}


UNSUPPORTED = [op for op in OPERATIONS if op.name not in ("stream_candidates", "get_candidate_by_id")]


@pytest.mark.parametrize("op", UNSUPPORTED, ids=lambda op: op.name)
def test_every_non_supported_operation_raises_with_status_and_reason(op: Operation) -> None:
    client = client_for()
    with pytest.raises(CapabilityNotSupported) as excinfo:
        getattr(client, op.name)(**arguments(op))
    error = excinfo.value
    assert (error.provider, error.operation, error.status) == ("fixture", op.name, "not_implemented")
    assert error.reason == f"{op.name} is not built yet"
    assert op.name in str(error)


def test_supported_operations_reach_the_provider() -> None:
    client = client_for()
    assert [c.remote_id for c in client.stream_candidates()] == ["1", "2"]
    assert client.get_candidate_by_id("42").remote_id == "42"
    assert client.supports("stream_candidates") and not client.supports("stream_jobs")


def test_provider_errors_pass_through_unchanged() -> None:
    class Missing(FixtureProviderBase):
        @hookimpl
        def get_candidate_by_id(self, candidate_id: str) -> Candidate:
            raise NotFound(method="GET", path=f"/candidates/{candidate_id}", status_code=404)

    cls = type("MissingProvider", (Missing, Provider), {"manifest": manifest_for()})
    client = ATSClient(LoadedProvider("fixture", "x:y", cls), cls(NoSettings(), ProviderContext("fixture")))
    with pytest.raises(NotFound, match=r"fixture.get_candidate_by_id: GET /candidates/9 -> HTTP 404"):
        client.get_candidate_by_id("9")


def test_naive_updated_after_is_refused_before_the_provider_is_called() -> None:
    with pytest.raises(InvalidInput, match="updated_after.*time zone"):
        client_for().stream_candidates(updated_after=datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.get_candidate_by_id("  "), "candidate_id"),
        (lambda c: c.bulk_reject_applications([], "r"), "application_ids"),
        (lambda c: c.find_candidates_by_details(), "first_name"),
        (lambda c: c.fetch_enhanced_jobs_page(page_size=0), "page_size"),
    ],
)
def test_bad_input_is_a_typed_error_naming_the_field(call: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        call(client_for())
    assert excinfo.value.field == field


def test_audit_middleware_logs_operation_outcome_and_duration(caplog: pytest.LogCaptureFixture) -> None:
    ticks = iter([0.0, 0.25, 1.0, 1.5])
    client = client_for(middleware=[AuditMiddleware("fixture", clock=lambda: next(ticks))])
    with caplog.at_level(logging.INFO, logger="ats_core.audit"):
        assert len(list(client.stream_candidates())) == 2
        client.get_candidate_by_id("7")
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "fixture.stream_candidates outcome=ok duration_ms=250.0 records=2",
        "fixture.get_candidate_by_id outcome=ok duration_ms=500.0",
    ]


@given(st.emails(), st.from_regex(r"\+1[2-9]\d{9}", fullmatch=True))
def test_audit_log_never_holds_arguments(email: str, phone: str) -> None:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("ats_core.audit.test")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        client = client_for(middleware=[AuditMiddleware("fixture", logger=logger)])
        client.get_candidate_by_id(email)
        with pytest.raises(CapabilityNotSupported):
            client.find_candidates_by_details(email=email, phone=phone)
    finally:
        logger.removeHandler(handler)
    text = " ".join(r.getMessage() + repr(r.__dict__) for r in records)
    assert email not in text and phone not in text


# --- results checked against the catalog's return kind (issue 13) --------------------------------------

_NOT_A_RECORD = object()


def _bad_results(op: Operation) -> list[object]:
    """Answers of the wrong shape for `op`'s return kind: None where it is not allowed, [] where a list is not
    the answer, an object of another type, and a container holding one."""
    bad: list[object] = [_NOT_A_RECORD]
    if op.returns is not ReturnKind.OPTIONAL_RECORD:
        bad.append(None)
    if op.returns is ReturnKind.LIST:
        bad.append([_NOT_A_RECORD])
    else:
        bad.append([])
    if op.returns is ReturnKind.ITERATOR:
        bad.append(iter([None]))
    return bad


def _answering(op: Operation, answer: object) -> ATSClient:
    """A client whose provider answers `op` with `answer` (the registry would refuse the short signature)."""

    def hook(self: object, **_: Any) -> object:
        return answer

    hook.__name__ = op.name
    hook.__signature__ = inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)])  # type: ignore[attr-defined]
    cls = type("Answering", (Provider,), {"manifest": manifest_for(implemented=(op.name,)), op.name: hookimpl(hook)})
    provider = cls(NoSettings(), ProviderContext(provider="fixture"))
    return ATSClient(LoadedProvider("fixture", "tests:Answering", cls), provider)


@pytest.mark.parametrize(
    ("op", "answer"),
    [(op, answer) for op in OPERATIONS for answer in _bad_results(op)],
    ids=lambda value: value.name if isinstance(value, Operation) else type(value).__name__,
)
def test_an_answer_of_the_wrong_shape_is_a_contract_error_naming_provider_and_operation(
    op: Operation, answer: object
) -> None:
    client = _answering(op, answer)
    with pytest.raises(ProviderContractError) as raised:
        result = getattr(client, op.name)(**arguments(op))
        list(result)  # a stream is checked record by record as it is read
    assert (raised.value.provider, raised.value.operation) == ("fixture", op.name)
    assert str(raised.value).startswith(f"fixture.{op.name}: ")


def test_middleware_with_a_plain_hookimpl_is_refused_at_registration() -> None:
    class Hijacker:
        @hookimpl
        def get_candidate_by_id(self, candidate_id: str) -> Candidate:
            return Candidate(provider="fixture", remote_id="not-the-provider's")

    with pytest.raises(PluginError, match=r"middleware Hijacker.get_candidate_by_id is a plain hookimpl"):
        client_for(middleware=[Hijacker()])
