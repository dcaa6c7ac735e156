from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEvent


def record(
    session: AsyncSession,
    *,
    organization_id: int,
    action: str,
    invoice_id: int | None = None,
    actor_type: str = "user",
    actor_user_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event; it is written with the business change it describes (same transaction)."""
    event = AuditEvent(
        organization_id=organization_id,
        invoice_id=invoice_id,
        actor_type=actor_type,
        actor_user_id=actor_user_id,
        action=action,
        details=details or {},
    )
    session.add(event)
    return event


async def for_invoice(session: AsyncSession, organization_id: int, invoice_id: int) -> list[AuditEvent]:
    rows = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.organization_id == organization_id, AuditEvent.invoice_id == invoice_id)
        .order_by(AuditEvent.id)
    )
    return list(rows)
