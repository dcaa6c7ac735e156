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


# --- public portal (no auth) -------------------------------------------------------------
# Everything below is what a holder of the link may see: the invoice document itself and
# the seller's public business data. No database ids, no data of any other invoice.


class PortalSeller(BaseModel):
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    country_code: str | None
    vat_id: str | None
    tax_number: str | None
    contact_name: str | None
    phone: str | None
    email: str | None
    website: str | None
    register_court: str | None
    register_number: str | None
    small_business: bool
    has_logo: bool
    logo_url: str | None


class PortalBuyer(BaseModel):
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    country_code: str | None
    vat_id: str | None
    contact_name: str | None
    customer_number: str | None


class PortalLine(BaseModel):
    position: int
    description: str
    quantity: DecimalOut
    unit_code: str
    unit_label: str
    unit_price: DecimalOut
    vat_category: str
    vat_rate: DecimalOut
    net_amount: MoneyOut


class PortalVatGroup(BaseModel):
    category: str
    rate: DecimalOut
    taxable_amount: MoneyOut
    tax_amount: MoneyOut
    exemption_reason: str | None


class PortalInvoice(BaseModel):
    number: str
    type_code: str
    title: str = Field(description="Rechnung | Gutschrift")
    status: Literal["open", "overdue", "paid", "cancelled"]
    payment_status: Literal["unpaid", "paid"]
    currency: str
    issue_date: date
    due_date: date | None
    service_date: date | None
    service_period_start: date | None
    service_period_end: date | None
    buyer_reference: str | None
    note: str | None
    paid_at: date | None
    paid_confirmed_by: Literal["customer", "seller"] | None
    lines: list[PortalLine]
    net_total: MoneyOut
    vat_total: MoneyOut
    gross_total: MoneyOut
    amount_due: MoneyOut
    vat_breakdown: list[PortalVatGroup]
    legal_notes: list[str]


class GiroCode(BaseModel):
    payload: str = Field(description="EPC069-12 payload (BCD/002/1/SCT …)")
    image: str = Field(description="SVG as data URI, scalable; render with an <img>")


class PortalPayment(BaseModel):
    account_holder: str
    iban: str | None
    bic: str | None
    bank_name: str | None
    amount_due: MoneyOut = Field(description="0.00 when nothing is to be paid (paid, cancelled, credit note)")
    currency: str
    remittance: str = Field(description="Verwendungszweck: the invoice number")
    due_date: date | None
    payable: bool = Field(description="true while a bank transfer is expected")
    girocode: GiroCode | None


class PortalDownloads(BaseModel):
    pdf: str
    xml_ubl: str
    xml_cii: str


class PortalLink(BaseModel):
    expires_at: datetime | None


class PortalView(BaseModel):
    invoice: PortalInvoice
    seller: PortalSeller
    buyer: PortalBuyer
    payment: PortalPayment
    can_confirm_payment: bool
    downloads: PortalDownloads
    confirm_payment_url: str
    link: PortalLink


class ConfirmPayment(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    paid_on: date | None = None
    reference: str | None = Field(default=None, max_length=200)


class ConfirmPaymentResult(BaseModel):
    status: Literal["open", "overdue", "paid", "cancelled"]
    payment_status: Literal["unpaid", "paid"]
    paid_at: date | None
    paid_confirmed_by: Literal["customer", "seller"] | None
    already_paid: bool = Field(description="true when the invoice was paid before this call")
