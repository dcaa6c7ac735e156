"""auto_send: the generated invoice is e-mailed with its portal link, in the run's transaction,
once; when it cannot be sent, the invoice still exists and the seller is told why."""

from datetime import date
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.config import get_settings
from app.db import get_sessionmaker
from app.email.models import EmailMessage
from app.portal.models import InvoiceShareLink
from tests.background.helpers import run_worker_until
from tests.fixtures.factories import SELLER_DATA, register_tenant
from tests.recurring.conftest import make_template, run

TO = "buchhaltung@praxis-weber.de"


async def emails_for(invoice_id: int) -> list[EmailMessage]:
    async with get_sessionmaker()() as s:
        return list(await s.scalars(select(EmailMessage).where(EmailMessage.invoice_id == invoice_id)))


async def notes(tenant: Any, invoice_id: int) -> list[dict[str, Any]]:
    items = (await tenant.get("/api/notifications?limit=200")).json()["items"]
    return [n for n in items if n["invoice_id"] == invoice_id]


async def test_auto_send_queues_the_email_with_the_portal_link_once(client, tenant, emitted):
    contact = await tenant.contact(name="Praxis Dr. Weber", email=TO)
    tpl = await make_template(tenant, contact["id"], name="IT-Betreuung", start_date="2026-06-01", auto_send=True)
    result = await run(date(2026, 6, 1))
    assert (result.generated, result.sent, result.send_failed) == (1, 1, 0)

    [inv] = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()["invoices"]
    assert inv["number"] and inv["sent_at"] is not None
    [email] = await emails_for(inv["invoice_id"])
    assert (email.to_address, email.kind, email.status) == (TO, "invoice", "queued")
    async with get_sessionmaker()() as s:
        link = await s.scalar(select(InvoiceShareLink).where(InvoiceShareLink.invoice_id == inv["invoice_id"]))
    assert link is not None
    portal_url = f"{get_settings().public_base_url}/portal/{link.token}"
    assert portal_url in email.text_body and portal_url in email.html_body
    assert inv["number"] in email.subject

    [note] = await notes(tenant, inv["invoice_id"])
    assert note["kind"] == "recurring.invoice_generated" and f"Per E-Mail an {TO} versendet" in note["body"]
    mine = [t for org, t, _ in emitted if org == tenant.organization_id]
    assert mine == ["invoice.created", "invoice.finalized", "recurring.invoice_generated", "invoice.sent"]

    # The real worker delivers it (file outbox here), and the link opens this invoice.
    async def delivered() -> bool:
        return (await emails_for(inv["invoice_id"]))[0].status == "sent"

    await run_worker_until(delivered, timeout=120, crons=False, what="the recurring invoice e-mail")
    outbox = get_settings().data_dir / "outbox"
    [path] = [p for p in Path(outbox).iterdir() if p.name.startswith(f"{email.id:07d}-")]
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert mail["To"] == TO and portal_url in mail.get_body(("plain",)).get_content()
    assert (await client.get(f"/api/portal/{link.token}")).json()["number"] == inv["number"]

    # Another run for the same day: no second invoice, no second e-mail.
    assert (await run(date(2026, 6, 1))).generated == 0
    assert len(await emails_for(inv["invoice_id"])) == 1


async def test_a_customer_without_address_gets_the_invoice_but_no_email(tenant):
    # A public authority reached by its Leitweg-ID: a valid e-invoice, but no e-mail address.
    contact = await tenant.contact(name="Stadtverwaltung Musterstadt", email=None, buyer_reference="05315000-12345-67")
    tpl = await make_template(tenant, contact["id"], start_date="2026-06-01", auto_send=True)
    result = await run(date(2026, 6, 1))
    assert (result.generated, result.finalized, result.sent, result.send_failed) == (1, 1, 0, 1)
    [inv] = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()["invoices"]
    assert inv["number"] and inv["sent_at"] is None
    assert await emails_for(inv["invoice_id"]) == []
    [note] = await notes(tenant, inv["invoice_id"])
    assert note["kind"] == "recurring.send_failed"
    assert "keine E-Mail-Adresse" in note["body"] and "Per E-Mail senden" in note["body"]


async def test_a_draft_is_never_sent(client):
    no_iban = {k: v for k, v in SELLER_DATA.items() if k not in ("iban", "bic", "bank_name")}
    tenant = await register_tenant(client, seller_data=False)
    assert (await tenant.patch("/api/organization", no_iban)).status_code == 200
    contact = await tenant.contact(email=TO)
    tpl = await make_template(tenant, contact["id"], start_date="2026-06-01", auto_send=True)
    result = await run(date(2026, 6, 1))
    assert (result.generated, result.drafts, result.sent) == (1, 1, 0)
    [inv] = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()["invoices"]
    assert inv["status"] == "draft" and await emails_for(inv["invoice_id"]) == []
    [note] = await notes(tenant, inv["invoice_id"])
    assert note["kind"] == "recurring.finalize_failed" and "nicht per E-Mail versendet" in note["body"]
    async with get_sessionmaker()() as s:
        assert await s.scalar(select(func.count()).select_from(InvoiceShareLink).where(
            InvoiceShareLink.invoice_id == inv["invoice_id"])) == 0


async def test_a_failure_while_sending_undoes_the_sending_not_the_invoice(tenant, monkeypatch):
    from app.invoices import archive

    async def storage_down(*args: Any, **kwargs: Any) -> Any:
        raise OSError("Speicher nicht erreichbar")

    # Fault injection at the storage edge: the PDF for the attachment cannot be archived.
    monkeypatch.setattr(archive, "ensure_archived", storage_down)
    contact = await tenant.contact(email=TO)
    tpl = await make_template(tenant, contact["id"], start_date="2026-06-01", auto_send=True)
    result = await run(date(2026, 6, 1))
    assert (result.generated, result.finalized, result.sent, result.send_failed, result.failed) == (1, 1, 0, 1, 0)
    [inv] = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()["invoices"]
    assert inv["number"] and inv["sent_at"] is None
    # The share link made before the failure went with the savepoint; no e-mail exists.
    assert await emails_for(inv["invoice_id"]) == []
    async with get_sessionmaker()() as s:
        assert await s.scalar(select(func.count()).select_from(InvoiceShareLink).where(
            InvoiceShareLink.invoice_id == inv["invoice_id"])) == 0
    [note] = await notes(tenant, inv["invoice_id"])
    assert note["kind"] == "recurring.send_failed" and inv["number"] in note["title"]

    # Storage back: the next period is billed and sent as usual.
    monkeypatch.undo()
    result = await run(date(2026, 7, 1))
    assert (result.generated, result.sent) == (1, 1)
