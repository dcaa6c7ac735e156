from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from app.invoices.units import UNITS
from app.invoices.vat import VatCategory, rate_fits_category
from app.kit.types import DecimalOut, MoneyOut


def _unit_code(value: str) -> str:
    code = value.strip().upper()
    if code not in UNITS:
        raise ValueError(f"Unbekannte Einheit {value!r}; erlaubt: {', '.join(UNITS)}")
    return code


UnitCode = Annotated[str, AfterValidator(_unit_code)]
Quantity = Annotated[Decimal, Field(max_digits=15, decimal_places=4, allow_inf_nan=False)]
Price = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=4, allow_inf_nan=False)]
Rate = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2, allow_inf_nan=False)]
Text2000 = Annotated[str, Field(min_length=1, max_length=2000)]

CATEGORY_LABELS = {
    "S": "Umsatzsteuer",
    "Z": "Nullsatz",
    "E": "steuerbefreit",
    "AE": "Reverse Charge",
    "K": "innergemeinschaftliche Lieferung",
    "G": "Ausfuhr",
    "O": "nicht steuerbar",
}


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    description: Text2000
    quantity: Quantity
    unit_code: UnitCode = "C62"
    unit_price: Price
    # Optional in the request: S defaults to 19 %, every other category to 0 (see service).
    vat_rate: Rate | None = None
    vat_category: VatCategory | None = None

    # Field validators, not a model validator, so the 422 names the offending field
    # (lines.N.quantity, lines.N.vat_category) instead of just the line.
    @field_validator("quantity")
    @classmethod
    def _quantity_not_zero(cls, value: Decimal) -> Decimal:
        if value == 0:
            raise ValueError("Die Menge darf nicht 0 sein")
        return value

    @field_validator("vat_category")
    @classmethod
    def _rate_fits_category(cls, value: VatCategory | None, info: ValidationInfo) -> VatCategory | None:
        rate = info.data.get("vat_rate")  # declared before, so already validated
        if value is not None and rate is not None and not rate_fits_category(value, rate):
            raise ValueError(
                "Der Steuersatz passt nicht zur Kategorie: S braucht einen Satz über 0 %, "
                f"{value.value} verlangt 0 %"
            )
        return value


class _InvoiceFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    issue_date: date | None = None
    due_date: date | None = None
    payment_days: int | None = Field(default=None, ge=0, le=365)
    service_date: date | None = None
    service_period_start: date | None = None
    service_period_end: date | None = None
    buyer_reference: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _dates(self) -> "_InvoiceFields":
        if (self.service_period_start is None) != (self.service_period_end is None):
            raise ValueError("Leistungszeitraum braucht Beginn und Ende (service_period_start, service_period_end)")
        if self.service_period_start and self.service_period_end and self.service_period_end < self.service_period_start:
            raise ValueError("Das Ende des Leistungszeitraums liegt vor dem Beginn (service_period_end)")
        if self.issue_date and self.due_date and self.due_date < self.issue_date:
            raise ValueError("Das Fälligkeitsdatum liegt vor dem Rechnungsdatum (due_date)")
        return self


class InvoiceCreate(_InvoiceFields):
    contact_id: int
    # Create and finalize in one step (e.g. for integrations that book finished invoices).
    finalize: bool = False
    type_code: Literal["380", "381"] = "380"
    preceding_invoice_id: int | None = None
    lines: list[LineIn] = Field(min_length=1, max_length=500)


class InvoiceUpdate(_InvoiceFields):
    contact_id: int | None = None
    lines: list[LineIn] | None = Field(default=None, min_length=1, max_length=500)


class MarkPaid(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paid_on: date | None = None
    reference: str | None = Field(default=None, max_length=200)


class LineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    position: int
    description: str
    quantity: DecimalOut
    unit_code: str
    unit_price: DecimalOut
    vat_category: str
    vat_rate: DecimalOut
    net_amount: MoneyOut


class VatGroupRead(BaseModel):
    category: str
    rate: DecimalOut
    taxable_amount: MoneyOut
    tax_amount: MoneyOut
    exemption_reason: str | None = None


class ContactSummary(BaseModel):
    id: int
    name: str
    email: str | None


class InvoiceRead(BaseModel):
    id: int
    number: str | None
    type_code: str
    status: str
    payment_status: str
    contact_id: int
    contact: ContactSummary | None = None
    currency: str
    issue_date: date
    due_date: date | None
    payment_days: int | None
    service_date: date | None
    service_period_start: date | None
    service_period_end: date | None
    buyer_reference: str | None
    note: str | None
    preceding_invoice_id: int | None
    lines: list[LineRead]
    net_total: MoneyOut
    vat_total: MoneyOut
    gross_total: MoneyOut
    amount_due: MoneyOut
    vat_breakdown: list[VatGroupRead]
    legal_notes: list[str]
    finalized_at: datetime | None
    sent_at: datetime | None
    viewed_at: datetime | None
    paid_at: date | None
    paid_confirmed_by: str | None
    payment_reference: str | None
    cancelled_at: datetime | None
    pdf_sha256: str | None
    ubl_sha256: str | None
    cii_sha256: str | None
    created_at: datetime
    updated_at: datetime


class InvoiceListItem(BaseModel):
    id: int
    number: str | None
    type_code: str
    status: str
    payment_status: str
    contact_id: int
    contact_name: str
    issue_date: date
    due_date: date | None
    gross_total: MoneyOut
    net_total: MoneyOut
    paid_at: date | None
    sent_at: datetime | None
    viewed_at: datetime | None
    created_at: datetime


class InvoiceStats(BaseModel):
    open_count: int
    open_total: MoneyOut
    overdue_count: int
    overdue_total: MoneyOut
    draft_count: int
    paid_last_30_days_total: MoneyOut
    paid_last_30_days_count: int


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    actor_type: str
    actor_user_id: int | None
    details: dict[str, object]
    created_at: datetime
