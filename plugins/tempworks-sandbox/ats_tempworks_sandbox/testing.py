"""Helpers for tests that drive the sandbox: the vendor token form, and any WSGI app on a loopback socket.

The TempWorks plugin's tests import these too (a tampering proxy, webhook receivers), so neither test suite
keeps its own copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ats_tempworks_sandbox.auth import GRANT_TYPE
from ats_tempworks_sandbox.server import LoopbackServer

__all__ = ["LoopbackServer", "vendor_token_form"]


def vendor_token_form(settings: Mapping[str, Any], **overrides: str) -> dict[str, str]:
    """The token form of TempWorks' vendor grant for a sandbox's settings, with fields overridden."""
    form = {
        "grant_type": GRANT_TYPE,
        "client_id": settings["client_id"],
        "client_secret": settings["client_secret"],
        "acr_values": f"tenant:{settings['tenant']} pid:{settings['pid']}",
    }
    form.update(overrides)
    return form
