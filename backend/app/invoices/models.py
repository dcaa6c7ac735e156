from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin
from app.kit.timeutil import utcnow

Money = Numeric(14, 2)
Quantity = Numeric(18, 4)
Price = Numeric(18, 4)
Rate = Numeric(5, 2)


class InvoiceStatus:
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    OVERDUE = "overdue"  # never stored: an open invoice past its due date (see service)
    CANCELLED = "cancelled"


class PaymentStatus:
    UNPAID = "unpaid"
    PAID = "paid"


class Invoice(TimestampMixin, Base):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("organization_id", "number"),
        Index("ix_invoices_org_status", "organization_id", "status", "id"),
        CheckConstraint("status IN ('draft','open','paid','cancelled')", name="status"),
        # The archiver's work list: finalized, not yet archived (stays tiny, so partial).
        Index(
            "ix_invoices_unarchived",
            "id",
            postgresql_where=text("finalized_at IS NOT NULL AND pdf_sha256 IS NULL"),
            sqlite_where=text("finalized_at IS NOT NULL AND pdf_sha256 IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(50))
    type_code: Mapped[str] = mapped_column(String(3), default="380")
    status: Mapped[str] = mapped_column(String(20), default=InvoiceStatus.DRAFT)
    payment_status: Mapped[str] = mapped_column(String(20), default=PaymentStatus.UNPAID)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")

    issue_date: Mapped[date] = mapped_column()
    due_date: Mapped[date | None] = mapped_column()
    payment_days: Mapped[int | None] = mapped_column(Integer)
    service_date: Mapped[date | None] = mapped_column()
    service_period_start: Mapped[date | None] = mapped_column()
    service_period_end: Mapped[date | None] = mapped_column()
    buyer_reference: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    preceding_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))

    # Stored copies of compute_totals() so lists and sums need no line scan; written only
    # by the service, always from the same function.
    net_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    vat_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    gross_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))

    # Seller and buyer as they were at finalize: a finalized invoice never changes, even
    # when the organization or the customer record is edited later.
    seller_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    buyer_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    # GoBD archive: the documents generated once at finalize and their SHA-256.
    pdf_path: Mapped[str | None] = mapped_column(String(300))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    ubl_path: Mapped[str | None] = mapped_column(String(300))
    ubl_sha256: Mapped[str | None] = mapped_column(String(64))
    cii_path: Mapped[str | None] = mapped_column(String(300))
    cii_sha256: Mapped[str | None] = mapped_column(String(64))

    finalized_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    viewed_at: Mapped[datetime | None] = mapped_column()
    paid_at: Mapped[date | None] = mapped_column()
    paid_confirmed_by: Mapped[str | None] = mapped_column(String(20))  # seller | customer
    payment_reference: Mapped[str | None] = mapped_column(String(200))
    cancelled_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list["InvoiceLine"]] = relationship(
        back_populates="invoice",
        order_by="InvoiceLine.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_code: Mapped[str] = mapped_column(String(3), default="C62")
    unit_price: Mapped[Decimal] = mapped_column(Price)
    vat_category: Mapped[str] = mapped_column(String(2), default="S")
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    net_amount: Mapped[Decimal] = mapped_column(Money)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class InvoiceNumberSequence(Base):
    """The next number per organization and period (the year, when the format has one).

    Numbers are drawn with an atomic UPDATE ... RETURNING inside the finalize transaction:
    the row lock serializes concurrent finalizations and a rollback returns the number, so
    the sequence stays gapless and unique.
    """

    __tablename__ = "invoice_number_sequences"
    __table_args__ = (UniqueConstraint("organization_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    period: Mapped[int] = mapped_column(Integer)  # the year, or 0 for a format without year
    next_value: Mapped[int] = mapped_column(Integer, default=1)
