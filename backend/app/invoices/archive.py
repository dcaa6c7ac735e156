"""GoBD archive: the PDF and both XML files of a finalized invoice, generated once, stored
through the StorageBackend, with their SHA-256 recorded on the invoice. Every later download
serves exactly those bytes.

Generation runs in the worker (`archive_pending`, every few seconds, picking finalized
invoices without archive from the database), so finalizing stays fast and needs no queue
message that could get lost; `ensure_archived` also generates on first demand (a download
before the worker got to it, or a worker that is down). A row lock makes the paths agree:
whichever comes first writes the files, the others find them recorded and only read.
"""

import asyncio
import hashlib
import logging
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.contacts.models import Contact
from app.einvoice.document import InvoiceDocument
from app.errors import AppError, Conflict
from app.invoices.document import build_document
from app.invoices.models import Invoice, InvoiceStatus
from app.organizations.models import Organization
from app.storage import FileMissing, get_storage, run

log = logging.getLogger("rechnungswerk.archive")

Kind = Literal["pdf", "ubl", "cii"]
MEDIA_TYPES: dict[str, str] = {"pdf": "application/pdf", "ubl": "application/xml", "cii": "application/xml"}


class ArchiveIntegrityError(AppError):
    status_code = 500
    code = "archive_integrity"


def filename(number: str | None, kind: Kind) -> str:
    base = f"Rechnung_{(number or 'Entwurf').replace('/', '-')}"
    return {"pdf": f"{base}.pdf", "ubl": f"{base}_xrechnung-ubl.xml", "cii": f"{base}_xrechnung-cii.xml"}[kind]


async def load_logo(logo_path: str | None) -> bytes | None:
    if not logo_path:
        return None
    try:
        return await run(get_storage().read, logo_path)
    except FileMissing:
        log.warning("logo %s is missing from storage", logo_path)
        return None


async def document_for(session: AsyncSession, invoice: Invoice) -> InvoiceDocument:
    org = await session.get(Organization, invoice.organization_id)
    contact = await session.get(Contact, invoice.contact_id)
    assert org is not None and contact is not None
    preceding = await session.get(Invoice, invoice.preceding_invoice_id) if invoice.preceding_invoice_id else None
    logo_path = invoice.seller_snapshot.get("logo_path") if invoice.seller_snapshot else org.logo_path
    return build_document(invoice, org, contact, logo=await load_logo(logo_path), preceding=preceding)


def render_all(doc: InvoiceDocument, created_at: datetime | None = None) -> dict[Kind, bytes]:
    """CPU-bound rendering of the three archive documents (call in a thread).

    `created_at` (the finalize time) fixes the PDF's timestamps, so the archive is a pure
    function of the frozen invoice."""
    from app.einvoice.cii import render_cii
    from app.einvoice.pdf import render_pdf
    from app.einvoice.ubl import render_ubl

    facturx = render_cii(doc, profile="facturx")
    return {
        "ubl": render_ubl(doc),
        "cii": render_cii(doc, profile="xrechnung"),
        "pdf": render_pdf(doc, facturx, created_at=created_at),
    }


def render_draft_pdf(doc: InvoiceDocument) -> bytes:
    from app.einvoice.pdf import render_pdf

    return render_pdf(doc, None)


def _is_archived(invoice: Invoice) -> bool:
    return bool(invoice.pdf_sha256 and invoice.ubl_sha256 and invoice.cii_sha256)


async def ensure_archived(session: AsyncSession, invoice: Invoice) -> Invoice:
    if _is_archived(invoice):
        return invoice
    if invoice.status == InvoiceStatus.DRAFT or invoice.number is None:
        raise Conflict("Entwürfe werden nicht archiviert; schreiben Sie die Rechnung zuerst fest", code="invoice_draft")
    # Serialize with a concurrent generator (worker job vs. a download) on the invoice row.
    locked = await session.scalar(
        select(Invoice).where(Invoice.id == invoice.id).with_for_update().execution_options(populate_existing=True)
    )
    assert locked is not None
    if _is_archived(locked):
        return locked
    doc = await document_for(session, locked)
    files = await asyncio.to_thread(render_all, doc, locked.finalized_at)
    storage = get_storage()
    base = f"invoices/{locked.organization_id}/{locked.id}"
    for kind, data in files.items():
        key = f"{base}/{filename(locked.number, kind)}"
        await run(storage.save, key, data)
        setattr(locked, f"{kind}_path", key)
        setattr(locked, f"{kind}_sha256", hashlib.sha256(data).hexdigest())
    await session.flush()
    return locked


async def read_archived(session: AsyncSession, invoice: Invoice, kind: Kind) -> tuple[bytes, str]:
    """The archived bytes of one document and their recorded SHA-256 (checked on read)."""
    invoice = await ensure_archived(session, invoice)
    path: str = getattr(invoice, f"{kind}_path")
    expected: str = getattr(invoice, f"{kind}_sha256")
    data = await run(get_storage().read, path)
    if hashlib.sha256(data).hexdigest() != expected:
        # Never hand out a document that differs from what was archived at finalize.
        log.error("archived %s of invoice %s does not match its recorded hash", kind, invoice.id)
        raise ArchiveIntegrityError("Das archivierte Dokument ist beschädigt")
    return data, expected


def _unarchived():  # type: ignore[no-untyped-def]
    return (Invoice.finalized_at.is_not(None)) & (Invoice.pdf_sha256.is_(None))


async def archive_pending(ctx: dict[str, Any] | None = None, *, limit: int = 500, budget_seconds: float = 50.0) -> int:
    """Worker cron: archive finalized invoices that have no archive yet, one transaction each.

    SKIP LOCKED lets several workers share the backlog without waiting on each other.
    """
    import time

    from app.db import session_scope

    done = 0
    deadline = time.monotonic() + budget_seconds
    while done < limit and time.monotonic() < deadline:
        async with session_scope() as session:
            invoice = await session.scalar(
                select(Invoice).where(_unarchived()).order_by(Invoice.id).limit(1).with_for_update(skip_locked=True)
            )
            if invoice is None:
                break
            await ensure_archived(session, invoice)
        done += 1
    return done
