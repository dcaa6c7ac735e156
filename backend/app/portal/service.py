"""Share links (seller side) and the public portal (customer side).

Lock order, everywhere: the invoice row before the share-link row. The seller's link
changes lock the invoice (to keep one usable link per invoice); the portal reads without
locks and writes the invoice (first view, payment) before it bumps the link's counter. With
one order no two requests can wait for each other in a cycle.

The portal view is the hot path (see bench/portal.py): one SELECT of the link with the few
invoice columns that can still change, one UPDATE of the counter, one INSERT into the
access log. The rest of a finalized invoice never changes (GoBD), so its portal rendering
is built once per process and invoice and kept in a small LRU.
"""

import ipaddress
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from fastapi import Request
from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from app import events
from app.audit import service as audit
from app.config import get_settings
from app.errors import Conflict, NotFound, Unprocessable
from app.invoices import archive
from app.invoices import service as invoices
from app.invoices.derive import effective_status, legal_notes, totals_of
from app.invoices.models import Invoice, InvoiceStatus
from app.invoices.service import CUSTOMER, Actor
from app.invoices.units import UNITS
from app.invoices.vat import VatCategory, exemption_reason
from app.kit.money import ZERO, fmt_eur_de
from app.kit.timeutil import today_berlin, utcnow
from app.notifications.service import notify
from app.organizations.models import Organization
from app.portal.girocode import girocode_for
from app.portal.models import InvoiceShareLink, PortalAccess, PortalAction
from app.portal.ratelimit import count_unknown_token
from app.portal.schemas import (
    ConfirmPayment,
    ConfirmPaymentResult,
    GiroCode,
    PortalBuyer,
    PortalDownloads,
    PortalInvoice,
    PortalLine,
    PortalLink,
    PortalPayment,
    PortalSeller,
    PortalVatGroup,
    PortalView,
)
from app.portal.tokens import new_token, normalize_token
from app.storage import FileMissing, get_storage, run

CREDIT_NOTE = "381"
PAYABLE = (InvoiceStatus.OPEN, InvoiceStatus.OVERDUE)

_links = InvoiceShareLink.__table__
_invoices = Invoice.__table__
_accesses = PortalAccess.__table__


class LinkExpired(Unprocessable):
    code = "link_expired"


