"""The frozen view of an invoice that the e-invoice writers (UBL, CII, PDF) render.

The database models are mapped to this once (`app.invoices.document.build_document`), so the
writers depend on plain data only: they are fast, easy to test with any scenario, and
cannot accidentally load anything lazily.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.invoices.totals import Totals
from app.invoices.vat import VatCategory

INVOICE = "380"  # UNTDID 1001: commercial invoice
CREDIT_NOTE = "381"  # UNTDID 1001: credit note


@dataclass(frozen=True)
class Address:
    street: str | None
    postal_code: str | None
    city: str | None
    country_code: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Party:
    name: str
    address: Address
    vat_id: str | None = None  # BT-31 / BT-48
    tax_number: str | None = None  # BT-32 (seller only: Steuernummer)
    contact_name: str | None = None  # BT-41 / BT-56
    phone: str | None = None  # BT-42 / BT-57
    email: str | None = None  # BT-43 / BT-58
    # Electronic address BT-34 / BT-49 and its scheme: "EM" (e-mail) or "0204" (Leitweg-ID).
    electronic_address: str | None = None
    electronic_address_scheme: str | None = None
    customer_number: str | None = None  # buyer only: the seller's number for the customer
    # Seller only, for the PDF footer.
    register_court: str | None = None
    register_number: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class PaymentInfo:
    iban: str | None  # BT-84
    bic: str | None  # BT-86
    bank_name: str | None
    account_name: str | None  # BT-85
    remittance_text: str | None  # BT-83 (Verwendungszweck): the invoice number
    terms: str | None  # BT-20 (Zahlungsbedingungen), human text


@dataclass(frozen=True)
class DocumentLine:
    position: int  # BT-126
    description: str  # BT-153 (item name); long text also goes to BT-154
    quantity: Decimal  # BT-129
    unit_code: str  # BT-130, UN/ECE Rec. 20 / 21
    unit_price: Decimal  # BT-146, net
    vat_category: VatCategory  # BT-151
    vat_rate: Decimal  # BT-152
    net_amount: Decimal  # BT-131, from compute_totals


@dataclass(frozen=True)
class InvoiceDocument:
    number: str | None  # BT-1; None only for drafts, which are never exported as XML
    type_code: str  # BT-3
    issue_date: date  # BT-2
    due_date: date | None  # BT-9
    currency: str  # BT-5
    buyer_reference: str | None  # BT-10 (Leitweg-ID or the customer's reference)
    note: str | None  # BT-22, free text from the seller
    service_date: date | None  # BT-72
    service_period_start: date | None  # BT-73
    service_period_end: date | None  # BT-74
    seller: Party
    buyer: Party
    payment: PaymentInfo
    lines: tuple[DocumentLine, ...]
    totals: Totals
    small_business: bool  # Kleinunternehmer, § 19 UStG
    is_draft: bool = False
    preceding_invoice_number: str | None = None  # BT-25, for credit notes
    preceding_invoice_date: date | None = None  # BT-26
    logo: bytes | None = None  # PNG/JPEG bytes of the seller's logo, for the PDF
    legal_notes: tuple[str, ...] = field(default_factory=tuple)  # § 19 UStG, reverse charge
    # BG-15 deliver-to address, when goods go elsewhere than the buyer's address. Intra-community
    # supplies (K) need a deliver-to country (BR-IC-12); the writers fall back to the buyer's
    # address when this is None.
    delivery_address: Address | None = None
