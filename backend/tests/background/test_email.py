"""E-mail end to end: queue_email in the caller's transaction, the real ARQ worker, the file
backend's .eml, a Brevo-protocol stub on 127.0.0.1 (429/500/400/timeouts, idempotency
keys), SMTP, retry schedules by next_attempt_at with a moved clock, Brevo's event webhook,
the German template and the API."""

import base64
import struct
import zlib
from datetime import date, timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from app.config import get_settings
from app.db import commit, get_sessionmaker
from app.email import sending
from app.email.models import EmailAttempt, EmailMessage
from app.email.service import Attachment, queue_email
from app.email.templates import render_invoice_email
from app.errors import Unprocessable
from app.notifications.models import Notification
from app.organizations.models import Organization
from app.storage import get_storage
from tests.background.helpers import run_worker_until, scalars
from tests.fixtures.factories import SELLER_DATA, Tenant
from tests.stubs.smtp import SmtpStub

PORTAL_URL = "http://127.0.0.1:3000/portal/5b0d6c1e-4f7a-4c55-9d51-0c0a5b7e9a10"


async def queue(tenant: Tenant, **overrides) -> int:  # type: ignore[no-untyped-def]
    async with get_sessionmaker()() as session:
        args = {
            "organization_id": tenant.organization_id,
            "to": "einkauf@beispiel-handel.de",
            "subject": "Ihre Rechnung RE-2026-0001",
            "text_body": f"Guten Tag,\n\nIhre Rechnung: {PORTAL_URL}\n",
            "html_body": f'<p>Guten Tag,</p><p><a href="{PORTAL_URL}">Rechnung ansehen</a></p>',
            "kind": "invoice",
        }
        args.update(overrides)
        message = await queue_email(session, **args)
        await commit(session)
        return message.id


async def row(email_id: int) -> EmailMessage:
    (m,) = await scalars(select(EmailMessage).where(EmailMessage.id == email_id))
    return m


async def log_of(email_id: int) -> list[EmailAttempt]:
    return await scalars(select(EmailAttempt).where(EmailAttempt.email_id == email_id).order_by(EmailAttempt.id))


def settled(email_id: int, *, attempts: int | None = None, status: str | None = None):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        m = await row(email_id)
        if m.status == "sending":
            return False
        return (attempts is None or m.attempts == attempts) and (status is None or m.status == status)

    return check


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


# --- queueing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"to": "keine-adresse"}, "to"),
        ({"to": "a@b.de\r\nBcc: x@y.de"}, "to"),
        ({"subject": "   "}, "subject"),
        ({"subject": "Rechnung\r\nBcc: x@y.de"}, "subject"),
        ({"attachments": [Attachment("../../etc/passwd", "passwd")]}, "attachments.0.storage_key"),
        ({"attachments": [Attachment("invoices/1.pdf", "../x.pdf")]}, "attachments.0.filename"),
    ],
)
async def test_queue_email_rejects_bad_input_naming_the_field(tenant: Tenant, overrides: dict, field: str) -> None:
    with pytest.raises(Unprocessable) as err:
        await queue(tenant, **overrides)
    assert err.value.errors[0]["field"] == field


async def test_rollback_drops_the_email_and_its_job(tenant: Tenant) -> None:
    from app.db import rollback
    from app.tasks.queue import get_pool

    pool = await get_pool()
    before = await pool.zcard(get_settings().arq_queue_name)
    async with get_sessionmaker()() as session:
        message = await queue_email(
            session, organization_id=tenant.organization_id, to="a@beispiel.de", subject="Test", text_body="x", html_body="<p>x</p>"
        )
        assert message.id and message.status == "queued"
        await rollback(session)
    assert await scalars(select(EmailMessage).where(EmailMessage.organization_id == tenant.organization_id)) == []
    assert await pool.zcard(get_settings().arq_queue_name) == before


# --- file backend -----------------------------------------------------------------------


