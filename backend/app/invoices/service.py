"""Invoice logic: drafts, finalize (numbering, snapshots), payment and cancellation.

Every function takes the session and the caller's organization explicitly and only
flushes; the edge commits. Every change writes its audit event and business event in the
same transaction.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, noload

from app import events
from app.audit import service as audit
from app.contacts import service as contacts
from app.contacts.models import Contact
from app.db import autocommit_connection
from app.errors import Conflict, NotFound, Unprocessable
from app.invoices import finalize_pg, numbering
from app.invoices.checks import check_einvoice_ready
from app.invoices.derive import (
    effective_status,
    snapshot_buyer,
    snapshot_seller,
    totals_of,
)
from app.invoices.models import Invoice, InvoiceLine, InvoiceStatus, PaymentStatus
from app.invoices.schemas import InvoiceCreate, InvoiceUpdate, LineIn
from app.invoices.totals import Totals
from app.invoices.vat import VatCategory
from app.kit.timeutil import today_berlin, utcnow
from app.organizations.models import Organization


@dataclass(frozen=True)
class Actor:
    """Who causes a change: a signed-in user, the customer (portal) or the system (cron)."""

    type: str
    user_id: int | None = None

    @classmethod
    def user(cls, user_id: int) -> "Actor":
        return cls("user", user_id)


SYSTEM = Actor("system")
CUSTOMER = Actor("customer")


def _resolve_line(line: LineIn, small_business: bool, field: str) -> tuple[VatCategory, Decimal]:
    category = line.vat_category
    rate = line.vat_rate
    if small_business:
        # § 19 UStG: a Kleinunternehmer must not charge VAT; an unspecified line becomes E/0.
        if category is None:
            return VatCategory.EXEMPT, Decimal("0")
        if category == VatCategory.STANDARD:
            raise Unprocessable(
                "Als Kleinunternehmer (§ 19 UStG) dürfen Sie keine Umsatzsteuer ausweisen",
                field=f"{field}.vat_category",
            )
    if category is None:
        category = VatCategory.STANDARD
    if rate is None:
        rate = Decimal("19") if category == VatCategory.STANDARD else Decimal("0")
    if category == VatCategory.STANDARD and rate <= 0:
        raise Unprocessable("Kategorie S braucht einen Steuersatz über 0 %", field=f"{field}.vat_rate")
    if category != VatCategory.STANDARD and rate != 0:
        raise Unprocessable(f"Kategorie {category.value} verlangt 0 % Steuer", field=f"{field}.vat_rate")
    return category, rate


def _build_lines(lines: list[LineIn], small_business: bool) -> list[InvoiceLine]:
    out = []
    for i, line in enumerate(lines):
        category, rate = _resolve_line(line, small_business, f"lines.{i}")
        out.append(
            InvoiceLine(
                position=i + 1,
                description=line.description,
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_price=line.unit_price,
                vat_category=category.value,
                vat_rate=rate,
                net_amount=Decimal("0"),
            )
        )
    return out


def _store_totals(invoice: Invoice) -> Totals:
    totals = totals_of(invoice)
    for line, net in zip(invoice.lines, totals.line_nets, strict=True):
        line.net_amount = net
    invoice.net_total = totals.net_total
    invoice.vat_total = totals.vat_total
    invoice.gross_total = totals.gross_total
    return totals


def _apply_dates(invoice: Invoice, org: Organization, explicit_due: bool) -> None:
    if not explicit_due:
        days = invoice.payment_days if invoice.payment_days is not None else org.default_payment_days
        invoice.payment_days = days
        invoice.due_date = invoice.issue_date + timedelta(days=days)


async def get(session: AsyncSession, organization_id: int, invoice_id: int, *, for_update: bool = False) -> Invoice:
    stmt = select(Invoice).where(Invoice.id == invoice_id, Invoice.organization_id == organization_id)
    if for_update:
        stmt = stmt.with_for_update()
    invoice = await session.scalar(stmt)
    if invoice is None:
        raise NotFound("Rechnung nicht gefunden")
    return invoice


def event_data(invoice: Invoice, contact: Contact | None = None, *, for_statement: bool = False) -> dict[str, Any]:
    """The `data` object of invoice webhook events: stable and free of internal detail.

    `for_statement`: for finalize_pg, which fills in the number (and a new invoice's id)."""
    return {
        "id": invoice.id if not (for_statement and invoice.id is None) else finalize_pg.ID,
        "number": finalize_pg.NUMBER if for_statement else invoice.number,
        "status": effective_status(invoice),
        "payment_status": invoice.payment_status,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "currency": invoice.currency,
        "net_total": f"{invoice.net_total:.2f}",
        "vat_total": f"{invoice.vat_total:.2f}",
        "gross_total": f"{invoice.gross_total:.2f}",
        "contact": {"id": contact.id, "name": contact.name, "email": contact.email} if contact else {"id": invoice.contact_id},
    }


async def create(
    session: AsyncSession,
    org: Organization,
    body: InvoiceCreate,
    actor: Actor,
    *,
    emit_event: bool = True,
    finalize_now: bool = False,
) -> tuple[Invoice, Contact]:
    """A new draft; with `finalize_now`, created and finalized in one transaction."""
    fast = finalize_pg.applies(session)
    if fast:
        # The reads below and finalize_pg's statement on one connection, without a
        # transaction around the reads (db.autocommit_connection).
        await autocommit_connection(session)
    contact = await contacts.get(session, org.id, body.contact_id, field="contact_id")
    if body.preceding_invoice_id is not None:
        preceding = await get(session, org.id, body.preceding_invoice_id)
        if preceding.status == InvoiceStatus.DRAFT:
            raise Conflict("Eine Gutschrift kann sich nur auf eine festgeschriebene Rechnung beziehen", field="preceding_invoice_id")
    elif body.type_code == "381":
        raise Unprocessable("Eine Gutschrift braucht die ursprüngliche Rechnung", field="preceding_invoice_id")
    invoice = build_draft(org, contact, body, actor)
    if finalize_now:
        check_einvoice_ready(org, invoice, contact)
        freeze(invoice, org, contact)
    if fast:
        # One statement in autocommit (finalize_pg): the invoice, its lines, audit and webhook
        # rows, and for a finalization the number, drawn and committed at once.
        audit_rows = [("created", _created_details(invoice))]
        outbox = [("invoice.created", event_data(invoice, contact, for_statement=True))] if emit_event else []
        if finalize_now:
            audit_rows.append(("finalized", {"number": finalize_pg.NUMBER}))
            outbox.append(("invoice.finalized", event_data(invoice, contact, for_statement=True)))
        await finalize_pg.insert(
            session, org, invoice, actor_type=actor.type, actor_user_id=actor.user_id, audit=audit_rows, outbox=outbox
        )
        return invoice, contact
    if finalize_now:
        # Drawn before the INSERT so the row is written once, already numbered (SQLite
        # serializes writers anyway; PostgreSQL takes finalize_pg).
        invoice.number = await numbering.next_number(session, org.id, org.number_format, invoice.issue_date)
    session.add(invoice)
    await session.flush()
    await record_created(session, org, invoice, contact, actor, emit_event=emit_event)
    if finalize_now:
        await record_finalized(session, org, invoice, contact, actor)
    return invoice, contact


# The column defaults a flush would fill in (status, currency, ...), set on the new object
# right away: event data and finalize_pg's statement read them from it before any flush.
_SCALAR_DEFAULTS = {
    c.key: c.default.arg for c in Invoice.__table__.columns if c.default is not None and c.default.is_scalar
}


def build_draft(org: Organization, contact: Contact, body: InvoiceCreate, actor: Actor) -> Invoice:
    """The draft for `body` (lines, dates, totals), not yet in a session; no IO.

    create() uses it, and so do callers that insert many invoices at once (the recurring run).
    """
    invoice = Invoice(
        organization_id=org.id,
        contact_id=contact.id,
        type_code=body.type_code,
        preceding_invoice_id=body.preceding_invoice_id,
        issue_date=body.issue_date or today_berlin(),
        due_date=body.due_date,
        payment_days=body.payment_days,
        service_date=body.service_date,
        service_period_start=body.service_period_start,
        service_period_end=body.service_period_end,
        buyer_reference=body.buyer_reference or contact.buyer_reference,
        note=body.note,
        created_by=actor.user_id,
        lines=_build_lines(body.lines, org.small_business),
    )
    for column, value in _SCALAR_DEFAULTS.items():
        if getattr(invoice, column) is None:
            setattr(invoice, column, value)
    _apply_dates(invoice, org, explicit_due=body.due_date is not None)
    if invoice.due_date is not None and invoice.due_date < invoice.issue_date:
        raise Unprocessable("Das Fälligkeitsdatum liegt vor dem Rechnungsdatum", field="due_date")
    _store_totals(invoice)
    return invoice


def _created_details(invoice: Invoice) -> dict[str, Any]:
    return {"gross_total": f"{invoice.gross_total:.2f}"}


async def record_created(
    session: AsyncSession, org: Organization, invoice: Invoice, contact: Contact, actor: Actor, *, emit_event: bool = True
) -> None:
    """Audit and event of a created (flushed) invoice."""
    audit.record(
        session,
        organization_id=org.id,
        invoice_id=invoice.id,
        actor_type=actor.type,
        actor_user_id=actor.user_id,
        action="created",
        details=_created_details(invoice),
    )
    if emit_event:
        await events.emit(session, org.id, "invoice.created", event_data(invoice, contact))


def freeze(invoice: Invoice, org: Organization, contact: Contact) -> None:
    """A checked draft becomes immutable; the caller draws its number (last, see finalize)."""
    invoice.status = InvoiceStatus.OPEN
    invoice.finalized_at = utcnow()
    invoice.seller_snapshot = snapshot_seller(org)
    invoice.buyer_snapshot = snapshot_buyer(contact)


async def record_finalized(session: AsyncSession, org: Organization, invoice: Invoice, contact: Contact, actor: Actor) -> None:
    """Audit and event of a finalized (flushed) invoice."""
    audit.record(
        session, organization_id=org.id, invoice_id=invoice.id, actor_type=actor.type, actor_user_id=actor.user_id,
        action="finalized", details={"number": invoice.number},
    )
    await events.emit(session, org.id, "invoice.finalized", event_data(invoice, contact))


def _immutable() -> Conflict:
    return Conflict(
        "Die Rechnung ist festgeschrieben und kann nicht mehr geändert werden; korrigieren Sie sie durch Stornierung",
        code="invoice_immutable",
    )


def _require_draft(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise _immutable()


async def update(session: AsyncSession, org: Organization, invoice: Invoice, body: InvoiceUpdate, actor: Actor) -> Invoice:
    _require_draft(invoice)
    data = body.model_dump(exclude_unset=True, exclude={"lines"})
    if "contact_id" in data:
        if data["contact_id"] is None:
            raise Unprocessable("Darf nicht leer sein", field="contact_id")
        await contacts.get(session, org.id, data["contact_id"], field="contact_id")
    if "issue_date" in data and data["issue_date"] is None:
        data["issue_date"] = today_berlin()
    for field, value in data.items():
        setattr(invoice, field, value)
    if body.lines is not None:
        invoice.lines.clear()
        await session.flush()
        invoice.lines.extend(_build_lines(body.lines, org.small_business))
    # An explicit due date wins; otherwise it follows issue date + payment days.
    if data.get("due_date") is None and {"payment_days", "issue_date", "due_date"} & data.keys():
        _apply_dates(invoice, org, explicit_due=False)
    if (invoice.service_period_start is None) != (invoice.service_period_end is None):
        raise Unprocessable("Leistungszeitraum braucht Beginn und Ende", field="service_period_end")
    if invoice.due_date is not None and invoice.due_date < invoice.issue_date:
        raise Unprocessable("Das Fälligkeitsdatum liegt vor dem Rechnungsdatum", field="due_date")
    _store_totals(invoice)
    await session.flush()
    audit.record(
        session, organization_id=org.id, invoice_id=invoice.id, actor_type=actor.type, actor_user_id=actor.user_id,
        action="updated", details={"fields": sorted(body.model_dump(exclude_unset=True))},
    )
    return invoice


async def delete_draft(session: AsyncSession, org: Organization, invoice: Invoice, actor: Actor) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise Conflict("Nur Entwürfe können gelöscht werden; festgeschriebene Rechnungen werden storniert", code="invoice_immutable")
    audit.record(
        session, organization_id=org.id, invoice_id=invoice.id, actor_type=actor.type, actor_user_id=actor.user_id,
        action="deleted",
    )
    await session.delete(invoice)
    await session.flush()


# Invoice, its lines and its contact in one round trip. The generic path locks the invoice
# row: two finalize calls for one draft must not both draw a number (finalize_pg's statement
# takes that lock itself).
_FINALIZE_READ = (
    select(Invoice, Contact)
    .join(Contact, Contact.id == Invoice.contact_id)
    .options(joinedload(Invoice.lines))
    .where(Invoice.id == bindparam("id"), Invoice.organization_id == bindparam("org"))
)
_FINALIZE_LOAD = _FINALIZE_READ.with_for_update(of=Invoice)


async def finalize(session: AsyncSession, org: Organization, invoice_id: int, actor: Actor) -> tuple[Invoice, Contact]:
    fast = finalize_pg.applies(session)
    if fast:
        # The read and finalize_pg's statement on one connection, no transaction around the
        # read: the statement itself checks that the draft is unchanged since.
        await autocommit_connection(session)
    stmt = _FINALIZE_READ if fast else _FINALIZE_LOAD
    row = (await session.execute(stmt, {"id": invoice_id, "org": org.id})).unique().first()
    if row is None:
        raise NotFound("Rechnung nicht gefunden")
    invoice, contact = row
    _require_draft(invoice)
    check_einvoice_ready(org, invoice, contact)
    if fast:
        return await _finalize_pg(session, org, invoice, contact, actor)
    freeze(invoice, org, contact)
    # Drawn last: the sequence row stays locked until commit, so the less work after this
    # point, the more finalizations per second an organization can do. No autoflush, so the
    # invoice is written once, with its number.
    with session.no_autoflush:
        invoice.number = await numbering.next_number(session, org.id, org.number_format, invoice.issue_date)
    await session.flush()
    await record_finalized(session, org, invoice, contact, actor)
    return invoice, contact


async def _finalize_pg(
    session: AsyncSession, org: Organization, invoice: Invoice, contact: Contact, actor: Actor
) -> tuple[Invoice, Contact]:
    # The statement writes the row; the object is only the answer now, and must not be
    # flushed by the session as well.
    seen = invoice.updated_at
    session.expunge(invoice)
    freeze(invoice, org, contact)
    done = await finalize_pg.finalize(
        session, org, invoice, seen, actor_type=actor.type, actor_user_id=actor.user_id,
        audit=[("finalized", {"number": finalize_pg.NUMBER})],
        outbox=[("invoice.finalized", event_data(invoice, contact, for_statement=True))],
    )
    if not done:
        # Finalized, edited or deleted since it was read: say which, as the generic path would.
        current = await session.scalar(
            select(Invoice.status).where(Invoice.id == invoice.id, Invoice.organization_id == org.id)
        )
        if current is None:
            raise NotFound("Rechnung nicht gefunden")
        if current != InvoiceStatus.DRAFT:
            raise _immutable()
        raise Conflict("Der Entwurf wurde gerade geändert; bitte erneut festschreiben", code="concurrent_update")
    return invoice, contact


async def mark_paid(
    session: AsyncSession,
    org: Organization,
    invoice: Invoice,
    actor: Actor,
    *,
    paid_on: date | None,
    reference: str | None,
    via: str = "seller",
    share_link_id: int | None = None,
) -> bool:
    """Returns False when the invoice was already paid (idempotent), True when it changed."""
    if invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED):
        raise Conflict(
            "Nur offene oder überfällige Rechnungen können als bezahlt markiert werden", code="invalid_status"
        )
    if invoice.status == InvoiceStatus.PAID:
        return False
    invoice.status = InvoiceStatus.PAID
    invoice.payment_status = PaymentStatus.PAID
    invoice.paid_at = paid_on or today_berlin()
    invoice.paid_confirmed_by = via
    invoice.payment_reference = reference
    await session.flush()
    details: dict[str, Any] = {"paid_on": invoice.paid_at.isoformat(), "via": via}
    if reference:
        details["reference"] = reference
    if share_link_id is not None:
        details["share_link_id"] = share_link_id
    audit.record(
        session, organization_id=org.id, invoice_id=invoice.id, actor_type=actor.type, actor_user_id=actor.user_id,
        action="payment_confirmed" if via == "customer" else "marked_paid", details=details,
    )
    data = event_data(invoice)
    data["paid_at"] = invoice.paid_at.isoformat()
    data["confirmed_by"] = via
    await events.emit(session, org.id, "invoice.payment_confirmed" if via == "customer" else "invoice.paid", data)
    return True


async def mark_unpaid(session: AsyncSession, org: Organization, invoice: Invoice, actor: Actor) -> None:
    if invoice.status != InvoiceStatus.PAID:
        raise Conflict("Die Rechnung ist nicht als bezahlt markiert", code="invalid_status")
    previous = {"paid_at": invoice.paid_at.isoformat() if invoice.paid_at else None, "confirmed_by": invoice.paid_confirmed_by}
    invoice.status = InvoiceStatus.OPEN
    invoice.payment_status = PaymentStatus.UNPAID
    invoice.paid_at = None
    invoice.paid_confirmed_by = None
    invoice.payment_reference = None
    await session.flush()
    audit.record(
        session, organization_id=org.id, invoice_id=invoice.id, actor_type=actor.type, actor_user_id=actor.user_id,
        action="marked_unpaid", details=previous,
    )


async def cancel(session: AsyncSession, org: Organization, invoice: Invoice, actor: Actor) -> None:
    if invoice.status == InvoiceStatus.DRAFT:
        raise Conflict("Entwürfe werden gelöscht, nicht storniert", code="invalid_status")
    if invoice.status == InvoiceStatus.CANCELLED:
        return
    if invoice.status == InvoiceStatus.PAID:
        raise Conflict("Eine bezahlte Rechnung kann nicht storniert werden; setzen Sie sie zuerst auf unbezahlt", code="invalid_status")
    invoice.status = InvoiceStatus.CANCELLED
    invoice.cancelled_at = utcnow()
    await session.flush()
    audit.record(
        session, organization_id=org.id, invoice_id=invoice.id, actor_type=actor.type, actor_user_id=actor.user_id,
        action="cancelled",
    )
    await events.emit(session, org.id, "invoice.cancelled", event_data(invoice))


async def duplicate(session: AsyncSession, org: Organization, invoice: Invoice, actor: Actor) -> tuple[Invoice, Contact]:
    body = InvoiceCreate(
        contact_id=invoice.contact_id,
        buyer_reference=invoice.buyer_reference,
        note=invoice.note,
        lines=[
            LineIn(
                description=line.description,
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                vat_category=VatCategory(line.vat_category),
            )
            for line in invoice.lines
        ],
    )
    return await create(session, org, body, actor)


def _status_filter(status: str, today: date):  # type: ignore[no-untyped-def]
    if status == InvoiceStatus.OVERDUE:
        return and_(Invoice.status == InvoiceStatus.OPEN, Invoice.due_date < today)
    if status == InvoiceStatus.OPEN:
        return and_(Invoice.status == InvoiceStatus.OPEN, or_(Invoice.due_date.is_(None), Invoice.due_date >= today))
    return Invoice.status == status


async def list_invoices(
    session: AsyncSession,
    organization_id: int,
    *,
    status: str | None,
    payment_status: str | None,
    contact_id: int | None,
    q: str | None,
    date_from: date | None,
    date_to: date | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Invoice, str]], int]:
    today = today_berlin()
    stmt = (
        select(Invoice, Contact.name)
        .join(Contact, Contact.id == Invoice.contact_id)
        .where(Invoice.organization_id == organization_id)
    )
    if status:
        stmt = stmt.where(_status_filter(status, today))
    if payment_status:
        stmt = stmt.where(Invoice.payment_status == payment_status)
    if contact_id is not None:
        stmt = stmt.where(Invoice.contact_id == contact_id)
    if date_from:
        stmt = stmt.where(Invoice.issue_date >= date_from)
    if date_to:
        stmt = stmt.where(Invoice.issue_date <= date_to)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(func.coalesce(Invoice.number, "")).like(like), func.lower(Contact.name).like(like)))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    # noload: the list shows totals only; loading every line of every invoice would be waste.
    rows = await session.execute(
        stmt.options(noload(Invoice.lines)).order_by(Invoice.issue_date.desc(), Invoice.id.desc()).limit(limit).offset(offset)
    )
    return [(r[0], r[1]) for r in rows.all()], total


