"""POST /api/invoices/{id}/send-email: share link, queued e-mail through the real worker into
the file outbox, invoice marked sent, event and audit."""

import hashlib
from email import message_from_bytes, policy
from pathlib import Path

from app.config import get_settings
from tests.background.helpers import run_worker_until, scalars
from tests.fixtures.factories import register_tenant
from tests.portal.conftest import shared_invoice
from tests.portal.test_portal_view import expire

TO = "einkauf@beispiel-handel.de"


def _sent(email_id: int):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.email.models import EmailMessage

    async def _check() -> bool:
        (m,) = await scalars(select(EmailMessage).where(EmailMessage.id == email_id))
        return m.status == "sent"

    return _check


def _eml(email_id: int):  # type: ignore[no-untyped-def]
    outbox = get_settings().data_dir / "outbox"
    (path,) = [p for p in Path(outbox).iterdir() if p.name.startswith(f"{email_id:07d}-")]
    return message_from_bytes(path.read_bytes(), policy=policy.default)


async def test_email_reaches_the_outbox_with_the_portal_url_and_the_archived_pdf(client, tenant, captured_events):
    invoice = await tenant.finalized_invoice()
    assert invoice["sent_at"] is None
    r = await tenant.post(f"/api/invoices/{invoice['id']}/send-email", {"to": TO, "message": "Vielen Dank für Ihren Auftrag!"})
    assert r.status_code == 202, r.text
    accepted = r.json()
    assert accepted["status"] == "queued" and isinstance(accepted["email_id"], int)
    link = (await tenant.get(f"/api/invoices/{invoice['id']}/share-link")).json()
    assert accepted["share_url"] == link["url"] == f"{get_settings().public_base_url}/portal/{link['token']}"

    await run_worker_until(_sent(accepted["email_id"]), timeout=120, what="the invoice e-mail")
    mail = _eml(accepted["email_id"])
    assert mail["Subject"] == f"Ihre Rechnung {invoice['number']}"
    assert mail["To"] == TO
    text = mail.get_body(("plain",)).get_content()
    assert accepted["share_url"] in text and "Vielen Dank für Ihren Auftrag!" in text
    assert accepted["share_url"] in mail.get_body(("html",)).get_content()
    (pdf,) = list(mail.iter_attachments())
    assert pdf.get_filename() == f"Rechnung_{invoice['number']}.pdf"
    seller_view = (await tenant.get(f"/api/invoices/{invoice['id']}")).json()
    assert hashlib.sha256(pdf.get_content()).hexdigest() == seller_view["pdf_sha256"]

    # The link in the mail opens the invoice, and the PDF there is the same archived file.
    token = accepted["share_url"].rsplit("/", 1)[1]
    assert (await client.get(f"/api/portal/{token}")).json()["number"] == invoice["number"]
    assert (await client.get(f"/api/portal/{token}/download-pdf")).content == pdf.get_content()

    assert seller_view["sent_at"] is not None
    sent = [e for e in captured_events if e[1] == "invoice.sent"]
    assert len(sent) == 1 and sent[0][2]["email_id"] == accepted["email_id"] and sent[0][2]["number"] == invoice["number"]
    assert link["token"] not in str(sent[0][2])  # the credential stays out of webhook payloads
    status = (await tenant.get(f"/api/emails/{accepted['email_id']}")).json()
    assert status["status"] == "sent" and status["invoice_id"] == invoice["id"]
    audit = [e for e in (await tenant.get(f"/api/invoices/{invoice['id']}/audit")).json() if e["action"] == "sent"]
    assert len(audit) == 1 and audit[0]["details"]["email_id"] == accepted["email_id"]


async def test_sending_reuses_the_shared_link_and_keeps_the_first_sent_at(tenant, captured_events):
    invoice, link = await shared_invoice(tenant)
    first = await tenant.post(f"/api/invoices/{invoice['id']}/send-email", {"to": TO})
    second = await tenant.post(f"/api/invoices/{invoice['id']}/send-email", {"to": "buchhaltung@beispiel-handel.de"})
    assert first.status_code == second.status_code == 202
    assert first.json()["share_url"] == second.json()["share_url"] == link["url"]
    assert first.json()["email_id"] != second.json()["email_id"]
    sent_events = [e for e in captured_events if e[1] == "invoice.sent"]
    assert len(sent_events) == 2
    assert sent_events[0][2]["sent_at"] == sent_events[1][2]["sent_at"]  # first dispatch is kept


async def test_custom_subject_and_no_attachment_when_the_organization_says_so(client):
    tenant = await register_tenant(client, attach_pdf_to_emails=False)
    invoice = await tenant.finalized_invoice()
    r = await tenant.post(f"/api/invoices/{invoice['id']}/send-email", {"to": TO, "subject": "Rechnung für März"})
    assert r.status_code == 202
    await run_worker_until(_sent(r.json()["email_id"]), timeout=120, what="the invoice e-mail")
    mail = _eml(r.json()["email_id"])
    assert mail["Subject"] == "Rechnung für März"
    assert list(mail.iter_attachments()) == []


async def test_bad_input_names_the_field_and_changes_nothing(tenant):
    invoice = await tenant.finalized_invoice()
    url = f"/api/invoices/{invoice['id']}/send-email"
    for body, field in (
        ({"to": "kein-at-zeichen"}, "to"),
        ({"to": "kunde@beispiel.de\nBcc: alle@example.com"}, "to"),
        ({}, "to"),
        ({"to": TO, "subject": "x" * 301}, "subject"),
        ({"to": TO, "cc": "chef@beispiel.de"}, "cc"),
    ):
        r = await tenant.post(url, body)
        assert r.status_code == 422, body
        assert r.json()["errors"][0]["field"] == field, r.json()
    assert (await tenant.get(f"/api/invoices/{invoice['id']}/share-link")).json() is None
    assert (await tenant.get(f"/api/invoices/{invoice['id']}")).json()["sent_at"] is None
    assert (await tenant.get("/api/emails", params={"invoice_id": invoice["id"]})).json()["items"] == []


async def test_draft_and_cancelled_are_not_sent(tenant):
    draft = await tenant.invoice()
    r = await tenant.post(f"/api/invoices/{draft['id']}/send-email", {"to": TO})
    assert r.status_code == 409 and r.json()["code"] == "invoice_not_finalized"
    cancelled = await tenant.finalized_invoice()
    await tenant.post(f"/api/invoices/{cancelled['id']}/cancel")
    r = await tenant.post(f"/api/invoices/{cancelled['id']}/send-email", {"to": TO})
    assert r.status_code == 409 and r.json()["code"] == "invoice_cancelled"


async def test_an_expired_link_is_replaced_for_the_mail(tenant):
    invoice, old = await shared_invoice(tenant)
    await expire(old["token"])
    r = await tenant.post(f"/api/invoices/{invoice['id']}/send-email", {"to": TO})
    assert r.status_code == 202
    assert old["token"] not in r.json()["share_url"]
    assert r.json()["share_url"] == (await tenant.get(f"/api/invoices/{invoice['id']}/share-link")).json()["url"]


async def test_another_organization_cannot_send(tenant, other_tenant):
    invoice = await tenant.finalized_invoice()
    r = await other_tenant.post(f"/api/invoices/{invoice['id']}/send-email", {"to": "dieb@example.com"})
    assert r.status_code == 404
    assert (await tenant.get(f"/api/invoices/{invoice['id']}/share-link")).json() is None

