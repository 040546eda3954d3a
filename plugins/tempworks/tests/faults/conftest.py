"""Fixtures of the fault tests: faulty sandboxes on loopback sockets, fast-retrying connections, and a leak check.

Every test here runs with DEBUG logging on the root logger and a handler capturing every record; at the end
of the test the records are scanned for the secrets and the candidate emails/phones of the sandboxes it
started (`leaks` fixture, autouse). Tests scan the exceptions they catch with `leaks.check_error(...)`.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import pytest
from ats_tempworks_sandbox import EMPLOYEE, TempWorksSandbox, start_sandbox
from ats_tempworks_sandbox.testing import LoopbackServer

from ats_core import ATSClient, connect
from ats_core.http import ApiClient, RetryPolicy
from ats_core.models import RejectedRecord
from ats_core.rejects import OnInvalid
from ats_core.sandbox import SandboxOptions

SEED = 29
FAST_RETRIES = RetryPolicy(max_attempts=8, max_elapsed_seconds=60, base_delay=0.001, max_delay=0.01)
"""Tiny backoff delays, so a fault run waits milliseconds per retry (the plugin has no retry setting)."""


class StepClock:
    """A sandbox clock that moves `step` seconds on every reading: server-side time passes per request, not per
    wall second, so token expiry mid-stream happens at the same point of every run."""

    def __init__(self, start: float = 1_800_000_000.0, step: float = 20.0) -> None:
        self._ticks = itertools.count()
        self._lock = threading.Lock()
        self.start = start
        self.step = step

    def __call__(self) -> float:
        with self._lock:
            return self.start + next(self._ticks) * self.step


def api_of(client: ATSClient) -> ApiClient:
    """The HTTP connection under a TempWorks client (to tune its retry policy and read its counters)."""
    api = client.provider.library.api  # type: ignore[attr-defined]
    assert isinstance(api, ApiClient)
    return api


def fault_counts(sandbox: TempWorksSandbox, client: ATSClient | None = None) -> dict[str, Any]:
    """What the sandbox injected and what the client retried, for the test output."""
    counts: dict[str, Any] = {
        "injected": sandbox.stats()["injected"],
        "sandbox_requests": sandbox.stats()["api_requests"],
    }
    if client is not None:
        stats = api_of(client).stats
        counts.update(retried=dict(stats.retries), retries_total=stats.total_retries, client_requests=stats.requests)
    return counts


# --- the leak check -------------------------------------------------------------------------------

_EMAILS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONES = re.compile(r"\(\d{3}\) \d{3}-\d{4}|\+1\d{10}|\b\d{10}\b")


def _phone_key(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return digits[-10:]


@dataclass
class LeakCheck:
    """Secrets and PII of the sandboxes a test started, and every log record emitted during the test."""

    secrets: set[str] = field(default_factory=set, repr=False)
    emails: set[str] = field(default_factory=set, repr=False)
    phones: set[str] = field(default_factory=set, repr=False)
    records: list[logging.LogRecord] = field(default_factory=list, repr=False)
    sandboxes: list[TempWorksSandbox] = field(default_factory=list, repr=False)

    def watch(self, sandbox: TempWorksSandbox) -> None:
        """Learn a sandbox's credentials and its seeded candidates' emails and phones."""
        self.sandboxes.append(sandbox)
        auth = sandbox.state.auth
        self.secrets.update({sandbox.state.client_secret, auth.auth_token, auth.personal_access_token})
        data = sandbox.state.data
        for index in range(data.employees.count):
            email, phone, cell = data.employee_contact(index)
            self.emails.add(email.lower())
            self.phones.update({_phone_key(phone), _phone_key(cell)})

    def refresh(self) -> None:
        """Add the tokens the sandboxes issued and the candidates they created so far."""
        for sandbox in self.sandboxes:
            with sandbox.state.lock:
                self.secrets.update(sandbox.state.auth.tokens)
                created = list(sandbox.state.created.values())
            for detail in created:
                if detail.get("primaryEmailAddress"):
                    self.emails.add(str(detail["primaryEmailAddress"]).lower())
                if detail.get("primaryPhoneNumber"):
                    self.phones.add(_phone_key(str(detail["primaryPhoneNumber"])))

    def found_in(self, text: str) -> list[str]:
        """What of the watched secrets and PII `text` carries, URL-encoded or not (described, never the value)."""
        self.refresh()
        text = f"{text}\n{unquote_plus(text)}"
        found = [f"secret #{n}" for n, secret in enumerate(sorted(self.secrets)) if secret and secret in text]
        found += ["a candidate email" for match in _EMAILS.findall(text) if match.lower() in self.emails]
        found += ["a candidate phone" for match in _PHONES.findall(text) if _phone_key(match) in self.phones]
        return found

    def check_text(self, text: str, where: str) -> None:
        __tracebackhide__ = True  # the failing text is the leak: keep it out of the test report
        leaked = self.found_in(text)
        assert not leaked, f"{where} carries {sorted(set(leaked))}"

    def check_error(self, error: BaseException) -> None:
        """An exception's message and repr, and those of its causes, carry no secret or PII."""
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            self.check_text(f"{current}\n{current!r}", f"{type(current).__name__} text")
            current = current.__cause__ or current.__context__

    def record_text(self, record: logging.LogRecord) -> str:
        """Everything a log record carries: message, args, exception text, stack, and every other attribute."""
        parts = [record.getMessage(), repr(record.msg), repr(record.args), repr(vars(record))]
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(record.stack_info)
        return "\n".join(parts)

    def check_records(self, records: Iterable[logging.LogRecord] | None = None) -> None:
        __tracebackhide__ = True
        for record in self.records if records is None else records:
            self.check_text(self.record_text(record), f"log record of {record.name} ({record.levelname})")


