from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.auth.deps import CurrentCaller
from app.contacts import service
from app.contacts.schemas import ContactCreate, ContactRead, ContactUpdate
from app.db import SessionDep
from app.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/contacts", tags=["contacts"])


@router.get("", response_model=Page[ContactRead])
async def list_contacts(
    session: SessionDep, caller: CurrentCaller, page: PageDep, q: Annotated[str | None, Query(max_length=100)] = None
) -> Page[ContactRead]:
    items, total = await service.list_contacts(session, caller.organization_id, q=q, limit=page.limit, offset=page.offset)
    return Page(items=[ContactRead.model_validate(c) for c in items], total=total, limit=page.limit, offset=page.offset)


@router.post("", status_code=201, response_model=ContactRead)
async def create_contact(body: ContactCreate, session: SessionDep, caller: CurrentCaller) -> ContactRead:
    return ContactRead.model_validate(await service.create(session, caller.organization_id, body))


@router.get("/{contact_id}", response_model=ContactRead)
async def get_contact(contact_id: int, session: SessionDep, caller: CurrentCaller) -> ContactRead:
    return ContactRead.model_validate(await service.get(session, caller.organization_id, contact_id))


@router.patch("/{contact_id}", response_model=ContactRead)
async def update_contact(contact_id: int, body: ContactUpdate, session: SessionDep, caller: CurrentCaller) -> ContactRead:
    contact = await service.get(session, caller.organization_id, contact_id)
    return ContactRead.model_validate(await service.update(session, contact, body))


@router.delete("/{contact_id}", status_code=204)
async def delete_contact(contact_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    contact = await service.get(session, caller.organization_id, contact_id)
    await service.delete(session, contact)
    return Response(status_code=204)
