"""URL safety checks: https only (loopback excepted), and same-origin tests for redirects."""

from __future__ import annotations

import ipaddress

import httpx

from ats_core.errors import ConfigurationError

__all__ = ["ensure_secure_url", "is_loopback_host", "same_origin", "url_for_humans"]


def is_loopback_host(host: str) -> bool:
    """True for `localhost` itself, 127.0.0.0/8 and ::1; names under `.localhost` are resolved like any other, so not."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_for_humans(url: httpx.URL) -> str:
    """Scheme, host, port and path of a URL: no credentials, no query string."""
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}{url.path}"


def ensure_secure_url(url: str | httpx.URL, setting: str) -> httpx.URL:
    """Return the URL parsed; raise ConfigurationError unless it is https or plain http to a loopback host.

    A URL carrying credentials (`https://user:pass@host/`) is refused too: they would travel in every
    request and show wherever the URL is shown. The message never repeats the URL's credentials.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(setting, f"is not a valid URL ({type(exc).__name__})") from None
    if parsed.userinfo:
        raise ConfigurationError(
            setting,
            f"must not contain credentials (user:password@{parsed.host}); remove them from the URL and set them "
            "in the credential settings instead",
        )
    if parsed.scheme == "https" and parsed.host:
        return parsed
    if parsed.scheme == "http" and parsed.host and is_loopback_host(parsed.host):
        return parsed
    raise ConfigurationError(
        setting,
        f"must be an https URL (got {parsed.scheme or 'no scheme'}://{parsed.host or ''}); "
        "plain http is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost)",
    )


def same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    """True when scheme, host and effective port match."""
    return (a.scheme, a.host.lower(), _port(a)) == (b.scheme, b.host.lower(), _port(b))


def _port(url: httpx.URL) -> int | None:
    if url.port is not None:
        return url.port
    return {"http": 80, "https": 443}.get(url.scheme)
