"""ARQ worker: `arq app.tasks.worker.WorkerSettings` (started by `make run` and in production).

Functions take ids only and look everything else up in the database, so a job can be
retried or re-enqueued by the sweeper at any time without stale payloads.
"""

import asyncio
import contextlib
import logging
from typing import Any

from arq import cron
from redis.asyncio import Redis

from app.config import get_settings
from app.db import dispose_engine, get_engine
from app.kit.http import close_clients
from app.tasks import heartbeat
from app.tasks.queue import close_pool, deserialize, redis_settings, serialize
from app.tasks.registry import CRON_JOBS, FUNCTIONS

log = logging.getLogger("rechnungswerk.worker")

# Housekeeping crons run every few seconds; their lines would bury the ones a person needs.
_HOUSEKEEPING = ("archive_pending", "sweep_emails", "sweep_webhooks")


class _QuietHousekeeping(logging.Filter):
    """Hide arq's start/finish lines of housekeeping crons unless they actually did work."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        text = record.getMessage()
        if not any(name in text for name in _HOUSEKEEPING):
            return True
        if "→" in text:  # started: say nothing yet
            return False
        result = text.rsplit("●", 1)[-1]
        return any(ch in "123456789" for ch in result)  # finished with a non-zero count


async def startup(ctx: dict[str, Any]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # `arq` configures its own handler; without this every job line is printed twice.
    logging.getLogger("arq").propagate = False
    logging.getLogger("arq.worker").addFilter(_QuietHousekeeping())
    get_engine()
    ctx["heartbeat_redis"] = Redis.from_url(get_settings().redis_url)
    ctx["heartbeat_task"] = asyncio.create_task(heartbeat.beat_forever(ctx["heartbeat_redis"]))
    log.info("worker started on queue %s", get_settings().arq_queue_name)


async def shutdown(ctx: dict[str, Any]) -> None:
    task = ctx.get("heartbeat_task")
    if task:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    redis = ctx.get("heartbeat_redis")
    if redis is not None:
        with contextlib.suppress(Exception):
            await redis.delete(heartbeat.heartbeat_key())
        await redis.aclose()
    await close_clients()
    await close_pool()
    await dispose_engine()
    log.info("worker stopped")


def _cron_jobs() -> list[Any]:
    return [cron(fn, **kwargs) for fn, kwargs in CRON_JOBS()]


class WorkerSettings:
    functions = FUNCTIONS()
    cron_jobs = _cron_jobs()
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings()
    queue_name = get_settings().arq_queue_name
    job_serializer = serialize
    job_deserializer = deserialize
    job_timeout = 120
    # Sends are I/O-bound and batched (app.kit.batching): many concurrent jobs and a short
    # poll keep one process near its throughput limit instead of waiting on ARQ's poll.
    max_jobs = get_settings().worker_max_jobs
    poll_delay = get_settings().worker_poll_delay_seconds
    # Jobs are idempotent and the database records their outcome; ARQ's own retry count
    # only guards against a job that keeps crashing the worker.
    max_tries = 5
    keep_result = 60
    # Finish running jobs on SIGTERM/SIGINT instead of abandoning them mid-send.
    allow_abort_jobs = False
    handle_signals = True
    job_completion_wait = 30
    health_check_interval = 30
