"""Event subscriptions, Bullhorn's pull change feed: a queue per subscription, read in numbered batches.

Reading a batch consumes its events; `requestId=N` reads batch N again (a client that lost an answer
replays it). Unread events expire after the tenant's event TTL. Memory is bounded: a subscription keeps
at most `MAX_PENDING` unread events (older ones are dropped, as expired ones are) and its last
`KEPT_BATCHES` batches for replay.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ENTITY_EVENT_TYPES", "KEPT_BATCHES", "MAX_EVENTS_PER_REQUEST", "EventHub", "Subscription"]

ENTITY_EVENT_TYPES = ("INSERTED", "UPDATED", "DELETED")
MAX_EVENTS_PER_REQUEST = 100
MAX_PENDING = 100_000
KEPT_BATCHES = 50
_DAY_MS = 86_400_000


@dataclass
class Subscription:
    """One subscription: what it listens to, its unread events and its recent batches."""

    subscription_id: str
    names: frozenset[str]
    event_types: frozenset[str]
    created_on: int
    jms_selector: str
    pending: deque[dict[str, Any]] = field(default_factory=deque)
    batches: OrderedDict[int, list[dict[str, Any]]] = field(default_factory=OrderedDict)
    last_request_id: int = 0
    dropped: int = 0

    def description(self) -> dict[str, Any]:
        return {
            "subscriptionId": self.subscription_id,
            "createdOn": self.created_on,
            "lastRequestId": self.last_request_id,
            "jmsSelector": self.jms_selector,
        }


class EventHub:
    """All subscriptions of one corporation; publish() fans an entity event out to the matching ones."""

    def __init__(self, corporation_id: int, max_subscriptions: int, ttl_days: float) -> None:
        self.corporation_id = corporation_id
        self.max_subscriptions = max_subscriptions
        self.ttl_ms = int(ttl_days * _DAY_MS)
        self.subscriptions: dict[str, Subscription] = {}
        self.next_event = 40_071_959
        self.published = 0

    def subscribe(self, subscription_id: str, names: list[str], event_types: list[str], now_ms: int) -> Subscription:
        quoted_names = ",".join(f"'{name}'" for name in names)
        quoted_types = ",".join(f"'{kind}'" for kind in event_types)
        name_clause = f"BhEntityName={quoted_names}" if len(names) == 1 else f"BhEntityName IN ({quoted_names})"
        selector = (
            f"JMSType='ENTITY' AND BhCorpId={self.corporation_id} AND {name_clause} "
            f"AND BhEntityEventType IN ({quoted_types})"
        )
        subscription = Subscription(subscription_id, frozenset(names), frozenset(event_types), now_ms, selector)
        self.subscriptions[subscription_id] = subscription
        return subscription

    def unsubscribe(self, subscription_id: str) -> bool:
        return self.subscriptions.pop(subscription_id, None) is not None

    def publish(
        self,
        entity: str,
        entity_id: int,
        event_type: str,
        now_ms: int,
        person_id: int,
        updated: list[str] | None = None,
    ) -> None:
        """Queue one entity event for every subscription listening to it."""
        targets = [s for s in self.subscriptions.values() if entity in s.names and event_type in s.event_types]
        self.published += 1
        if not targets:
            return
        self.next_event += 1
        metadata = {"PERSON_ID": str(person_id)}
        if event_type != "INSERTED":
            metadata["TRANSACTION_ID"] = str(uuid.uuid4())
        event: dict[str, Any] = {
            "eventId": f"ID:JBM-{self.next_event}",
            "eventType": "ENTITY",
            "eventTimestamp": now_ms,
            "eventMetadata": metadata,
            "entityName": entity,
            "entityId": entity_id,
            "entityEventType": event_type,
        }
        if event_type == "UPDATED":
            event["updatedProperties"] = sorted(updated or [])
        for subscription in targets:
            if len(subscription.pending) >= MAX_PENDING:
                subscription.pending.popleft()
                subscription.dropped += 1
            subscription.pending.append(dict(event))

    def expire(self, subscription: Subscription, now_ms: int) -> None:
        while subscription.pending and subscription.pending[0]["eventTimestamp"] < now_ms - self.ttl_ms:
            subscription.pending.popleft()
            subscription.dropped += 1

    def read(self, subscription: Subscription, max_events: int, now_ms: int) -> tuple[int, list[dict[str, Any]]]:
        """Consume up to `max_events` (at most MAX_EVENTS_PER_REQUEST) as a new batch; (0, []) when none wait."""
        self.expire(subscription, now_ms)
        if not subscription.pending:
            return 0, []
        count = min(max_events, MAX_EVENTS_PER_REQUEST, len(subscription.pending))
        events = [subscription.pending.popleft() for _ in range(count)]
        subscription.last_request_id += 1
        subscription.batches[subscription.last_request_id] = events
        while len(subscription.batches) > KEPT_BATCHES:
            subscription.batches.popitem(last=False)
        return subscription.last_request_id, events
