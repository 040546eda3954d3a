"""The receiver with real parts: the TempWorks sandbox delivers to uvicorn on loopback, SQLite stores."""

from __future__ import annotations

import json
import socket
from typing import Any

from ats_tempworks_sandbox.server import TempWorksSandbox
from ats_tempworks_sandbox.tenant import EMPLOYEE
from change_feed_harness import NAME, SECRET, WAIT_SECONDS, Receiver, envelope
from sqlalchemy import func, select

from ats_core.changes.refresh import RefreshKey
from ats_core.connections import Connection
from ats_core.fleet import Database, sync_slice
from ats_core.fleet.schema import RECORD_TABLES, change_inbox

HEADER = "X-ATS-Webhook-Token"


def _inbox_rows(database: Database) -> int:
    with database.engine.connect() as db:
        return int(db.scalar(select(func.count()).select_from(change_inbox)) or 0)


def _first_name(database: Database, remote_id: str) -> Any:
    table = RECORD_TABLES["candidates"]
    with database.engine.connect() as db:
        return db.scalar(select(table.c.first_name).where(table.c.connection == NAME, table.c.remote_id == remote_id))


def _change_employee(sandbox: TempWorksSandbox, employee_id: int, first_name: str, *, announce: bool) -> None:
    state = sandbox.state
    with state.lock:
        state.touch(EMPLOYEE, employee_id, {"firstName": first_name})
        if announce:
            state.webhooks.publish("employee.updated", {"employeeId": employee_id})


def _post(receiver: Receiver, body: bytes, headers: dict[str, str] | None = None) -> Any:
    sent = {"content-type": "application/json", HEADER: SECRET} if headers is None else headers
    return receiver.http.post(receiver.changes_url(), content=body, headers=sent)


def _metric(receiver: Receiver, name: str) -> float:
    lines = receiver.http.get("/metrics").text.splitlines()
    values = [float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(name) and not line.startswith("#")]
    return sum(values)


def test_a_change_in_the_sandbox_reaches_the_database(
    sandbox: TempWorksSandbox, connection: Connection, receiver: Receiver, database: Database
) -> None:
    with connection.connect() as client:
        held = client.subscribe_changes(receiver.changes_url(), None, None, ["employee.updated"])
        assert [s.topic for s in held] == ["employee.updated"]
        try:
            employee_id = sandbox.state.data.employees.id_of(0)
            _change_employee(sandbox, employee_id, "Webhooked", announce=True)
            assert receiver.refreshes.wait_for(1) == [RefreshKey(NAME, "candidate", str(employee_id))]
        finally:
            client.unsubscribe_changes(receiver.changes_url())
    assert _first_name(database, str(employee_id)) == "Webhooked"
    assert _inbox_rows(database) == 1
    assert _metric(receiver, "ats_change_events_received_total") == 1
    assert _metric(receiver, "ats_change_refresh_lag_seconds_count") == 1
    scraped = receiver.http.get("/metrics").text  # the refresher's client, read at scrape time
    assert f'ats_http_rate_limited_total{{connection="{NAME}"}} 0.0' in scraped


def test_a_duplicated_delivery_is_stored_and_refreshed_once(
    sandbox: TempWorksSandbox, receiver: Receiver, database: Database
) -> None:
    employee_id = sandbox.state.data.employees.id_of(1)
    body = json.dumps(envelope("employee.updated", {"employeeId": employee_id})).encode()
    first, again = _post(receiver, body), _post(receiver, body)
    assert (first.status_code, first.json()) == (202, {"stored": 1, "duplicates": 0})
    assert (again.status_code, again.json()) == (202, {"stored": 0, "duplicates": 1})
    receiver.service.refresher.drain()
    assert receiver.refreshes.wait_for(1) == [RefreshKey(NAME, "candidate", str(employee_id))]
    assert _inbox_rows(database) == 1
    assert _metric(receiver, "ats_change_events_deduplicated_total") == 1


def test_out_of_order_deliveries_leave_the_current_record(
    sandbox: TempWorksSandbox, receiver: Receiver, database: Database
) -> None:
    employee_id = sandbox.state.data.employees.id_of(2)
    _change_employee(sandbox, employee_id, "Latest", announce=False)
    later = envelope("employee.updated", {"employeeId": employee_id}, "2026-12-02T08:00:05")
    earlier = envelope("employee.updated", {"employeeId": employee_id}, "2026-12-02T08:00:01")
    for event in (later, earlier):  # the newer event arrives first
        assert _post(receiver, json.dumps(event).encode()).status_code == 202
    receiver.service.refresher.drain()
    receiver.refreshes.wait_for(1)
    assert _first_name(database, str(employee_id)) == "Latest"
    assert _inbox_rows(database) == 2


