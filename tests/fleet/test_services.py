"""The real services `make test` provides: reachable, so the database tests ran against them, not around them."""

from __future__ import annotations

import socket

from fleet_support import service_url
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def test_postgresql_answers_at_ats_test_postgres_url() -> None:
    engine = create_engine(service_url("ATS_TEST_POSTGRES_URL", "PostgreSQL"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
    engine.dispose()


def test_redis_answers_ping_at_ats_test_redis_url() -> None:
    url = make_url(service_url("ATS_TEST_REDIS_URL", "Redis"))
    with socket.create_connection((url.host or "127.0.0.1", url.port or 6379), timeout=10) as connection:
        connection.sendall(b"PING\r\n")
        assert connection.recv(64) == b"+PONG\r\n"
