"""TempWorks' change feed: webhook subscriptions (one per topic) and the envelopes TempWorks posts.

TempWorks does not sign its events. The only check it allows is a static header of the subscriber's
choosing, sent with every delivery; `parse_envelope` compares it in constant time.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ats_core.sdk import errors, fields, models

__all__ = ["DEFAULT_TOPICS", "TOPIC_ENTITIES", "parse_envelope", "subscription_body", "topics_to_add", "verify_header"]

TOPIC_ENTITIES: Mapping[str, tuple[str, str]] = {
    "employee": ("candidate", "employeeId"),
    "joborder": ("job", "jobOrderId"),
    "assignment": ("application", "assignmentId"),
    "customer": ("customer", "customerId"),
    "contact": ("contact", "contactId"),
}
"""TempWorks topic prefix -> (entity, the payload key of the record id); customers and contacts are outside the catalog."""

_KINDS = {
    "created": models.ChangeKind.CREATED,
    "custompropertyupdated": models.ChangeKind.CUSTOM_FIELDS_UPDATED,
    "contactmethoddeleted": models.ChangeKind.UPDATED,  # the employee's contact method is gone, not the employee
}

DEFAULT_TOPICS = tuple(
    f"{prefix}.{event}"
    for prefix in ("employee", "joborder", "assignment")
    for event in ("created", "updated", "custompropertyupdated")
)
"""What `subscribe_changes` subscribes to without topics: every change of the catalog's records."""


def subscription_body(
    topic: str, callback_url: str, header_name: str | None, header_value: str | None
) -> dict[str, Any]:
    """The `POST /api/Subscriptions` body of one topic; the header value is marked sensitive."""
    return {
        "topicName": topic,
        "callbackUrl": callback_url,
        "callbackUrlIsSensitive": False,
        "httpMethod": "POST",
        "httpHeaderName": header_name,
        "httpHeaderValue": header_value,
        "httpHeaderValueIsSensitive": header_value is not None,
    }


def verify_header(headers: Mapping[str, str], name: str, expected: str) -> None:
    """Refuse a delivery whose `name` header is missing or differs from `expected` (compared in constant time)."""
    given = next((value for key, value in headers.items() if key.lower() == name.lower()), None)
    if given is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise errors.AuthenticationFailed(
            f"the webhook header {name} is missing or wrong",
            status_code=401,
            hint="the subscription's header value must equal the webhook_header_value setting",
        )


def parse_envelope(provider: str, body: bytes, zone: ZoneInfo) -> list[models.ChangeEvent]:
    """The change one envelope `{subscriptionId, timestamp, eventName, tenantName, payload}` reports."""
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise errors.InvalidInput("body", "is not JSON; TempWorks posts a JSON envelope") from None
    if not isinstance(envelope, dict):
        raise errors.InvalidInput("body", "must be a JSON object (the TempWorks event envelope)")
    topic, payload = envelope.get("eventName"), envelope.get("payload")
    if not isinstance(topic, str) or "." not in topic or not isinstance(payload, dict):
        raise errors.InvalidInput("body", "needs eventName ('entity.event') and a payload object")
    prefix, event = topic.split(".", 1)
    entity, id_key = TOPIC_ENTITIES.get(prefix, (prefix, f"{prefix}Id"))
    remote_id = payload.get(id_key)
    if isinstance(remote_id, bool) or not isinstance(remote_id, int | str) or not str(remote_id).strip():
        raise errors.InvalidInput("body", f"the {topic} payload has no {id_key}")
    return [
        models.ChangeEvent(
            provider=provider,
            entity=entity,
            remote_id=str(remote_id),
            kind=_KINDS.get(event, models.ChangeKind.UPDATED),
            occurred_at=_occurred_at(envelope.get("timestamp"), zone),
            topic=topic,
            raw=envelope,
        )
    ]


def _occurred_at(value: Any, zone: ZoneInfo) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return fields.to_datetime(value, time_zone=zone)
    except fields.FieldValueError:
        return None


def topics_to_add(wanted: Sequence[str], existing: Sequence[models.ChangeSubscription], callback_url: str) -> list[str]:
    """The wanted topics not yet subscribed to `callback_url` (subscribe twice: nothing new)."""
    held = {s.topic for s in existing if s.callback_url in (callback_url, None)}
    return [topic for topic in dict.fromkeys(wanted) if topic not in held]
