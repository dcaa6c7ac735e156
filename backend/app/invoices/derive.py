"""Facts derived from an invoice row: its effective status, totals, legal notes, and the
seller/buyer snapshots frozen at finalize. Pure functions, shared by the service, the
document builder and the views.
"""

from datetime import date
from typing import Any

from app.contacts.models import Contact
from app.invoices.models import Invoice, InvoiceStatus
from app.invoices.totals import Totals, compute_totals
from app.invoices.vat import VatCategory, exemption_reason
from app.kit.timeutil import today_berlin
from app.organizations.models import Organization


def effective_status(invoice: Invoice, today: date | None = None) -> str:
    if invoice.status == InvoiceStatus.OPEN and invoice.due_date is not None:
        if invoice.due_date < (today or today_berlin()):
            return InvoiceStatus.OVERDUE
    return invoice.status


def totals_of(invoice: Invoice) -> Totals:
    return compute_totals(invoice.lines)


def legal_notes(invoice: Invoice, small_business: bool) -> list[str]:
    """Texts the law requires on the document for the categories used (§ 19, § 13b UStG ...)."""
    seen: list[str] = []
    for line in invoice.lines:
        reason = exemption_reason(VatCategory(line.vat_category), small_business)
        if reason and reason[1] not in seen:
            seen.append(reason[1])
    return seen


def snapshot_seller(org: Organization) -> dict[str, Any]:
    fields = (
        "name", "street", "postal_code", "city", "country_code", "vat_id", "tax_number", "iban", "bic",
        "bank_name", "contact_name", "phone", "email", "website", "register_court", "register_number",
        "small_business", "logo_path",
    )
    return {f: getattr(org, f) for f in fields}


def snapshot_buyer(contact: Contact) -> dict[str, Any]:
    fields = (
        "name", "street", "postal_code", "city", "country_code", "email", "phone", "vat_id",
        "buyer_reference", "contact_name", "customer_number",
    )
    return {f: getattr(contact, f) for f in fields}