@pytest.mark.smoke  # also on SQLite in `make test`
async def test_file_backend_writes_a_parseable_eml(tenant: Tenant) -> None:
    get_storage().save("invoices/test/RE-2026-0001.pdf", b"%PDF-1.7 test")
    email_id = await queue(
        tenant, attachments=[Attachment("invoices/test/RE-2026-0001.pdf", "RE-2026-0001.pdf", "application/pdf")]
    )
    await run_worker_until(settled(email_id, status="sent"), what="file send")
    m = await row(email_id)
    assert m.provider == "file" and m.attempts == 1 and m.sent_at is not None

    outbox = get_settings().data_dir / "outbox"
    (eml,) = [p for p in Path(outbox).iterdir() if p.name.startswith(f"{email_id:07d}-")]
    parsed = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Ihre Rechnung RE-2026-0001"
    assert parsed["To"] == "einkauf@beispiel-handel.de"
    assert parsed["From"].addresses[0].display_name.startswith("Muster ")
    assert parsed["Reply-To"].addresses[0].addr_spec == SELLER_DATA["email"]
    assert parsed["Message-ID"] == m.provider_message_id and m.idempotency_key in parsed["Message-ID"]
    assert PORTAL_URL in parsed.get_body(("plain",)).get_content()
    assert PORTAL_URL in parsed.get_body(("html",)).get_content()
    (attachment,) = list(parsed.iter_attachments())
    assert attachment.get_filename() == "RE-2026-0001.pdf" and attachment.get_content() == b"%PDF-1.7 test"

    r = await tenant.get(f"/api/emails/{email_id}")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "sent" and body["status_label"] == "gesendet" and body["attempts"] == 1
    assert body["to"] == "einkauf@beispiel-handel.de" and body["last_error"] is None and body["sent_at"]
    assert [a["outcome"] for a in body["attempt_log"]] == ["sent"]
    assert body["attachments"] == [{"filename": "RE-2026-0001.pdf", "content_type": "application/pdf"}]


async def test_missing_attachment_fails_with_notification(tenant: Tenant) -> None:
    email_id = await queue(tenant, attachments=[Attachment("invoices/none/missing.pdf", "missing.pdf", "application/pdf")])
    await run_worker_until(settled(email_id, status="failed"), what="failure")
    m = await row(email_id)
    assert m.attempts == 1 and "missing.pdf" in m.last_error
    notes = await scalars(select(Notification).where(Notification.organization_id == tenant.organization_id))
    assert [n.kind for n in notes] == ["email_failed"]
    assert "einkauf@beispiel-handel.de" in notes[0].title and "missing.pdf" in notes[0].body


# --- brevo ------------------------------------------------------------------------------


async def test_brevo_request_carries_idempotency_key_sender_and_attachments(tenant: Tenant, brevo) -> None:
    get_storage().save("invoices/test/brevo.pdf", b"%PDF-1.7 brevo")
    email_id = await queue(tenant, attachments=[Attachment("invoices/test/brevo.pdf", "RE-1.pdf", "application/pdf")])
    await run_worker_until(settled(email_id, status="sent"), what="brevo send")
    m = await row(email_id)
    (sent,) = brevo.accepted
    assert m.provider == "brevo" and m.provider_message_id == sent["messageId"]
    assert sent["headers"]["idempotencyKey"] == m.idempotency_key
    assert sent["headers"]["X-Mailin-custom"] == f"rw:{m.idempotency_key}"
    assert sent["sender"] == {"name": m.from_name, "email": get_settings().email_from}
    assert sent["replyTo"]["email"] == SELLER_DATA["email"]
    assert sent["to"] == [{"email": "einkauf@beispiel-handel.de"}]
    assert PORTAL_URL in sent["htmlContent"] and PORTAL_URL in sent["textContent"]
    assert base64.b64decode(sent["attachment"][0]["content"]) == b"%PDF-1.7 brevo"
    assert sent["attachment"][0]["name"] == "RE-1.pdf" and sent["tags"] == ["invoice"]


