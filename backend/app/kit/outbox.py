"""Shared rules of the outbox tables (e-mails, webhook deliveries).

The database row is the truth; an ARQ job only says "look at row N now". Each attempt gets
its own job id, `<queue>:<kind>:<row id>:<attempts so far>`, so:

* the enqueue after commit, the retry enqueue and the sweeper all produce the same id for
  the same attempt, and ARQ drops the duplicates;
* a job left over from an earlier attempt finds the row's attempt count moved on (or the
  row finished) and does nothing.

The queue name is part of the id because ARQ keeps job keys global in Redis: two
installations (or two test runs) sharing one Redis must not swallow each other's jobs.
"""

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from app.config import get_settings
from app.kit.timeutil import utcnow
from app.tasks.queue import enqueue

log = logging.getLogger("rechnungswerk.outbox")

# A job may start this much before the row's next_attempt_at (clocks of API and worker
# hosts differ a little; ARQ polls in steps) and still claim the row.
CLAIM_SLACK = timedelta(seconds=2)


def job_id(kind: str, row_id: int, attempts: int) -> str:
    return f"{get_settings().arq_queue_name}:{kind}:{row_id}:{attempts}"


def lease_until(now: datetime | None = None) -> datetime:
    return (now or utcnow()) + timedelta(seconds=get_settings().outbox_lease_seconds)


async def enqueue_jobs(function: str, kind: str, rows: Iterable[tuple[int, int, datetime | None]]) -> int:
    """Enqueue (row id, attempts, due) jobs concurrently; returns how many reached Redis.

    A job due in the past runs now. ARQ refuses a job id that already exists, which is
    exactly the deduplication we want; `enqueue` never raises (the sweeper tries again).
    """
    now = utcnow()
    limit = asyncio.Semaphore(32)  # bounded: one Redis connection per concurrent enqueue

    async def one(row_id: int, attempts: int, due: datetime | None) -> bool:
        async with limit:
            return await enqueue(
                function, row_id, _job_id=job_id(kind, row_id, attempts), _defer_until=due if due and due > now else None
            )

    results = await asyncio.gather(*(one(*row) for row in rows))
    return sum(results)
