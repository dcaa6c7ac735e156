"""Imports every model so that metadata (Alembic, relationships) sees all tables."""

from app.audit.models import AuditEvent
from app.contacts.models import Contact
from app.email.models import EmailAttempt, EmailMessage
from app.invoices.models import Invoice, InvoiceLine, InvoiceNumberSequence
from app.notifications.models import Notification
from app.organizations.models import Membership, Organization, User
from app.portal.models import InvoiceShareLink, PortalAccess
from app.recurring.models import RecurringInvoice, RecurringOccurrence, RecurringRun
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "AuditEvent",
    "Contact",
    "EmailAttempt",
    "EmailMessage",
    "Invoice",
    "InvoiceLine",
    "InvoiceNumberSequence",
    "InvoiceShareLink",
    "Membership",
    "Notification",
    "Organization",
    "PortalAccess",
    "RecurringInvoice",
    "RecurringOccurrence",
    "RecurringRun",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]

# The webhook fan-out subscribes to app.events on import. Every process that touches the
# database imports this module, so no process can emit an event nobody delivers.
import app.webhooks.service  # noqa: E402,F401
