"""Passthrough: one request to the ATS's own API, relative to the connection's base URL, answered as data.

The caller names a method and a path the canonical operations do not cover; the request goes through the
connection's auth, rate limit, retries, deadlines and size cap like any other. Only base-URL-relative
paths are sent (an absolute URL, `..` or a backslash would leave the tenant's API with its credentials);
POST and PATCH are never retried once they may have reached the server; secrets are scrubbed from the
headers and body handed back, and credential headers are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import httpx

from ats_core.errors import InvalidInput
from ats_core.http.client import ApiClient
from ats_core.http.errors import scrub
from ats_core.models import PassthroughResponse

__all__ = ["PASSTHROUGH_METHODS", "passthrough", "relative_path"]

PASSTHROUGH_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_HIDDEN_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "www-authenticate"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def relative_path(path: str) -> str:
    """`path` as a base-URL-relative path (leading slash), or InvalidInput saying why it cannot be sent."""
    if not isinstance(path, str) or not path.strip():
        raise InvalidInput("path", "is empty; give a path relative to the connection's base URL, e.g. '/Branches'")
    decoded = unquote(path.strip())
    if _SCHEME.match(decoded) or decoded.startswith("//"):
        raise InvalidInput("path", "is an absolute URL; give a path relative to the connection's base URL")
    if "\\" in decoded or any(ord(char) < 32 or ord(char) == 127 for char in decoded):
        raise InvalidInput("path", "contains a backslash or a control character")
    if ".." in decoded.split("?")[0].split("/"):
        raise InvalidInput("path", "contains '..'; give the path within the ATS API as it is")
    if "?" in decoded or "#" in decoded:
        raise InvalidInput("path", "contains a query or fragment; pass query parameters as `params`")
    return "/" + path.strip().lstrip("/")


def passthrough(
    api: ApiClient,
    method: str,
    path: str,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
) -> PassthroughResponse:
    """Send one request through `api` and return its status, safe headers and decoded body."""
    verb = method.strip().upper() if isinstance(method, str) else ""
    if verb not in PASSTHROUGH_METHODS:
        raise InvalidInput("method", f"must be one of {', '.join(sorted(PASSTHROUGH_METHODS))}")
    if json is not None and verb in ("GET", "DELETE"):
        raise InvalidInput("json", f"a {verb} request carries no body")
    response = api.request(verb, relative_path(path), params=params, json=json)
    secrets = api.secret_values()
    return PassthroughResponse(
        status_code=response.status_code,
        headers={
            name: scrub(value, secrets) or ""
            for name, value in response.headers.items()
            if name.lower() not in _HIDDEN_HEADERS
        },
        body=_scrubbed(_body(api, response), secrets),
    )


def _body(api: ApiClient, response: httpx.Response) -> Any:
    """The decoded JSON body when it is JSON, else the text (None when empty)."""
    if not response.content.strip():
        return None
    if "json" in response.headers.get("content-type", "").lower():
        return api.decode(response)
    return response.text


def _scrubbed(value: Any, secrets: tuple[str, ...]) -> Any:
    """`value` with every secret in its texts (keys included) replaced by `***`."""
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, list):
        return [_scrubbed(item, secrets) for item in value]
    if isinstance(value, dict):
        return {scrub(str(key), secrets): _scrubbed(item, secrets) for key, item in value.items()}
    return value
