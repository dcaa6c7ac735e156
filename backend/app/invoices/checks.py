"""Before finalize: the seller, buyer and invoice data the official e-invoice rules need."""

from dataclasses import replace

from app.contacts.models import Contact
from app.einvoice.readiness import missing_for_einvoice
from app.errors import Unprocessable
from app.invoices.document import build_document
from app.invoices.models import Invoice
from app.organizations.models import Organization


def check_einvoice_ready(org: Organization, invoice: Invoice, contact: Contact) -> None:
    doc = build_document(invoice, org, contact)
    # The number is drawn after this check; give the check one so it judges the rest.
    doc = replace(doc, number="PRUEFUNG")
    missing = missing_for_einvoice(doc)
    if missing:
        raise Unprocessable(
            "Für eine gültige E-Rechnung fehlen Angaben: " + "; ".join(m.message for m in missing),
            errors=[{"field": m.field, "message": m.message} for m in missing],
            code="einvoice_incomplete",
        )
