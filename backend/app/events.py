"""Business events (`invoice.created`, `invoice.paid`, ...), emitted inside the transaction
that caused them. Subscribers (the webhook fan-out) write their outbox rows in that same
transaction, so an event exists exactly when its change was committed.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

EVENT_TYPES = (
    "invoice.created",
    "invoice.finalized",
    "invoice.sent",
    "invoice.viewed",
    "invoice.paid",
    "invoice.payment_confirmed",
    "invoice.cancelled",
    "recurring.invoice_generated",
)

Subscriber = Callable[[AsyncSession, int, str, dict[str, Any]], Awaitable[None]]
_subscribers: list[Subscriber] = []


def subscribe(fn: Subscriber) -> Subscriber:
    if fn not in _subscribers:
        _subscribers.append(fn)
    return fn


def subscribers() -> tuple[Subscriber, ...]:
    return tuple(_subscribers)


async def emit(session: AsyncSession, organization_id: int, event_type: str, data: dict[str, Any]) -> None:
    assert event_type in EVENT_TYPES, event_type
    for fn in _subscribers:
        await fn(session, organization_id, event_type, data)
