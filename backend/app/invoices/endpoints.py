from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.audit import service as audit
from app.auth.deps import CurrentCaller
from app.contacts.models import Contact
from app.db import SessionDep
from app.invoices import derive, service
from app.invoices.models import Invoice
from app.invoices.schemas import (
    AuditEventRead,
    ContactSummary,
    InvoiceCreate,
    InvoiceListItem,
    InvoiceRead,
    InvoiceStats,
    InvoiceUpdate,
    LineRead,
    MarkPaid,
    VatGroupRead,
)
from app.invoices.service import Actor
from app.invoices.vat import VatCategory, exemption_reason
from app.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/invoices", tags=["invoices"])

StatusFilter = Literal["draft", "open", "overdue", "paid", "cancelled"]


def to_read(invoice: Invoice, contact: Contact | None, small_business: bool) -> InvoiceRead:
    totals = derive.totals_of(invoice)
    small = bool(invoice.seller_snapshot.get("small_business")) if invoice.seller_snapshot else small_business
    return InvoiceRead(
        id=invoice.id,
        number=invoice.number,
        type_code=invoice.type_code,
        status=derive.effective_status(invoice),
        payment_status=invoice.payment_status,
        contact_id=invoice.contact_id,
        contact=ContactSummary(id=contact.id, name=contact.name, email=contact.email) if contact else None,
        currency=invoice.currency,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        payment_days=invoice.payment_days,
        service_date=invoice.service_date,
        service_period_start=invoice.service_period_start,
        service_period_end=invoice.service_period_end,
        buyer_reference=invoice.buyer_reference,
        note=invoice.note,
        preceding_invoice_id=invoice.preceding_invoice_id,
        lines=[LineRead.model_validate(line) for line in invoice.lines],
        net_total=totals.net_total,
        vat_total=totals.vat_total,
        gross_total=totals.gross_total,
        amount_due=totals.amount_due,
        vat_breakdown=[
            VatGroupRead(
                category=g.category.value,
                rate=g.rate,
                taxable_amount=g.taxable_amount,
                tax_amount=g.tax_amount,
                exemption_reason=(r[1] if (r := exemption_reason(VatCategory(g.category), small)) else None),
            )
            for g in totals.vat_breakdown
        ],
        legal_notes=derive.legal_notes(invoice, small),
        finalized_at=invoice.finalized_at,
        sent_at=invoice.sent_at,
        viewed_at=invoice.viewed_at,
        paid_at=invoice.paid_at,
        paid_confirmed_by=invoice.paid_confirmed_by,
        payment_reference=invoice.payment_reference,
        cancelled_at=invoice.cancelled_at,
        pdf_sha256=invoice.pdf_sha256,
        ubl_sha256=invoice.ubl_sha256,
        cii_sha256=invoice.cii_sha256,
        created_at=invoice.created_at,
        updated_at=invoice.updated_at,
    )


async def _read(session: SessionDep, caller: CurrentCaller, invoice: Invoice) -> InvoiceRead:
    contact = await session.get(Contact, invoice.contact_id)
    return to_read(invoice, contact, caller.organization.small_business)


