"""The main flow end to end through the API. `make test` runs this file on SQLite too."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.smoke


async def test_health(client):
    r = await client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["db"] == "ok" and body["redis"] == "ok"
    assert body["worker"] in ("ok", "down")


async def test_register_login_me(client):
    r = await client.post(
        "/api/auth/register",
        json={"email": "Flow@Muster-GmbH.de", "password": "sehr-geheim-123", "full_name": "Flow", "organization_name": "Flow GmbH"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["token_type"] == "bearer"
    r = await client.post("/api/auth/login", json={"email": "flow@muster-gmbh.de", "password": "sehr-geheim-123"})
    assert r.status_code == 200
    token = r.json()["access_token"]
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["organization_name"] == "Flow GmbH"
    assert me.json()["role"] == "owner"
    bad = await client.post("/api/auth/login", json={"email": "flow@muster-gmbh.de", "password": "falsch-falsch"})
    assert bad.status_code == 401
    assert bad.json()["code"] == "invalid_credentials"


async def test_main_flow(tenant):
    contact = await tenant.contact()
    inv = await tenant.invoice(contact_id=contact["id"])
    assert inv["status"] == "draft" and inv["number"] is None
    # 10 h x 100.00 @19 % + 2 x 25.00 @7 %
    assert inv["net_total"] == "1050.00"
    assert inv["vat_total"] == "193.50"
    assert inv["gross_total"] == "1243.50"

    r = await tenant.post(f"/api/invoices/{inv['id']}/finalize")
    assert r.status_code == 200, r.text
    fin = r.json()
    assert fin["status"] == "open"
    assert fin["number"].startswith("RE-")

    # Immutable once finalized.
    r = await tenant.patch(f"/api/invoices/{inv['id']}", {"note": "geändert"})
    assert r.status_code == 409

    r = await tenant.post(f"/api/invoices/{inv['id']}/mark-paid", {})
    assert r.status_code == 200
    assert r.json()["status"] == "paid" and r.json()["payment_status"] == "paid"

    listing = await tenant.get("/api/invoices")
    assert listing.status_code == 200
    assert [i["id"] for i in listing.json()["items"]] == [inv["id"]]
    assert Decimal(listing.json()["items"][0]["gross_total"]) == Decimal("1243.50")

    audit = await tenant.get(f"/api/invoices/{inv['id']}/audit")
    assert [e["action"] for e in audit.json()] == ["created", "finalized", "marked_paid"]
