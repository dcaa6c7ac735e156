"""Shared rules of the outbox tables (e-mails, webhook deliveries).

The database row is the truth; an ARQ job only says "look at row N now". Each attempt gets
its own job id, `<queue>:<kind>:<row id>:<attempts so far>`, so:

* the enqueue after commit, the retry enqueue and the sweeper all produce the same id for
  the same attempt, and ARQ drops the duplicates;
* a job left over from an earlier attempt finds the row's attempt count moved on (or the
  row finished) and does nothing.

Rows created in one transaction start with one shared group job instead
(`<queue>:<kind>-group:<first row id>:0`, see `enqueue_first_attempt_after_commit`); the
claim in the worker makes any overlap with per-row jobs harmless.

The queue name is part of the id because ARQ keeps job keys global in Redis: two
installations (or two test runs) sharing one Redis must not swallow each other's jobs.
"""

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.db import after_commit
from app.kit.timeutil import utcnow
from app.tasks.queue import enqueue, get_pool

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


async def without_job(kind: str, rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (row id, attempts) pairs whose per-attempt job is not in Redis: lost work.

    One pipelined round trip for all of them, so a sweep over a large backlog does not
    hammer Redis with enqueues that ARQ would refuse anyway.
    """
    from arq.constants import job_key_prefix

    if not rows:
        return []
    try:
        pool = await get_pool()
        async with pool.pipeline(transaction=False) as pipe:
            for row_id, attempts in rows:
                pipe.exists(job_key_prefix + job_id(kind, row_id, attempts))
            present = await pipe.execute()
    except Exception as exc:  # noqa: BLE001 - Redis down: the enqueue will tell
        log.warning("could not check jobs in Redis: %s", exc)
        return rows
    return [row for row, found in zip(rows, present, strict=True) if not found]


def sweep_grace() -> timedelta:
    """How long a due row may wait for its job before the sweeper assumes Redis lost it.

    Rows queued moments ago have their job on the way (possibly a group job, whose id the
    sweeper cannot guess); one sweep interval is plenty for those to start.
    """
    return timedelta(seconds=get_settings().outbox_sweep_seconds)


GROUP_SIZE = 100
MAX_CONCURRENT_SENDS = 256

_slots: "WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = WeakKeyDictionary()


def send_slots() -> asyncio.Semaphore:
    """Caps concurrent outgoing sends per worker process (sockets, memory), whatever mix of
    single and group jobs ARQ is running at the moment."""
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        slots = _slots[loop] = asyncio.Semaphore(MAX_CONCURRENT_SENDS)
    return slots


@dataclass
class _Group:
    kind: str
    single: str
    many: str
    ids: list[int] = field(default_factory=list)

    async def send(self) -> None:
        if len(self.ids) == 1:
            await enqueue(self.single, self.ids[0], _job_id=job_id(self.kind, self.ids[0], 0))
            return
        for start in range(0, len(self.ids), GROUP_SIZE):
            chunk = self.ids[start : start + GROUP_SIZE]
            await enqueue(self.many, chunk, _job_id=job_id(f"{self.kind}-group", chunk[0], 0))


def enqueue_first_attempt_after_commit(session: AsyncSession, kind: str, single: str, many: str, row_id: int) -> None:
    """Enqueue the first attempt of a new outbox row once the transaction commits.

    Rows created in one transaction (a fan-out, a recurring run's e-mails) share one ARQ
    job per GROUP_SIZE rows: ARQ's own bookkeeping costs about a dozen Redis commands per
    job, more than sending a webhook does. A lone row gets its per-attempt job
    (`kind:id:0`), as do all retries and the sweeper's re-enqueues. Should a group job and
    a per-row job both run, the claim lets only one of them send.
    """
    key = f"outbox-group:{kind}"
    group: _Group | None = session.info.get(key)
    # Commit and rollback both clear the after-commit callbacks: a group whose callback is
    # no longer registered belongs to an earlier transaction of this session.
    if group is None or group.send not in session.info.get("after_commit", []):
        group = session.info[key] = _Group(kind, single, many)
        after_commit(session, group.send)
    group.ids.append(row_id)
