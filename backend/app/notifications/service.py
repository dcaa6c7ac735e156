from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.notifications.models import Notification


def notify(
    session: AsyncSession,
    *,
    organization_id: int,
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    invoice_id: int | None = None,
) -> Notification:
    n = Notification(
        organization_id=organization_id, kind=kind, title=title, body=body, link=link, invoice_id=invoice_id
    )
    session.add(n)
    return n


async def list_for(
    session: AsyncSession, organization_id: int, *, unread_only: bool, limit: int, offset: int
) -> tuple[list[Notification], int, int]:
    stmt = select(Notification).where(Notification.organization_id == organization_id)
    if unread_only:
        stmt = stmt.where(Notification.is_read.is_(False))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = await session.scalars(stmt.order_by(Notification.id.desc()).limit(limit).offset(offset))
    return list(rows), total, await unread_count(session, organization_id)


async def unread_count(session: AsyncSession, organization_id: int) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.organization_id == organization_id, Notification.is_read.is_(False))
        )
        or 0
    )


async def mark_read(session: AsyncSession, organization_id: int, notification_id: int) -> Notification:
    n = await session.scalar(
        select(Notification).where(Notification.id == notification_id, Notification.organization_id == organization_id)
    )
    if n is None:
        raise NotFound("Benachrichtigung nicht gefunden")
    n.is_read = True
    await session.flush()
    return n


async def mark_all_read(session: AsyncSession, organization_id: int) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.organization_id == organization_id, Notification.is_read.is_(False))
        .values(is_read=True)
    )
    return result.rowcount or 0
