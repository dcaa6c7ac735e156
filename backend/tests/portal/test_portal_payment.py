"""POST /api/portal/{token}/confirm-payment: the customer says "paid", once."""

from datetime import timedelta

from app.kit.timeutil import today_berlin
from tests.portal.conftest import shared_invoice


async def _notifications(tenant) -> list[dict]:
    return (await tenant.get("/api/notifications")).json()["items"]


async def test_confirm_payment_sets_paid_and_tells_the_seller(client, tenant, captured_events):
    invoice, link = await shared_invoice(tenant)
    paid_on = (today_berlin() - timedelta(days=1)).isoformat()
    body = {"paid_on": paid_on, "reference": "Überweisung 4711"}
    r = await client.post(f"/api/portal/{link['token']}/confirm-payment", json=body)
    assert r.status_code == 200, r.text
    answer = r.json()
    # The whole portal view in its new state: the page re-renders without another request.
    assert (answer["status"], answer["payment_status"], answer["paid_on"], answer["payment_confirmed_by"]) == (
        "paid", "paid", paid_on, "customer",
    )
    assert answer["already_paid"] is False and answer["can_confirm_payment"] is False
    assert answer["number"] == invoice["number"] and answer["payment"]["girocode"] is None
    seller_view = (await tenant.get(f"/api/invoices/{invoice['id']}")).json()
    assert seller_view["payment_status"] == "paid" and seller_view["paid_confirmed_by"] == "customer"
    assert seller_view["payment_reference"] == "Überweisung 4711"

    notes = [n for n in await _notifications(tenant) if n["title"] == f"Zahlung bestätigt: {invoice['number']}"]
    assert len(notes) == 1
    assert "1.243,50 €" in notes[0]["body"] and "Überweisung 4711" in notes[0]["body"]

    confirmed = [e for e in captured_events if e[1] == "invoice.payment_confirmed"]
    assert len(confirmed) == 1
    assert confirmed[0][2]["confirmed_by"] == "customer" and confirmed[0][2]["paid_at"] == paid_on

    audit = (await tenant.get(f"/api/invoices/{invoice['id']}/audit")).json()
    entry = [e for e in audit if e["action"] == "payment_confirmed"]
    assert len(entry) == 1 and entry[0]["actor_type"] == "customer"
    link_id = entry[0]["details"]["share_link_id"]
    assert isinstance(link_id, int)  # which link the confirmation came through
    assert link["token"] not in str(audit)


async def test_confirm_payment_is_idempotent(client, tenant, captured_events):
    invoice, link = await shared_invoice(tenant)
    first = await client.post(f"/api/portal/{link['token']}/confirm-payment")
    second = await client.post(f"/api/portal/{link['token']}/confirm-payment", json={"reference": "nochmal"})
    assert first.status_code == second.status_code == 200
    assert first.json()["already_paid"] is False and second.json()["already_paid"] is True
    strip = lambda b: {k: v for k, v in b.items() if k != "already_paid"}  # noqa: E731
    assert strip(first.json()) == strip(second.json())
    assert first.json()["paid_on"] == today_berlin().isoformat()
    assert len([e for e in captured_events if e[1] == "invoice.payment_confirmed"]) == 1
    notes = [n for n in await _notifications(tenant) if invoice["number"] in n["title"]]
    assert len(notes) == 1
    audit = [e["action"] for e in (await tenant.get(f"/api/invoices/{invoice['id']}/audit")).json()]
    assert audit.count("payment_confirmed") == 1
    # The second call did not overwrite the reference either.
    assert (await tenant.get(f"/api/invoices/{invoice['id']}")).json()["payment_reference"] is None


async def test_seller_can_set_it_back_and_customer_confirm_again(client, tenant):
    invoice, link = await shared_invoice(tenant)
    await client.post(f"/api/portal/{link['token']}/confirm-payment")
    r = await tenant.post(f"/api/invoices/{invoice['id']}/mark-unpaid")
    assert r.status_code == 200 and r.json()["payment_status"] == "unpaid" and r.json()["paid_confirmed_by"] is None
    view = (await client.get(f"/api/portal/{link['token']}")).json()
    assert view["payment_status"] == "unpaid" and view["can_confirm_payment"] is True
    again = await client.post(f"/api/portal/{link['token']}/confirm-payment")
    assert again.status_code == 200 and again.json()["already_paid"] is False


async def test_cancelled_invoice_refuses_confirmation(client, tenant, captured_events):
    invoice, link = await shared_invoice(tenant)
    await tenant.post(f"/api/invoices/{invoice['id']}/cancel")
    r = await client.post(f"/api/portal/{link['token']}/confirm-payment")
    assert r.status_code == 409
    assert r.json()["code"] == "invoice_cancelled" and "storniert" in r.json()["detail"]
    assert (await tenant.get(f"/api/invoices/{invoice['id']}")).json()["payment_status"] == "unpaid"
    assert not [e for e in captured_events if e[1] == "invoice.payment_confirmed"]


async def test_seller_paid_first_is_reported_not_overwritten(client, tenant, captured_events):
    invoice, link = await shared_invoice(tenant)
    await tenant.post(f"/api/invoices/{invoice['id']}/mark-paid", {})
    r = await client.post(f"/api/portal/{link['token']}/confirm-payment")
    assert r.status_code == 200
    assert r.json()["already_paid"] is True and r.json()["payment_confirmed_by"] == "seller"
    assert not [e for e in captured_events if e[1] == "invoice.payment_confirmed"]


async def test_bad_input_names_the_field(client, tenant):
    _, link = await shared_invoice(tenant)
    url = f"/api/portal/{link['token']}/confirm-payment"
    future = (today_berlin() + timedelta(days=2)).isoformat()
    cases = [
        ({"paid_on": future}, "paid_on"),
        ({"paid_on": "gestern"}, "paid_on"),
        ({"reference": "x" * 201}, "reference"),
        ({"amount": "1.00"}, "amount"),
    ]
    for body, field in cases:
        r = await client.post(url, json=body)
        assert r.status_code == 422, body
        assert r.json()["errors"][0]["field"] == field, r.json()
    # None of these changed anything.
    assert (await client.get(f"/api/portal/{link['token']}")).json()["payment_status"] == "unpaid"