async def test_brevo_429_and_500_are_retried_on_schedule(tenant: Tenant, brevo) -> None:
    brevo.plan.extend([(429, 7), 503])
    email_id = await queue(tenant)
    with time_machine.travel((await row(email_id)).next_attempt_at, tick=True) as clock:
        await run_worker_until(settled(email_id, attempts=1), what="attempt 1")
        m, log = await row(email_id), await log_of(email_id)
        assert m.status == "queued" and log[0].status_code == 429
        # x-sib-ratelimit-reset: 7 -> the next try 7 s after the rate-limited one.
        assert m.next_attempt_at == log[0].created_at + timedelta(seconds=7)
        clock.move_to(m.next_attempt_at + timedelta(seconds=1))

        await run_worker_until(settled(email_id, attempts=2), what="attempt 2")
        m, log = await row(email_id), await log_of(email_id)
        assert m.status == "queued" and log[1].status_code == 503 and "Brevo 503" in m.last_error
        assert m.next_attempt_at == log[1].created_at + sending.BACKOFF[1]
        clock.move_to(m.next_attempt_at + timedelta(seconds=1))

        await run_worker_until(settled(email_id, status="sent"), what="attempt 3")
    log = await log_of(email_id)
    assert [(a.outcome, a.status_code) for a in log] == [("retry", 429), ("retry", 503), ("sent", 201)]
    assert brevo.accepted_count() == 1
    assert (await row(email_id)).last_error is None


async def test_brevo_gives_up_after_three_retries(tenant: Tenant, brevo) -> None:
    brevo.plan.extend([500, 500, 500, 500, 500])
    email_id = await queue(tenant)
    with time_machine.travel((await row(email_id)).next_attempt_at, tick=True) as clock:
        for attempt in range(1, 5):
            await run_worker_until(settled(email_id, attempts=attempt), what=f"attempt {attempt}")
            m, log = await row(email_id), await log_of(email_id)
            if attempt < 4:
                assert m.next_attempt_at == log[-1].created_at + sending.BACKOFF[attempt - 1]
                clock.move_to(m.next_attempt_at + timedelta(seconds=1))
    m = await row(email_id)
    assert m.status == "failed" and m.attempts == 4 and m.next_attempt_at is None
    assert [a.outcome for a in await log_of(email_id)] == ["retry", "retry", "retry", "failed"]
    assert brevo.accepted_count() == 0 and len(brevo.plan) == 1  # exactly four requests
    (note,) = await scalars(select(Notification).where(Notification.organization_id == tenant.organization_id))
    assert note.kind == "email_failed" and "Brevo 500" in note.body


async def test_brevo_other_4xx_fails_at_once_keeping_the_message(tenant: Tenant, brevo) -> None:
    brevo.plan.append(400)
    invoice = await tenant.finalized_invoice()
    email_id = await queue(tenant, invoice_id=invoice["id"])
    await run_worker_until(settled(email_id, status="failed"), what="failure")
    m = await row(email_id)
    assert m.attempts == 1 and "Absender nicht verifiziert" in m.last_error and "400" in m.last_error
    (note,) = await scalars(select(Notification).where(Notification.organization_id == tenant.organization_id))
    assert note.kind == "email_failed" and note.invoice_id == invoice["id"] and "nicht gesendet" in note.title
    body = (await tenant.get(f"/api/emails/{email_id}")).json()
    assert body["status"] == "failed" and body["status_label"] == "fehlgeschlagen" and "Absender" in body["last_error"]


async def test_brevo_timeout_is_retried(tenant: Tenant, brevo, settings) -> None:
    settings.set(email_timeout_seconds=0.3)
    brevo.plan.append("hang")
    email_id = await queue(tenant)
    await run_worker_until(settled(email_id, attempts=1), what="timed out attempt")
    m, (attempt,) = await row(email_id), await log_of(email_id)
    assert m.status == "queued" and "Zeitüberschreitung" in attempt.error
    assert m.next_attempt_at == attempt.created_at + sending.BACKOFF[0]


async def test_repeated_idempotency_key_means_already_sent(tenant: Tenant, brevo) -> None:
    """An earlier attempt reached Brevo but its answer was lost: Brevo refuses the key again
    with duplicate_parameter, which we record as sent, and no second mail goes out."""
    email_id = await queue(tenant)
    m = await row(email_id)
    brevo.keys[m.idempotency_key] = "<earlier@smtp-relay.mailin.fr>"
    async with get_sessionmaker()() as session:
        message = await session.get(EmailMessage, email_id)
        message.attempts = 1  # the lost attempt
        await commit(session)
    from app.kit.outbox import enqueue_jobs

    await enqueue_jobs("send_email", "email", [(email_id, 1, None)])
    await run_worker_until(settled(email_id, status="sent"), what="send")
    assert brevo.accepted_count() == 0
    (attempt,) = await log_of(email_id)
    assert attempt.outcome == "sent" and "Idempotenzschlüssel" in attempt.error


