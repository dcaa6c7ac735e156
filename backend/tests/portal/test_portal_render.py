"""The pre-rendered portal answer (app.portal.render): stored with the link when it is made,
byte for byte what the schema would serialize, rendered again when missing or outdated; and
the lean first view (one statement) next to the full one (webhook endpoints)."""

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from app.audit.models import AuditEvent
from app.db import get_engine, get_sessionmaker
from app.invoices.models import Invoice
from app.kit.timeutil import today_berlin, utcnow
from app.portal import render, service
from app.portal.models import InvoiceShareLink, PortalAccess
from app.portal.schemas import PortalInvoice
from tests.portal.conftest import set_invoice, shared_invoice


async def _stored(token: str) -> str | None:
    async with get_sessionmaker()() as s:
        return await s.scalar(select(InvoiceShareLink.portal_render).where(InvoiceShareLink.token == token))


async def _set_render(token: str, value: str | None) -> None:
    async with get_sessionmaker()() as s:
        await s.execute(update(InvoiceShareLink).where(InvoiceShareLink.token == token).values(portal_render=value))
        await s.commit()


async def test_render_is_stored_when_the_link_is_made(tenant):
    _, link = await shared_invoice(tenant)
    stored = await _stored(link["token"])
    assert stored is not None and stored.startswith(render.VERSION)
    assert render.Fragments.loads(stored) is not None


async def test_answer_is_what_the_schema_serializes(client, tenant):
    """Every state: the spliced bytes equal PortalInvoice.model_dump_json of the same answer."""
    invoice, link = await shared_invoice(tenant)
    token = link["token"]
    past = today_berlin() - timedelta(days=40)
    states: list[dict[str, Any]] = [
        {},
        {"due_date": past},
        {"status": "paid", "payment_status": "paid", "paid_at": today_berlin(), "paid_confirmed_by": "customer"},
        {"status": "cancelled"},
    ]
    for values in states:
        if values:
            await set_invoice(invoice["id"], **values)
        r = await client.get(f"/api/portal/{token}")
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        assert r.content == PortalInvoice.model_validate_json(r.content).model_dump_json().encode()
    assert r.json()["status"] == "cancelled" and r.json()["payment"]["girocode"] is None


async def test_missing_or_outdated_render_is_rendered_again(client, tenant):
    _, link = await shared_invoice(tenant)
    token = link["token"]
    first = (await client.get(f"/api/portal/{token}")).json()
    for stale in (None, "portal-render-0\x1e{}"):
        await _set_render(token, stale)
        service._renders.clear()  # this process forgets it too
        again = (await client.get(f"/api/portal/{token}")).json()
        assert again == first
        stored = await _stored(token)
        assert stored is not None and stored.startswith(render.VERSION)


async def test_render_never_leaks_another_links_token(client, tenant):
    invoice, link = await shared_invoice(tenant)
    new = await tenant.post(f"/api/invoices/{invoice['id']}/share-link", {"regenerate": True})
    assert new.status_code == 201
    body = (await client.get(f"/api/portal/{new.json()['token']}")).text
    assert link["token"] not in body and new.json()["token"] in body
    assert (await client.get(f"/api/portal/{link['token']}")).status_code == 404


async def test_lean_first_view_marks_audits_and_counts(client, tenant):
    """No webhook endpoint and no other subscriber: the one-statement first view."""
    from app import events
    from app.webhooks.service import fan_out

    assert events.subscribers() == (fan_out,)
    invoice, link = await shared_invoice(tenant)
    for _ in range(3):
        assert (await client.get(f"/api/portal/{link['token']}")).status_code == 200
    detail = (await tenant.get(f"/api/invoices/{invoice['id']}")).json()
    assert detail["viewed_at"] is not None
    async with get_sessionmaker()() as s:
        audits = (await s.scalars(
            select(AuditEvent).where(AuditEvent.invoice_id == invoice["id"], AuditEvent.action == "viewed")
        )).all()
        logged = await s.scalar(select(func.count()).select_from(PortalAccess).where(PortalAccess.invoice_id == invoice["id"]))
        count = await s.scalar(select(InvoiceShareLink.access_count).where(InvoiceShareLink.token == link["token"]))
    assert len(audits) == 1 and audits[0].actor_type == "customer"
    assert audits[0].details == {"share_link_id": (await _link_id(link["token"]))}
    assert logged == 3 and count == 3


async def _link_id(token: str) -> int:
    async with get_sessionmaker()() as s:
        link_id = await s.scalar(select(InvoiceShareLink.id).where(InvoiceShareLink.token == token))
    assert link_id is not None
    return link_id


async def test_first_view_reaches_a_webhook_endpoint(client, tenant):
    from app.webhooks.models import WebhookDelivery, WebhookEvent

    r = await tenant.post("/api/webhooks", {"url": "https://93.184.215.14/hook", "events": ["invoice.viewed"]})
    assert r.status_code == 201, r.text
    invoice, link = await shared_invoice(tenant)
    for _ in range(2):
        assert (await client.get(f"/api/portal/{link['token']}")).status_code == 200
    async with get_sessionmaker()() as s:
        rows = (await s.execute(
            select(WebhookDelivery.event_type, WebhookEvent.payload)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.organization_id == tenant.organization_id, WebhookDelivery.event_type == "invoice.viewed")
        )).all()
        viewed_at = await s.scalar(select(Invoice.viewed_at).where(Invoice.id == invoice["id"]))
        audits = await s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.invoice_id == invoice["id"], AuditEvent.action == "viewed")
        )
    assert len(rows) == 1 and viewed_at is not None and audits == 1
    data = json.loads(rows[0][1])["data"]
    assert data["number"] == invoice["number"] and data["viewed_at"]


async def test_endpoint_of_another_event_keeps_the_lean_path(client, tenant):
    r = await tenant.post("/api/webhooks", {"url": "https://93.184.215.14/hook", "events": ["invoice.paid"]})
    assert r.status_code == 201, r.text
    invoice, link = await shared_invoice(tenant)
    assert (await client.get(f"/api/portal/{link['token']}")).status_code == 200
    assert (await tenant.get(f"/api/invoices/{invoice['id']}")).json()["viewed_at"] is not None


async def test_access_log_survives_on_the_log_pool(client, tenant):
    """The hot statement's writes (asynchronous commit) are visible to every other session."""
    if get_engine().dialect.name != "postgresql":
        return
    from app.db import get_log_pool

    invoice, link = await shared_invoice(tenant)
    await client.get(f"/api/portal/{link['token']}")
    pool = await get_log_pool()
    assert await pool.fetchval("SHOW synchronous_commit") == "off"
    async with get_sessionmaker()() as s:
        last = await s.scalar(select(InvoiceShareLink.last_accessed_at).where(InvoiceShareLink.token == link["token"]))
    assert last is not None and utcnow() - last < timedelta(minutes=1)
