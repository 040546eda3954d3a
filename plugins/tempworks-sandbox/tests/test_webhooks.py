"""Webhooks: subscriptions (404 when none), events queued on writes, delivery over loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import httpx
from ats_tempworks_sandbox.testing import LoopbackServer
from werkzeug.wrappers import Request, Response

from ats_core.sandbox import SandboxOptions, start_sandbox

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

SUBSCRIPTIONS = "/webhooks/api/Subscriptions"


def _subscribe(sandbox: Any, topic: str, callback: str = "https://hooks.example/tw") -> str:
    body = {
        "topicName": topic,
        "callbackUrl": callback,
        "callbackUrlIsSensitive": False,
        "httpMethod": "POST",
        "httpHeaderName": "X-Secret",
        "httpHeaderValue": "s3cret",
        "httpHeaderValueIsSensitive": True,
    }
    response = sandbox.post(SUBSCRIPTIONS, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["subscriptionId"])


def test_subscriptions_list_is_404_when_empty_then_lists_mine(sandbox: Any) -> None:
    assert sandbox.get(SUBSCRIPTIONS).status_code == 404
    subscription_id = _subscribe(sandbox, "employee.created")
    listed = sandbox.get(SUBSCRIPTIONS).json()["subscriptions"]
    assert [s["subscriptionId"] for s in listed] == [subscription_id]
    assert {
        "subscriptionId",
        "clientId",
        "tenantName",
        "topicName",
        "callbackUrl",
        "srIdent",
        "created",
        "lastModified",
        "isActive",
    } == set(listed[0])
    assert sandbox.http.delete(f"{SUBSCRIPTIONS}/{subscription_id}", headers=sandbox.bearer()).status_code == 204
    assert sandbox.get(SUBSCRIPTIONS).status_code == 404


def test_unknown_topic_is_refused(sandbox: Any) -> None:
    response = sandbox.post(SUBSCRIPTIONS, json={"topicName": "employee.exploded", "callbackUrl": "https://x.example"})
    assert response.status_code == 400 and "TopicName" in response.json()["errors"]


def test_writes_publish_events_to_matching_subscriptions(sandbox: Any) -> None:
    created_sub = _subscribe(sandbox, "employee.created")
    custom_sub = _subscribe(sandbox, "employee.custompropertyupdated")
    _subscribe(sandbox, "assignment.created")
    employee_id = sandbox.post("/Employees", json={"firstName": "Web", "lastName": "Hook"}).json()["employeeId"]
    definition = sandbox.get("/CustomData/1/definitions").json()["data"][0]
    sandbox.put(
        f"/Employees/{employee_id}/CustomData",
        json=[{"propertyDefinitionId": definition["propertyDefinitionId"], "propertyValue": "M"}],
    )
    pending = list(sandbox.state.webhooks.pending)
    assert [(d.envelope["subscriptionId"], d.envelope["eventName"]) for d in pending] == [
        (created_sub, "employee.created"),
        (custom_sub, "employee.custompropertyupdated"),
    ]
    assert pending[0].envelope["payload"] == {"employeeId": employee_id}
    assert pending[0].envelope["tenantName"] == sandbox.settings["tenant"]
    assert pending[1].envelope["payload"]["propertyValues"] == [
        {
            "propertyDefinitionId": definition["propertyDefinitionId"],
            "propertyName": definition["propertyName"],
            "propertyValue": "M",
        }
    ]


def test_events_are_delivered_to_the_callback_over_loopback(fetch_bearer: Any) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    arrived = threading.Event()

    def receiver(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        received.append((json.loads(request.get_data()), request.headers.get("X-Secret")))
        arrived.set()
        return Response(status=200)(environ, start_response)

    callback_server = LoopbackServer(receiver)
    sandbox = start_sandbox("tempworks", SandboxOptions(size=20, faults={"rate_limit": "off"}))
    try:
        with httpx.Client(base_url=sandbox.base_url, headers=fetch_bearer(sandbox.settings)) as http:
            callback = f"{callback_server.base_url}/hook"
            subscribed = http.post(
                sandbox.webhooks_url + "/Subscriptions",
                json={
                    "topicName": "employee.created",
                    "callbackUrl": callback,
                    "httpHeaderName": "X-Secret",
                    "httpHeaderValue": "s3cret",
                },
            )
            assert subscribed.status_code == 201
            employee_id = http.post("/Employees", json={"firstName": "Live", "lastName": "Hook"}).json()["employeeId"]
        assert arrived.wait(timeout=30)
        envelope, secret = received[0]
        assert envelope["eventName"] == "employee.created" and envelope["payload"] == {"employeeId": employee_id}
        assert secret == "s3cret"
    finally:
        sandbox.stop()
        callback_server.stop()
    assert sandbox.state.stats()["webhooks"]["delivered"] == 1
