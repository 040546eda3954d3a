"""TempWorks' change feed against its sandbox: subscriptions are idempotent, deliveries are verified and read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from ats_tempworks.changes import DEFAULT_TOPICS

from ats_core import ATSClient, connect
from ats_core.errors import AuthenticationFailed, ConfigurationError, InvalidInput
from ats_core.models import ChangeKind
from ats_core.sandbox import RunningSandbox, SandboxOptions, start_sandbox

SECRET = "s3cret-header-value"
CALLBACK = "http://127.0.0.1:9/changes/acme"


@pytest.fixture(scope="module")
def feed_sandbox() -> Iterator[RunningSandbox]:
    running = start_sandbox("tempworks", SandboxOptions(size=5, seed=3))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture()
def feed_client(feed_sandbox: RunningSandbox) -> Iterator[ATSClient]:
    settings = {**feed_sandbox.settings, "webhook_header_value": SECRET}
    with connect("tempworks", settings) as connected:
        yield connected
        connected.unsubscribe_changes(None)


def _envelope(event: str = "employee.updated", payload: Any = None) -> bytes:
    body = {
        "subscriptionId": "x",
        "timestamp": "2026-12-02T08:00:00",
        "eventName": event,
        "tenantName": "t",
        "payload": {"employeeId": 4021} if payload is None else payload,
    }
    return json.dumps(body).encode()


def test_subscribing_twice_makes_one_subscription_per_topic(feed_client: ATSClient) -> None:
    first = feed_client.subscribe_changes(CALLBACK, None, None, None)
    again = feed_client.subscribe_changes(CALLBACK, None, None, None)
    assert sorted(s.topic for s in first) == sorted(DEFAULT_TOPICS)
    assert {s.subscription_id for s in again} == {s.subscription_id for s in first}


def test_unsubscribing_removes_every_subscription_to_the_url(feed_client: ATSClient) -> None:
    feed_client.subscribe_changes(CALLBACK, None, None, ["employee.updated"])
    removed = feed_client.unsubscribe_changes(CALLBACK)
    assert [s.topic for s in removed] == ["employee.updated"]
    assert feed_client.list_change_subscriptions() == []


def test_a_delivery_with_the_header_is_read_as_a_change(feed_client: ATSClient) -> None:
    (event,) = feed_client.parse_change_event({"x-ats-webhook-token": SECRET}, _envelope())
    assert (event.entity, event.remote_id, event.kind, event.topic) == (
        "candidate",
        "4021",
        ChangeKind.UPDATED,
        "employee.updated",
    )
    assert event.occurred_at is not None and event.occurred_at.utcoffset() is not None


@pytest.mark.parametrize(
    ("event", "payload", "entity", "kind"),
    [
        ("joborder.custompropertyupdated", {"jobOrderId": 7}, "job", ChangeKind.CUSTOM_FIELDS_UPDATED),
        ("assignment.created", {"assignmentId": "9"}, "application", ChangeKind.CREATED),
        ("customer.updated", {"customerId": 3}, "customer", ChangeKind.UPDATED),
    ],
)
def test_topics_map_to_entities_and_kinds(
    feed_client: ATSClient, event: str, payload: dict[str, Any], entity: str, kind: ChangeKind
) -> None:
    (change,) = feed_client.parse_change_event({"X-ATS-Webhook-Token": SECRET}, _envelope(event, payload))
    assert (change.entity, change.kind) == (entity, kind)


@pytest.mark.parametrize("headers", [{}, {"X-ATS-Webhook-Token": "wrong"}, {"X-ATS-Webhook-Token": SECRET + "x"}])
def test_a_delivery_without_the_right_header_is_refused(feed_client: ATSClient, headers: dict[str, str]) -> None:
    with pytest.raises(AuthenticationFailed) as refused:
        feed_client.parse_change_event(headers, _envelope())
    assert SECRET not in str(refused.value)


@pytest.mark.parametrize("body", [b"not json", b"[]", _envelope(payload={}), _envelope(event="nodot")])
def test_a_malformed_delivery_is_invalid_input(feed_client: ATSClient, body: bytes) -> None:
    with pytest.raises(InvalidInput):
        feed_client.parse_change_event({"X-ATS-Webhook-Token": SECRET}, body)


def test_without_a_configured_header_value_nothing_is_accepted(feed_sandbox: RunningSandbox) -> None:
    with connect("tempworks", feed_sandbox.settings) as unconfigured:
        with pytest.raises(ConfigurationError):
            unconfigured.parse_change_event({"X-ATS-Webhook-Token": ""}, _envelope())
        with pytest.raises(ConfigurationError):
            unconfigured.subscribe_changes(CALLBACK, None, None, None)
