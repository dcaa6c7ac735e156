"""Brevo's transactional webhook events -> the message's delivery status.

Brevo posts one JSON object per event (or a list, with "batched" webhooks) with `event`,
`message-id`, `X-Mailin-custom`, `reason`, `ts_event`, ... We find our message by the custom
header we set (`rw:<idempotency key>`, present even if we never saw Brevo's own message id
because a worker died) and otherwise by Brevo's message id.

Events can arrive late and out of order, so a status only replaces one of lower rank: a
late "deferred" does not undo "delivered", but a spam complaint after opening counts.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.email.models import EmailMessage
from app.kit.timeutil import utcnow
from app.notifications.service import notify

# Brevo event name -> our delivery_status.
EVENT_STATUS = {
    "request": "accepted",
    "sent": "accepted",
    "deferred": "deferred",
    "soft_bounce": "soft_bounce",
    "delivered": "delivered",
    "opened": "opened",
    "unique_opened": "opened",
    "first_opening": "opened",
    "proxy_open": "opened",
    "unique_proxy_open": "opened",
    "click": "clicked",
    "unsubscribed": "unsubscribed",
    "hard_bounce": "hard_bounce",
    "invalid_email": "invalid_email",
    "blocked": "blocked",
    "error": "error",
    "spam": "spam",
    "complaint": "spam",
}
RANK = {
    "accepted": 0, "deferred": 1, "soft_bounce": 1, "delivered": 2, "opened": 3, "clicked": 4, "unsubscribed": 4,
    "hard_bounce": 5, "invalid_email": 5, "blocked": 5, "error": 5, "spam": 6,
}
UNDELIVERABLE = {"hard_bounce", "invalid_email", "blocked", "error", "spam"}
KEEP_EVENTS = 50


def _event_time(event: dict[str, Any]) -> datetime:
    for key in ("ts_event", "ts"):
        value = event.get(key)
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value, UTC)
    if isinstance(event.get("ts_epoch"), (int, float)):
        return datetime.fromtimestamp(event["ts_epoch"] / 1000, UTC)
    return utcnow()


async def apply_events(session: AsyncSession, events: list[dict[str, Any]]) -> dict[str, int]:
    keys = {}
    message_ids = set()
    for event in events:
        custom = str(event.get("X-Mailin-custom") or event.get("x-mailin-custom") or "")
        if custom.startswith("rw:"):
            keys[custom[3:]] = event
        if event.get("message-id"):
            message_ids.add(str(event["message-id"]))
    if not keys and not message_ids:
        return {"matched": 0, "ignored": len(events)}
    found = list(
        await session.scalars(
            select(EmailMessage).where(
                or_(EmailMessage.idempotency_key.in_(keys), EmailMessage.provider_message_id.in_(message_ids))
            )
        )
    )
    by_key = {m.idempotency_key: m for m in found}
    by_provider_id = {m.provider_message_id: m for m in found if m.provider_message_id}
    matched = 0
    for event in sorted(events, key=_event_time):
        custom = str(event.get("X-Mailin-custom") or event.get("x-mailin-custom") or "")
        message = by_key.get(custom[3:]) if custom.startswith("rw:") else None
        message = message or by_provider_id.get(str(event.get("message-id") or ""))
        status = EVENT_STATUS.get(str(event.get("event") or "").lower())
        if message is None or status is None:
            continue
        matched += 1
        when = _event_time(event)
        reason = event.get("reason")
        message.delivery_events = [
            *(message.delivery_events or [])[-(KEEP_EVENTS - 1):],
            {"event": event.get("event"), "status": status, "at": when.isoformat(), "reason": reason},
        ]
        if not message.provider_message_id and event.get("message-id"):
            message.provider_message_id = str(event["message-id"])[:300]
        current = message.delivery_status
        if current is not None and RANK[status] < RANK.get(current, 0):
            continue
        message.delivery_status = status
        message.delivery_detail = str(reason)[:1000] if reason else None
        message.delivery_updated_at = when
        if status in UNDELIVERABLE and current not in UNDELIVERABLE:
            notify(
                session,
                organization_id=message.organization_id,
                kind="email_undeliverable",
                title=f"E-Mail an {message.to_address} ist unzustellbar"
                if status != "spam"
                else f"E-Mail an {message.to_address} wurde als Spam gemeldet",
                body=str(reason or status),
                link=f"/invoices/{message.invoice_id}" if message.invoice_id else None,
                invoice_id=message.invoice_id,
            )
    await session.flush()
    return {"matched": matched, "ignored": len(events) - matched}
