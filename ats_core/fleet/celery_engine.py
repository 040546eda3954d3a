"""Celery as the fleet's engine: a task per slice, continued while more remains; beat schedules every stream.

    celery -A ats_core.fleet.celery_engine worker     (or `ats worker`)
    celery -A ats_core.fleet.celery_engine beat       (or `ats beat`)

Configured by the environment (`EngineSettings`): ATS_BROKER_URL (Redis), ATS_DB_URL, ATS_CONNECTIONS,
ATS_PAGE_BUDGET. A task is acknowledged only when it has finished (`acks_late`) and given back to the
queue when its worker process dies (`reject_on_worker_lost`): a slice commits each page with its cursor,
so running it again loses and duplicates nothing. Everything else is engine-neutral, in `engine`.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task

from ats_core.errors import ATSError
from ats_core.fleet.engine import EngineSettings, retry_delay, run_engine_slice, scheduled_streams

__all__ = ["SYNC_SLICE_TASK", "app", "create_app", "sync_slice_task"]

logger = logging.getLogger("ats_core.fleet")

SYNC_SLICE_TASK = "ats.sync_slice"
MAX_RETRIES = 8
"""Transient failures in a row before a slice waits for its next scheduled run (about 8 minutes of backoff)."""


def create_app(settings: EngineSettings | None = None) -> Celery:
    """A Celery app with the broker of `settings` (the environment's by default) and the beat schedule."""
    settings = settings or EngineSettings.from_environment()
    celery = Celery("ats_core.fleet", broker=settings.broker, set_as_current=False)
    celery.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_default_queue="ats",
        worker_prefetch_multiplier=1,  # with late acks, a worker holds one task it has not started, not four
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a broker restarting is waited for, not fatal
        worker_hijack_root_logger=False,
    )
    celery.conf.beat_schedule = {
        scheduled.name: {
            "task": SYNC_SLICE_TASK,
            "schedule": scheduled.every.total_seconds(),
            "args": (scheduled.connection, scheduled.stream),
        }
        for scheduled in (scheduled_streams(settings) if settings.connections.exists() else [])
    }
    celery.task(
        bind=True,
        name=SYNC_SLICE_TASK,
        acks_late=True,
        reject_on_worker_lost=True,
        max_retries=MAX_RETRIES,
    )(_sync_slice)
    return celery


def _sync_slice(task: Task[Any, Any], connection: str, stream: str, full: bool = False) -> dict[str, Any]:
    """One slice of `connection`'s `stream`; sends itself again while more remains; retries transient errors."""
    settings = EngineSettings.from_environment()
    try:
        result = run_engine_slice(settings, connection, stream, full=full)
    except Exception as error:
        delay = retry_delay(error, task.request.retries)
        if delay is None or task.request.retries >= MAX_RETRIES:
            logger.warning("slice %s:%s failed: %s", connection, stream, _describe(error))
            raise
        logger.info("slice %s:%s: %s; retrying in %.0f s", connection, stream, _describe(error), delay)
        raise task.retry(countdown=delay, exc=error) from error
    if result.more_remaining and not result.busy:
        task.apply_async(args=(connection, stream))
    return {
        "connection": connection,
        "stream": stream,
        "busy": result.busy,
        "pages": result.pages,
        "records": result.records,
        "more_remaining": result.more_remaining,
    }


def _describe(error: BaseException) -> str:
    """The error for a log line: ours say what happened without secrets; others by type only (theirs may not)."""
    return str(error) if isinstance(error, ATSError) else type(error).__name__


app = create_app()
sync_slice_task = app.tasks[SYNC_SLICE_TASK]
