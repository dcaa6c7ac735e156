from fastapi import APIRouter

from app.auth.deps import CurrentCaller
from app.db import SessionDep
from app.kit.pagination import PageDep
from app.notifications import service
from app.notifications.schemas import NotificationPage, NotificationRead, UnreadCount

router = APIRouter(prefix="/api/notifications", tags=["notifications"])


@router.get("", response_model=NotificationPage)
async def list_notifications(
    session: SessionDep, caller: CurrentCaller, page: PageDep, unread_only: bool = False
) -> NotificationPage:
    items, total, unread = await service.list_for(
        session, caller.organization_id, unread_only=unread_only, limit=page.limit, offset=page.offset
    )
    return NotificationPage(
        items=[NotificationRead.model_validate(n) for n in items],
        total=total,
        unread_count=unread,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/unread-count", response_model=UnreadCount)
async def unread_count(session: SessionDep, caller: CurrentCaller) -> UnreadCount:
    return UnreadCount(unread_count=await service.unread_count(session, caller.organization_id))


@router.post("/{notification_id}/read", response_model=NotificationRead)
async def mark_read(notification_id: int, session: SessionDep, caller: CurrentCaller) -> NotificationRead:
    return NotificationRead.model_validate(await service.mark_read(session, caller.organization_id, notification_id))


@router.post("/read-all", response_model=UnreadCount)
async def mark_all_read(session: SessionDep, caller: CurrentCaller) -> UnreadCount:
    await service.mark_all_read(session, caller.organization_id)
    return UnreadCount(unread_count=0)