def test_a_wrong_or_missing_header_is_401_and_nothing_is_stored(receiver: Receiver, database: Database) -> None:
    body = json.dumps(envelope("employee.updated", {"employeeId": 1})).encode()
    for headers in ({HEADER: "wrong"}, {}):
        answer = _post(receiver, body, headers)
        assert answer.status_code == 401
        assert SECRET not in answer.text
    assert _inbox_rows(database) == 0
    assert _metric(receiver, 'ats_change_events_rejected_total{connection="acme",reason="unauthenticated"}') == 2


def test_oversized_and_malformed_bodies_are_refused_and_nothing_is_stored(
    receiver: Receiver, database: Database
) -> None:
    limit = receiver.service.config.max_body_bytes
    oversized = json.dumps(envelope("employee.updated", {"employeeId": 1, "pad": "x" * limit})).encode()
    assert _post(receiver, oversized).status_code == 413
    for malformed in (b"{not json", b"[]", json.dumps(envelope("employee.updated", {})).encode()):
        assert _post(receiver, malformed).status_code == 400
    assert receiver.http.post("/changes/nobody", content=b"{}").status_code == 404
    assert _inbox_rows(database) == 0


def test_events_about_records_outside_the_catalog_are_stored_and_counted_not_refreshed(
    receiver: Receiver, database: Database
) -> None:
    body = json.dumps(envelope("customer.updated", {"customerId": 7})).encode()
    assert _post(receiver, body).json() == {"stored": 1, "duplicates": 0}
    receiver.service.refresher.drain()
    assert receiver.refreshes.keys == []
    assert _inbox_rows(database) == 1
    assert _metric(receiver, "ats_change_events_not_refreshable_total") == 1


def test_polling_repairs_events_lost_while_the_receiver_was_down(
    sandbox: TempWorksSandbox, connection: Connection, database: Database
) -> None:
    sync_slice(database, connection, "candidates", None)
    down = socket.socket()
    down.bind(("127.0.0.1", 0))
    dead_url = f"http://127.0.0.1:{down.getsockname()[1]}/changes/{NAME}"
    down.close()  # nothing listens there: every delivery fails
    employee_id = sandbox.state.data.employees.id_of(3)
    hub = sandbox.state.webhooks
    with connection.connect() as client:
        client.subscribe_changes(dead_url, None, None, ["employee.updated"])
        try:
            failed_before = hub.failed
            _change_employee(sandbox, employee_id, "NeverReceived", announce=True)
            with hub.ready:
                assert hub.ready.wait_for(lambda: hub.failed > failed_before, WAIT_SECONDS)
        finally:
            client.unsubscribe_changes(dead_url)
    assert _first_name(database, str(employee_id)) != "NeverReceived"
    sync_slice(database, connection, "candidates", None)  # the scheduled incremental run
    assert _first_name(database, str(employee_id)) == "NeverReceived"


def test_a_burst_about_a_few_records_reads_each_once_per_window(
    sandbox: TempWorksSandbox, receiver: Receiver, database: Database
) -> None:
    receiver.service.refresher.window_seconds = 3600.0  # one window for the whole burst; drain() ends it
    ids = [sandbox.state.data.employees.id_of(i) for i in range(5)]
    for n in range(100):
        event = envelope("employee.updated", {"employeeId": ids[n % 5]}, f"2026-12-02T08:{n // 60:02d}:{n % 60:02d}")
        assert _post(receiver, json.dumps(event).encode()).status_code == 202
    assert receiver.refreshes.keys == []
    receiver.service.refresher.drain()
    assert sorted(receiver.refreshes.wait_for(5)) == sorted(RefreshKey(NAME, "candidate", str(i)) for i in ids)
    assert _inbox_rows(database) == 100


def test_metrics_show_each_slices_sync_lag_and_quarantine(
    connection: Connection, receiver: Receiver, database: Database
) -> None:
    assert "ats_sync_lag_seconds{" not in receiver.http.get("/metrics").text
    sync_slice(database, connection, "candidates", None)
    labels = '{connection="acme",stream="candidates"}'
    assert f"ats_sync_lag_seconds{labels}" in receiver.http.get("/metrics").text
    assert _metric(receiver, f"ats_quarantined_records{labels}") == 0
