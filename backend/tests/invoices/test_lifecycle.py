from datetime import timedelta

from app.kit.timeutil import today_berlin


async def test_update_draft_recomputes_totals_and_keeps_positions(tenant):
    inv = await tenant.invoice()
    r = await tenant.patch(
        f"/api/invoices/{inv['id']}",
        {"lines": [{"description": "Neu", "quantity": "3", "unit_price": "10", "vat_rate": "7"}], "note": "Hallo"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [l["position"] for l in body["lines"]] == [1]
    assert (body["net_total"], body["vat_total"], body["gross_total"]) == ("30.00", "2.10", "32.10")
    assert body["note"] == "Hallo"
    assert (await tenant.get(f"/api/invoices/{inv['id']}")).json()["gross_total"] == "32.10"


async def test_due_date_follows_payment_days_unless_explicit(tenant):
    today = today_berlin()
    inv = await tenant.invoice(payment_days=30)
    assert inv["due_date"] == (today + timedelta(days=30)).isoformat()
    inv = await tenant.invoice()
    assert inv["due_date"] == (today + timedelta(days=14)).isoformat()  # the organization's default
    explicit = (today + timedelta(days=3)).isoformat()
    inv = await tenant.invoice(due_date=explicit)
    assert inv["due_date"] == explicit
    r = await tenant.patch(f"/api/invoices/{inv['id']}", {"note": "x"})
    assert r.json()["due_date"] == explicit  # other edits keep an explicit due date
    r = await tenant.patch(f"/api/invoices/{inv['id']}", {"payment_days": 7})
    assert r.json()["due_date"] == (today + timedelta(days=7)).isoformat()  # new terms, new due date


async def test_overdue_is_derived_from_the_due_date(tenant):
    past = today_berlin() - timedelta(days=40)
    inv = await tenant.invoice(issue_date=past.isoformat(), payment_days=10)
    fin = (await tenant.post(f"/api/invoices/{inv['id']}/finalize")).json()
    assert fin["status"] == "overdue"
    overdue = (await tenant.get("/api/invoices", params={"status": "overdue"})).json()
    assert [i["id"] for i in overdue["items"]] == [inv["id"]]
    assert (await tenant.get("/api/invoices", params={"status": "open"})).json()["total"] == 0
    stats = (await tenant.get("/api/invoices/stats")).json()
    assert stats["overdue_count"] == 1 and stats["overdue_total"] == fin["gross_total"]


async def test_paid_unpaid_cancel_transitions(tenant):
    inv = await tenant.finalized_invoice()
    url = f"/api/invoices/{inv['id']}"
    assert (await tenant.post(f"{url}/mark-unpaid")).status_code == 409
    r = await tenant.post(f"{url}/mark-paid", {"paid_on": "2026-01-15", "reference": "Kontoauszug 3"})
    assert r.json()["paid_at"] == "2026-01-15" and r.json()["paid_confirmed_by"] == "seller"
    # Paying twice changes nothing (idempotent) and records one event.
    assert (await tenant.post(f"{url}/mark-paid", {})).json()["paid_at"] == "2026-01-15"
    assert (await tenant.post(f"{url}/cancel")).status_code == 409
    r = await tenant.post(f"{url}/mark-unpaid")
    assert r.json()["status"] == "open" and r.json()["paid_at"] is None
    r = await tenant.post(f"{url}/cancel")
    assert r.json()["status"] == "cancelled"
    assert (await tenant.post(f"{url}/mark-paid", {})).status_code == 409
    actions = [e["action"] for e in (await tenant.get(f"{url}/audit")).json()]
    assert actions == ["created", "finalized", "marked_paid", "marked_unpaid", "cancelled"]


async def test_drafts_can_be_deleted_finalized_cannot(tenant):
    draft = await tenant.invoice()
    assert (await tenant.delete(f"/api/invoices/{draft['id']}")).status_code == 204
    assert (await tenant.get(f"/api/invoices/{draft['id']}")).status_code == 404
    fin = await tenant.finalized_invoice()
    assert (await tenant.delete(f"/api/invoices/{fin['id']}")).status_code == 409
    assert (await tenant.post(f"/api/invoices/{draft['id']}/cancel")).status_code == 404


async def test_finalized_invoice_keeps_seller_data_of_its_time(tenant):
    inv = await tenant.finalized_invoice()
    await tenant.patch("/api/organization", {"street": "Neue Straße 1"})
    from app.db import get_sessionmaker
    from app.invoices.models import Invoice

    async with get_sessionmaker()() as s:
        row = await s.get(Invoice, inv["id"])
        assert row.seller_snapshot["street"] == "Hauptstraße 12"
        assert row.buyer_snapshot["name"] == "Beispiel Handels GmbH"


async def test_duplicate_makes_a_new_draft(tenant):
    fin = await tenant.finalized_invoice()
    r = await tenant.post(f"/api/invoices/{fin['id']}/duplicate")
    assert r.status_code == 201
    dup = r.json()
    assert dup["status"] == "draft" and dup["number"] is None
    assert dup["gross_total"] == fin["gross_total"]
    assert [l["description"] for l in dup["lines"]] == [l["description"] for l in fin["lines"]]


async def test_credit_note_needs_a_finalized_original(tenant):
    fin = await tenant.finalized_invoice()
    contact_id = fin["contact_id"]
    line = {"description": "Gutschrift Beratung", "quantity": "1", "unit_price": "100", "vat_rate": "19"}
    r = await tenant.post("/api/invoices", {"contact_id": contact_id, "type_code": "381", "lines": [line]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "preceding_invoice_id"
    r = await tenant.post(
        "/api/invoices", {"contact_id": contact_id, "type_code": "381", "preceding_invoice_id": fin["id"], "lines": [line]}
    )
    assert r.status_code == 201, r.text
    assert r.json()["type_code"] == "381"


async def test_list_filters_and_search(tenant):
    a = await tenant.contact(name="Alpha AG")
    b = await tenant.contact(name="Beta KG")
    ia = await tenant.finalized_invoice(contact_id=a["id"])
    ib = await tenant.invoice(contact_id=b["id"])
    r = (await tenant.get("/api/invoices", params={"q": "alpha"})).json()
    assert [i["id"] for i in r["items"]] == [ia["id"]]
    r = (await tenant.get("/api/invoices", params={"q": ia["number"]})).json()
    assert [i["id"] for i in r["items"]] == [ia["id"]]
    r = (await tenant.get("/api/invoices", params={"status": "draft"})).json()
    assert [i["id"] for i in r["items"]] == [ib["id"]]
    r = (await tenant.get("/api/invoices", params={"contact_id": b["id"]})).json()
    assert r["total"] == 1
    r = (await tenant.get("/api/invoices", params={"limit": 1})).json()
    assert len(r["items"]) == 1 and r["total"] == 2
    assert (await tenant.get("/api/invoices", params={"status": "bogus"})).status_code == 422
