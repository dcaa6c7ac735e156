"""How an e-mail leaves: Brevo's HTTP API, a .eml file in storage, or SMTP.

Chosen by EMAIL_BACKEND (brevo | file | smtp; empty = brevo when BREVO_API_KEY is set,
else file). Each provider turns one claimed message into a `SendResult`; deciding about
retries and recording is the service's job.

Idempotency (no mail twice, even when a worker dies after the provider accepted it but
before we wrote that down): every message has one `idempotency_key` for all its attempts.
* brevo: sent as Brevo's `idempotencyKey` header. Brevo processes a key once and answers a
  repeat within its TTL (15-30 min) with `duplicate_parameter`; on a retry we read that as
  "already accepted". Our retries all fall inside that window (30 s, 2 min, 8 min).
* file: the key is the file name, so a second write replaces the first.
* smtp: the key is the Message-ID; SMTP has no idempotency, but receiving systems and mail
  clients collapse duplicates by Message-ID.
"""

import asyncio
import base64
import email.utils
import json
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage as MimeMessage
from typing import Any, Protocol

import httpx

from app.config import Settings, get_settings
from app.kit.http import provider_client
from app.storage import FileMissing, get_storage, run

OUTBOX_PREFIX = "outbox"


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, as the providers see it."""

    email_id: int
    organization_id: int
    invoice_id: int | None
    attempt: int
    kind: str
    to: str
    from_name: str
    reply_to: str | None
    subject: str
    text_body: str
    html_body: str
    attachments: list[dict[str, Any]]
    idempotency_key: str


@dataclass
class SendResult:
    ok: bool
    provider: str
    provider_message_id: str | None = None
    status_code: int | None = None
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None  # seconds, when the provider said so
    duration_ms: int = 0
    notes: list[str] = field(default_factory=list)


class Provider(Protocol):
    name: str

    async def send(self, msg: Outgoing) -> SendResult: ...


class AttachmentMissing(Exception):
    pass


async def load_attachments(msg: Outgoing) -> list[tuple[str, str, bytes]]:
    storage = get_storage()
    out = []
    for att in msg.attachments:
        try:
            data = await run(storage.read, att["storage_key"])
        except FileMissing:
            raise AttachmentMissing(f"Anhang {att['filename']} fehlt im Dateispeicher") from None
        out.append((att["filename"], att.get("content_type") or "application/octet-stream", data))
    return out


def message_id(msg: Outgoing, settings: Settings) -> str:
    domain = settings.email_from.rpartition("@")[2] or "rechnungswerk.local"
    return f"<{msg.idempotency_key}@{domain}>"


def build_mime(msg: Outgoing, attachments: list[tuple[str, str, bytes]], settings: Settings) -> MimeMessage:
    mime = MimeMessage()
    local, _, domain = settings.email_from.partition("@")
    mime["From"] = Address(display_name=msg.from_name, username=local, domain=domain)
    mime["To"] = msg.to
    if msg.reply_to:
        mime["Reply-To"] = Address(display_name=msg.from_name, addr_spec=msg.reply_to)
    mime["Subject"] = msg.subject
    mime["Date"] = email.utils.formatdate(localtime=False, usegmt=True)
    mime["Message-ID"] = message_id(msg, settings)
    mime["X-RechnungsWerk-Email-Id"] = str(msg.email_id)
    mime.set_content(msg.text_body)
    mime.add_alternative(msg.html_body, subtype="html")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        mime.add_attachment(data, maintype=maintype or "application", subtype=subtype or "octet-stream", filename=filename)
    return mime


# --- file -------------------------------------------------------------------------------


def eml_key(msg: Outgoing) -> str:
    return f"{OUTBOX_PREFIX}/{msg.email_id:07d}-{msg.idempotency_key}.eml"


class FileProvider:
    """Writes each e-mail as an .eml file through the storage backend (local: data/outbox/)."""

    name = "file"

    async def send(self, msg: Outgoing) -> SendResult:
        t0 = time.perf_counter()
        settings = get_settings()
        try:
            attachments = await load_attachments(msg)
        except AttachmentMissing as exc:
            return SendResult(False, self.name, error=str(exc))
        mime = build_mime(msg, attachments, settings)
        storage = get_storage()
        try:
            key = await run(storage.save, eml_key(msg), mime.as_bytes())
        except Exception as exc:  # noqa: BLE001 - a full disk or S3 hiccup is worth a retry
            return SendResult(False, self.name, error=f"Speichern fehlgeschlagen: {exc}", retryable=True)
        return SendResult(True, self.name, provider_message_id=mime["Message-ID"], duration_ms=_ms(t0), notes=[key])


# --- brevo ------------------------------------------------------------------------------


def _retry_after(response: httpx.Response) -> float | None:
    for header in ("retry-after", "x-sib-ratelimit-reset"):
        value = response.headers.get(header)
        if not value:
            continue
        try:
            return max(0.0, float(value))
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value) if header == "retry-after" else None
            if parsed is not None:
                return max(0.0, parsed.timestamp() - time.time())
    return None


def _provider_message(response: httpx.Response) -> tuple[str | None, str]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, response.text[:500]
    if isinstance(body, dict):
        return body.get("code"), str(body.get("message") or body)[:500]
    return None, str(body)[:500]


class BrevoProvider:
    name = "brevo"

    def payload(self, msg: Outgoing, attachments: list[tuple[str, str, bytes]], settings: Settings) -> dict[str, Any]:
        body: dict[str, Any] = {
            "sender": {"name": msg.from_name, "email": settings.email_from},
            "to": [{"email": msg.to}],
            "subject": msg.subject,
            "htmlContent": msg.html_body,
            "textContent": msg.text_body,
            "headers": {
                "idempotencyKey": msg.idempotency_key,
                # Comes back in every event Brevo reports about this mail (see events).
                "X-Mailin-custom": f"rw:{msg.idempotency_key}",
            },
            "tags": [msg.kind],
        }
        if msg.reply_to:
            body["replyTo"] = {"email": msg.reply_to, "name": msg.from_name}
        if attachments:
            body["attachment"] = [
                {"name": filename, "content": base64.b64encode(data).decode()} for filename, _, data in attachments
            ]
        return body

    async def send(self, msg: Outgoing) -> SendResult:
        settings = get_settings()
        if not settings.brevo_api_key:
            return SendResult(False, self.name, error="BREVO_API_KEY ist nicht gesetzt")
        try:
            attachments = await load_attachments(msg)
        except AttachmentMissing as exc:
            return SendResult(False, self.name, error=str(exc))
        t0 = time.perf_counter()
        try:
            response = await provider_client().post(
                settings.brevo_api_url.rstrip("/") + "/smtp/email",
                json=self.payload(msg, attachments, settings),
                headers={"api-key": settings.brevo_api_key, "accept": "application/json"},
                timeout=settings.email_timeout_seconds,
            )
        except httpx.TimeoutException:
            return SendResult(
                False, self.name, error=f"Zeitüberschreitung nach {settings.email_timeout_seconds:g} s", retryable=True,
                duration_ms=_ms(t0),
            )
        except httpx.HTTPError as exc:
            return SendResult(False, self.name, error=f"Brevo nicht erreichbar: {exc}", retryable=True, duration_ms=_ms(t0))
        status = response.status_code
        if response.is_success:
            try:
                provider_id = response.json().get("messageId")
            except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
                provider_id = None
            return SendResult(True, self.name, provider_message_id=provider_id, status_code=status, duration_ms=_ms(t0))
        code, text = _provider_message(response)
        if code == "duplicate_parameter" and msg.attempt > 1:
            # Brevo already accepted this key on an earlier attempt whose answer we lost.
            return SendResult(
                True, self.name, status_code=status, duration_ms=_ms(t0),
                notes=["Brevo kannte den Idempotenzschlüssel: bereits bei einem früheren Versuch angenommen"],
            )
        error = f"Brevo {status}: {text}"
        if status == 429 or status >= 500:
            return SendResult(False, self.name, status_code=status, error=error, retryable=True,
                              retry_after=_retry_after(response), duration_ms=_ms(t0))
        return SendResult(False, self.name, status_code=status, error=error, duration_ms=_ms(t0))


# --- smtp -------------------------------------------------------------------------------


class SmtpProvider:
    name = "smtp"

    async def send(self, msg: Outgoing) -> SendResult:
        settings = get_settings()
        if not settings.smtp_host:
            return SendResult(False, self.name, error="SMTP_HOST ist nicht gesetzt")
        try:
            attachments = await load_attachments(msg)
        except AttachmentMissing as exc:
            return SendResult(False, self.name, error=str(exc))
        mime = build_mime(msg, attachments, settings)
        t0 = time.perf_counter()
        try:
            # smtplib blocks; a thread keeps the event loop (and the other jobs) running.
            await asyncio.to_thread(self._deliver, mime, settings)
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            # 4xx are temporary by definition (RFC 5321), 5xx permanent.
            return SendResult(False, self.name, status_code=exc.smtp_code, error=f"SMTP {exc.smtp_code}: {text}",
                              retryable=400 <= exc.smtp_code < 500, duration_ms=_ms(t0))
        except smtplib.SMTPRecipientsRefused as exc:
            detail = "; ".join(f"{rcpt}: {code} {m.decode(errors='replace')}" for rcpt, (code, m) in exc.recipients.items())
            temporary = all(400 <= code < 500 for code, _ in exc.recipients.values())
            return SendResult(False, self.name, error=f"Empfänger abgelehnt: {detail}", retryable=temporary, duration_ms=_ms(t0))
        except (OSError, smtplib.SMTPException) as exc:
            return SendResult(False, self.name, error=f"SMTP-Server nicht erreichbar: {exc}", retryable=True, duration_ms=_ms(t0))
        return SendResult(True, self.name, provider_message_id=mime["Message-ID"], duration_ms=_ms(t0))

    @staticmethod
    def _deliver(mime: MimeMessage, settings: Settings) -> None:
        timeout = settings.email_timeout_seconds
        if settings.smtp_port == 465:
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        with client:
            client.ehlo()
            if settings.smtp_starttls and settings.smtp_port != 465:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if settings.smtp_username:
                client.login(settings.smtp_username, settings.smtp_password)
            client.send_message(mime)


def _ms(t0: float) -> int:
    return int((time.perf_counter() - t0) * 1000)


_PROVIDERS: dict[str, Provider] = {"brevo": BrevoProvider(), "file": FileProvider(), "smtp": SmtpProvider()}


def get_provider(settings: Settings | None = None) -> Provider:
    return _PROVIDERS[(settings or get_settings()).effective_email_backend]
