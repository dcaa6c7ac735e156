"""Sending webhook deliveries (worker side): claim, POST, record; plus the sweeper.

One attempt of one delivery:
  1. claim   - pending, due, not leased -> attempts+1 and a lease; else do nothing
               (another job has it, or it is done: duplicates of a job are harmless);
  2. POST    - signed per Standard Webhooks, 10 s timeout, no redirects, SSRF-guarded;
  3. record  - the attempt row, and the delivery's new state: succeeded (any 2xx),
               pending with next_attempt_at per BACKOFF, or failed (+ notification);
               410 Gone disables the endpoint.
Steps 1 and 3 of concurrent jobs are coalesced into batched statements
(`app.kit.batching`), and the first attempts of a fan-out share one ARQ job
(`app.kit.outbox`): that is what lets one worker process send hundreds per second.

Crash safety: a worker killed between 1 and 3 leaves the lease behind; once it expires the
sweeper records the attempt as lost and hands the delivery out again. The retry carries the
same `webhook-id`, so a receiver that did get the first request can drop the second.
"""

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.db import session_scope
from app.kit import outbox
from app.kit.batching import coalescer
from app.kit.http import BlockedTargetError, webhook_client
from app.kit.timeutil import utcnow
from app.notifications.service import notify
from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from app.webhooks.service import DELIVER_FUNCTION, JOB_KIND
from app.webhooks.signing import signature_headers

# After attempt n fails, the next one follows BACKOFF[n-1] later: five retries, six attempts.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
EXCERPT_CHARS = 1000


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    organization_id: int
    attempt: int
    endpoint_id: int
    url: str
    secret: str
    endpoint_active: bool
    msg_id: str
    payload: str


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    started_at: datetime
    status_code: int | None = None
    excerpt: str | None = None
    duration_ms: int | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


# --- 1. claim ---------------------------------------------------------------------------


async def _claim_batch(ids: list[int]) -> list[Claim | None]:
    now = utcnow()
    async with session_scope() as session:
        claimed = (
            await session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id.in_(set(ids)),
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    WebhookDelivery.locked_until.is_(None),
                    WebhookDelivery.next_attempt_at <= now + outbox.CLAIM_SLACK,
                )
                .values(locked_until=outbox.lease_until(now), attempts=WebhookDelivery.attempts + 1, updated_at=now)
                .returning(WebhookDelivery.id, WebhookDelivery.attempts)
                .execution_options(synchronize_session=False)
            )
        ).all()
        by_id: dict[int, Claim] = {}
        if claimed:
            attempts = dict(claimed)
            rows = (
                await session.execute(
                    select(
                        WebhookDelivery.id,
                        WebhookDelivery.organization_id,
                        WebhookEndpoint.id.label("endpoint_id"),
                        WebhookEndpoint.url,
                        WebhookEndpoint.secret,
                        WebhookEndpoint.is_active,
                        WebhookEvent.public_id,
                        WebhookEvent.payload,
                    )
                    .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                    .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
                    .where(WebhookDelivery.id.in_(attempts))
                )
            ).all()
            for r in rows:
                by_id[r.id] = Claim(
                    r.id, r.organization_id, attempts[r.id], r.endpoint_id, r.url, r.secret, r.is_active, r.public_id, r.payload
                )
    # Two jobs for one delivery in the same batch: only the first gets the claim.
    return [by_id.pop(i, None) for i in ids]


async def claim(delivery_id: int) -> Claim | None:
    return await coalescer("webhook-claim", _claim_batch).submit(delivery_id)


# --- 2. send ----------------------------------------------------------------------------


async def send(claim: Claim) -> Outcome:
    if not claim.endpoint_active:
        return Outcome(claim, utcnow(), error="Der Endpunkt ist deaktiviert")
    async with outbox.send_slots():
        return await _post(claim)


