"""Share links (seller side), the public portal (customer side) and "send by e-mail".

Locks: the seller's link changes lock the invoice row first (one usable link per invoice),
then touch link rows. The portal never holds a link row while it waits for the invoice: on
PostgreSQL the view's counter statement commits on its own before the first-view
transaction touches the invoice; elsewhere (and for downloads and payment confirmations)
the invoice row is written before the link's counter. One order, so no two requests can
wait for each other in a cycle.

The portal view is the hot path (bench/portal.py). On PostgreSQL a repeat view is ONE
statement, sent straight through asyncpg in autocommit (app.db.get_log_pool), that checks
the link, counts the access, writes the access log and returns the few invoice columns that
can still change (status, payment, viewed). Everything else of a finalized invoice never
changes (GoBD), so the link's whole answer is rendered to JSON once, when the link is made,
and stored with it (app.portal.render); each process keeps recent renders by token, and the
statement brings the stored render along only when the process lacks it. The first view
marks the invoice in one more statement (or, when a webhook wants `invoice.viewed`, in an ORM
transaction with the event). The GiroCode is drawn once, when the link is made.
"""

import asyncio
import ipaddress
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, NamedTuple

from fastapi import Request
from sqlalchemy import bindparam, func, insert, or_, select, text, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app import events
from app.audit import service as audit
from app.config import get_settings
from app.db import commit, get_engine, get_log_pool, rollback, session_scope
from app.email.models import EmailMessage
from app.email.service import Attachment, normalize_address, queue_email
from app.email.templates import render_invoice_email
from app.errors import Conflict, NotFound, Unprocessable
from app.invoices import archive
from app.invoices import service as invoices
from app.invoices.derive import legal_notes, totals_of
from app.invoices.models import Invoice, InvoiceLine, InvoiceStatus
from app.invoices.service import CUSTOMER, Actor
from app.invoices.units import UNITS
from app.invoices.vat import VatCategory, exemption_reason
from app.kit.money import fmt_eur_de
from app.kit.timeutil import today_berlin, utcnow
from app.notifications.service import notify
from app.organizations.models import Organization
from app.portal.girocode import girocode_for
from app.portal.models import InvoiceShareLink, PortalAccess, PortalAction
from app.portal.ratelimit import count_unknown_token
from app.portal.render import Fragments, fragments
from app.portal.schemas import (
    ConfirmPayment,
    GiroCode,
    PortalBuyer,
    PortalDownloads,
    PortalInvoice,
    PortalLine,
    PortalParty,
    PortalPayment,
    PortalTotals,
    PortalVatBreakdown,
)
from app.portal.tokens import new_token, normalize_token
from app.storage import FileMissing, get_storage, run
from app.webhooks.service import fan_out

CREDIT_NOTE = "381"

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
    parts = host.split(".")
    # Dotted IPv4, the common case, without the ipaddress module (a tenth of the cost).
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
        return f"{int(parts[0])}.{int(parts[1])}.{int(parts[2])}.0/24"
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


async def draw_girocode(invoice: "Invoice | InvoiceSnapshot") -> tuple[str | None, str | None]:
    """(payload, image) of the invoice's GiroCode, or (None, None) where there is none to pay
    by transfer: a credit note, no IBAN, another currency, an amount outside the EPC range."""
    seller: dict[str, Any] = invoice.seller_snapshot or {}
    if invoice.type_code == CREDIT_NOTE or invoice.currency != "EUR" or not seller.get("iban"):
        return None, None
    amount = totals_of(invoice).amount_due  # type: ignore[arg-type] - reads only .lines
    args = (seller["iban"], seller.get("bic"), seller.get("name") or "", amount, invoice.number or "")
    try:
        # CPU-bound (QR mask selection): off the event loop.
        return await asyncio.to_thread(girocode_for, *args)
    except ValueError:
        return None, None


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
    return await _ensure_link_locked(session, invoice, actor, expires_in_days=expires_in_days, regenerate=regenerate)