async def stats(session: AsyncSession, organization_id: int) -> dict[str, Any]:
    today = today_berlin()
    overdue = and_(Invoice.status == InvoiceStatus.OPEN, Invoice.due_date < today)
    open_ = and_(Invoice.status == InvoiceStatus.OPEN, or_(Invoice.due_date.is_(None), Invoice.due_date >= today))
    paid_recent = and_(Invoice.status == InvoiceStatus.PAID, Invoice.paid_at >= today - timedelta(days=30))
    zero = Decimal("0")
    row = (
        await session.execute(
            select(
                func.count(case((open_, 1))),
                func.coalesce(func.sum(case((open_, Invoice.gross_total), else_=zero)), zero),
                func.count(case((overdue, 1))),
                func.coalesce(func.sum(case((overdue, Invoice.gross_total), else_=zero)), zero),
                func.count(case((Invoice.status == InvoiceStatus.DRAFT, 1))),
                func.count(case((paid_recent, 1))),
                func.coalesce(func.sum(case((paid_recent, Invoice.gross_total), else_=zero)), zero),
            ).where(Invoice.organization_id == organization_id)
        )
    ).one()
    return {
        "open_count": row[0],
        "open_total": Decimal(row[1]),
        "overdue_count": row[2],
        "overdue_total": Decimal(row[3]),
        "draft_count": row[4],
        "paid_last_30_days_count": row[5],
        "paid_last_30_days_total": Decimal(row[6]),
    }