async def _post(claim: Claim) -> Outcome:
    started = utcnow()
    headers = signature_headers(claim.secret, claim.msg_id, claim.payload, started)
    headers["content-type"] = "application/json"
    t0 = time.perf_counter()
    timeout = get_settings().webhook_timeout_seconds
    try:
        response = await webhook_client().post(claim.url, content=claim.payload.encode(), headers=headers, timeout=timeout)
    except BlockedTargetError as exc:
        return Outcome(claim, started, duration_ms=_ms(t0), error=str(exc))
    except httpx.TimeoutException:
        return Outcome(claim, started, duration_ms=_ms(t0), error=f"Zeitüberschreitung nach {timeout:g} s")
    except httpx.HTTPError as exc:
        return Outcome(claim, started, duration_ms=_ms(t0), error=f"{type(exc).__name__}: {exc}")
    excerpt = response.content[: EXCERPT_CHARS * 4].decode("utf-8", "replace")[:EXCERPT_CHARS]
    error = None
    if not response.is_success:
        error = f"HTTP {response.status_code}"
        if response.is_redirect:
            error += " (Weiterleitungen werden nicht verfolgt)"
    return Outcome(claim, started, response.status_code, excerpt, _ms(t0), error)


def _ms(t0: float) -> int:
    return int((time.perf_counter() - t0) * 1000)


# --- 3. record --------------------------------------------------------------------------

_delivery_table = WebhookDelivery.__table__
_update_delivery = (
    update(_delivery_table)
    .where(
        _delivery_table.c.id == bindparam("b_id"),
        _delivery_table.c.attempts == bindparam("b_attempt"),
        _delivery_table.c.locked_until.is_not(None),
    )
    .values(
        status=bindparam("b_status"),
        next_attempt_at=bindparam("b_next"),
        locked_until=None,
        last_response_code=bindparam("b_code"),
        last_error=bindparam("b_error"),
        succeeded_at=bindparam("b_succeeded"),
        failed_at=bindparam("b_failed"),
        updated_at=bindparam("b_now"),
    )
)


async def _record_batch(outcomes: list[Outcome]) -> list[None]:
    now = utcnow()
    delivery_params = []
    attempt_rows = []
    retries: list[tuple[int, int, datetime | None]] = []
    failed: list[Outcome] = []
    gone: dict[int, Outcome] = {}
    for o in outcomes:
        c = o.claim
        next_at = None
        if o.succeeded:
            status, result = DeliveryStatus.SUCCEEDED, "succeeded"
        elif o.gone:
            status, result = DeliveryStatus.FAILED, "failed"
            gone[c.endpoint_id] = o
        elif not c.endpoint_active:
            status, result = DeliveryStatus.FAILED, "disabled"
        elif c.attempt < MAX_ATTEMPTS:
            status, result = DeliveryStatus.PENDING, "retry"
            # Measured from the start of the failed attempt, so the schedule is exact.
            next_at = o.started_at + BACKOFF[c.attempt - 1]
            retries.append((c.delivery_id, c.attempt, next_at))
        else:
            status, result = DeliveryStatus.FAILED, "failed"
            failed.append(o)
        delivery_params.append(
            {
                "b_id": c.delivery_id,
                "b_attempt": c.attempt,
                "b_status": status,
                "b_next": next_at,
                "b_code": o.status_code,
                "b_error": o.error,
                "b_succeeded": now if status == DeliveryStatus.SUCCEEDED else None,
                "b_failed": now if status == DeliveryStatus.FAILED else None,
                "b_now": now,
            }
        )
        attempt_rows.append(
            {
                "delivery_id": c.delivery_id,
                "attempt": c.attempt,
                "created_at": o.started_at,
                "outcome": result,
                "status_code": o.status_code,
                "response_excerpt": o.excerpt,
                "duration_ms": o.duration_ms,
                "error": o.error,
            }
        )
    async with session_scope() as session:
        await session.execute(_update_delivery, delivery_params)
        # An endpoint deleted while its delivery was in flight took the delivery with it;
        # its attempt row would break the whole batch on the foreign key.
        existing = set(
            await session.scalars(select(WebhookDelivery.id).where(WebhookDelivery.id.in_([r["delivery_id"] for r in attempt_rows])))
        )
        attempt_rows = [r for r in attempt_rows if r["delivery_id"] in existing]
        if attempt_rows:
            await session.execute(insert(WebhookAttempt), attempt_rows)
        for endpoint_id, o in gone.items():
            await _disable_endpoint(session, endpoint_id, o, now)
        for o in failed:
            notify(
                session,
                organization_id=o.claim.organization_id,
                kind="webhook_failed",
                title="Webhook konnte nicht zugestellt werden",
                body=f"{MAX_ATTEMPTS} Versuche an {o.claim.url} sind fehlgeschlagen (zuletzt: {o.error or 'unbekannter Fehler'}).",
                link=f"/settings/webhooks/{o.claim.endpoint_id}",
            )
    if retries:
        # Deferred until next_attempt_at; if Redis loses it, the sweeper enqueues it again.
        await outbox.enqueue_jobs(DELIVER_FUNCTION, JOB_KIND, retries)
    return [None] * len(outcomes)


