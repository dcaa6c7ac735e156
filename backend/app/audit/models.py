from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin


class AuditEvent(TimestampMixin, Base):
    """Append-only record of who did what to which invoice (GoBD traceability).

    On PostgreSQL a trigger rejects UPDATE and DELETE; `invoice_id` carries no foreign key
    on purpose so that deleting a draft never has to touch its history.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_org_invoice", "organization_id", "invoice_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    invoice_id: Mapped[int | None] = mapped_column()
    actor_type: Mapped[str] = mapped_column(String(20))  # user | customer | system
    actor_user_id: Mapped[int | None] = mapped_column()
    action: Mapped[str] = mapped_column(String(50))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