@router.get("", response_model=Page[InvoiceListItem])
async def list_invoices(
    session: SessionDep,
    caller: CurrentCaller,
    page: PageDep,
    status: StatusFilter | None = None,
    payment_status: Literal["unpaid", "paid"] | None = None,
    contact_id: int | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Suche in Nummer und Kundenname")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Page[InvoiceListItem]:
    rows, total = await service.list_invoices(
        session, caller.organization_id, status=status, payment_status=payment_status, contact_id=contact_id,
        q=q, date_from=date_from, date_to=date_to, limit=page.limit, offset=page.offset,
    )
    items = [
        InvoiceListItem(
            id=inv.id, number=inv.number, type_code=inv.type_code, status=derive.effective_status(inv),
            payment_status=inv.payment_status, contact_id=inv.contact_id, contact_name=name,
            issue_date=inv.issue_date, due_date=inv.due_date, gross_total=inv.gross_total, net_total=inv.net_total,
            paid_at=inv.paid_at, sent_at=inv.sent_at, viewed_at=inv.viewed_at, created_at=inv.created_at,
        )
        for inv, name in rows
    ]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/stats", response_model=InvoiceStats)
async def invoice_stats(session: SessionDep, caller: CurrentCaller) -> InvoiceStats:
    return InvoiceStats(**await service.stats(session, caller.organization_id))


@router.post("", status_code=201, response_model=InvoiceRead)
async def create_invoice(body: InvoiceCreate, session: SessionDep, caller: CurrentCaller) -> InvoiceRead:
    invoice, contact = await service.create(
        session, caller.organization, body, Actor.user(caller.user_id), finalize_now=body.finalize
    )
    return to_read(invoice, contact, caller.organization.small_business)


@router.get("/{invoice_id}", response_model=InvoiceRead)
async def get_invoice(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> InvoiceRead:
    return await _read(session, caller, await service.get(session, caller.organization_id, invoice_id))


@router.patch("/{invoice_id}", response_model=InvoiceRead)
async def update_invoice(invoice_id: int, body: InvoiceUpdate, session: SessionDep, caller: CurrentCaller) -> InvoiceRead:
    invoice = await service.get(session, caller.organization_id, invoice_id, for_update=True)
    await service.update(session, caller.organization, invoice, body, Actor.user(caller.user_id))
    return await _read(session, caller, invoice)


@router.delete("/{invoice_id}", status_code=204)
async def delete_invoice(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    invoice = await service.get(session, caller.organization_id, invoice_id, for_update=True)
    await service.delete_draft(session, caller.organization, invoice, Actor.user(caller.user_id))
    return Response(status_code=204)


@router.post("/{invoice_id}/finalize", response_model=InvoiceRead)
async def finalize_invoice(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> InvoiceRead:
    invoice, contact = await service.finalize(session, caller.organization, invoice_id, Actor.user(caller.user_id))
    return to_read(invoice, contact, caller.organization.small_business)


@router.post("/{invoice_id}/mark-paid", response_model=InvoiceRead)
async def mark_paid(invoice_id: int, session: SessionDep, caller: CurrentCaller, body: MarkPaid | None = None) -> InvoiceRead:
    invoice = await service.get(session, caller.organization_id, invoice_id, for_update=True)
    body = body or MarkPaid()
    await service.mark_paid(
        session, caller.organization, invoice, Actor.user(caller.user_id), paid_on=body.paid_on, reference=body.reference
    )
    return await _read(session, caller, invoice)


@router.post("/{invoice_id}/mark-unpaid", response_model=InvoiceRead)
async def mark_unpaid(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> InvoiceRead:
    invoice = await service.get(session, caller.organization_id, invoice_id, for_update=True)
    await service.mark_unpaid(session, caller.organization, invoice, Actor.user(caller.user_id))
    return await _read(session, caller, invoice)


@router.post("/{invoice_id}/cancel", response_model=InvoiceRead)
async def cancel_invoice(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> InvoiceRead:
    invoice = await service.get(session, caller.organization_id, invoice_id, for_update=True)
    await service.cancel(session, caller.organization, invoice, Actor.user(caller.user_id))
    return await _read(session, caller, invoice)


@router.post("/{invoice_id}/duplicate", status_code=201, response_model=InvoiceRead)
async def duplicate_invoice(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> InvoiceRead:
    source = await service.get(session, caller.organization_id, invoice_id)
    invoice, contact = await service.duplicate(session, caller.organization, source, Actor.user(caller.user_id))
    return to_read(invoice, contact, caller.organization.small_business)


@router.get("/{invoice_id}/audit", response_model=list[AuditEventRead])
async def invoice_audit(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> list[AuditEventRead]:
    await service.get(session, caller.organization_id, invoice_id)
    return [AuditEventRead.model_validate(e) for e in await audit.for_invoice(session, caller.organization_id, invoice_id)]
