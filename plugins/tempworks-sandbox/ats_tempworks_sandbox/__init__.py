"""A local TempWorks REST API with seeded data and fault injection (see the README's "TempWorks sandbox").

`start_sandbox(SandboxOptions(...))` serves it on a loopback port; `create_app(...)` gives the WSGI app
for in-process tests with `httpx.WSGITransport`.
"""

from __future__ import annotations

from ats_tempworks_sandbox.app import ROUTES, SandboxApp
from ats_tempworks_sandbox.faults import ALL_SCOPES, FAULT_HELP, FaultConfig, parse_faults
from ats_tempworks_sandbox.handlers import DEFAULT_TAKE, MAX_TAKE
from ats_tempworks_sandbox.search import MODIFIED_COLUMN
from ats_tempworks_sandbox.server import TempWorksSandbox, create_app, start_sandbox
from ats_tempworks_sandbox.state import SandboxState
from ats_tempworks_sandbox.tenant import ASSIGNMENT, EMPLOYEE, JOB_ORDER

__all__ = [
    "ALL_SCOPES",
    "ASSIGNMENT",
    "DEFAULT_TAKE",
    "EMPLOYEE",
    "FAULT_HELP",
    "JOB_ORDER",
    "MAX_TAKE",
    "MODIFIED_COLUMN",
    "ROUTES",
    "FaultConfig",
    "SandboxApp",
    "SandboxState",
    "TempWorksSandbox",
    "create_app",
    "parse_faults",
    "start_sandbox",
]
