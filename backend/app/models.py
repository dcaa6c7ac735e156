"""Imports every model so that metadata (Alembic, relationships) sees all tables."""

from app.audit.models import AuditEvent
from app.contacts.models import Contact
from app.invoices.models import Invoice, InvoiceLine, InvoiceNumberSequence
from app.notifications.models import Notification
from app.organizations.models import Membership, Organization, User
from app.recurring.models import RecurringInvoice, RecurringOccurrence, RecurringRun

__all__ = [
    "AuditEvent",
    "Contact",
    "Invoice",
    "InvoiceLine",
    "InvoiceNumberSequence",
    "Membership",
    "Notification",
    "Organization",
    "RecurringInvoice",
    "RecurringOccurrence",
    "RecurringRun",
    "User",
]
