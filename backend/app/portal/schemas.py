from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.kit.types import DecimalOut, MoneyOut

# --- seller side (signed in) -------------------------------------------------------------


class ShareLinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Upper bound checked against PORTAL_LINK_MAX_DAYS in the service (configurable).
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)
    regenerate: bool = False


class ShareLinkRead(BaseModel):
    url: str
    token: str
    expires_at: datetime | None
    created_at: datetime
    is_expired: bool
    access_count: int
    last_accessed_at: datetime | None


class PortalAccessRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: Literal["view", "download_pdf", "download_xml", "confirm_payment"]
    created_at: datetime
    ip_prefix: str | None = Field(description="IPv4 auf /24, IPv6 auf /48 gekürzt")
    user_agent: str | None


class SendInvoiceEmail(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    to: str = Field(min_length=3, max_length=254, description="Checked like every address we send to (422 naming `to`)")
    subject: str | None = Field(default=None, max_length=300, description='Default: "Ihre Rechnung {Rechnungsnummer}"')
    message: str | None = Field(default=None, max_length=5000, description="The seller's own words, shown in the e-mail")


class SendInvoiceEmailAccepted(BaseModel):
    email_id: int = Field(description="GET /api/emails/{email_id} shows its progress")
    status: Literal["queued"]
    share_url: str


# --- public portal (no auth) -------------------------------------------------------------
# Everything below is what a holder of the link may see: the invoice document itself and
# the seller's public business data. No database ids, no data of any other invoice.


class PortalParty(BaseModel):
    """The seller as printed on the invoice (snapshot taken at finalize)."""

    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    country_code: str
    contact_name: str | None
    email: str | None
    phone: str | None
    vat_id: str | None
    tax_number: str | None
    website: str | None
    register_court: str | None
    register_number: str | None
    small_business: bool = Field(description="Kleinunternehmer (§ 19 UStG)")
    has_logo: bool
    logo_url: str | None = Field(description="GET this (same rate limit) for the logo image; null without logo")


class PortalBuyer(BaseModel):
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    country_code: str
    contact_name: str | None
    vat_id: str | None
    buyer_reference: str | None = Field(description="BT-10, e.g. the Leitweg-ID")
    customer_number: str | None


class PortalLine(BaseModel):
    position: int
    description: str
    quantity: DecimalOut
    unit_code: str
    unit_label: str = Field(description='Short German label of unit_code, e.g. "Std."')
    unit_price: DecimalOut
    net_amount: MoneyOut
    vat_rate: DecimalOut
    vat_category: str


class PortalVatBreakdown(BaseModel):
    vat_category: str
    vat_rate: DecimalOut
    taxable_amount: MoneyOut
    tax_amount: MoneyOut
    exemption_reason: str | None


class PortalTotals(BaseModel):
    net_total: MoneyOut
    vat_total: MoneyOut
    gross_total: MoneyOut
    paid_amount: MoneyOut = Field(description="BT-113, prepaid on the document itself (not a later payment)")
    amount_due: MoneyOut = Field(description="BT-115")
    vat_breakdown: list[PortalVatBreakdown]


class GiroCode(BaseModel):
    payload: str = Field(description="EPC069-12 payload (BCD/002/1/SCT …)")
    image: str = Field(description="SVG as a data URI; scales without blur")


class PortalPayment(BaseModel):
    """Bank transfer details; absent (null) without an IBAN and for credit notes."""

    account_holder: str
    iban: str
    bic: str | None
    bank_name: str | None
    amount_due: MoneyOut
    remittance_text: str = Field(description="Verwendungszweck: the invoice number")
    girocode: GiroCode | None = Field(description="Only while a transfer is expected (open or overdue)")


class PortalDownloads(BaseModel):
    pdf: str
    xml_ubl: str
    xml_cii: str


class PortalInvoice(BaseModel):
    """Everything the portal page shows, and nothing else."""

    number: str
    title: str = Field(description="Rechnung | Gutschrift")
    type_code: str = Field(description="380 invoice, 381 credit note")
    issue_date: date
    due_date: date | None
    service_date: date | None
    service_period_start: date | None
    service_period_end: date | None
    currency: str
    status: Literal["open", "overdue", "paid", "cancelled"]
    payment_status: Literal["unpaid", "paid"]
    paid_on: date | None
    payment_confirmed_by: Literal["customer", "seller"] | None
    buyer_reference: str | None
    note: str | None
    seller: PortalParty
    buyer: PortalBuyer
    lines: list[PortalLine]
    totals: PortalTotals
    legal_notes: list[str] = Field(description="Texts the law requires (e.g. § 19 UStG, reverse charge)")
    payment: PortalPayment | None
    can_confirm_payment: bool
    link_expires_at: datetime | None
    downloads: PortalDownloads
    confirm_payment_url: str


class ConfirmPayment(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    paid_on: date | None = None
    reference: str | None = Field(default=None, max_length=200)


class PortalConfirmation(PortalInvoice):
    already_paid: bool = Field(description="true when the invoice was already paid before this call")
