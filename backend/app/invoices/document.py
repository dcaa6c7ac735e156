"""Maps an invoice (with the seller and buyer data of its time) to the `InvoiceDocument` that
the UBL, CII and PDF writers render. The one place where database fields become e-invoice
fields.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from app.contacts.models import Contact
from app.einvoice.document import (
    Address,
    DocumentLine,
    InvoiceDocument,
    Party,
    PaymentInfo,
)
from app.invoices.derive import legal_notes, snapshot_buyer, snapshot_seller, totals_of
from app.invoices.models import Invoice
from app.invoices.vat import VatCategory
from app.kit.money import fmt_eur_de
from app.organizations.models import Organization

# A Leitweg-ID (German public-sector routing id): coarse address, optional fine address,
# check digits, e.g. 04011000-1234512345-06 or 991-12345-67.
_LEITWEG_PARTS = 3


def looks_like_leitweg_id(value: str | None) -> bool:
    if not value:
        return False
    parts = value.strip().split("-")
    return len(parts) in (2, _LEITWEG_PARTS) and parts[0][:2].isdigit() and parts[-1].isdigit() and len(parts[-1]) == 2


def _de_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def payment_terms(invoice: Invoice, amount_due: Decimal) -> str | None:
    if invoice.due_date is None:
        return None
    days = (invoice.due_date - invoice.issue_date).days
    if days <= 0:
        return f"Zahlbar sofort ohne Abzug ({fmt_eur_de(amount_due)})."
    return f"Zahlbar ohne Abzug innerhalb von {days} Tagen bis zum {_de_date(invoice.due_date)}."


def seller_data(invoice: Invoice, org: Organization) -> dict[str, Any]:
    return invoice.seller_snapshot if invoice.seller_snapshot else snapshot_seller(org)


def buyer_data(invoice: Invoice, contact: Contact) -> dict[str, Any]:
    return invoice.buyer_snapshot if invoice.buyer_snapshot else snapshot_buyer(contact)


def build_document(
    invoice: Invoice,
    org: Organization,
    contact: Contact,
    *,
    logo: bytes | None = None,
    preceding: Invoice | None = None,
) -> InvoiceDocument:
    s = seller_data(invoice, org)
    b = buyer_data(invoice, contact)
    small_business = bool(s.get("small_business"))
    totals = totals_of(invoice)

    buyer_ref = invoice.buyer_reference or b.get("buyer_reference")
    leitweg = buyer_ref if looks_like_leitweg_id(buyer_ref) else None
    # BT-10 is mandatory in XRechnung (BR-DE-15). For ordinary business customers without a
    # reference of their own, the customer number (or else the invoice number) routes it.
    if not buyer_ref:
        buyer_ref = b.get("customer_number") or invoice.number or "Entwurf"

    seller = Party(
        name=s["name"],
        address=Address(s.get("street"), s.get("postal_code"), s.get("city"), s.get("country_code") or "DE"),
        vat_id=s.get("vat_id"),
        tax_number=s.get("tax_number"),
        contact_name=s.get("contact_name"),
        phone=s.get("phone"),
        email=s.get("email"),
        electronic_address=s.get("email"),
        electronic_address_scheme="EM" if s.get("email") else None,
        register_court=s.get("register_court"),
        register_number=s.get("register_number"),
        website=s.get("website"),
    )
    buyer = Party(
        name=b["name"],
        address=Address(b.get("street"), b.get("postal_code"), b.get("city"), b.get("country_code") or "DE"),
        vat_id=b.get("vat_id"),
        contact_name=b.get("contact_name"),
        phone=b.get("phone"),
        email=b.get("email"),
        # Public authorities are reached by their Leitweg-ID (scheme 0204), everyone else by e-mail.
        electronic_address=leitweg or b.get("email"),
        electronic_address_scheme="0204" if leitweg else ("EM" if b.get("email") else None),
        customer_number=b.get("customer_number"),
    )
    lines = tuple(
        DocumentLine(
            position=line.position,
            description=line.description,
            quantity=Decimal(line.quantity),
            unit_code=line.unit_code,
            unit_price=Decimal(line.unit_price),
            vat_category=VatCategory(line.vat_category),
            vat_rate=Decimal(line.vat_rate),
            net_amount=net,
        )
        for line, net in zip(invoice.lines, totals.line_nets, strict=True)
    )
    return InvoiceDocument(
        number=invoice.number,
        type_code=invoice.type_code,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        buyer_reference=buyer_ref,
        note=invoice.note,
        # § 14 UStG wants the date of supply; without one, it is the invoice date (and KoSIT's
        # BR-DE-TMP-32 asks for BT-72 or a period in the XML).
        service_date=invoice.service_date
        or (None if invoice.service_period_start else invoice.issue_date),
        service_period_start=invoice.service_period_start,
        service_period_end=invoice.service_period_end,
        seller=seller,
        buyer=buyer,
        payment=PaymentInfo(
            iban=s.get("iban"),
            bic=s.get("bic"),
            bank_name=s.get("bank_name"),
            account_name=s["name"],
            remittance_text=invoice.number,
            terms=payment_terms(invoice, totals.amount_due),
        ),
        lines=lines,
        totals=totals,
        small_business=small_business,
        is_draft=invoice.number is None,
        preceding_invoice_number=preceding.number if preceding else None,
        preceding_invoice_date=preceding.issue_date if preceding else None,
        logo=logo,
        legal_notes=tuple(legal_notes(invoice, small_business)),
    )