async def _ensure_link_locked(
    session: AsyncSession, invoice: Invoice, actor: Actor, *, expires_in_days: int | None, regenerate: bool
) -> tuple[InvoiceShareLink, bool]:
    """ensure_link for an invoice whose row this transaction has locked."""
    settings = get_settings()
    organization_id = invoice.organization_id
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
    if current is not None and current.girocode_image:
        payload, image = current.girocode_payload, current.girocode_image  # same invoice, same code
    else:
        payload, image = await draw_girocode(invoice)
    link = InvoiceShareLink(
        invoice_id=invoice.id,
        token=new_token(),
        expires_at=now + timedelta(days=expires_in_days or settings.portal_link_default_days),
        access_count=0,
        created_by=actor.user_id,
        girocode_payload=payload,
        girocode_image=image,
    )
    session.add(link)
    await session.flush()
    # The portal answer, rendered now (a seller's request) rather than on a customer's view.
    await render_link(session, link.id, invoice.id, link.token)
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


async def send_invoice_email(
    session: AsyncSession,
    org: Organization,
    invoice_id: int,
    actor: Actor,
    *,
    to: str,
    subject: str | None = None,
    message: str | None = None,
) -> tuple[EmailMessage, InvoiceShareLink]:
    """"Per E-Mail senden": the invoice's share link (made or reused), the e-mail queued with
    the portal URL (and the archived PDF when the organization wants it), the invoice marked
    sent. All in the caller's transaction: the e-mail job goes out only if it commits."""
    to = normalize_address(to)  # a typo answers 422 before anything else happens
    invoice = await invoices.get(session, org.id, invoice_id, for_update=True)
    if invoice.status == InvoiceStatus.DRAFT:
        raise Conflict(
            "Ein Entwurf kann nicht versendet werden. Bitte schreiben Sie die Rechnung zuerst fest.",
            code="invoice_not_finalized",
        )
    if invoice.status == InvoiceStatus.CANCELLED:
        raise Conflict("Eine stornierte Rechnung kann nicht versendet werden", code="invoice_cancelled")
    link, _ = await _ensure_link_locked(session, invoice, actor, expires_in_days=None, regenerate=False)
    number = invoice.number or ""
    url = share_url(link.token)
    # The template's own subject is not used: the dialog pre-fills "Ihre Rechnung …" (design B3).
    _, text, html = render_invoice_email(org, number, totals_of(invoice).amount_due, invoice.due_date, url, message)
    attachments = []
    if org.attach_pdf_to_emails:
        # The archived document, byte for byte what the portal serves (generated now if the
        # archive job has not run yet).
        archived = await archive.ensure_archived(session, invoice)
        attachments.append(Attachment(archived.pdf_path, archive.filename(number, "pdf"), archive.MEDIA_TYPES["pdf"]))
    email = await queue_email(
        session,
        organization_id=org.id,
        to=to,
        subject=(subject or "").strip() or f"Ihre Rechnung {number}",
        text_body=text,
        html_body=html,
        attachments=attachments,
        invoice_id=invoice.id,
        kind="invoice",
    )
    first = invoice.sent_at is None
    if first:
        invoice.sent_at = utcnow()
    await session.flush()
    audit.record(
        session, organization_id=org.id, invoice_id=invoice.id, actor_type=actor.type, actor_user_id=actor.user_id,
        action="sent", details={"email_id": email.id, "to": to, "share_link_id": link.id, "first": first},
    )
    data = invoices.event_data(invoice)
    data.update({"sent_at": invoice.sent_at.isoformat() if invoice.sent_at else None, "channel": "email", "email_id": email.id})
    await events.emit(session, org.id, "invoice.sent", data)
    return email, link


async def link_for_seller(session: AsyncSession, organization_id: int, invoice_id: int) -> InvoiceShareLink | None:
    invoice = await invoices.get(session, organization_id, invoice_id)
    return await current_link(session, invoice.id)


