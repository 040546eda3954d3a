"""A local Bullhorn REST API with seeded data, Bullhorn's login chain, event subscriptions and faults.

`start_sandbox(SandboxOptions(...))` serves it on a loopback port (the `ats_core.sandboxes` entry point
`bullhorn`); `create_app(...)` gives the WSGI app for in-process tests with `httpx.WSGITransport`.
See this distribution's README for the endpoints, options, faults and every inferred shape.
"""

from __future__ import annotations

from ats_bullhorn_sandbox.app import REST_ROUTES, WRONG_DATA_CENTRE, InjectedDisconnect, SandboxApp
from ats_bullhorn_sandbox.faults import FAULT_HELP, FaultConfig, parse_faults
from ats_bullhorn_sandbox.server import BullhornSandbox, create_app, start_sandbox
from ats_bullhorn_sandbox.store import SandboxState

__all__ = [
    "FAULT_HELP",
    "REST_ROUTES",
    "WRONG_DATA_CENTRE",
    "BullhornSandbox",
    "FaultConfig",
    "InjectedDisconnect",
    "SandboxApp",
    "SandboxState",
    "create_app",
    "parse_faults",
    "start_sandbox",
]