# --- smtp -------------------------------------------------------------------------------


async def test_smtp_backend(tenant: Tenant, settings) -> None:
    stub = SmtpStub().start()
    try:
        settings.set(email_backend="smtp", smtp_host="127.0.0.1", smtp_port=stub.port, smtp_starttls=False)
        email_id = await queue(tenant)
        await run_worker_until(settled(email_id, status="sent"), what="smtp send")
        (mail,) = stub.messages
        assert mail["Subject"] == "Ihre Rechnung RE-2026-0001"
        assert mail["Message-ID"] == (await row(email_id)).provider_message_id
        assert stub.envelopes[0] == (get_settings().email_from, ["einkauf@beispiel-handel.de"])
        assert PORTAL_URL in mail.get_body(("plain",)).get_content()
    finally:
        stub.stop()


async def test_smtp_unreachable_is_retried(tenant: Tenant, settings) -> None:
    from tests.background.helpers import free_port

    settings.set(email_backend="smtp", smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False)
    email_id = await queue(tenant)
    await run_worker_until(settled(email_id, attempts=1), what="attempt")
    m = await row(email_id)
    assert m.status == "queued" and "SMTP-Server nicht erreichbar" in m.last_error


# --- brevo events -----------------------------------------------------------------------


async def test_brevo_event_webhook_updates_delivery_status(tenant: Tenant, client, brevo) -> None:
    first = await queue(tenant)
    second = await queue(tenant, to="falsch@beispiel-handel.de")
    await run_worker_until(settled(first, status="sent"), what="sent")
    await run_worker_until(settled(second, status="sent"), what="sent")
    m1, m2 = await row(first), await row(second)
    token = get_settings().brevo_webhook_token
    url = "/api/brevo/events"

    delivered = {"event": "delivered", "email": m1.to_address, "message-id": m1.provider_message_id, "ts_event": 1_800_000_000}
    assert (await client.post(url, json=delivered)).status_code == 401
    assert (await client.post(url + "?token=falsch", json=delivered)).status_code == 401
    r = await client.post(url + f"?token={token}", json=delivered)
    assert r.status_code == 200 and r.json() == {"matched": 1, "ignored": 0}

    # A late soft bounce must not undo "delivered"; matched through our custom header.
    late = {"event": "soft_bounce", "X-Mailin-custom": f"rw:{m1.idempotency_key}", "ts_event": 1_799_999_990}
    bounce = {"event": "hard_bounce", "X-Mailin-custom": f"rw:{m2.idempotency_key}", "reason": "550 5.1.1 user unknown",
              "ts_event": 1_800_000_001}
    unknown = {"event": "delivered", "message-id": "<unbekannt@mailin.fr>"}
    r = await client.post(url, json=[late, bounce, unknown], headers={"X-Brevo-Token": token})
    assert r.status_code == 200 and r.json() == {"matched": 2, "ignored": 1}
    basic = base64.b64encode(f"brevo:{token}".encode()).decode()
    r = await client.post(url, json={"event": "opened", "message-id": m1.provider_message_id}, headers={"Authorization": f"Basic {basic}"})
    assert r.json()["matched"] == 1

    one = (await tenant.get(f"/api/emails/{first}")).json()
    assert one["delivery_status"] == "opened" and one["delivery_status_label"] == "geöffnet"
    two = (await tenant.get(f"/api/emails/{second}")).json()
    assert two["delivery_status"] == "hard_bounce" and two["delivery_status_label"] == "unzustellbar"
    assert "user unknown" in two["delivery_detail"]
    notes = await scalars(select(Notification).where(Notification.organization_id == tenant.organization_id))
    assert [n.kind for n in notes] == ["email_undeliverable"] and "falsch@beispiel-handel.de" in notes[0].title

    assert (await client.post(url + f"?token={token}", content=b"{kaputt")).status_code == 422


