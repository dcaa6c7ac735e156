"""GoBD archive of a finalized invoice's documents: read them back byte for byte.

TEMPORARY stand-in with the interface the e-invoice package provides
(`read_archived(session, invoice, kind) -> (bytes, sha256)`, generating and storing once
when not yet archived). This version only reads what is already archived; the integrator
replaces the module with the real one, callers stay unchanged.
"""

import hashlib
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.invoices.models import Invoice
from app.storage import FileMissing, get_storage, run

Kind = Literal["pdf", "ubl", "cii"]


class ArchiveCorrupted(RuntimeError):
    """The stored bytes no longer match the recorded hash: never serve them."""


async def read_archived(session: AsyncSession, invoice: Invoice, kind: Kind) -> tuple[bytes, str]:
    path: str | None = getattr(invoice, f"{kind}_path")
    recorded: str | None = getattr(invoice, f"{kind}_sha256")
    if not path or not recorded:
        raise NotFound("Das Dokument ist noch nicht verfügbar", code="document_not_available")
    try:
        data = await run(get_storage().read, path)
    except FileMissing:
        raise ArchiveCorrupted(f"archived {kind} of invoice {invoice.id} is missing") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != recorded:
        raise ArchiveCorrupted(f"archived {kind} of invoice {invoice.id} does not match its SHA-256")
    return data, digest
