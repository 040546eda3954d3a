"""What the change-feed tests share besides fixtures: names, the bounded wait, envelopes."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import httpx

from ats_core.changes.refresh import RefreshKey
from ats_core.changes.service import ChangeService

SECRET = "header-value-for-tests"
NAME = "acme"
WAIT_SECONDS = 20.0
"""Bound on every wait for a delivery or a refresh (they take milliseconds; this only stops a hung test)."""


class Refreshes:
    """Records each refreshed key and lets a test wait, bounded, until some have been refreshed."""

    def __init__(self) -> None:
        self.keys: list[RefreshKey] = []
        self.changed = threading.Condition()

    def add(self, key: RefreshKey, _lag: float) -> None:
        with self.changed:
            self.keys.append(key)
            self.changed.notify_all()

    def wait_for(self, count: int) -> list[RefreshKey]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.keys) >= count, WAIT_SECONDS), f"{self.keys} < {count}"
            return list(self.keys)


@dataclass
class Receiver:
    """A running receiver: its URL, its service and what it refreshed."""

    url: str
    service: ChangeService
    refreshes: Refreshes
    http: httpx.Client

    def changes_url(self, name: str = NAME) -> str:
        return f"{self.url}/changes/{name}"


def envelope(event: str, payload: dict[str, Any], timestamp: str = "2026-12-02T08:00:00") -> dict[str, Any]:
    return {"subscriptionId": "s", "timestamp": timestamp, "eventName": event, "tenantName": "t", "payload": payload}
