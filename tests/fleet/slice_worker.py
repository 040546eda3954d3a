"""Run one slice of TempWorks candidates in a process of its own, and stop dead at a chosen point to be killed there.

    python slice_worker.py DATABASE_URL SETTINGS_JSON STOP PAGE

STOP `commit`: block inside page PAGE's transaction, after its records are written, before it commits.
STOP `fetch`: block before fetching page PAGE (the pages before it are committed).
Prints `stopped` once blocked; the test then SIGKILLs this process.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from typing import Any

from sqlalchemy import event

from ats_core import connect
from ats_core.fleet import SliceKey, client_source, open_database, run_slice

KEY = SliceKey("acme", "candidates")
PAGE_SIZE = 10


def stop_here() -> None:
    print("stopped", flush=True)
    sys.stdin.readline()  # the test kills this process while it waits here


def main(url: str, settings: dict[str, Any], stop: str, page: int) -> None:
    database = open_database(url)
    upserts = 0

    @event.listens_for(database.engine, "after_cursor_execute")
    def _after(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        nonlocal upserts
        if stop == "commit" and statement.lstrip().upper().startswith("INSERT INTO CANDIDATES"):
            upserts += 1
            if upserts == page:
                stop_here()

    with connect("tempworks", settings, on_invalid="quarantine") as client:
        source = client_source(client, KEY.stream)
        fetch, calls = source.fetch_page, 0

        def fetch_or_stop(*arguments: Any) -> Any:
            nonlocal calls
            calls += 1
            if stop == "fetch" and calls == page:
                stop_here()
            return fetch(*arguments)

        run_slice(database, KEY, replace(source, fetch_page=fetch_or_stop), page_budget=None, page_size=PAGE_SIZE)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
