from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin
from app.kit.timeutil import utcnow


class EmailStatus:
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class EmailMessage(TimestampMixin, Base):
    """An e-mail the app sends, and the outbox row that drives its sending.

    `status` is our side (queued -> sending -> sent | failed); `delivery_status` is what the
    provider later reports about the recipient's side (delivered, hard_bounce, ...).
    """

    __tablename__ = "email_messages"
    __table_args__ = (
        Index("ix_email_messages_org", "organization_id", "id"),
        Index("ix_email_messages_org_invoice", "organization_id", "invoice_id"),
        # The sweeper's question: which queued messages are due, which leases ran out?
        Index("ix_email_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    # No foreign key: deleting a draft invoice must not have to touch its e-mail history.
    invoice_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(50), default="generic")

    to_address: Mapped[str] = mapped_column(String(254))
    from_name: Mapped[str] = mapped_column(String(200))
    reply_to: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # [{"storage_key", "filename", "content_type"}]: files are read from storage at send time.
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    status: Mapped[str] = mapped_column(String(20), default=EmailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    # Same value on every attempt: Brevo's idempotencyKey, the Message-ID header, the .eml
    # file name. A retry after an unknown outcome can then not deliver the mail twice.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    provider: Mapped[str | None] = mapped_column(String(20))
    provider_message_id: Mapped[str | None] = mapped_column(String(300), index=True)
    sent_at: Mapped[datetime | None] = mapped_column()
    failed_at: Mapped[datetime | None] = mapped_column()

    delivery_status: Mapped[str | None] = mapped_column(String(30))
    delivery_detail: Mapped[str | None] = mapped_column(Text)
    delivery_updated_at: Mapped[datetime | None] = mapped_column()
    delivery_events: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class EmailAttempt(Base):
    """Every sending attempt, kept so the seller can see what happened and when."""

    __tablename__ = "email_attempts"
    __table_args__ = (Index("ix_email_attempts_email", "email_id", "attempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("email_messages.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))  # sent | retry | failed | lost
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
