"""Share links from the seller's side: create, reuse, regenerate, extend, revoke, tenancy."""

from datetime import datetime, timedelta

from app.config import get_settings
from app.kit.timeutil import utcnow
from tests.fixtures.factories import register_tenant
from tests.portal.conftest import share, shared_invoice


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_create_returns_url_token_expiry(tenant):
    invoice = await tenant.finalized_invoice()
    r = await tenant.post(f"/api/invoices/{invoice['id']}/share-link")
    assert r.status_code == 201, r.text
    link = r.json()
    assert len(link["token"]) == 36
    assert link["url"] == f"{get_settings().public_base_url}/portal/{link['token']}"
    expected = utcnow() + timedelta(days=30)
    assert abs((_at(link["expires_at"]) - expected).total_seconds()) < 120
    assert link["access_count"] == 0 and link["last_accessed_at"] is None and link["is_expired"] is False


async def test_no_link_yet_is_null_and_unknown_invoice_404(tenant):
    invoice = await tenant.finalized_invoice()
    r = await tenant.get(f"/api/invoices/{invoice['id']}/share-link")
    assert r.status_code == 200 and r.json() is None
    assert (await tenant.get("/api/invoices/999999999/share-link")).status_code == 404


async def test_sharing_again_returns_the_same_link(tenant):
    invoice, first = await shared_invoice(tenant)
    r = await tenant.post(f"/api/invoices/{invoice['id']}/share-link", {})
    assert r.status_code == 200
    assert r.json()["token"] == first["token"]
    # Sending it again must not break the link the customer already has.
    assert (await tenant.client.get(f"/api/portal/{first['token']}")).status_code == 200


async def test_expires_in_days_on_create_and_on_existing_link(tenant):
    invoice = await tenant.finalized_invoice()
    link = await share(tenant, invoice["id"], expires_in_days=3)
    assert abs((_at(link["expires_at"]) - (utcnow() + timedelta(days=3))).total_seconds()) < 120
    again = await share(tenant, invoice["id"], expires_in_days=60)
    assert again["token"] == link["token"]
    assert abs((_at(again["expires_at"]) - (utcnow() + timedelta(days=60))).total_seconds()) < 120