async def activity(
    session: AsyncSession, organization_id: int, invoice_id: int, *, limit: int, offset: int
) -> tuple[list[PortalAccess], int]:
    invoice = await invoices.get(session, organization_id, invoice_id)
    where = PortalAccess.invoice_id == invoice.id
    total = await session.scalar(select(func.count()).select_from(PortalAccess).where(where)) or 0
    rows = await session.scalars(select(PortalAccess).where(where).order_by(PortalAccess.id.desc()).limit(limit).offset(offset))
    return list(rows), total


# --- public portal -------------------------------------------------------------------------

_INVOICE_STATE = (
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

# The link with the few invoice columns that can still change after finalize.
_STATE = (
    select(_links.c.id.label("link_id"), _links.c.expires_at, _links.c.revoked_at, *_INVOICE_STATE)
    .join_from(_links, _invoices, _links.c.invoice_id == _invoices.c.id)
    .where(_links.c.token == bindparam("token"))
)

# The WHERE repeats the validity check: a link revoked or expired between our SELECT and
# this UPDATE (READ COMMITTED re-checks after waiting for the row) counts nothing.
_VALID = (_links.c.revoked_at.is_(None), or_(_links.c.expires_at.is_(None), _links.c.expires_at > bindparam("now")))
_COUNT = (
    update(_links)
    .where(_links.c.id == bindparam("link_id"), *_VALID)
    .values(access_count=_links.c.access_count + 1, last_accessed_at=bindparam("now"))
)
_RECORD = insert(_accesses)

# PostgreSQL, the hot path: count, log and read in ONE statement, in autocommit, straight on
# asyncpg (app.db.get_log_pool: a third of SQLAlchemy's cost per statement, and commits that
# do not wait for the WAL flush). It locks only the link row, for the duration of the
# statement; a revoked or expired link matches nothing. The stored render comes along only
# when this process has not got the link's answer cached ($3). SQLite has no data-modifying
# CTEs and takes the statements above instead.
_HIT_POSTGRES = """
WITH hit AS (
    UPDATE invoice_share_links
    SET access_count = access_count + 1, last_accessed_at = $2
    WHERE token = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
    RETURNING id, invoice_id, expires_at, CASE WHEN $3::boolean THEN portal_render END AS portal_render
), logged AS (
    INSERT INTO portal_accesses (share_link_id, invoice_id, action, ip_prefix, user_agent, created_at)
    SELECT id, invoice_id, $4, $5, $6, $2 FROM hit
)
SELECT hit.id, hit.expires_at, hit.portal_render, i.id, i.organization_id, i.status, i.payment_status,
       i.due_date, i.paid_at, i.paid_confirmed_by, i.viewed_at
FROM hit JOIN invoices AS i ON i.id = hit.invoice_id
"""


class _HitRow(NamedTuple):
    """The hot statement's row, under the names the state row (_STATE) uses."""

    link_id: int
    expires_at: datetime | None
    portal_render: str | None
    invoice_id: int
    organization_id: int
    status: str
    payment_status: str
    due_date: date | None
    paid_at: date | None
    paid_confirmed_by: str | None
    viewed_at: datetime | None


# The first view, when nothing but the webhook fan-out listens to events and no active
# endpoint of the organization wants `invoice.viewed` (the common case): mark the invoice and
# write the audit line in ONE statement, in autocommit (durable: the engine's sessions commit
# synchronously). The webhook check sits in the same statement, so an endpoint subscribed
# at the same moment is handled as if it had been a moment later. Anything else
# (an endpoint to deliver to, another subscriber) takes the ORM path with events.emit.
_FIRST_VIEW_POSTGRES = text("""
WITH hooks AS (
    SELECT EXISTS (
        SELECT 1 FROM webhook_endpoints
        WHERE organization_id = :organization_id AND is_active
          AND CAST(events AS jsonb) @> CAST('["invoice.viewed"]' AS jsonb)
    ) AS wanted
), marked AS (
    UPDATE invoices SET viewed_at = :now, updated_at = :now
    WHERE id = :invoice_id AND viewed_at IS NULL AND NOT (SELECT wanted FROM hooks)
    RETURNING id
), audited AS (
    INSERT INTO audit_events (organization_id, invoice_id, actor_type, actor_user_id, action, details, created_at)
    SELECT :organization_id, id, :actor_type, NULL, 'viewed', CAST(:details AS json), :now FROM marked
)
SELECT (SELECT wanted FROM hooks) AS wanted, (SELECT count(*) FROM marked) AS marked
""")

_MARK_VIEWED = (
    update(_invoices)
    .where(_invoices.c.id == bindparam("invoice_id"), _invoices.c.viewed_at.is_(None))
    .values(viewed_at=bindparam("now"))
    .returning(
        *(
            _invoices.c[c]
            for c in (
                "id", "number", "status", "payment_status", "issue_date", "due_date", "currency",
                "net_total", "vat_total", "gross_total", "contact_id",
            )
        )
    )
)

Executor = AsyncSession | AsyncConnection


def _unknown_link() -> NotFound:
    # Unknown and revoked look the same from outside: revoking must not be observable.
    return NotFound(
        "Dieser Link ist ungültig oder wurde zurückgezogen. Bitte wenden Sie sich an den Rechnungssteller.",
        code="link_not_found",
    )


def _access_values(request: Request, action: str) -> dict[str, Any]:
    user_agent = request.headers.get("user-agent")
    return {
        "action": action,
        "ip_prefix": truncate_ip(request.client.host if request.client else None),
        "user_agent": user_agent[:300] if user_agent else None,
    }


async def _seller_snapshot(db: Executor, invoice_id: int) -> dict[str, Any]:
    return await db.scalar(select(_invoices.c.seller_snapshot).where(_invoices.c.id == invoice_id)) or {}


async def _usable_row(db: Executor, request: Request, token: str | None) -> Row[Any]:
    """The link's state row, or 404 (unknown, revoked, malformed) / 422 (expired)."""
    row = (await db.execute(_STATE, {"token": token})).first() if token else None
    if row is None or row.revoked_at is not None:
        count_unknown_token(request)
        raise _unknown_link()
    if row.expires_at is not None and row.expires_at <= utcnow():
        seller = (await _seller_snapshot(db, row.invoice_id)).get("name") or "dem Rechnungssteller"
        raise LinkExpired(f"Dieser Link ist abgelaufen. Bitte fordern Sie bei {seller} einen neuen Link an.")
    return row


async def resolve(session: AsyncSession, request: Request, raw_token: str) -> Row[Any]:
    # A malformed token is refused before any query.
    return await _usable_row(session, request, normalize_token(raw_token))


async def record_access(session: AsyncSession, request: Request, row: Row[Any], action: str) -> None:
    """Count and log one access (and a first view) inside the request's transaction."""
    now = utcnow()
    if action == PortalAction.VIEW and row.viewed_at is None:
        # The invoice row before the link row (see the module docstring).
        await _mark_viewed(session, row, now)
    counted = await session.execute(_COUNT, {"link_id": row.link_id, "now": now})
    if counted.rowcount != 1:
        raise _unknown_link()
    await session.execute(
        _RECORD,
        {"share_link_id": row.link_id, "invoice_id": row.invoice_id, "created_at": now, **_access_values(request, action)},
    )


async def _mark_viewed(session: AsyncSession, row: Row[Any], now: datetime) -> None:
    # Concurrent first views race here; the conditional UPDATE lets exactly one win, and its
    # RETURNING carries what the event needs without loading the invoice.
    marked = (await session.execute(_MARK_VIEWED, {"invoice_id": row.invoice_id, "now": now})).first()
    if marked is None:
        return
    audit.record(
        session, organization_id=row.organization_id, invoice_id=row.invoice_id, actor_type=CUSTOMER.type,
        action="viewed", details={"share_link_id": row.link_id},
    )
    data = invoices.event_data(marked)  # type: ignore[arg-type] - a row with the Invoice's attribute names
    data["viewed_at"] = now.isoformat()
    await events.emit(session, row.organization_id, "invoice.viewed", data)


@dataclass(frozen=True, slots=True)
class InvoiceSnapshot:
    """A finalized invoice as the portal reads it: plain rows, no ORM (loading an Invoice
    with its lines through the ORM was most of a first view's CPU). The attribute names are
    the Invoice model's, so the shared derive functions read it as they read an Invoice."""

    number: str | None
    type_code: str
    currency: str
    issue_date: date
    due_date: date | None
    service_date: date | None
    service_period_start: date | None
    service_period_end: date | None
    buyer_reference: str | None
    note: str | None
    seller_snapshot: dict[str, Any] | None
    buyer_snapshot: dict[str, Any] | None
    lines: list[Row[Any]]


_lines = InvoiceLine.__table__
_SNAPSHOT_FIELDS = tuple(f for f in InvoiceSnapshot.__slots__ if f != "lines")  # type: ignore[attr-defined]
_DOC_HEAD = (
    select(*(_invoices.c[f] for f in _SNAPSHOT_FIELDS), _links.c.girocode_payload, _links.c.girocode_image)
    .join_from(_links, _invoices, _links.c.invoice_id == _invoices.c.id)
    .where(_links.c.id == bindparam("link_id"))
)
_STORE_RENDER = update(_links).where(_links.c.id == bindparam("link_id")).values(portal_render=bindparam("render"))
_DOC_LINES = (
    select(
        _lines.c.position, _lines.c.description, _lines.c.quantity, _lines.c.unit_code, _lines.c.unit_price,
        _lines.c.vat_category, _lines.c.vat_rate,
    )
    .where(_lines.c.invoice_id == bindparam("invoice_id"))
    .order_by(_lines.c.position)
)


# The part of the portal answer that never changes once an invoice is finalized.
@dataclass(frozen=True, slots=True)
class _Document:
    """The part of the portal answer that never changes once an invoice is finalized; the
    rest (status, payment state, link expiry, token URLs) is filled in per request."""

    base: PortalInvoice
    payment: PortalPayment | None  # without GiroCode
    payment_with_girocode: PortalPayment | None
    type_code: str


_CACHE_SIZE = 2048
# Per process: the rendered answer of recently viewed links, by token (only used after the
# hot statement has found the token usable).
_renders: OrderedDict[str, Fragments] = OrderedDict()


def _title(type_code: str) -> str:
    return "Gutschrift" if type_code == CREDIT_NOTE else "Rechnung"


def _build_document(invoice: InvoiceSnapshot, girocode: GiroCode | None) -> _Document:
    seller: dict[str, Any] = invoice.seller_snapshot or {}
    buyer: dict[str, Any] = invoice.buyer_snapshot or {}
    small = bool(seller.get("small_business"))
    totals = totals_of(invoice)  # type: ignore[arg-type] - reads only .lines
    number = invoice.number or ""
    party = PortalParty(
        name=seller.get("name") or "",
        street=seller.get("street"),
        postal_code=seller.get("postal_code"),
        city=seller.get("city"),
        country_code=seller.get("country_code") or "DE",
        contact_name=seller.get("contact_name"),
        email=seller.get("email"),
        phone=seller.get("phone"),
        vat_id=seller.get("vat_id"),
        tax_number=seller.get("tax_number"),
        website=seller.get("website"),
        register_court=seller.get("register_court"),
        register_number=seller.get("register_number"),
        small_business=small,
        has_logo=bool(seller.get("logo_path")),
        logo_url=None,
    )
    payment = None
    if seller.get("iban") and invoice.type_code != CREDIT_NOTE:  # a credit note is paid by the seller
        payment = PortalPayment(
            account_holder=party.name,
            iban=seller["iban"],
            bic=seller.get("bic"),
            bank_name=seller.get("bank_name"),
            amount_due=totals.amount_due,
            remittance_text=number,
            girocode=None,
        )
    base = PortalInvoice(
        number=number,
        title=_title(invoice.type_code),
        type_code=invoice.type_code,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        service_date=invoice.service_date,
        service_period_start=invoice.service_period_start,
        service_period_end=invoice.service_period_end,
        currency=invoice.currency,
        status="open",  # the changing fields are placeholders here, filled per request
        payment_status="unpaid",
        paid_on=None,
        payment_confirmed_by=None,
        buyer_reference=invoice.buyer_reference,
        note=invoice.note,
        seller=party,
        buyer=PortalBuyer(
            name=buyer.get("name") or "",
            street=buyer.get("street"),
            postal_code=buyer.get("postal_code"),
            city=buyer.get("city"),
            country_code=buyer.get("country_code") or "DE",
            contact_name=buyer.get("contact_name"),
            vat_id=buyer.get("vat_id"),
            buyer_reference=invoice.buyer_reference,
            customer_number=buyer.get("customer_number"),
        ),
        lines=[
            PortalLine(
                position=line.position,
                description=line.description,
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_label=UNITS.get(line.unit_code, (line.unit_code,))[0],
                unit_price=line.unit_price,
                net_amount=net,
                vat_rate=line.vat_rate,
                vat_category=line.vat_category,
            )
            for line, net in zip(invoice.lines, totals.line_nets, strict=True)
        ],
        totals=PortalTotals(
            net_total=totals.net_total,
            vat_total=totals.vat_total,
            gross_total=totals.gross_total,
            paid_amount=totals.paid_amount,
            amount_due=totals.amount_due,
            vat_breakdown=[
                PortalVatBreakdown(
                    vat_category=g.category.value,
                    vat_rate=g.rate,
                    taxable_amount=g.taxable_amount,
                    tax_amount=g.tax_amount,
                    exemption_reason=(r[1] if (r := exemption_reason(VatCategory(g.category), small)) else None),
                )
                for g in totals.vat_breakdown
            ],
        ),
        legal_notes=legal_notes(invoice, small),  # type: ignore[arg-type] - reads only .lines
        payment=None,
        can_confirm_payment=False,
        link_expires_at=None,
        downloads=PortalDownloads(pdf="", xml_ubl="", xml_cii=""),
        confirm_payment_url="",
    )
    with_code = payment.model_copy(update={"girocode": girocode}) if payment is not None and girocode else payment
    return _Document(base=base, payment=payment, payment_with_girocode=with_code, type_code=invoice.type_code)


async def _load_document(db: Executor, link_id: int, invoice_id: int) -> _Document:
    head = (await db.execute(_DOC_HEAD, {"link_id": link_id})).one()
    lines = list((await db.execute(_DOC_LINES, {"invoice_id": invoice_id})).all())
    invoice = InvoiceSnapshot(**{f: head._mapping[f] for f in _SNAPSHOT_FIELDS}, lines=lines)
    if head.girocode_image:
        payload, image = head.girocode_payload, head.girocode_image
    else:
        payload, image = await draw_girocode(invoice)
    return _build_document(invoice, GiroCode(payload=payload, image=image) if payload and image else None)


async def render_link(db: Executor, link_id: int, invoice_id: int, token: str) -> Fragments:
    """Render the link's portal answer and store it with the link (`portal_render`)."""
    doc = await _load_document(db, link_id, invoice_id)
    frags = fragments(doc.base, doc.payment, doc.payment_with_girocode, token)
    await db.execute(_STORE_RENDER, {"link_id": link_id, "render": frags.dumps()})
    return frags


def _remember(token: str, frags: Fragments) -> Fragments:
    _renders[token] = frags
    while len(_renders) > _CACHE_SIZE:
        _renders.popitem(last=False)
    return frags


def _cached(token: str) -> Fragments | None:
    frags = _renders.get(token)
    if frags is not None:
        _renders.move_to_end(token)
    return frags


async def _fragments(db: Executor, row: Any, token: str, stored: str | None = None, *, fetch: bool = True) -> Fragments:
    """The link's answer: from this process's cache, from the stored render, or rendered now."""
    frags = _cached(token)
    if frags is not None:
        return frags
    if stored is None and fetch:
        stored = await db.scalar(select(_links.c.portal_render).where(_links.c.id == row.link_id))
    frags = Fragments.loads(stored)
    if frags is None:  # a link from before renders were stored, or of an older render version
        frags = await render_link(db, row.link_id, row.invoice_id, token)
    return _remember(token, frags)


async def _first_view(row: _HitRow, now: datetime) -> None:
    """Mark the invoice viewed (once), with its audit line and `invoice.viewed` event."""
    async with get_engine().connect() as conn:
        if events.subscribers() == (fan_out,):
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            result = (await conn.execute(_FIRST_VIEW_POSTGRES, {
                "organization_id": row.organization_id, "invoice_id": row.invoice_id, "now": now,
                "actor_type": CUSTOMER.type, "details": json.dumps({"share_link_id": row.link_id}),
            })).one()
            if not result.wanted:
                return  # marked now, or by a concurrent first view
            await conn.commit()  # ends SQLAlchemy's autobegun block; nothing to commit in autocommit
            conn = await conn.execution_options(isolation_level="READ COMMITTED")
        async with AsyncSession(bind=conn, expire_on_commit=False) as session:
            try:
                await _mark_viewed(session, row, now)
                await commit(session)  # runs the after-commit hooks (webhook jobs), like every edge
            except BaseException:
                await rollback(session)
                raise


async def _view_postgres(request: Request, token: str | None) -> bytes:
    now = utcnow()
    row = None
    frags = None
    if token is not None:
        frags = _cached(token)
        access = _access_values(request, PortalAction.VIEW)
        pool = await get_log_pool()
        record = await pool.fetchrow(
            _HIT_POSTGRES, token, now, frags is None, access["action"], access["ip_prefix"], access["user_agent"]
        )
        row = _HitRow(*record) if record is not None else None
    if row is None:
        async with get_engine().connect() as conn:
            await _usable_row(conn, request, token)  # raises 404 or 422
        raise _unknown_link()  # valid a moment ago, revoked or expired since
    assert token is not None
    if frags is None:
        frags = Fragments.loads(row.portal_render)
        if frags is None:
            async with get_engine().connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                frags = await render_link(conn, row.link_id, row.invoice_id, token)
        _remember(token, frags)
    if row.viewed_at is None:
        # After the counter's commit: one row lock at a time (module docstring).
        await _first_view(row, now)
    return frags.answer(row, row.expires_at)


async def view(request: Request, token: str) -> bytes:
    """The portal page's data, as the JSON body. Manages its own units of work: a repeat view
    on PostgreSQL is one statement and no ORM at all (the hot path of the benchmark)."""
    canonical = normalize_token(token)
    if get_engine().dialect.name == "postgresql":
        return await _view_postgres(request, canonical)
    async with session_scope() as session:
        row = await _usable_row(session, request, canonical)
        await record_access(session, request, row, PortalAction.VIEW)
        assert canonical is not None  # a malformed token never gets here
        frags = await _fragments(session, row, canonical)
    return frags.answer(row, row.expires_at)


async def confirm_payment(session: AsyncSession, request: Request, token: str, body: ConfirmPayment) -> bytes:
    """Confirm the payment; the answer is the page's new data plus `already_paid` (the
    PortalConfirmation shape), as the JSON body."""
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
    # The page re-renders from this answer: no second request (and no second rate-limit hit).
    frags = await _fragments(session, row, normalize_token(token) or "")
    return frags.answer(invoice, row.expires_at, b',"already_paid":' + (b"true" if already_paid else b"false"))


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

