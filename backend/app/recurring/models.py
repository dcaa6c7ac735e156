from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin
from app.kit.timeutil import utcnow


class RecurringInvoice(TimestampMixin, Base):
    """A template that produces one invoice per billing period (Serienrechnung).

    `next_index` is the 0-based number of the next period to bill and `next_due` its start
    date (periods.period_start). Both are kept: the index drives the arithmetic (which
    clamps month ends, so a date cannot be turned back into an index), the date drives the
    daily query "what is due".
    """

    __tablename__ = "recurring_invoices"
    __table_args__ = (
        # The scheduler's claim query: active templates due by a date, in id order.
        Index("ix_recurring_invoices_due", "is_active", "next_due", "id"),
        CheckConstraint(
            "frequency IN ('weekly','monthly','quarterly','half_yearly','yearly')", name="frequency"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    frequency: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date | None] = mapped_column()
    max_occurrences: Mapped[int | None] = mapped_column(Integer)

    # The lines as validated LineIn dicts (decimals as strings). A template's lines are one
    # value edited as a whole and never queried one by one, so a JSON column beats a table:
    # the scheduler reads a template with its lines in the same row it locks.
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    buyer_reference: Mapped[str | None] = mapped_column(String(100))
    payment_days: Mapped[int | None] = mapped_column(Integer)

    auto_finalize: Mapped[bool] = mapped_column(Boolean, default=True)
    auto_send: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    next_index: Mapped[int] = mapped_column(Integer, default=0)
    next_due: Mapped[date | None] = mapped_column()  # None once the schedule is finished
    occurrences_count: Mapped[int] = mapped_column(Integer, default=0)
    last_generated_at: Mapped[datetime | None] = mapped_column()
    # Why the scheduler paused this template (e.g. its lines no longer fit the seller's VAT
    # status); cleared on resume.
    last_error: Mapped[str | None] = mapped_column(Text)
    paused_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()

    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RecurringOccurrence(Base):
    """One billed period of a template: the exactly-once record.

    The unique (template, period start) makes a second generation of the same period
    impossible even if every other safeguard failed. It lives in its own table rather than
    as columns on `invoices` so that the invoice model stays free of scheduler concerns and
    the record survives when the seller deletes a generated draft (the period was billed
    once; it is not billed again behind the seller's back).
    """

    __tablename__ = "recurring_occurrences"
    __table_args__ = (
        # Also the index for "the invoices of a template, by period".
        UniqueConstraint("recurring_invoice_id", "period_start"),
        CheckConstraint("status IN ('finalized','draft')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recurring_invoice_id: Mapped[int] = mapped_column(ForeignKey("recurring_invoices.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    period_index: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # finalized | draft
    error: Mapped[str | None] = mapped_column(Text)  # why it stayed a draft
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecurringRun(Base):
    """The cron's record of its daily run, so the frequent cron tick runs the check once a day.

    Only the cron writes it: a manual `rechnungswerk recurring run --date ...` for some other
    day must not make the cron skip that day when it comes.
    """

    __tablename__ = "recurring_runs"

    run_date: Mapped[date] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    generated: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