async def test_expires_in_days_bounds_name_the_field(tenant):
    invoice = await tenant.finalized_invoice()
    for days in (0, -1, 366, "bald"):
        r = await tenant.post(f"/api/invoices/{invoice['id']}/share-link", {"expires_in_days": days})
        assert r.status_code == 422, (days, r.text)
        assert r.json()["errors"][0]["field"] == "expires_in_days"
    r = await tenant.post(f"/api/invoices/{invoice['id']}/share-link", {"token": "mine"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "token"


async def test_regenerate_revokes_the_old_token(tenant):
    invoice, old = await shared_invoice(tenant)
    r = await tenant.post(f"/api/invoices/{invoice['id']}/share-link", {"regenerate": True})
    assert r.status_code == 201
    new = r.json()
    assert new["token"] != old["token"]
    gone = await tenant.client.get(f"/api/portal/{old['token']}")
    assert gone.status_code == 404 and gone.json()["code"] == "link_not_found"
    assert (await tenant.client.get(f"/api/portal/{new['token']}")).status_code == 200
    current = await tenant.get(f"/api/invoices/{invoice['id']}/share-link")
    assert current.json()["token"] == new["token"]


async def test_draft_cannot_be_shared(tenant):
    draft = await tenant.invoice()
    r = await tenant.post(f"/api/invoices/{draft['id']}/share-link")
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "invoice_not_finalized"
    assert "festgeschrieben" in body["detail"]


async def test_get_shows_counter_and_delete_revokes(tenant):
    invoice, link = await shared_invoice(tenant)
    for _ in range(2):
        assert (await tenant.client.get(f"/api/portal/{link['token']}")).status_code == 200
    current = (await tenant.get(f"/api/invoices/{invoice['id']}/share-link")).json()
    assert current["access_count"] == 2
    assert current["last_accessed_at"] is not None

    r = await tenant.delete(f"/api/invoices/{invoice['id']}/share-link")
    assert r.status_code == 204
    assert (await tenant.client.get(f"/api/portal/{link['token']}")).status_code == 404
    r = await tenant.get(f"/api/invoices/{invoice['id']}/share-link")
    assert r.status_code == 200 and r.json() is None  # the invoice exists, its link does not
    # Deleting again is harmless; sharing again makes a new link.
    assert (await tenant.delete(f"/api/invoices/{invoice['id']}/share-link")).status_code == 204
    fresh = await share(tenant, invoice["id"])
    assert fresh["token"] != link["token"]


async def test_expired_link_is_replaced_on_share(tenant):
    from tests.portal.test_portal_view import expire

    invoice, link = await shared_invoice(tenant)
    await expire(link["token"])
    current = (await tenant.get(f"/api/invoices/{invoice['id']}/share-link")).json()
    assert current["is_expired"] is True
    r = await tenant.post(f"/api/invoices/{invoice['id']}/share-link")
    assert r.status_code == 201 and r.json()["token"] != link["token"]
    # The customer holding the old link is told it expired, not that it never existed.
    assert (await tenant.client.get(f"/api/portal/{link['token']}")).status_code == 422


async def test_other_organization_gets_404_everywhere(client, tenant):
    invoice, link = await shared_invoice(tenant)
    stranger = await register_tenant(client)
    base = f"/api/invoices/{invoice['id']}"
    assert (await stranger.post(f"{base}/share-link")).status_code == 404
    assert (await stranger.post(f"{base}/share-link", {"regenerate": True})).status_code == 404
    assert (await stranger.get(f"{base}/share-link")).status_code == 404
    assert (await stranger.delete(f"{base}/share-link")).status_code == 404
    assert (await stranger.get(f"{base}/portal-activity")).status_code == 404
    # Nothing the stranger tried changed the owner's link.
    assert (await client.get(f"/api/portal/{link['token']}")).status_code == 200
    assert (await tenant.get(f"{base}/share-link")).json()["token"] == link["token"]


async def test_share_link_endpoints_need_login(client, tenant):
    invoice = await tenant.finalized_invoice()
    assert (await client.post(f"/api/invoices/{invoice['id']}/share-link")).status_code == 401
    assert (await client.get(f"/api/invoices/{invoice['id']}/portal-activity")).status_code == 401


async def test_audit_names_the_link_but_never_the_token(tenant):
    invoice, link = await shared_invoice(tenant)
    await tenant.post(f"/api/invoices/{invoice['id']}/share-link", {"regenerate": True})
    await tenant.delete(f"/api/invoices/{invoice['id']}/share-link")
    audit = (await tenant.get(f"/api/invoices/{invoice['id']}/audit")).json()
    actions = [e["action"] for e in audit]
    assert actions[-3:] == ["share_link_created", "share_link_created", "share_link_revoked"]
    assert link["token"] not in str(audit)


async def test_portal_activity_lists_accesses_newest_first(tenant, client_ip):
    invoice, link = await shared_invoice(tenant)
    headers = {"User-Agent": "Mozilla/5.0 (Test) Kundenbrowser"}
    await tenant.client.get(f"/api/portal/{link['token']}", headers=headers)
    await tenant.client.post(f"/api/portal/{link['token']}/confirm-payment", headers=headers)
    r = await tenant.get(f"/api/invoices/{invoice['id']}/portal-activity")
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == 2
    assert [a["action"] for a in page["items"]] == ["confirm_payment", "view"]
    first = page["items"][-1]
    network = client_ip.rsplit(".", 1)[0] + ".0/24"
    assert first["ip_prefix"] == network
    assert first["user_agent"] == headers["User-Agent"]
