"""Read candidates pages of one TempWorks tenant in a process of its own, as one of many workers sharing its limit.

    python limited_client.py SETTINGS_JSON PAGES [REDIS_URL]

With REDIS_URL the process shares the tenant's rate limit through it; without, it keeps its own.
Prints `ready` once connected, reads PAGES pages when a line arrives on stdin, then prints `done`.
"""

from __future__ import annotations

import json
import sys

from ats_core import connect
from ats_core.http.ratelimit import use_shared_rate_limits
from ats_core.sync import client_page_fetcher

PAGE_SIZE = 5


def main(settings: dict[str, object], pages: int, redis_url: str | None) -> None:
    use_shared_rate_limits(redis_url)
    with connect("tempworks", settings) as client:
        fetch = client_page_fetcher(client, "candidates")
        print("ready", flush=True)
        sys.stdin.readline()
        cursor = None
        for _ in range(pages):
            page = fetch(None, cursor, PAGE_SIZE)
            cursor = page.next_cursor
    print("done", flush=True)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