# --- API ----------------------------------------------------------------------------------


async def test_email_api_is_tenant_scoped_and_filters_by_invoice(tenant: Tenant, other_tenant: Tenant) -> None:
    invoice = await tenant.finalized_invoice()
    a = await queue(tenant, invoice_id=invoice["id"])
    b = await queue(tenant)
    theirs = await queue(other_tenant)
    assert (await other_tenant.get(f"/api/emails/{a}")).status_code == 404
    assert (await tenant.get(f"/api/emails/{theirs}")).status_code == 404
    listing = (await tenant.get("/api/emails")).json()
    assert [e["id"] for e in listing["items"]] == [b, a] and listing["total"] == 2
    by_invoice = (await tenant.get(f"/api/emails?invoice_id={invoice['id']}")).json()
    assert [e["id"] for e in by_invoice["items"]] == [a]
    assert (await tenant.get("/api/emails?status=bogus")).status_code == 422
    queued = (await tenant.get(f"/api/emails/{a}")).json()
    assert queued["status"] == "queued" and queued["attempts"] == 0 and queued["status_label"] == "in der Warteschlange"


# --- templates ----------------------------------------------------------------------------


async def test_invoice_email_template_is_german_with_portal_link(tenant: Tenant, client) -> None:
    r = await client.post(
        "/api/organization/logo", files={"file": ("logo.png", tiny_png(), "image/png")}, headers=tenant.headers
    )
    assert r.status_code == 200, r.text
    async with get_sessionmaker()() as session:
        org = await session.get(Organization, tenant.organization_id)
        subject, text, html = render_invoice_email(
            org, "RE-2026-0042", Decimal("1243.5"), date(2026, 12, 15), PORTAL_URL, "Vielen Dank!\n<script>alert(1)</script>"
        )
    assert subject == f"Rechnung RE-2026-0042 von {org.name}"
    for body in (text, html):
        assert PORTAL_URL in body
        assert "1.243,50 €" in body
        assert "15.12.2026" in body
        assert "Guten Tag" in body and "Mit freundlichen Grüßen" in body
        assert org.name in body
    assert "herunterladen" in text and "Vielen Dank!" in text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'href="{PORTAL_URL}"' in html and "Rechnung ansehen" in html
    assert 'lang="de"' in html

    # The logo: a signed public URL that mail clients can fetch, nothing without the signature.
    logo_url = html.split('<img src="', 1)[1].split('"', 1)[0]
    path = logo_url.removeprefix(get_settings().api_base_url)
    got = await client.get(path)
    assert got.status_code == 200 and got.content == tiny_png() and got.headers["content-type"] == "image/png"
    assert (await client.get(path[:-4] + "0000")).status_code == 404

    _, text2, html2 = render_invoice_email(org, "RE-2", Decimal("10"), None, PORTAL_URL, None)
    assert "zahlbar sofort" in text2 and "Nachricht von" not in html2


async def test_emails_of_one_transaction_share_a_job_and_rollback_leaves_none(tenant: Tenant) -> None:
    from arq.constants import job_key_prefix

    from app.db import rollback
    from app.kit.outbox import job_id
    from app.tasks.queue import get_pool

    pool = await get_pool()
    async with get_sessionmaker()() as session:
        base = {"organization_id": tenant.organization_id, "subject": "Test", "text_body": "x", "html_body": "<p>x</p>"}
        dropped = await queue_email(session, to="weg@beispiel.de", **base)
        dropped_id = dropped.id
        await rollback(session)
        ids = [(await queue_email(session, to=f"kunde{i}@beispiel.de", **base)).id for i in range(3)]
        await commit(session)
    assert await pool.exists(job_key_prefix + job_id("email-group", ids[0], 0))
    # The rolled-back message left no row, and its job was never sent.
    # (By address, not id: SQLite hands a rolled-back id out again.)
    assert await scalars(select(EmailMessage).where(EmailMessage.to_address == "weg@beispiel.de")) == []
    assert not await pool.exists(job_key_prefix + job_id("email", dropped_id, 0))

    async def all_sent() -> bool:
        return all([(await row(i)).status == "sent" for i in ids])

    await run_worker_until(all_sent, what="group send")