class _Capture(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(level=logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@pytest.fixture(autouse=True)
def leaks(request: pytest.FixtureRequest) -> Iterator[LeakCheck]:
    """DEBUG on the root logger with a capturing handler for the whole test; scanned for leaks at the end.

    An xfail test checks its records itself (a failure at teardown would be an error, not the expected failure).
    """
    check = LeakCheck()
    handler = _Capture(check.records)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield check
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    if request.node.get_closest_marker("xfail") is None:
        check.check_records()


# --- sandboxes and connections --------------------------------------------------------------------

SandboxFactory = Callable[..., TempWorksSandbox]


@pytest.fixture
def faulty_sandbox(leaks: LeakCheck) -> Iterator[SandboxFactory]:
    """Start TempWorks sandboxes with faults (rate limiting off unless given); all are stopped after the test."""
    started: list[TempWorksSandbox] = []

    def start(
        size: int = 300, seed: int = SEED, clock: Callable[[], float] | None = None, **faults: str
    ) -> TempWorksSandbox:
        faults.setdefault("rate_limit", "off")
        sandbox = start_sandbox(SandboxOptions(size=size, seed=seed, faults=faults), clock)
        started.append(sandbox)
        leaks.watch(sandbox)
        return sandbox

    yield start
    for sandbox in started:
        sandbox.stop()


def fast_connect(
    sandbox: TempWorksSandbox | TamperingProxy,
    *,
    audit: bool = True,
    on_invalid: OnInvalid = "raise",
    quarantine: Callable[[RejectedRecord], None] | None = None,
    retry: RetryPolicy | None = FAST_RETRIES,
    **settings: Any,
) -> ATSClient:
    """`connect()` to the sandbox with the audit middleware, tiny retry delays, and a 10 ms limiter window
    (a 429 without Retry-After pauses the connection for one window)."""
    merged = {**sandbox.settings, "requests_per_window": 10_000, "window_seconds": 0.01}
    if retry is not None:  # None keeps the plugin's default policy
        merged.update(
            retry_attempts=retry.max_attempts,
            retry_max_seconds=retry.max_elapsed_seconds,
            retry_base_delay_seconds=retry.base_delay,
            retry_max_delay_seconds=retry.max_delay,
        )
    merged.update(settings)
    client = connect("tempworks", merged, audit=audit, on_invalid=on_invalid, quarantine=quarantine)
    assert retry is None or api_of(client).retry == retry, "the retry settings reach the connection"
    return client


def employee_ids(sandbox: TempWorksSandbox) -> set[str]:
    """Every employee id the sandbox holds now (seeded and created), as remote ids."""
    state = sandbox.state
    with state.lock:
        seeded = {str(state.data.employees.id_of(index)) for index in range(state.data.employees.count)}
        return seeded | {str(employee_id) for employee_id in state.created}


def malformed_ids(sandbox: TempWorksSandbox) -> dict[str, int]:
    """Seeded employee ids the malformed_rate fault serves broken: id -> flaw (1 missing id, 2 text isActive)."""
    data = sandbox.state.data
    rate = sandbox.state.faults.malformed_rate
    flaws = {}
    for index in range(data.employees.count):
        employee_id = data.employees.id_of(index)
        flaw = data.malformed(EMPLOYEE, employee_id, rate)
        if flaw:
            flaws[str(employee_id)] = flaw
    return flaws


Tamper = Callable[[str, int, Any], Any]
"""(lower-cased path, how many times that path was served before, decoded JSON) -> new JSON, or bytes sent as is."""


class TamperingProxy:
    """A loopback server in front of a sandbox's WSGI app (same tenant, same counters) that rewrites JSON answers.

    It adds the malformations the sandbox does not inject itself: wrong field types and undecodable bodies.
    """

    def __init__(self, sandbox: TempWorksSandbox, tamper: Tamper) -> None:
        self.sandbox = sandbox
        self.tamper = tamper
        self.served: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.server = LoopbackServer(self._app)
        self.base_url = self.server.base_url
        self.settings = sandbox.app.settings(self.base_url)

    def _app(self, environ: Any, start_response: Any) -> list[bytes]:
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            answer.update(status=status, headers=headers)
            return lambda _data: None

        body = b"".join(self.sandbox.app(environ, capture))
        headers = [(name, value) for name, value in answer["headers"] if name.lower() != "content-length"]
        content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
        if answer["status"].startswith("200") and "json" in content_type:
            path = str(environ.get("PATH_INFO", "")).lower()
            with self._lock:
                count = self.served[path]
                self.served[path] += 1
            changed = self.tamper(path, count, json.loads(body))
            body = changed if isinstance(changed, bytes) else json.dumps(changed).encode()
        start_response(answer["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture
def tampering_proxy() -> Iterator[Callable[[TempWorksSandbox, Tamper], TamperingProxy]]:
    """Put a TamperingProxy in front of a sandbox; connect with `kit.connect(proxy)` (it has `settings`)."""
    proxies: list[TamperingProxy] = []

    def start(sandbox: TempWorksSandbox, tamper: Tamper) -> TamperingProxy:
        proxy = TamperingProxy(sandbox, tamper)
        proxies.append(proxy)
        return proxy

    yield start
    for proxy in proxies:
        proxy.stop()


class FaultKit:
    """The helpers above, handed to tests as the `kit` fixture (test modules cannot import a conftest)."""

    StepClock = StepClock
    FAST_RETRIES = FAST_RETRIES
    api_of = staticmethod(api_of)
    connect = staticmethod(fast_connect)
    counts = staticmethod(fault_counts)
    employee_ids = staticmethod(employee_ids)
    malformed_ids = staticmethod(malformed_ids)


@pytest.fixture
def kit() -> type[FaultKit]:
    """Helpers of the fault tests."""
    return FaultKit
