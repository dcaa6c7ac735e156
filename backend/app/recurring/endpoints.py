from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.auth.deps import CurrentCaller
from app.contacts.models import Contact
from app.db import SessionDep
from app.invoices.service import Actor
from app.kit.pagination import PageDep
from app.recurring import service
from app.recurring.models import RecurringInvoice
from app.recurring.schemas import (
    GeneratedInvoicePage,
    PreviewRead,
    PreviewRequest,
    RecurringCreate,
    RecurringDetail,
    RecurringPage,
    RecurringRead,
    RecurringUpdate,
    ResumeRequest,
)

router = APIRouter(prefix="/api/recurring", tags=["recurring"])

# The detail view shows the newest generated invoices; older ones are paged via /invoices.
_DETAIL_INVOICES = 100


async def _read(session: SessionDep, tpl: RecurringInvoice) -> RecurringRead:
    return service.to_read(tpl, await session.get(Contact, tpl.contact_id))


async def _detail(session: SessionDep, tpl: RecurringInvoice) -> RecurringDetail:
    invoices, _ = await service.generated_invoices(session, tpl, limit=_DETAIL_INVOICES, offset=0)
    return RecurringDetail(**(await _read(session, tpl)).model_dump(), invoices=invoices)


@router.get("", response_model=RecurringPage)
async def list_recurring(
    session: SessionDep,
    caller: CurrentCaller,
    page: PageDep,
    status: Literal["active", "paused", "finished"] | None = None,
    contact_id: int | None = None,
) -> RecurringPage:
    rows, total = await service.list_templates(
        session, caller.organization_id, status=status, contact_id=contact_id, limit=page.limit, offset=page.offset
    )
    return RecurringPage(
        items=[service.to_read(tpl, contact) for tpl, contact in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.post("", status_code=201, response_model=RecurringDetail)
async def create_recurring(body: RecurringCreate, session: SessionDep, caller: CurrentCaller) -> RecurringDetail:
    tpl, contact = await service.create(session, caller.organization, body, Actor.user(caller.user_id))
    return RecurringDetail(**service.to_read(tpl, contact).model_dump(), invoices=[])


# Declared before /{template_id} routes so "preview" is never parsed as an id.
@router.post("/preview", response_model=PreviewRead)
async def preview_schedule(body: PreviewRequest, caller: CurrentCaller) -> PreviewRead:
    return PreviewRead(
        periods=service.preview_schedule(
            body.frequency, body.start_date, end_date=body.end_date, max_occurrences=body.max_occurrences,
            note=body.note, count=body.count,
        )
    )


@router.get("/{template_id}", response_model=RecurringDetail)
async def get_recurring(template_id: int, session: SessionDep, caller: CurrentCaller) -> RecurringDetail:
    return await _detail(session, await service.get(session, caller.organization_id, template_id))


@router.patch("/{template_id}", response_model=RecurringDetail)
async def update_recurring(
    template_id: int, body: RecurringUpdate, session: SessionDep, caller: CurrentCaller
) -> RecurringDetail:
    tpl = await service.get(session, caller.organization_id, template_id, for_update=True)
    await service.update(session, caller.organization, tpl, body)
    return await _detail(session, tpl)


@router.delete("/{template_id}", status_code=204)
async def delete_recurring(template_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    tpl = await service.get(session, caller.organization_id, template_id, for_update=True)
    await service.delete(session, tpl)
    return Response(status_code=204)


@router.post("/{template_id}/pause", response_model=RecurringDetail)
async def pause_recurring(template_id: int, session: SessionDep, caller: CurrentCaller) -> RecurringDetail:
    tpl = await service.get(session, caller.organization_id, template_id, for_update=True)
    service.pause(tpl)
    await session.flush()
    return await _detail(session, tpl)


@router.post("/{template_id}/resume", response_model=RecurringDetail)
async def resume_recurring(
    template_id: int, session: SessionDep, caller: CurrentCaller, body: ResumeRequest | None = None
) -> RecurringDetail:
    tpl = await service.get(session, caller.organization_id, template_id, for_update=True)
    service.resume(tpl, catch_up=(body or ResumeRequest()).catch_up)
    await session.flush()
    return await _detail(session, tpl)


@router.get("/{template_id}/preview", response_model=PreviewRead)
async def preview_recurring(
    template_id: int,
    session: SessionDep,
    caller: CurrentCaller,
    count: Annotated[int, Query(ge=1, le=60, description="Wie viele kommende Zeiträume")] = 6,
) -> PreviewRead:
    tpl = await service.get(session, caller.organization_id, template_id)
    return PreviewRead(periods=service.preview(tpl, count))


@router.get("/{template_id}/invoices", response_model=GeneratedInvoicePage)
async def recurring_invoices(
    template_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep
) -> GeneratedInvoicePage:
    tpl = await service.get(session, caller.organization_id, template_id)
    items, total = await service.generated_invoices(session, tpl, limit=page.limit, offset=page.offset)
    return GeneratedInvoicePage(items=items, total=total, limit=page.limit, offset=page.offset)