async def _disable_endpoint(session: AsyncSession, endpoint_id: int, o: Outcome, now: datetime) -> None:
    result = await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.is_active.is_(True))
        .values(is_active=False, disabled_reason="Der Empfänger antwortete 410 Gone", updated_at=now)
    )
    if result.rowcount:
        notify(
            session,
            organization_id=o.claim.organization_id,
            kind="webhook_disabled",
            title="Webhook-Endpunkt deaktiviert",
            body=f"{o.claim.url} antwortete mit 410 Gone; wir senden dorthin keine Ereignisse mehr.",
            link=f"/settings/webhooks/{endpoint_id}",
        )


async def record(outcome: Outcome) -> None:
    await coalescer("webhook-record", _record_batch).submit(outcome)


# --- one attempt (the ARQ job) and the sweeper -------------------------------------------


async def deliver(delivery_id: int) -> str:
    claimed = await claim(delivery_id)
    if claimed is None:
        return "skipped"
    outcome = await send(claimed)
    await record(outcome)
    return "succeeded" if outcome.succeeded else f"failed attempt {claimed.attempt}"


async def deliver_many(delivery_ids: list[int]) -> dict[str, int]:
    """The first attempt of a fan-out: all deliveries side by side (claims and records batch)."""
    results = await asyncio.gather(*(deliver(i) for i in delivery_ids))
    summary: dict[str, int] = {}
    for result in results:
        key = result.split(" ", 1)[0]
        summary[key] = summary.get(key, 0) + 1
    return summary


async def sweep() -> dict[str, int]:
    """Give leases of dead workers back, and re-enqueue overdue deliveries Redis has lost."""
    now = utcnow()
    lost: list[tuple[int, int]] = []
    async with session_scope() as session:
        stale = (
            await session.execute(
                select(WebhookDelivery.id, WebhookDelivery.attempts, WebhookDelivery.organization_id, WebhookDelivery.endpoint_id)
                .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.locked_until < now)
                .limit(1000)
            )
        ).all()
        for row in stale:
            exhausted = row.attempts >= MAX_ATTEMPTS
            error = "Versand unterbrochen (Worker beendet); Ergebnis unbekannt"
            result = await session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == row.id, WebhookDelivery.attempts == row.attempts, WebhookDelivery.locked_until < now)
                .values(
                    locked_until=None,
                    # Straight away: the receiver may be fine, only we lost track.
                    next_attempt_at=None if exhausted else now,
                    status=DeliveryStatus.FAILED if exhausted else DeliveryStatus.PENDING,
                    failed_at=now if exhausted else None,
                    last_error=error,
                    updated_at=now,
                )
            )
            if not result.rowcount:
                continue
            session.add(
                WebhookAttempt(delivery_id=row.id, attempt=row.attempts, created_at=now, outcome="lost", error=error)
            )
            if exhausted:
                notify(
                    session,
                    organization_id=row.organization_id,
                    kind="webhook_failed",
                    title="Webhook konnte nicht zugestellt werden",
                    body=f"Nach {MAX_ATTEMPTS} Versuchen aufgegeben (zuletzt: {error}).",
                    link=f"/settings/webhooks/{row.endpoint_id}",
                )
            else:
                lost.append((row.id, row.attempts))
        overdue = (
            await session.execute(
                select(WebhookDelivery.id, WebhookDelivery.attempts)
                .where(
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    WebhookDelivery.locked_until.is_(None),
                    WebhookDelivery.next_attempt_at <= now - outbox.sweep_grace(),
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(10000)
            )
        ).all()
    missing = lost + await outbox.without_job(JOB_KIND, [(r.id, r.attempts) for r in overdue])
    enqueued = await outbox.enqueue_jobs(DELIVER_FUNCTION, JOB_KIND, [(i, n, None) for i, n in missing])
    return {"lost": len(lost), "overdue": len(overdue), "enqueued": enqueued}
