from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin


class InvoiceShareLink(TimestampMixin, Base):
    """A secret link through which the seller's customer sees one invoice without an account.

    The token is a random UUID v4 (122 bits): it is the only credential, so it is never
    logged. An invoice has at most one usable link at a time (the service serializes link
    changes on the invoice row); revoked and expired links stay as a record of what was sent.
    """

    __tablename__ = "invoice_share_links"
    __table_args__ = (Index("ix_invoice_share_links_invoice", "invoice_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(36), unique=True, index=True)
    expires_at: Mapped[datetime | None] = mapped_column()
    access_count: Mapped[int] = mapped_column(Integer, default=0)
    last_accessed_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The invoice's GiroCode, drawn when the link is made: choosing the best QR mask costs
    # ~60 ms of CPU, far too much for a customer's first view to wait for.
    girocode_payload: Mapped[str | None] = mapped_column(Text)
    girocode_image: Mapped[str | None] = mapped_column(Text)
    # The portal's JSON answer for this link, pre-serialized in pieces around the few fields
    # that still change (status, payment, expiry): a finalized invoice never changes, so it is
    # rendered once, when the link is made (app.portal.render). NULL: rendered at first use.
    portal_render: Mapped[str | None] = mapped_column(Text)


class PortalAction:
    VIEW = "view"
    DOWNLOAD_PDF = "download_pdf"
    DOWNLOAD_XML = "download_xml"
    CONFIRM_PAYMENT = "confirm_payment"


class PortalAccess(TimestampMixin, Base):
    """One access through a share link: the seller sees when the customer opened what.

    The IP is truncated (IPv4 /24, IPv6 /48) before it is stored: enough to tell "the office
    network" from "somewhere else", not enough to identify a person (GDPR data minimisation).
    `invoice_id` is copied from the link so the seller's activity list needs no join.
    """

    __tablename__ = "portal_accesses"
    __table_args__ = (Index("ix_portal_accesses_invoice", "invoice_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    share_link_id: Mapped[int] = mapped_column(ForeignKey("invoice_share_links.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    ip_prefix: Mapped[str | None] = mapped_column(String(50))
    user_agent: Mapped[str | None] = mapped_column(String(300))