def share_url(token: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/portal/{token}"


def truncate_ip(host: str | None) -> str | None:
    """IPv4 to /24, IPv6 to /48 (the network, never the host)."""
    if not host:
        return None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def is_expired(link: InvoiceShareLink, now: datetime | None = None) -> bool:
    return link.expires_at is not None and link.expires_at <= (now or utcnow())


# --- seller side ---------------------------------------------------------------------------


async def _shareable_invoice(session: AsyncSession, organization_id: int, invoice_id: int) -> Invoice:
    invoice = await invoices.get(session, organization_id, invoice_id, for_update=True)
    if invoice.status == InvoiceStatus.DRAFT:
        raise Conflict(
            "Nur festgeschriebene Rechnungen können geteilt werden. Bitte schreiben Sie die Rechnung zuerst fest.",
            code="invoice_not_finalized",
        )
    return invoice


async def current_link(session: AsyncSession, invoice_id: int) -> InvoiceShareLink | None:
    """The newest link that was not revoked (it may have expired)."""
    return await session.scalar(
        select(InvoiceShareLink)
        .where(InvoiceShareLink.invoice_id == invoice_id, InvoiceShareLink.revoked_at.is_(None))
        .order_by(InvoiceShareLink.id.desc())
        .limit(1)
    )


async def _revoke_all(session: AsyncSession, invoice_id: int, now: datetime) -> list[int]:
    links = await session.scalars(
        select(InvoiceShareLink).where(InvoiceShareLink.invoice_id == invoice_id, InvoiceShareLink.revoked_at.is_(None))
    )
    revoked = []
    for link in links:
        link.revoked_at = now
        revoked.append(link.id)
    await session.flush()
    return revoked


async def ensure_link(
    session: AsyncSession,
    organization_id: int,
    invoice_id: int,
    actor: Actor,
    *,
    expires_in_days: int | None = None,
    regenerate: bool = False,
) -> tuple[InvoiceShareLink, bool]:
    """The invoice's usable link, created when there is none (or on `regenerate`).

    Returns (link, created). Sharing again must not break the link already e-mailed, so an
    existing usable link is returned as it is; `expires_in_days` then moves its expiry.
    """
    settings = get_settings()
    if expires_in_days is not None and expires_in_days > settings.portal_link_max_days:
        raise Unprocessable(
            f"Ein Link kann höchstens {settings.portal_link_max_days} Tage gültig sein", field="expires_in_days"
        )
    invoice = await _shareable_invoice(session, organization_id, invoice_id)
    now = utcnow()
    current = await current_link(session, invoice.id)
    if current is not None and not regenerate and not is_expired(current, now):
        if expires_in_days is not None:
            current.expires_at = now + timedelta(days=expires_in_days)
            await session.flush()
            audit.record(
                session, organization_id=organization_id, invoice_id=invoice.id, actor_type=actor.type,
                actor_user_id=actor.user_id, action="share_link_extended",
                details={"share_link_id": current.id, "expires_at": current.expires_at.isoformat()},
            )
        return current, False
    revoked = await _revoke_all(session, invoice.id, now) if regenerate else []
    link = InvoiceShareLink(
        invoice_id=invoice.id,
        token=new_token(),
        expires_at=now + timedelta(days=expires_in_days or settings.portal_link_default_days),
        access_count=0,
        created_by=actor.user_id,
    )
    session.add(link)
    await session.flush()
    # The token is a credential: the audit trail names the link by id only.
    audit.record(
        session, organization_id=organization_id, invoice_id=invoice.id, actor_type=actor.type,
        actor_user_id=actor.user_id, action="share_link_created",
        details={"share_link_id": link.id, "expires_at": link.expires_at.isoformat() if link.expires_at else None,
                 "revoked_share_link_ids": revoked},
    )
    return link, True


async def revoke(session: AsyncSession, organization_id: int, invoice_id: int, actor: Actor) -> None:
    invoice = await invoices.get(session, organization_id, invoice_id, for_update=True)
    revoked = await _revoke_all(session, invoice.id, utcnow())
    if revoked:
        audit.record(
            session, organization_id=organization_id, invoice_id=invoice.id, actor_type=actor.type,
            actor_user_id=actor.user_id, action="share_link_revoked", details={"share_link_ids": revoked},
        )


async def link_for_seller(session: AsyncSession, organization_id: int, invoice_id: int) -> InvoiceShareLink:
    invoice = await invoices.get(session, organization_id, invoice_id)
    link = await current_link(session, invoice.id)
    if link is None:
        raise NotFound("Für diese Rechnung gibt es keinen aktiven Link", code="share_link_not_found")
    return link


async def activity(
    session: AsyncSession, organization_id: int, invoice_id: int, *, limit: int, offset: int
) -> tuple[list[PortalAccess], int]:
    invoice = await invoices.get(session, organization_id, invoice_id)
    where = PortalAccess.invoice_id == invoice.id
    total = await session.scalar(select(func.count()).select_from(PortalAccess).where(where)) or 0
    rows = await session.scalars(select(PortalAccess).where(where).order_by(PortalAccess.id.desc()).limit(limit).offset(offset))
    return list(rows), total


# --- public portal -------------------------------------------------------------------------

_STATE = (
    select(
        _links.c.id.label("link_id"),
        _links.c.expires_at,
        _links.c.revoked_at,
        _invoices.c.id.label("invoice_id"),
        _invoices.c.organization_id,
        _invoices.c.status,
        _invoices.c.payment_status,
        _invoices.c.due_date,
        _invoices.c.paid_at,
        _invoices.c.paid_confirmed_by,
        _invoices.c.viewed_at,
        _invoices.c.finalized_at,
    )
    .join_from(_links, _invoices, _links.c.invoice_id == _invoices.c.id)
    .where(_links.c.token == bindparam("token"))
)

# The WHERE repeats the validity check: a link revoked or expired between our SELECT and
# this UPDATE (READ COMMITTED re-checks after waiting for the row) counts nothing.
_COUNT = (
    update(_links)
    .where(
        _links.c.id == bindparam("link_id"),
        _links.c.revoked_at.is_(None),
        or_(_links.c.expires_at.is_(None), _links.c.expires_at > bindparam("now")),
    )
    .values(access_count=_links.c.access_count + 1, last_accessed_at=bindparam("now"))
)

_MARK_VIEWED = (
    update(_invoices)
    .where(_invoices.c.id == bindparam("invoice_id"), _invoices.c.viewed_at.is_(None))
    .values(viewed_at=bindparam("now"))
)

_RECORD = insert(_accesses)


def _unknown_link() -> NotFound:
    # Unknown and revoked look the same from outside: revoking must not be observable.
    return NotFound(
        "Dieser Link ist ungültig oder wurde zurückgezogen. Bitte wenden Sie sich an den Rechnungssteller.",
        code="link_not_found",
    )


async def _seller_snapshot(session: AsyncSession, invoice_id: int) -> dict[str, Any]:
    return await session.scalar(select(_invoices.c.seller_snapshot).where(_invoices.c.id == invoice_id)) or {}


async def resolve(session: AsyncSession, request: Request, raw_token: str) -> Row[Any]:
    """The link's state row, or 404 (unknown, revoked, malformed) / 422 (expired)."""
    token = normalize_token(raw_token)
    if token is None:
        count_unknown_token(request)
        raise _unknown_link()
    row = (await session.execute(_STATE, {"token": token})).first()
    if row is None or row.revoked_at is not None:
        count_unknown_token(request)
        raise _unknown_link()
    if row.expires_at is not None and row.expires_at <= utcnow():
        seller = (await _seller_snapshot(session, row.invoice_id)).get("name") or "dem Rechnungssteller"
        raise LinkExpired(f"Dieser Link ist abgelaufen. Bitte fordern Sie bei {seller} einen neuen Link an.")
    return row


async def record_access(session: AsyncSession, request: Request, row: Row[Any], action: str) -> None:
    """Count and log one access; the first view also marks the invoice viewed."""
    now = utcnow()
    if action == PortalAction.VIEW and row.viewed_at is None:
        marked = await session.execute(_MARK_VIEWED, {"invoice_id": row.invoice_id, "now": now})
        # Concurrent first views race here; the conditional UPDATE lets exactly one win.
        if marked.rowcount == 1:
            await _first_view(session, row, now)
    counted = await session.execute(_COUNT, {"link_id": row.link_id, "now": now})
    if counted.rowcount != 1:
        raise _unknown_link()
    user_agent = request.headers.get("user-agent")
    await session.execute(
        _RECORD,
        {
            "share_link_id": row.link_id,
            "invoice_id": row.invoice_id,
            "action": action,
            "ip_prefix": truncate_ip(request.client.host if request.client else None),
            "user_agent": user_agent[:300] if user_agent else None,
            "created_at": now,
        },
    )


async def _first_view(session: AsyncSession, row: Row[Any], now: datetime) -> None:
    invoice = await session.get(Invoice, row.invoice_id)
    assert invoice is not None
    audit.record(
        session, organization_id=row.organization_id, invoice_id=row.invoice_id, actor_type=CUSTOMER.type,
        action="viewed", details={"share_link_id": row.link_id},
    )
    data = invoices.event_data(invoice)
    data["viewed_at"] = now.isoformat()
    await events.emit(session, row.organization_id, "invoice.viewed", data)


# The part of the portal answer that never changes once an invoice is finalized.
@dataclass(frozen=True, slots=True)
class _Document:
    invoice: PortalInvoice
    seller: PortalSeller
    buyer: PortalBuyer
    payment: PortalPayment
    type_code: str
    number: str
    amount_due: Decimal
    iban: str | None
    bic: str | None


_CACHE_SIZE = 2048
_documents: OrderedDict[tuple[int, datetime | None], _Document] = OrderedDict()


def _title(type_code: str) -> str:
    return "Gutschrift" if type_code == CREDIT_NOTE else "Rechnung"


def _build_document(invoice: Invoice) -> _Document:
    seller: dict[str, Any] = invoice.seller_snapshot or {}
    buyer: dict[str, Any] = invoice.buyer_snapshot or {}
    small = bool(seller.get("small_business"))
    totals = totals_of(invoice)
    number = invoice.number or ""
    portal_invoice = PortalInvoice(
        number=number,
        type_code=invoice.type_code,
        title=_title(invoice.type_code),
        status="open",  # the changing fields are filled per request
        payment_status="unpaid",
        currency=invoice.currency,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        service_date=invoice.service_date,
        service_period_start=invoice.service_period_start,
        service_period_end=invoice.service_period_end,
        buyer_reference=invoice.buyer_reference,
        note=invoice.note,
        paid_at=None,
        paid_confirmed_by=None,
        lines=[
            PortalLine(
                position=line.position,
                description=line.description,
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_label=UNITS.get(line.unit_code, (line.unit_code,))[0],
                unit_price=line.unit_price,
                vat_category=line.vat_category,
                vat_rate=line.vat_rate,
                net_amount=net,
            )
            for line, net in zip(invoice.lines, totals.line_nets, strict=True)
        ],
        net_total=totals.net_total,
        vat_total=totals.vat_total,
        gross_total=totals.gross_total,
        amount_due=totals.amount_due,
        vat_breakdown=[
            PortalVatGroup(
                category=g.category.value,
                rate=g.rate,
                taxable_amount=g.taxable_amount,
                tax_amount=g.tax_amount,
                exemption_reason=(r[1] if (r := exemption_reason(VatCategory(g.category), small)) else None),
            )
            for g in totals.vat_breakdown
        ],
        legal_notes=legal_notes(invoice, small),
    )
    portal_seller = PortalSeller(
        name=seller.get("name") or "",
        street=seller.get("street"),
        postal_code=seller.get("postal_code"),
        city=seller.get("city"),
        country_code=seller.get("country_code"),
        vat_id=seller.get("vat_id"),
        tax_number=seller.get("tax_number"),
        contact_name=seller.get("contact_name"),
        phone=seller.get("phone"),
        email=seller.get("email"),
        website=seller.get("website"),
        register_court=seller.get("register_court"),
        register_number=seller.get("register_number"),
        small_business=small,
        has_logo=bool(seller.get("logo_path")),
        logo_url=None,
    )
    portal_buyer = PortalBuyer(
        name=buyer.get("name") or "",
        street=buyer.get("street"),
        postal_code=buyer.get("postal_code"),
        city=buyer.get("city"),
        country_code=buyer.get("country_code"),
        vat_id=buyer.get("vat_id"),
        contact_name=buyer.get("contact_name"),
        customer_number=buyer.get("customer_number"),
    )
    payment = PortalPayment(
        account_holder=portal_seller.name,
        iban=seller.get("iban"),
        bic=seller.get("bic"),
        bank_name=seller.get("bank_name"),
        amount_due=totals.amount_due,
        currency=invoice.currency,
        remittance=number,
        due_date=invoice.due_date,
        payable=False,
        girocode=None,
    )
    return _Document(
        invoice=portal_invoice, seller=portal_seller, buyer=portal_buyer, payment=payment,
        type_code=invoice.type_code, number=number, amount_due=totals.amount_due,
        iban=seller.get("iban"), bic=seller.get("bic"),
    )


async def _document(session: AsyncSession, row: Row[Any]) -> _Document:
    # finalized_at in the key: ids can repeat when a database is recreated under a process.
    key = (row.invoice_id, row.finalized_at)
    doc = _documents.get(key)
    if doc is not None:
        _documents.move_to_end(key)
        return doc
    invoice = await session.get(Invoice, row.invoice_id)
    assert invoice is not None
    doc = _build_document(invoice)
    _documents[key] = doc
    while len(_documents) > _CACHE_SIZE:
        _documents.popitem(last=False)
    return doc


def _girocode(doc: _Document) -> GiroCode | None:
    if not doc.iban or doc.invoice.currency != "EUR":
        return None
    try:
        payload, image = girocode_for(doc.iban, doc.bic, doc.seller.name, doc.amount_due, doc.number)
    except ValueError:
        return None  # e.g. an amount outside the EPC range: the page still shows the bank data
    return GiroCode(payload=payload, image=image)


def _can_pay(doc: _Document, status: str) -> bool:
    return status in PAYABLE and doc.type_code != CREDIT_NOTE


async def view(session: AsyncSession, request: Request, token: str) -> PortalView:
    row = await resolve(session, request, token)
    await record_access(session, request, row, PortalAction.VIEW)
    doc = await _document(session, row)
    status = effective_status(row)  # type: ignore[arg-type] - needs only .status and .due_date
    payable = _can_pay(doc, status) and doc.amount_due > 0
    base = f"/api/portal/{normalize_token(token)}"  # resolve() accepted it
    return PortalView(
        invoice=doc.invoice.model_copy(
            update={
                "status": status,
                "payment_status": row.payment_status,
                "paid_at": row.paid_at,
                "paid_confirmed_by": row.paid_confirmed_by,
            }
        ),
        seller=doc.seller.model_copy(update={"logo_url": f"{base}/logo" if doc.seller.has_logo else None}),
        buyer=doc.buyer,
        payment=doc.payment.model_copy(
            update={
                "payable": payable,
                "amount_due": doc.amount_due if payable else ZERO,
                "girocode": _girocode(doc) if payable else None,
            }
        ),
        can_confirm_payment=_can_pay(doc, status),
        downloads=PortalDownloads(
            pdf=f"{base}/download-pdf", xml_ubl=f"{base}/download-xml?syntax=ubl", xml_cii=f"{base}/download-xml?syntax=cii"
        ),
        confirm_payment_url=f"{base}/confirm-payment",
        link=PortalLink(expires_at=row.expires_at),
    )



async def confirm_payment(session: AsyncSession, request: Request, token: str, body: ConfirmPayment) -> ConfirmPaymentResult:
    row = await resolve(session, request, token)
    if body.paid_on is not None and body.paid_on > today_berlin():
        raise Unprocessable("Das Zahlungsdatum darf nicht in der Zukunft liegen", field="paid_on")
    # Lock the invoice: two confirmations (or the seller marking it paid) must not both win.
    invoice = await session.scalar(select(Invoice).where(Invoice.id == row.invoice_id).with_for_update())
    assert invoice is not None
    if invoice.type_code == CREDIT_NOTE:
        raise Conflict("Eine Gutschrift zahlt der Rechnungssteller aus; sie muss nicht bestätigt werden", code="invalid_status")
    if invoice.status == InvoiceStatus.CANCELLED:
        raise Conflict("Diese Rechnung wurde storniert; eine Zahlung kann nicht bestätigt werden", code="invoice_cancelled")
    already_paid = invoice.status == InvoiceStatus.PAID
    if not already_paid:
        org = await session.get(Organization, invoice.organization_id)
        assert org is not None
        await invoices.mark_paid(
            session, org, invoice, CUSTOMER, paid_on=body.paid_on, reference=body.reference,
            via="customer", share_link_id=row.link_id,
        )
        _notify_payment(session, invoice)
    await record_access(session, request, row, PortalAction.CONFIRM_PAYMENT)
    return ConfirmPaymentResult(
        status=effective_status(invoice),  # type: ignore[arg-type]
        payment_status=invoice.payment_status,  # type: ignore[arg-type]
        paid_at=invoice.paid_at,
        paid_confirmed_by=invoice.paid_confirmed_by,  # type: ignore[arg-type]
        already_paid=already_paid,
    )


def _notify_payment(session: AsyncSession, invoice: Invoice) -> None:
    buyer = (invoice.buyer_snapshot or {}).get("name") or "Ihr Kunde"
    paid_at: date = invoice.paid_at  # type: ignore[assignment]
    body = (
        f"{buyer} hat über den Kundenportal-Link bestätigt, {fmt_eur_de(invoice.gross_total)} "
        f"am {paid_at:%d.%m.%Y} überwiesen zu haben."
    )
    if invoice.payment_reference:
        body += f" Referenz: {invoice.payment_reference}"
    body += " Bitte prüfen Sie den Zahlungseingang; Sie können die Rechnung jederzeit wieder auf unbezahlt setzen."
    notify(
        session,
        organization_id=invoice.organization_id,
        kind="payment_confirmed",
        title=f"Zahlung bestätigt: {invoice.number}",
        body=body,
        link=f"/invoices/{invoice.id}",
        invoice_id=invoice.id,
    )


# --- downloads -----------------------------------------------------------------------------

DocumentKind = Literal["pdf", "ubl", "cii"]


@dataclass(frozen=True)
class Download:
    data: bytes | None  # None: the client's copy is current (304)
    sha256: str
    file_name: str
    media_type: str


def _etag_matches(if_none_match: str | None, sha256: str) -> bool:
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/").strip('"')
        if tag == sha256:
            return True
    return False


async def download(
    session: AsyncSession, request: Request, token: str, kind: DocumentKind
) -> Download:
    row = await resolve(session, request, token)
    await record_access(session, request, row, PortalAction.DOWNLOAD_PDF if kind == "pdf" else PortalAction.DOWNLOAD_XML)
    invoice = await session.get(Invoice, row.invoice_id)
    assert invoice is not None
    name = archive.filename(invoice.number, kind)
    recorded: str | None = getattr(invoice, f"{kind}_sha256")
    # The archive never changes, so the recorded hash answers a revalidation without reading it.
    if recorded and _etag_matches(request.headers.get("if-none-match"), recorded):
        return Download(None, recorded, name, archive.MEDIA_TYPES[kind])
    data, sha256 = await archive.read_archived(session, invoice, kind)
    return Download(data, sha256, name, archive.MEDIA_TYPES[kind])


_IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


async def logo(session: AsyncSession, request: Request, token: str) -> tuple[bytes, str]:
    row = await resolve(session, request, token)
    path = (await _seller_snapshot(session, row.invoice_id)).get("logo_path")
    if not path:
        raise NotFound("Kein Logo hinterlegt", code="logo_not_found")
    try:
        data = await run(get_storage().read, path)
    except FileMissing:
        raise NotFound("Kein Logo hinterlegt", code="logo_not_found") from None
    media = next((t for magic, t in _IMAGE_TYPES.items() if data.startswith(magic)), "application/octet-stream")
    return data, media

