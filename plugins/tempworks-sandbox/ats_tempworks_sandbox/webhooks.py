"""Webhook subscriptions and the events the sandbox publishes to them (delivery happens elsewhere)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ats_tempworks_sandbox.local_time import LocalTime
from ats_tempworks_sandbox.problems import ApiProblem
from ats_tempworks_sandbox.seeded import seeded_guid

__all__ = ["TOPICS", "Delivery", "Subscription", "WebhookHub"]

_EVENTS = ("created", "updated", "custompropertyupdated")
_CONTACT_EVENTS = ("addressupdated", "contactmethodcreated", "contactmethodupdated", "contactmethoddeleted")
TOPICS = frozenset(
    [f"{entity}.{event}" for entity in ("employee", "contact") for event in _EVENTS + _CONTACT_EVENTS]
    + [f"{entity}.{event}" for entity in ("assignment", "customer", "joborder") for event in _EVENTS]
)


@dataclass(frozen=True)
class Subscription:
    """One webhook subscription of a client."""

    subscription_id: str
    client_id: str
    topic_name: str
    callback_url: str
    callback_url_is_sensitive: bool
    http_method: str
    http_header_name: str | None
    http_header_value: str | None
    http_header_value_is_sensitive: bool
    created: str

    def as_json(self, tenant: str) -> dict[str, Any]:
        return {
            "subscriptionId": self.subscription_id,
            "clientId": self.client_id,
            "tenantName": tenant,
            "topicName": self.topic_name,
            "callbackUrl": "********" if self.callback_url_is_sensitive else self.callback_url,
            "srIdent": None,
            "created": self.created,
            "lastModified": self.created,
            "isActive": True,
        }


@dataclass(frozen=True)
class Delivery:
    """An event envelope waiting to be sent to one subscription's callback."""

    subscription: Subscription
    envelope: dict[str, Any]


class WebhookHub:
    """Subscriptions plus a queue of deliveries; `publish` is called with the state lock held."""

    def __init__(self, tenant: str, seed: int, clock: Callable[[], float], local: LocalTime) -> None:
        self.tenant = tenant
        self.seed = seed
        self.clock = clock
        self.local = local
        self.subscriptions: dict[str, Subscription] = {}
        self.pending: deque[Delivery] = deque()
        self.ready = threading.Condition()
        self.published = 0
        self.delivered = 0
        self.failed = 0

    def subscribe(self, client_id: str, body: Any) -> Subscription:
        if not isinstance(body, dict):
            raise ApiProblem.invalid("$", "The body must be a JSON object.")
        topic = body.get("topicName")
        if topic not in TOPICS:
            raise ApiProblem.invalid("TopicName", f"Unknown topic {topic!r}; topics: {', '.join(sorted(TOPICS))}.")
        callback = body.get("callbackUrl")
        if not isinstance(callback, str) or not callback.startswith(("http://", "https://")):
            raise ApiProblem.invalid("CallbackUrl", "The CallbackUrl field must be an http(s) URL.")
        method = str(body.get("httpMethod") or "POST").upper()
        if method != "POST":
            raise ApiProblem.invalid("HttpMethod", "Only POST callbacks are supported.")
        subscription = Subscription(
            seeded_guid(self.seed, 61, len(self.subscriptions) + self.published + 1, int(self.clock())),
            client_id,
            topic,
            callback,
            bool(body.get("callbackUrlIsSensitive")),
            method,
            body.get("httpHeaderName") or None,
            body.get("httpHeaderValue") or None,
            bool(body.get("httpHeaderValueIsSensitive")),
            self.local.format(self.clock()),
        )
        self.subscriptions[subscription.subscription_id] = subscription
        return subscription

    def unsubscribe(self, subscription_id: str) -> bool:
        return self.subscriptions.pop(subscription_id.lower(), None) is not None

    def publish(self, event_name: str, payload: dict[str, Any]) -> None:
        """Queue `event_name` for every subscription to that topic."""
        targets = [s for s in self.subscriptions.values() if s.topic_name == event_name]
        if not targets:
            return
        with self.ready:
            for subscription in targets:
                self.published += 1
                envelope = {
                    "subscriptionId": subscription.subscription_id,
                    "timestamp": self.local.format(self.clock()),
                    "eventName": event_name,
                    "tenantName": self.tenant,
                    "payload": payload,
                }
                self.pending.append(Delivery(subscription, envelope))
            self.ready.notify_all()

    def take(self, timeout: float | None = None) -> Delivery | None:
        """The next pending delivery, waiting up to `timeout` seconds (None when nothing came)."""
        with self.ready:
            if not self.pending:
                self.ready.wait(timeout)
            return self.pending.popleft() if self.pending else None

    def wake(self) -> None:
        with self.ready:
            self.ready.notify_all()
