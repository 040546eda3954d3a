"""The shared HTTP layer providers build on: auth flows, rate limiting, retries, timeouts, pagers, typed errors.

Nothing here names a provider; each provider configures it from its own declaration and settings::

    api = ApiClient(
        "acme",
        settings.base_url,
        auth=OAuth2ClientCredentials(settings.token_url, settings.client_id, settings.client_secret, provider="acme"),
        rate_limit=RateLimiter(manifest.rate_limit.requests, manifest.rate_limit.per_seconds),
        timeouts=Timeouts(default=30, slow=360),
    )
    pager = OffsetPager(
        lambda skip, take: to_page(api.get_json("/items", operation="list_items", params={"skip": skip, "take": take})),
        page_size=500,
        concurrency=2,
    )
"""

from ats_core.http.auth import BasicAuth, HeaderToken, OAuth2ClientCredentials, OAuth2RefreshToken, SecretBearingAuth
from ats_core.http.body import DEFAULT_MAX_RESPONSE_BYTES, ResponseTooLarge
from ats_core.http.client import ApiClient
from ats_core.http.clock import Clock, FakeClock, SystemClock
from ats_core.http.deadline import RequestDeadlineExceeded
from ats_core.http.errors import error_for_response, provider_message
from ats_core.http.headers import ensure_header_safe
from ats_core.http.jsonbody import decode_json
from ats_core.http.pagers import CursorPager, OffsetPage, OffsetPager, PageNumberPager, PagingLoopError
from ats_core.http.passthrough import PASSTHROUGH_METHODS, passthrough, relative_path
from ats_core.http.rate_headers import parse_reset, parse_retry_after
from ats_core.http.ratelimit import RateLimiter
from ats_core.http.retry import RetryPolicy, Timeouts
from ats_core.http.stats import RequestStats
from ats_core.http.urls import ensure_secure_url, is_loopback_host

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "PASSTHROUGH_METHODS",
    "ApiClient",
    "BasicAuth",
    "Clock",
    "CursorPager",
    "FakeClock",
    "HeaderToken",
    "OAuth2ClientCredentials",
    "OAuth2RefreshToken",
    "OffsetPage",
    "OffsetPager",
    "PageNumberPager",
    "PagingLoopError",
    "RateLimiter",
    "RequestDeadlineExceeded",
    "RequestStats",
    "ResponseTooLarge",
    "RetryPolicy",
    "SecretBearingAuth",
    "SystemClock",
    "Timeouts",
    "decode_json",
    "ensure_header_safe",
    "ensure_secure_url",
    "error_for_response",
    "is_loopback_host",
    "parse_reset",
    "parse_retry_after",
    "passthrough",
    "provider_message",
    "relative_path",
]
