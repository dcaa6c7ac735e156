from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app.invoices.schemas import ContactSummary, LineIn
from app.kit.types import DecimalOut, MoneyOut
from app.recurring.periods import Frequency, check_note

NoteTemplate = Annotated[str, Field(max_length=5000), AfterValidator(check_note)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Status = Literal["active", "paused", "finished"]


class _ScheduleChecks(BaseModel):
    # A field validator (not a model validator) so the 422 names `end_date` for the form.
    @field_validator("end_date", check_fields=False)
    @classmethod
    def _end_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if start is not None and end is not None and end < start:
            raise ValueError("Das Enddatum liegt vor dem Startdatum")
        return end


class RecurringCreate(_ScheduleChecks):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_id: int
    name: Name
    frequency: Frequency
    start_date: date
    end_date: date | None = None
    max_occurrences: int | None = Field(default=None, ge=1, le=1000)
    lines: list[LineIn] = Field(min_length=1, max_length=500)
    note: NoteTemplate | None = None
    buyer_reference: str | None = Field(default=None, max_length=100)
    payment_days: int | None = Field(default=None, ge=0, le=365)
    auto_finalize: bool = True
    auto_send: bool = False
    is_active: bool = True


class RecurringUpdate(_ScheduleChecks):
    """PATCH: only the fields sent change. Start and frequency are fixed once billed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_id: int | None = None
    name: Name | None = None
    frequency: Frequency | None = None
    start_date: date | None = None
    end_date: date | None = None
    max_occurrences: int | None = Field(default=None, ge=1, le=1000)
    lines: list[LineIn] | None = Field(default=None, min_length=1, max_length=500)
    note: NoteTemplate | None = None
    buyer_reference: str | None = Field(default=None, max_length=100)
    payment_days: int | None = Field(default=None, ge=0, le=365)
    auto_finalize: bool | None = None
    auto_send: bool | None = None
    is_active: bool | None = None


class ResumeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # False (default): periods that started while paused are skipped. True: the next run
    # bills each of them, one invoice per period.
    catch_up: bool = False


class PreviewRequest(_ScheduleChecks):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    frequency: Frequency
    start_date: date
    end_date: date | None = None
    max_occurrences: int | None = Field(default=None, ge=1, le=1000)
    note: NoteTemplate | None = None
    count: int = Field(default=6, ge=1, le=60)


class TemplateLineRead(BaseModel):
    description: str
    quantity: DecimalOut
    unit_code: str
    unit_price: DecimalOut
    vat_rate: DecimalOut
    vat_category: str
    net_amount: MoneyOut


class PeriodRead(BaseModel):
    number: int  # 1-based position in the schedule ("3. Rechnung")
    period_start: date
    period_end: date
    note: str | None = None


class PreviewRead(BaseModel):
    periods: list[PeriodRead]


class GeneratedInvoiceRead(BaseModel):
    invoice_id: int | None  # None when the seller deleted a generated draft
    number: str | None
    status: str  # the invoice's status (draft/open/overdue/paid/cancelled), "deleted" if gone
    gross_total: MoneyOut | None
    issue_date: date | None
    period_start: date
    period_end: date
    error: str | None  # why it stayed a draft
    sent_at: datetime | None  # when it was e-mailed to the customer (auto_send or by hand)
    created_at: datetime


class RecurringRead(BaseModel):
    id: int
    name: str
    contact_id: int
    contact: ContactSummary | None
    frequency: Frequency
    frequency_label: str
    start_date: date
    end_date: date | None
    max_occurrences: int | None
    next_due: date | None
    next_period: PeriodRead | None
    status: Status
    is_active: bool
    auto_finalize: bool
    auto_send: bool
    payment_days: int | None
    note: str | None
    buyer_reference: str | None
    lines: list[TemplateLineRead]
    net_total: MoneyOut
    vat_total: MoneyOut
    gross_total: MoneyOut
    occurrences_count: int
    # Periods already due (start <= today) that the next run will bill.
    due_periods: int
    last_generated_at: datetime | None
    last_error: str | None
    paused_at: datetime | None
    finished_at: datetime | None
    created_at: datetime
    updated_at: datetime


class RecurringDetail(RecurringRead):
    invoices: list[GeneratedInvoiceRead]


class RecurringPage(BaseModel):
    items: list[RecurringRead]
    total: int
    limit: int
    offset: int


class GeneratedInvoicePage(BaseModel):
    items: list[GeneratedInvoiceRead]
    total: int
    limit: int
    offset: int
