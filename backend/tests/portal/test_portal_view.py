"""GET /api/portal/{token}: what the customer sees, and what nobody else sees."""

import asyncio
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from app.db import get_engine, get_sessionmaker
from app.kit.timeutil import today_berlin, utcnow
from app.portal.models import InvoiceShareLink, PortalAccess
from app.portal.schemas import PortalInvoice
from tests.fixtures.factories import SELLER_DATA, register_tenant
from tests.portal.conftest import archive, share, shared_invoice


async def expire(token: str) -> None:
    async with get_sessionmaker()() as s:
        await s.execute(
            update(InvoiceShareLink).where(InvoiceShareLink.token == token).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await s.commit()


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.smoke
async def test_portal_shows_the_invoice(client, tenant):
    contact = await tenant.contact(name="Beispiel Handels GmbH", vat_id="DE811907980", customer_number="K-1001")
    invoice, link = await shared_invoice(tenant, contact_id=contact["id"], buyer_reference="04011000-12345-67")
    r = await client.get(f"/api/portal/{link['token']}")
    assert r.status_code == 200, r.text
    body = r.json()
    PortalInvoice.model_validate(body)  # the documented schema is what we send

    assert body["number"] == invoice["number"] and body["title"] == "Rechnung" and body["type_code"] == "380"
    assert body["status"] == "open" and body["payment_status"] == "unpaid"
    assert body["paid_on"] is None and body["payment_confirmed_by"] is None
    assert body["issue_date"] == invoice["issue_date"] and body["due_date"] == invoice["due_date"]
    assert body["buyer_reference"] == "04011000-12345-67"
    assert [line["description"] for line in body["lines"]] == ["Beratung", "Fachbuch"]
    assert body["lines"][0]["unit_label"] == "Std." and body["lines"][0]["net_amount"] == "1000.00"
    totals = body["totals"]
    assert (totals["net_total"], totals["vat_total"], totals["gross_total"], totals["paid_amount"], totals["amount_due"]) == (
        "1050.00", "193.50", "1243.50", "0.00", "1243.50",
    )
    assert [(g["vat_category"], g["vat_rate"], g["taxable_amount"], g["tax_amount"]) for g in totals["vat_breakdown"]] == [
        ("S", "19", "1000.00", "190.00"),
        ("S", "7", "50.00", "3.50"),
    ]
    assert body["legal_notes"] == []

    seller = body["seller"]
    assert seller["name"].startswith("Muster") and seller["vat_id"] == SELLER_DATA["vat_id"]
    assert seller["tax_number"] == SELLER_DATA["tax_number"] and seller["email"] == SELLER_DATA["email"]
    assert seller["street"] == SELLER_DATA["street"] and seller["has_logo"] is False and seller["logo_url"] is None
    assert body["buyer"] == {
        "name": "Beispiel Handels GmbH", "street": "Marktplatz 5", "postal_code": "80331", "city": "München",
        "country_code": "DE", "vat_id": "DE811907980", "contact_name": None, "buyer_reference": "04011000-12345-67",
        "customer_number": "K-1001",
    }

    payment = body["payment"]
    assert payment["iban"] == SELLER_DATA["iban"] and payment["bic"] == SELLER_DATA["bic"]
    assert payment["account_holder"] == seller["name"] and payment["bank_name"] == SELLER_DATA["bank_name"]
    assert payment["amount_due"] == "1243.50" and payment["remittance_text"] == invoice["number"]
    assert body["can_confirm_payment"] is True
    assert payment["girocode"]["payload"] == "\n".join(
        ["BCD", "002", "1", "SCT", "COBADEFFXXX", seller["name"], SELLER_DATA["iban"], "EUR1243.50", "", "", invoice["number"]]
    )
    assert payment["girocode"]["image"].startswith("data:image/svg+xml")

    base = f"/api/portal/{link['token']}"
    assert body["downloads"] == {
        "pdf": f"{base}/download-pdf", "xml_ubl": f"{base}/download-xml?syntax=ubl", "xml_cii": f"{base}/download-xml?syntax=cii",
    }
    assert body["confirm_payment_url"] == f"{base}/confirm-payment"
    assert datetime.fromisoformat(body["link_expires_at"]) == datetime.fromisoformat(link["expires_at"])


async def test_small_business_shows_the_legal_note(client):
    tenant = await register_tenant(client, small_business=True, vat_id=None)
    contact = await tenant.contact()
    line = {"description": "Gartenpflege", "quantity": "3", "unit_code": "HUR", "unit_price": "40.00"}
    invoice = await tenant.finalized_invoice(contact_id=contact["id"], lines=[line])
    link = await share(tenant, invoice["id"])
    body = (await client.get(f"/api/portal/{link['token']}")).json()
    assert body["seller"]["small_business"] is True
    assert body["totals"]["vat_total"] == "0.00" and body["totals"]["gross_total"] == "120.00"
    assert any("19 UStG" in note for note in body["legal_notes"])
    assert body["totals"]["vat_breakdown"][0]["vat_category"] == "E"


async def test_no_internal_ids_and_nothing_of_other_invoices(client, tenant):
    other_contact = await tenant.contact(name="Geheimkunde AG", email="chef@geheimkunde.de")
    other = await tenant.finalized_invoice(contact_id=other_contact["id"])
    await share(tenant, other["id"])
    invoice, link = await shared_invoice(tenant)
    stranger = await register_tenant(client)
    foreign = await stranger.finalized_invoice()

    r = await client.get(f"/api/portal/{link['token']}")
    text = r.text
    assert r.json()["number"] == invoice["number"]
    for leaked in (other["number"], "Geheimkunde", "geheimkunde.de"):
        assert leaked not in text
    assert foreign["number"] not in text or foreign["number"] == invoice["number"]  # numbers restart per org
    keys = _keys(r.json())
    assert not {k for k in keys if k == "id" or k.endswith("_id") and k != "vat_id"}, keys
    # The buyer's own contact details other than the invoice address stay private too.
    assert "email" not in r.json()["buyer"]
    assert "logo_path" not in text and "invoices/" not in text


async def test_unknown_and_malformed_tokens_are_404(client):
    r = await client.get(f"/api/portal/{uuid.uuid4()}")
    assert r.status_code == 404
    assert r.json() == {
        "detail": "Dieser Link ist ungültig oder wurde zurückgezogen. Bitte wenden Sie sich an den Rechnungssteller.",
        "code": "link_not_found",
        "errors": [],
    }
    for bad in ("abc", "1" * 36, str(uuid.uuid1()), "../../etc/passwd"):
        r = await client.get(f"/api/portal/{bad}")
        assert r.status_code == 404, bad
        assert r.json()["code"] in ("link_not_found", "http_404")


async def test_malformed_token_costs_no_database_query(client, tenant):
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engines = [get_engine().sync_engine]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", _count)
    try:
        r = await client.get("/api/portal/not-a-token-at-all-not-a-token-xxxxx")
        r2 = await client.post("/api/portal/zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz/confirm-payment")
        assert statements == []
        # The same listeners do see the query for a well-formed token (the test can fail).
        await client.get(f"/api/portal/{uuid.uuid4()}")
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", _count)
    assert r.status_code == 404 and r2.status_code == 404
    assert statements


async def test_uppercase_token_still_opens(client, tenant):
    _, link = await shared_invoice(tenant)
    assert (await client.get(f"/api/portal/{link['token'].upper()}")).status_code == 200


async def test_expired_link_is_422_everywhere(client, tenant):
    _, link = await shared_invoice(tenant)
    await expire(link["token"])
    base = f"/api/portal/{link['token']}"
    for method, url in (
        ("GET", base), ("GET", f"{base}/download-pdf"), ("GET", f"{base}/download-xml"), ("POST", f"{base}/confirm-payment"),
        ("GET", f"{base}/logo"),
    ):
        r = await client.request(method, url)
        assert r.status_code == 422, url
        body = r.json()
        assert body["code"] == "link_expired" and body["errors"] == []
        assert body["detail"].startswith("Dieser Link ist abgelaufen")
        assert "Muster" in body["detail"]  # tells the customer whom to ask


async def test_revoked_link_is_404(client, tenant):
    invoice, link = await shared_invoice(tenant)
    await tenant.delete(f"/api/invoices/{invoice['id']}/share-link")
    r = await client.get(f"/api/portal/{link['token']}")
    assert r.status_code == 404 and r.json()["code"] == "link_not_found"


async def test_first_view_marks_viewed_once(client, tenant, captured_events):
    invoice, link = await shared_invoice(tenant)
    await archive(invoice["id"], invoice["number"])
    assert (await tenant.get(f"/api/invoices/{invoice['id']}")).json()["viewed_at"] is None
    await client.get(f"/api/portal/{link['token']}")
    viewed_at = (await tenant.get(f"/api/invoices/{invoice['id']}")).json()["viewed_at"]
    assert viewed_at is not None
    await client.get(f"/api/portal/{link['token']}")
    assert (await client.get(f"/api/portal/{link['token']}/download-xml")).status_code == 200  # no view
    assert (await tenant.get(f"/api/invoices/{invoice['id']}")).json()["viewed_at"] == viewed_at
    viewed = [e for e in captured_events if e[1] == "invoice.viewed"]
    assert len(viewed) == 1
    org_id, _, data = viewed[0]
    assert org_id == tenant.organization_id and data["number"] == invoice["number"] and data["viewed_at"]
    audit = [e["action"] for e in (await tenant.get(f"/api/invoices/{invoice['id']}/audit")).json()]
    assert audit.count("viewed") == 1


async def test_concurrent_views_count_exactly(client, tenant, captured_events):
    invoice, link = await shared_invoice(tenant)
    n = 10  # the most one token may have in a minute
    answers = await asyncio.gather(*(client.get(f"/api/portal/{link['token']}") for _ in range(n)))
    assert [a.status_code for a in answers] == [200] * n
    current = (await tenant.get(f"/api/invoices/{invoice['id']}/share-link")).json()
    assert current["access_count"] == n
    async with get_sessionmaker()() as s:
        logged = await s.scalar(select(func.count()).select_from(PortalAccess).where(PortalAccess.invoice_id == invoice["id"]))
    assert logged == n
    assert len([e for e in captured_events if e[1] == "invoice.viewed" and e[2]["number"] == invoice["number"]]) == 1


async def test_overdue_paid_and_cancelled_states(client, tenant):
    past = today_berlin() - timedelta(days=40)
    invoice, link = await shared_invoice(tenant, issue_date=past.isoformat(), due_date=(past + timedelta(days=14)).isoformat())
    body = (await client.get(f"/api/portal/{link['token']}")).json()
    assert body["status"] == "overdue" and body["can_confirm_payment"] is True
    assert body["payment"]["girocode"] is not None

    await tenant.post(f"/api/invoices/{invoice['id']}/mark-paid", {"paid_on": today_berlin().isoformat()})
    body = (await client.get(f"/api/portal/{link['token']}")).json()
    assert body["status"] == "paid" and body["payment_status"] == "paid"
    assert body["paid_on"] == today_berlin().isoformat() and body["payment_confirmed_by"] == "seller"
    # No GiroCode once paid: a paid invoice must not invite a second transfer.
    assert body["payment"]["girocode"] is None and body["can_confirm_payment"] is False
    # The document itself still says what was invoiced.
    assert body["totals"]["amount_due"] == "1243.50"

    other, other_link = await shared_invoice(tenant)
    assert (await tenant.post(f"/api/invoices/{other['id']}/cancel")).status_code == 200
    body = (await client.get(f"/api/portal/{other_link['token']}")).json()
    assert body["status"] == "cancelled" and body["payment"]["girocode"] is None
    assert body["can_confirm_payment"] is False


async def test_credit_note_has_no_payment_to_make(client, tenant):
    original = await tenant.finalized_invoice()
    credit = await tenant.finalized_invoice(type_code="381", preceding_invoice_id=original["id"])
    link = await share(tenant, credit["id"])
    body = (await client.get(f"/api/portal/{link['token']}")).json()
    assert body["title"] == "Gutschrift"
    assert body["payment"] is None and body["can_confirm_payment"] is False
    r = await client.post(f"/api/portal/{link['token']}/confirm-payment")
    assert r.status_code == 409


async def test_portal_needs_no_login_and_ignores_one(client, tenant, other_tenant):
    _, link = await shared_invoice(tenant)
    # A signed-in user of another organization holding the link sees exactly what anyone sees.
    r = await client.get(f"/api/portal/{link['token']}", headers=other_tenant.headers)
    assert r.status_code == 200
    assert json.loads(r.text)["seller"]["name"] == (await tenant.get("/api/organization")).json()["name"]
