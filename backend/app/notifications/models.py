from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin


class Notification(TimestampMixin, Base):
    """An in-app message to the seller's organization (payment confirmed, e-mail failed, ...)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_org_read", "organization_id", "is_read", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    invoice_id: Mapped[int | None] = mapped_column(index=True)
    is_read: Mapped[bool] = mapped_column(Boolean, default=False)
