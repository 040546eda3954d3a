"""Keep query strings (search terms, emails, phones) out of httpx's own request log lines."""

from __future__ import annotations

import logging

import httpx

from ats_core.http.urls import url_for_humans

__all__ = ["QueryStringRedactor", "install_httpx_log_redaction"]


class QueryStringRedactor(logging.Filter):
    """Rewrites URL arguments of a log record to scheme, host and path: no query, no credentials."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(arg, httpx.URL) for arg in record.args):
            record.args = tuple(url_for_humans(arg) if isinstance(arg, httpx.URL) else arg for arg in record.args)
        return True


def install_httpx_log_redaction() -> None:
    """Attach the redactor to the `httpx` logger once; httpx logs every request URL at INFO."""
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, QueryStringRedactor) for f in httpx_logger.filters):
        httpx_logger.addFilter(QueryStringRedactor())
