from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.contacts.models import Contact
from app.contacts.schemas import ContactCreate, ContactUpdate
from app.errors import Conflict, NotFound
from app.invoices.models import Invoice
from app.recurring.models import RecurringInvoice


_GET = select(Contact).where(Contact.id == bindparam("id"), Contact.organization_id == bindparam("org"))


async def get(session: AsyncSession, organization_id: int, contact_id: int, *, field: str | None = None) -> Contact:
    contact = await session.scalar(_GET, {"id": contact_id, "org": organization_id})
    if contact is None:
        # The same answer for "does not exist" and "belongs to someone else".
        raise NotFound("Kunde nicht gefunden", field=field)
    return contact


async def list_contacts(
    session: AsyncSession, organization_id: int, *, q: str | None, limit: int, offset: int
) -> tuple[list[Contact], int]:
    stmt = select(Contact).where(Contact.organization_id == organization_id)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Contact.name).like(like),
                func.lower(func.coalesce(Contact.email, "")).like(like),
                func.lower(func.coalesce(Contact.customer_number, "")).like(like),
            )
        )
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.scalars(stmt.order_by(func.lower(Contact.name), Contact.id).limit(limit).offset(offset))
    return list(rows), total or 0


async def create(session: AsyncSession, organization_id: int, body: ContactCreate) -> Contact:
    contact = Contact(organization_id=organization_id, **body.model_dump())
    session.add(contact)
    await session.flush()
    return contact


async def update(session: AsyncSession, contact: Contact, body: ContactUpdate) -> Contact:
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(contact, field, value)
    await session.flush()
    return contact


async def delete(session: AsyncSession, contact: Contact) -> None:
    used = await session.scalar(select(exists().where(Invoice.contact_id == contact.id)))
    if used:
        raise Conflict("Der Kunde hat Rechnungen und kann nicht gelöscht werden", code="contact_in_use")
    if await session.scalar(select(exists().where(RecurringInvoice.contact_id == contact.id))):
        raise Conflict("Der Kunde hat Serienrechnungen und kann nicht gelöscht werden", code="contact_in_use")
    await session.delete(contact)
    await session.flush()
