"""Enqueueing ARQ jobs from the API and from tasks.

Jobs are JSON (never pickle: a job in Redis must not be able to run code on load) and are
sent only after the transaction that created their work has committed. If Redis is down at
that moment the job is simply not sent: the rows in the database are the truth, and the
worker's sweeper enqueues whatever is due but not in flight.
"""

import json
import logging
from datetime import datetime
from typing import Any

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.db import after_commit

log = logging.getLogger("rechnungswerk.queue")


def serialize(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), default=str).encode()


def deserialize(data: bytes) -> dict[str, Any]:
    return json.loads(data)


def redis_settings() -> RedisSettings:
    settings = RedisSettings.from_dsn(get_settings().redis_url)
    settings.conn_timeout = 2
    settings.conn_retries = 1
    return settings


_pool: ArqRedis | None = None


async def get_pool() -> ArqRedis:
    global _pool
    if _pool is None:
        _pool = await create_pool(
            redis_settings(),
            job_serializer=serialize,
            job_deserializer=deserialize,
            default_queue_name=get_settings().arq_queue_name,
        )
    return _pool


async def close_pool() -> None:
    global _pool
    if _pool is not None:
        await _pool.aclose()
    _pool = None


async def enqueue(function: str, *args: Any, _job_id: str | None = None, _defer_until: datetime | None = None) -> bool:
    """Send a job now. Returns False (and logs) when Redis is unreachable; never raises."""
    try:
        pool = await get_pool()
        await pool.enqueue_job(function, *args, _job_id=_job_id, _defer_until=_defer_until)
        return True
    except Exception as exc:  # noqa: BLE001 - the sweeper recovers; the request must not fail
        log.warning("enqueue of %s failed, the sweeper will retry: %s", function, exc)
        return False


def enqueue_after_commit(
    session: AsyncSession,
    function: str,
    *args: Any,
    _job_id: str | None = None,
    _defer_until: datetime | None = None,
) -> None:
    async def _send() -> None:
        await enqueue(function, *args, _job_id=_job_id, _defer_until=_defer_until)

    after_commit(session, _send)
