"""E-mail as queued work: the public API other domains call, and the reading side.

Public, stable interface (other domains call it; keep the shape):

    async def queue_email(
        session, *, organization_id: int, to: str, subject: str, text_body: str,
        html_body: str, attachments: Sequence[Attachment] = (), invoice_id: int | None = None,
        kind: str = "generic",
    ) -> EmailMessage

    Inserts an `EmailMessage` (status "queued") in the caller's transaction and enqueues the
    send job after that transaction commits; a rollback drops both. The caller commits (the
    request session does that at the edge). Sender name and Reply-To come from the
    organization (its name and e-mail). Invalid input raises `Unprocessable` naming the
    field (`to`, `subject`, `attachments`). Attachments are files already in the storage
    backend: `Attachment(storage_key, filename, content_type)`; they are read when the mail
    is sent. Templates: `app.email.templates.render_invoice_email(...)`.

    Example (the portal's "Per E-Mail senden"):
        subject, text, html = render_invoice_email(org, inv.number, inv.gross_total, inv.due_date, url, msg)
        email = await queue_email(session, organization_id=org.id, to=to, subject=subject,
                                  text_body=text, html_body=html, invoice_id=inv.id, kind="invoice")
        return {"email_id": email.id, "status": email.status}

Sending (worker), retries and crash recovery live in `app.email.sending`.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.email.models import EmailAttempt, EmailMessage, EmailStatus
from app.errors import NotFound, Unprocessable
from app.kit.outbox import enqueue_first_attempt_after_commit
from app.kit.timeutil import utcnow
from app.notifications.service import notify
from app.organizations.models import Organization
from app.storage.backend import StorageError, normalize_key

SEND_FUNCTION = "send_email"
SEND_GROUP_FUNCTION = "send_emails"
JOB_KIND = "email"


@dataclass(frozen=True)
class Attachment:
    """A file in the storage backend to attach (e.g. the invoice's archived PDF and XML)."""

    storage_key: str
    filename: str
    content_type: str = "application/octet-stream"


def _no_header_breaks(value: str, field: str) -> None:
    if "\r" in value or "\n" in value:
        raise Unprocessable("Zeilenumbrüche sind hier nicht erlaubt", field=field)


def normalize_address(value: str, field: str = "to") -> str:
    _no_header_breaks(value, field)
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise Unprocessable("Keine gültige E-Mail-Adresse", field=field) from None


async def queue_email(
    session: AsyncSession,
    *,
    organization_id: int,
    to: str,
    subject: str,
    text_body: str,
    html_body: str,
    attachments: Sequence[Attachment] = (),
    invoice_id: int | None = None,
    kind: str = "generic",
) -> EmailMessage:
    to = normalize_address(to)
    subject = subject.strip()
    if not subject:
        raise Unprocessable("Der Betreff darf nicht leer sein", field="subject")
    if len(subject) > 300:
        raise Unprocessable("Der Betreff ist zu lang (höchstens 300 Zeichen)", field="subject")
    _no_header_breaks(subject, "subject")
    files = []
    for i, att in enumerate(attachments):
        try:
            key = normalize_key(att.storage_key)
        except StorageError:
            raise Unprocessable("Ungültiger Speicherpfad", field=f"attachments.{i}.storage_key") from None
        if not att.filename or "/" in att.filename or "\\" in att.filename:
            raise Unprocessable("Ungültiger Dateiname", field=f"attachments.{i}.filename")
        _no_header_breaks(att.filename, f"attachments.{i}.filename")
        files.append({"storage_key": key, "filename": att.filename, "content_type": att.content_type})

    org = await session.get(Organization, organization_id)
    if org is None:
        raise NotFound("Organisation nicht gefunden")
    reply_to = None
    if org.email:
        try:
            reply_to = normalize_address(org.email, "reply_to")
        except Unprocessable:
            reply_to = None  # a bad seller address must not block the invoice mail
    now = utcnow()
    message = EmailMessage(
        organization_id=organization_id,
        invoice_id=invoice_id,
        kind=kind[:50],
        to_address=to,
        from_name=org.name,
        reply_to=reply_to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        attachments=files,
        status=EmailStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        idempotency_key=str(uuid.uuid4()),
        delivery_events=[],
        created_at=now,
        updated_at=now,
    )
    session.add(message)
    await session.flush()
    # After commit; e-mails queued in one transaction share one job (see the function).
    enqueue_first_attempt_after_commit(session, JOB_KIND, SEND_FUNCTION, SEND_GROUP_FUNCTION, message.id)
    return message


# --- reading ----------------------------------------------------------------------------

STATUS_LABELS = {
    EmailStatus.QUEUED: "in der Warteschlange",
    EmailStatus.SENDING: "wird gesendet",
    EmailStatus.SENT: "gesendet",
    EmailStatus.FAILED: "fehlgeschlagen",
}

DELIVERY_LABELS = {
    "accepted": "vom Versanddienst angenommen",
    "deferred": "Zustellung verzögert",
    "soft_bounce": "vorübergehend nicht zustellbar",
    "delivered": "zugestellt",
    "opened": "geöffnet",
    "clicked": "Link geöffnet",
    "unsubscribed": "Empfänger hat sich abgemeldet",
    "hard_bounce": "unzustellbar",
    "invalid_email": "unzustellbar (ungültige Adresse)",
    "blocked": "unzustellbar (blockiert)",
    "error": "Fehler beim Versanddienst",
    "spam": "als Spam gemeldet",
}


async def get_email(session: AsyncSession, organization_id: int, email_id: int) -> EmailMessage:
    message = await session.scalar(
        select(EmailMessage).where(EmailMessage.id == email_id, EmailMessage.organization_id == organization_id)
    )
    if message is None:
        raise NotFound("E-Mail nicht gefunden")
    return message


async def list_emails(
    session: AsyncSession, organization_id: int, *, invoice_id: int | None, status: str | None, limit: int, offset: int
) -> tuple[list[EmailMessage], int]:
    stmt = select(EmailMessage).where(EmailMessage.organization_id == organization_id)
    if invoice_id is not None:
        stmt = stmt.where(EmailMessage.invoice_id == invoice_id)
    if status:
        stmt = stmt.where(EmailMessage.status == status)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = await session.scalars(stmt.order_by(EmailMessage.id.desc()).limit(limit).offset(offset))
    return list(rows), total


async def describe(session: AsyncSession, messages: list[EmailMessage], *, with_log: bool) -> list[dict[str, Any]]:
    logs: dict[int, list[EmailAttempt]] = {m.id: [] for m in messages}
    if with_log and messages:
        for attempt in await session.scalars(
            select(EmailAttempt).where(EmailAttempt.email_id.in_(list(logs))).order_by(EmailAttempt.id)
        ):
            logs[attempt.email_id].append(attempt)
    return [
        {
            "id": m.id,
            "invoice_id": m.invoice_id,
            "kind": m.kind,
            "to": m.to_address,
            "subject": m.subject,
            "status": m.status,
            "status_label": STATUS_LABELS.get(m.status, m.status),
            "attempts": m.attempts,
            "next_attempt_at": m.next_attempt_at if m.status == EmailStatus.QUEUED else None,
            "last_error": m.last_error,
            "provider": m.provider,
            "provider_message_id": m.provider_message_id,
            "delivery_status": m.delivery_status,
            "delivery_status_label": DELIVERY_LABELS.get(m.delivery_status or ""),
            "delivery_detail": m.delivery_detail,
            "delivery_updated_at": m.delivery_updated_at,
            "attachments": [{"filename": a["filename"], "content_type": a["content_type"]} for a in m.attachments],
            "created_at": m.created_at,
            "sent_at": m.sent_at,
            "failed_at": m.failed_at,
            "attempt_log": logs[m.id] if with_log else None,
        }
        for m in messages
    ]


def notify_failed(session: AsyncSession, *, organization_id: int, email_id: int, to: str, invoice_id: int | None, error: str) -> None:
    notify(
        session,
        organization_id=organization_id,
        kind="email_failed",
        title=f"E-Mail an {to} konnte nicht gesendet werden",
        body=error,
        link=f"/invoices/{invoice_id}" if invoice_id else None,
        invoice_id=invoice_id,
    )
