"""Sending queued e-mails (worker side): claim, send through the provider, record; sweeper.

One attempt: claim (queued and due -> "sending", attempts+1, a lease) -> provider -> record
(sent | queued again after a delay | failed + in-app notification). Claims and records of
concurrent jobs are batched (`app.kit.batching`).

Retries: at most 3 after the first try (4 attempts), only for what may pass (429, 5xx,
timeouts, connection errors, SMTP 4xx). The delay is the provider's Retry-After /
x-sib-ratelimit-reset when it gives one, else 30 s, 2 min, 8 min - all inside Brevo's
idempotency window, so a retry can never produce a second mail. Other 4xx fail at once and
keep the provider's message.

Crash: a worker killed mid-send leaves the row "sending" with a lease; after the lease the
sweeper records the attempt as lost and queues the message again; Brevo recognises the
idempotency key if the lost attempt had gone through.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, select, update

from app.config import get_settings
from app.db import session_scope
from app.email.models import EmailAttempt, EmailMessage, EmailStatus
from app.email.providers import Outgoing, SendResult, get_provider
from app.email.service import JOB_KIND, SEND_FUNCTION, notify_failed
from app.kit import outbox
from app.kit.batching import coalescer
from app.kit.timeutil import utcnow

log = logging.getLogger("rechnungswerk.email")

BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8))
MAX_ATTEMPTS = len(BACKOFF) + 1
MAX_RETRY_AFTER = timedelta(hours=1)

_M = EmailMessage
_CLAIM_COLUMNS = (
    _M.id, _M.organization_id, _M.invoice_id, _M.attempts, _M.kind, _M.to_address, _M.from_name, _M.reply_to,
    _M.subject, _M.text_body, _M.html_body, _M.attachments, _M.idempotency_key,
)


async def _claim_batch(ids: list[int]) -> list[Outgoing | None]:
    now = utcnow()
    async with session_scope() as session:
        rows = (
            await session.execute(
                update(EmailMessage)
                .where(
                    EmailMessage.id.in_(set(ids)),
                    EmailMessage.status == EmailStatus.QUEUED,
                    EmailMessage.next_attempt_at <= now + outbox.CLAIM_SLACK,
                )
                .values(
                    status=EmailStatus.SENDING,
                    attempts=EmailMessage.attempts + 1,
                    lease_until=outbox.lease_until(now),
                    updated_at=now,
                )
                .returning(*_CLAIM_COLUMNS)
                .execution_options(synchronize_session=False)
            )
        ).all()
    by_id = {
        r.id: Outgoing(
            email_id=r.id, organization_id=r.organization_id, invoice_id=r.invoice_id, attempt=r.attempts, kind=r.kind,
            to=r.to_address, from_name=r.from_name, reply_to=r.reply_to, subject=r.subject, text_body=r.text_body,
            html_body=r.html_body, attachments=r.attachments or [], idempotency_key=r.idempotency_key,
        )
        for r in rows
    }
    # Two jobs for one message in the same batch: only the first may send.
    return [by_id.pop(i, None) for i in ids]


@dataclass(frozen=True)
class Attempted:
    msg: Outgoing
    started_at: datetime
    result: SendResult


_table = EmailMessage.__table__
_update_message = (
    update(_table)
    .where(
        _table.c.id == bindparam("b_id"),
        _table.c.attempts == bindparam("b_attempt"),
        _table.c.status == EmailStatus.SENDING,
    )
    .values(
        status=bindparam("b_status"),
        next_attempt_at=bindparam("b_next"),
        lease_until=None,
        last_error=bindparam("b_error"),
        provider=bindparam("b_provider"),
        provider_message_id=bindparam("b_provider_id"),
        sent_at=bindparam("b_sent"),
        failed_at=bindparam("b_failed"),
        updated_at=bindparam("b_now"),
    )
)


def retry_delay(attempt: int, result: SendResult) -> timedelta:
    if result.retry_after is not None:
        return min(max(timedelta(seconds=result.retry_after), timedelta(seconds=1)), MAX_RETRY_AFTER)
    return BACKOFF[attempt - 1]


async def _record_batch(items: list[Attempted]) -> list[None]:
    now = utcnow()
    params = []
    attempt_rows = []
    retries: list[tuple[int, int, datetime | None]] = []
    failed: list[Attempted] = []
    for item in items:
        msg, res = item.msg, item.result
        next_at = None
        if res.ok:
            status, outcome = EmailStatus.SENT, "sent"
        elif res.retryable and msg.attempt < MAX_ATTEMPTS:
            status, outcome = EmailStatus.QUEUED, "retry"
            next_at = item.started_at + retry_delay(msg.attempt, res)
            retries.append((msg.email_id, msg.attempt, next_at))
        else:
            status, outcome = EmailStatus.FAILED, "failed"
            failed.append(item)
        error = res.error if not res.ok else None
        params.append(
            {
                "b_id": msg.email_id,
                "b_attempt": msg.attempt,
                "b_status": status,
                "b_next": next_at,
                "b_error": error,
                "b_provider": res.provider,
                "b_provider_id": res.provider_message_id,
                "b_sent": now if res.ok else None,
                "b_failed": now if status == EmailStatus.FAILED else None,
                "b_now": now,
            }
        )
        notes = "; ".join(res.notes) if res.notes else None
        attempt_rows.append(
            {
                "email_id": msg.email_id,
                "attempt": msg.attempt,
                "created_at": item.started_at,
                "outcome": outcome,
                "status_code": res.status_code,
                "duration_ms": res.duration_ms,
                "error": error or notes,
            }
        )
    async with session_scope() as session:
        await session.execute(_update_message, params)
        await session.execute(insert(EmailAttempt), attempt_rows)
        for item in failed:
            notify_failed(
                session,
                organization_id=item.msg.organization_id,
                email_id=item.msg.email_id,
                to=item.msg.to,
                invoice_id=item.msg.invoice_id,
                error=item.result.error or "Unbekannter Fehler",
            )
    if retries:
        await outbox.enqueue_jobs(SEND_FUNCTION, JOB_KIND, retries)
    return [None] * len(items)


async def send(email_id: int) -> str:
    msg = await coalescer("email-claim", _claim_batch).submit(email_id)
    if msg is None:
        return "skipped"
    async with outbox.send_slots():
        started = utcnow()
        try:
            result = await get_provider().send(msg)
        except Exception as exc:  # noqa: BLE001 - a provider bug must still end in a recorded attempt
            log.exception("e-mail %s: provider raised", email_id)
            result = SendResult(False, get_settings().effective_email_backend, error=f"Interner Fehler: {exc}", retryable=True)
    await coalescer("email-record", _record_batch).submit(Attempted(msg, started, result))
    return "sent" if result.ok else f"failed attempt {msg.attempt}"


async def send_many(email_ids: list[int]) -> dict[str, int]:
    """First attempts of e-mails queued together, side by side (claims and records batch)."""
    summary: dict[str, int] = {}
    for result in await asyncio.gather(*(send(i) for i in email_ids)):
        key = result.split(" ", 1)[0]
        summary[key] = summary.get(key, 0) + 1
    return summary


async def sweep() -> dict[str, int]:
    """Recover leases of dead workers, and re-enqueue overdue messages Redis has lost."""
    now = utcnow()
    lost: list[tuple[int, int]] = []
    async with session_scope() as session:
        stale = (
            await session.execute(
                select(_M.id, _M.attempts, _M.organization_id, _M.to_address, _M.invoice_id)
                .where(_M.status == EmailStatus.SENDING, _M.lease_until < now)
                .limit(1000)
            )
        ).all()
        for row in stale:
            exhausted = row.attempts >= MAX_ATTEMPTS
            error = "Versand unterbrochen (Worker beendet); Ergebnis unbekannt"
            result = await session.execute(
                update(EmailMessage)
                .where(_M.id == row.id, _M.attempts == row.attempts, _M.status == EmailStatus.SENDING, _M.lease_until < now)
                .values(
                    status=EmailStatus.FAILED if exhausted else EmailStatus.QUEUED,
                    lease_until=None,
                    next_attempt_at=None if exhausted else now,
                    failed_at=now if exhausted else None,
                    last_error=error,
                    updated_at=now,
                )
            )
            if not result.rowcount:
                continue
            session.add(EmailAttempt(email_id=row.id, attempt=row.attempts, created_at=now, outcome="lost", error=error))
            if exhausted:
                notify_failed(
                    session, organization_id=row.organization_id, email_id=row.id, to=row.to_address,
                    invoice_id=row.invoice_id, error=error,
                )
            else:
                lost.append((row.id, row.attempts))
        overdue = (
            await session.execute(
                select(_M.id, _M.attempts)
                .where(_M.status == EmailStatus.QUEUED, _M.next_attempt_at <= now - outbox.sweep_grace())
                .order_by(_M.next_attempt_at)
                .limit(10000)
            )
        ).all()
    missing = lost + await outbox.without_job(JOB_KIND, [(r.id, r.attempts) for r in overdue])
    enqueued = await outbox.enqueue_jobs(SEND_FUNCTION, JOB_KIND, [(i, n, None) for i, n in missing])
    return {"lost": len(lost), "overdue": len(overdue), "enqueued": enqueued}
