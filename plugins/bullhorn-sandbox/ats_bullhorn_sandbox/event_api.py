"""`event/subscription/{id}`: subscribe (PUT), read or replay a batch (GET), last request id, unsubscribe."""

from __future__ import annotations

from werkzeug.wrappers import Request, Response

from ats_bullhorn_sandbox.entity_api import Payload
from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.events import ENTITY_EVENT_TYPES, Subscription
from ats_bullhorn_sandbox.store import SandboxState

__all__ = ["EventApi"]


class EventApi:
    """Handlers for event subscriptions (state lock held by the app)."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def _subscription(self, subscription_id: str) -> Subscription:
        subscription = self.state.events.subscriptions.get(subscription_id)
        if subscription is None:
            raise BullhornError(404, f"Subscription {subscription_id} does not exist.", "errors.subscriptionNotFound")
        return subscription

    def subscribe(self, request: Request, corp: str, subscription_id: str) -> Payload:
        hub = self.state.events
        kind = request.args.get("type", "")
        if kind != "entity":
            if kind in ("fieldMapChange", "jobMatchSearch"):
                raise BullhornError.bad_request(
                    f"The sandbox serves type=entity subscriptions only, not {kind}.", "errors.sandboxNotModelled"
                )
            raise BullhornError.bad_request(
                "Parameter type must be entity, fieldMapChange or jobMatchSearch.", "errors.badParameter"
            )
        names = [name.strip() for name in request.args.get("names", "").split(",") if name.strip()]
        event_types = [name.strip().upper() for name in request.args.get("eventTypes", "").split(",") if name.strip()]
        if not names or not event_types:
            raise BullhornError.bad_request("type=entity needs names and eventTypes.", "errors.missingParameter")
        unknown = [name for name in names if name not in self.state.schema]
        if unknown:
            raise BullhornError.unknown_entity(", ".join(unknown))
        bad_types = [kind for kind in event_types if kind not in ENTITY_EVENT_TYPES]
        if bad_types:
            raise BullhornError.bad_request(f"Unknown event type(s): {', '.join(bad_types)}", "errors.badParameter")
        if subscription_id in hub.subscriptions:
            raise BullhornError.bad_request(
                f"Subscription {subscription_id} already exists.", "errors.duplicateSubscription"
            )
        if len(hub.subscriptions) >= hub.max_subscriptions:
            raise BullhornError.bad_request(
                f"The corporation already has {hub.max_subscriptions} subscriptions; delete one first.",
                "errors.tooManySubscriptions",
            )
        subscription = hub.subscribe(subscription_id, names, event_types, self.state.now_ms())
        return 200, subscription.description()

    def read(self, request: Request, corp: str, subscription_id: str) -> Payload | Response:
        subscription = self._subscription(subscription_id)
        replay = request.args.get("requestId")
        if replay is not None:
            if not replay.isdigit():
                raise BullhornError.bad_request(f"requestId={replay!r} is not a whole number.", "errors.badParameter")
            events = subscription.batches.get(int(replay))
            if events is None:
                raise BullhornError(
                    404, f"Request {replay} of subscription {subscription_id} is not kept.", "errors.requestIdNotFound"
                )
            return 200, {"requestId": int(replay), "events": [dict(event) for event in events]}
        raw = request.args.get("maxEvents", "")
        if not raw.isdigit() or int(raw) < 1:
            raise BullhornError.bad_request(
                "Parameter maxEvents must be a positive whole number.", "errors.missingParameter"
            )
        request_id, events = self.state.events.read(subscription, int(raw), self.state.now_ms())
        if not events:
            return Response(b"", status=200, content_type="application/json;charset=UTF-8")
        return 200, {"requestId": request_id, "events": events}

    def last_request_id(self, request: Request, corp: str, subscription_id: str) -> Payload:
        return 200, {"result": self._subscription(subscription_id).last_request_id}

    def unsubscribe(self, request: Request, corp: str, subscription_id: str) -> Payload:
        return 200, {"result": self.state.events.unsubscribe(subscription_id)}
