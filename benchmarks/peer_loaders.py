"""The three ways of loading TempWorks employees into SQLite that the peers benchmark compares.

- `ats`: `ats sync candidates --provider tempworks --db sqlite:///...` (run in-process through the CLI),
- `dlt`: a dlt pipeline with its `rest_api` source (offset paginator on skip/take) into its sqlalchemy
  destination on SQLite, with dlt's defaults otherwise (append, its own retries),
- `loop`: what a user writes without a library: sequential httpx requests, `json.loads`, sqlite3 inserts,
  no retries.

Each loader gets the same `PeerJob` (the sandbox's URL, its personal access token sent as HTTP Basic, the
page size) and writes one SQLite file in the job's directory; `stored_ids` reads the ids back from it.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_latency import UNLIMITED

__all__ = ["LOADERS", "TOOLS", "PeerJob", "dlt_installed", "prepare", "stored_ids"]

PROVIDER = "tempworks"
EMPLOYEES_PATH = "/Search/Employees"
BENCH_INSTALL_HINT = "pip install -e '.[bench]'"
_DLT_DATASET = "peers"


@dataclass(frozen=True)
class PeerJob:
    """What every tool loads: the sandbox's employee list, with the same auth and page size, into `directory`."""

    base_url: str
    account_sid: str
    auth_token: str
    time_zone: str
    page_size: int
    directory: str

    def database(self, tool: str) -> Path:
        """The SQLite file `tool` writes."""
        return Path(self.directory) / f"{tool}.db"


def dlt_installed() -> bool:
    """Whether dlt (the `bench` extra) can be imported."""
    return importlib.util.find_spec("dlt") is not None


def _load_with_ats(job: PeerJob) -> None:
    from ats_core.cli import main

    os.environ.update(
        {
            "ATS_TEMPWORKS_BASE_URL": job.base_url,
            "ATS_TEMPWORKS_ACCOUNT_SID": job.account_sid,
            "ATS_TEMPWORKS_AUTH_TOKEN": job.auth_token,
            "ATS_TEMPWORKS_TIME_ZONE": job.time_zone,
            # the sandbox's limit is off and the peers have no limiter: neither does ats here
            "ATS_TEMPWORKS_REQUESTS_PER_WINDOW": str(UNLIMITED["requests_per_window"]),
            "ATS_TEMPWORKS_WINDOW_SECONDS": str(UNLIMITED["window_seconds"]),
        }
    )
    arguments = ["sync", "candidates", "--provider", PROVIDER, "--db", f"sqlite:///{job.database('ats')}"]
    main([*arguments, "--page-size", str(job.page_size)], standalone_mode=False)


def _load_with_dlt(job: PeerJob) -> None:
    import dlt
    from dlt.sources.rest_api import rest_api_source

    source = rest_api_source(
        {
            "client": {
                "base_url": job.base_url,
                "auth": {"type": "http_basic", "username": job.account_sid, "password": job.auth_token},
                "paginator": {
                    "type": "offset",
                    "limit": job.page_size,
                    "offset_param": "skip",
                    "limit_param": "take",
                    "total_path": "totalCount",
                },
            },
            "resources": [{"name": "employees", "endpoint": {"path": EMPLOYEES_PATH, "data_selector": "data"}}],
        }
    )
    pipeline = dlt.pipeline(
        pipeline_name="peers",
        destination=dlt.destinations.sqlalchemy(f"sqlite:///{job.database('dlt')}"),
        dataset_name=_DLT_DATASET,
        pipelines_dir=str(Path(job.directory) / "dlt-pipelines"),
    )
    pipeline.run(source)


def _load_with_loop(job: PeerJob) -> None:
    import httpx

    connection = sqlite3.connect(job.database("loop"))
    connection.execute(
        "CREATE TABLE employees (employee_id INTEGER, first_name TEXT, last_name TEXT, email TEXT, record TEXT)"
    )
    skip = 0
    with httpx.Client(base_url=job.base_url, auth=(job.account_sid, job.auth_token), timeout=30.0) as client:
        while True:
            response = client.get(EMPLOYEES_PATH, params={"skip": skip, "take": job.page_size})
            response.raise_for_status()
            page = json.loads(response.content)
            rows = [
                (
                    item["employeeId"],
                    item.get("firstName"),
                    item.get("lastName"),
                    item.get("emailAddress"),
                    json.dumps(item),
                )
                for item in page["data"]
            ]
            connection.executemany("INSERT INTO employees VALUES (?, ?, ?, ?, ?)", rows)
            connection.commit()
            skip += job.page_size
            if not page["data"] or skip >= page["totalCount"]:
                break
    connection.close()


LOADERS: dict[str, Callable[[PeerJob], None]] = {"ats": _load_with_ats, "dlt": _load_with_dlt, "loop": _load_with_loop}
TOOLS = tuple(LOADERS)

_IMPORTS = {
    "ats": ("ats_core.cli", "ats_core.cli.sync", "ats_core.cli._sync_database", "ats_tempworks.plugin", "sqlalchemy"),
    "dlt": ("dlt", "dlt.sources.rest_api", "dlt.destinations", "sqlalchemy"),
    "loop": ("httpx",),
}


def prepare(tool: str) -> None:
    """Import what `tool` needs, so that the measured load does not count its imports."""
    if tool == "dlt":
        os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")  # no network calls besides the sandbox
    for module in _IMPORTS[tool]:
        importlib.import_module(module)


def _dlt_file(job: PeerJob) -> Path:
    """dlt's sqlalchemy destination keeps a SQLite dataset in `<database>__<dataset>.db` beside the database."""
    database = job.database("dlt")
    return database.with_name(f"{database.stem}__{_DLT_DATASET}.db")


_STORED: dict[str, tuple[Callable[[PeerJob], Path], str]] = {
    "ats": (lambda job: job.database("ats"), "SELECT remote_id FROM candidates WHERE connection = 'tempworks'"),
    "dlt": (_dlt_file, "SELECT employee_id FROM employees"),
    "loop": (lambda job: job.database("loop"), "SELECT employee_id FROM employees"),
}


def stored_ids(tool: str, job: PeerJob) -> list[str]:
    """Every employee id `tool` stored (duplicates kept), as text; empty when it stored nothing."""
    locate, query = _STORED[tool]
    path = locate(job)
    if not path.exists():
        return []
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [str(row[0]) for row in connection.execute(query)]
    except sqlite3.OperationalError:  # the table was never created: the tool stopped before its first page
        return []
    finally:
        connection.close()
