"""The daily run in-process: catch-up, month ends, leap years, limits, drafts, pausing, events."""

from datetime import date
from typing import Any

from sqlalchemy import func, select, update

from app.db import get_sessionmaker
from app.invoices.models import Invoice
from app.recurring.models import RecurringInvoice, RecurringOccurrence
from tests.fixtures.factories import SELLER_DATA, register_tenant
from tests.recurring.conftest import make_template, run


async def generated(tenant: Any, template_id: int) -> list[dict[str, Any]]:
    shown = (await tenant.get(f"/api/recurring/{template_id}")).json()
    return sorted(shown["invoices"], key=lambda i: i["period_start"])


async def notifications(tenant: Any) -> list[dict[str, Any]]:
    return (await tenant.get("/api/notifications?limit=200")).json()["items"]


async def test_generates_a_finalized_invoice_with_notification_and_events(tenant, emitted):
    contact = await tenant.contact(name="Praxis Dr. Weber")
    tpl = await make_template(tenant, contact["id"], name="IT-Betreuung", start_date="2026-11-01",
                              note="Leistungszeitraum {period_start} – {period_end}")
    result = await run(date(2026, 11, 1))
    assert (result.generated, result.finalized, result.drafts, result.failed) == (1, 1, 0, 0)

    [inv] = await generated(tenant, tpl["id"])
    invoice = (await tenant.get(f"/api/invoices/{inv['invoice_id']}")).json()
    assert invoice["status"] in ("open", "overdue") and invoice["number"].startswith("RE-2026-")
    assert (invoice["service_period_start"], invoice["service_period_end"]) == ("2026-11-01", "2026-11-30")
    assert invoice["note"] == "Leistungszeitraum 01.11.2026 – 30.11.2026"
    assert invoice["contact"]["name"] == "Praxis Dr. Weber"

    [note] = [n for n in await notifications(tenant) if n["invoice_id"] == inv["invoice_id"]]
    assert note["kind"] == "recurring.invoice_generated"
    assert note["title"] == f"Serienrechnung {invoice['number']} erstellt"
    assert "IT-Betreuung" in note["body"] and "159,45 €" in note["body"] and "01.11.2026 – 30.11.2026" in note["body"]
    assert note["link"] == f"/invoices/{inv['invoice_id']}"

    mine = [(t, d) for org, t, d in emitted if org == tenant.organization_id]
    assert [t for t, _ in mine] == ["invoice.created", "invoice.finalized", "recurring.invoice_generated"]
    data = mine[-1][1]
    assert data["id"] == inv["invoice_id"] and data["number"] == invoice["number"]
    assert data["recurring_invoice"] == {"id": tpl["id"], "name": "IT-Betreuung"}
    assert data["service_period"] == {"start": "2026-11-01", "end": "2026-11-30"}

    shown = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()
    assert shown["next_due"] == "2026-12-01" and shown["last_generated_at"] is not None


async def test_catch_up_after_ten_missed_days_bills_each_period_once(tenant):
    weekly = await make_template(tenant, name="Wöchentlich", frequency="weekly", start_date="2026-03-01")
    monthly = await make_template(tenant, name="Monatlich", frequency="monthly", start_date="2026-03-10")
    await run(date(2026, 3, 1))
    # No run from 2 to 11 March (ten days), then one on the 12th.
    result = await run(date(2026, 3, 12))
    assert result.generated == 2
    # And the week after: one more weekly period.
    await run(date(2026, 3, 18))

    weekly_invoices = await generated(tenant, weekly["id"])
    assert [(i["period_start"], i["period_end"]) for i in weekly_invoices] == [
        ("2026-03-01", "2026-03-07"),
        ("2026-03-08", "2026-03-14"),
        ("2026-03-15", "2026-03-21"),
    ]
    assert [i["issue_date"] for i in weekly_invoices] == ["2026-03-01", "2026-03-12", "2026-03-18"]
    assert [(i["period_start"], i["period_end"]) for i in await generated(tenant, monthly["id"])] == [
        ("2026-03-10", "2026-04-09"),
    ]
    numbers = [i["number"] for i in weekly_invoices]
    assert len(set(numbers)) == 3


async def test_long_downtime_bills_every_month_end_in_one_run(tenant):
    tpl = await make_template(tenant, start_date="2026-01-31")
    result = await run(date(2026, 6, 30))
    assert result.generated == 6
    assert [(i["period_start"], i["period_end"]) for i in await generated(tenant, tpl["id"])] == [
        ("2026-01-31", "2026-02-27"),
        ("2026-02-28", "2026-03-30"),
        ("2026-03-31", "2026-04-29"),
        ("2026-04-30", "2026-05-30"),
        ("2026-05-31", "2026-06-29"),
        ("2026-06-30", "2026-07-30"),
    ]
    # Gapless numbers in period order, all issued on the run day.
    invoices = await generated(tenant, tpl["id"])
    counters = [int(i["number"].rsplit("-", 1)[1]) for i in invoices]
    assert counters == list(range(counters[0], counters[0] + 6))
    assert (await tenant.get(f"/api/recurring/{tpl['id']}")).json()["next_due"] == "2026-07-31"


async def test_leap_year_template_bills_28_february_and_29_february_again(tenant):
    tpl = await make_template(tenant, frequency="yearly", start_date="2024-02-29")
    await run(date(2025, 2, 28))
    await run(date(2026, 3, 1))
    await run(date(2028, 2, 28))  # the day before this year's period: nothing for 2028 yet
    assert len(await generated(tenant, tpl["id"])) == 4
    await run(date(2028, 2, 29))
    invoices = await generated(tenant, tpl["id"])
    assert [(i["period_start"], i["period_end"]) for i in invoices] == [
        ("2024-02-29", "2025-02-27"),
        ("2025-02-28", "2026-02-27"),
        ("2026-02-28", "2027-02-27"),
        ("2027-02-28", "2028-02-28"),
        ("2028-02-29", "2029-02-27"),
    ]
    # Numbered in the year they were issued.
    assert [i["number"][:7] for i in invoices] == ["RE-2025", "RE-2025", "RE-2026", "RE-2028", "RE-2028"]


async def test_end_date_and_occurrence_limit_finish_the_template(tenant):
    by_date = await make_template(tenant, name="Bis März", start_date="2026-01-15", end_date="2026-03-20")
    by_count = await make_template(tenant, name="Zweimal", frequency="weekly", start_date="2026-01-05", max_occurrences=2)
    await run(date(2026, 6, 1))
    await run(date(2026, 7, 1))
    assert [(i["period_start"], i["period_end"]) for i in await generated(tenant, by_date["id"])] == [
        ("2026-01-15", "2026-02-14"),
        ("2026-02-15", "2026-03-14"),
        ("2026-03-15", "2026-03-20"),  # ends with the contract
    ]
    assert [i["period_start"] for i in await generated(tenant, by_count["id"])] == ["2026-01-05", "2026-01-12"]
    for tpl in (by_date, by_count):
        shown = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()
        assert shown["status"] == "finished" and shown["is_active"] is False
        assert shown["next_due"] is None and shown["finished_at"] is not None
        r = await tenant.post(f"/api/recurring/{tpl['id']}/resume")
        assert r.status_code == 409


async def test_finalize_failure_leaves_a_draft_and_tells_the_seller(client):
    no_iban = {k: v for k, v in SELLER_DATA.items() if k not in ("iban", "bic", "bank_name")}
    tenant = await register_tenant(client, seller_data=False)
    assert (await tenant.patch("/api/organization", no_iban)).status_code == 200
    tpl = await make_template(tenant, name="Wartung", start_date="2026-01-01")

    result = await run(date(2026, 1, 1))
    assert (result.generated, result.finalized, result.drafts) == (1, 0, 1)
    [inv] = await generated(tenant, tpl["id"])
    assert inv["status"] == "draft" and inv["number"] is None
    assert "IBAN" in inv["error"]
    [note] = [n for n in await notifications(tenant) if n["invoice_id"] == inv["invoice_id"]]
    assert note["kind"] == "recurring.finalize_failed"
    assert "IBAN" in note["body"] and "Entwurf" in note["body"]

    # The series goes on; once the IBAN is there, the next period is finalized and the
    # draft can be finalized by hand (its number was not used up by the failed attempt).
    assert (await tenant.patch("/api/organization", {"iban": SELLER_DATA["iban"]})).status_code == 200
    await run(date(2026, 2, 1))
    invoices = await generated(tenant, tpl["id"])
    assert [i["status"] for i in invoices][0] == "draft"
    assert invoices[1]["number"] == "RE-2026-0001"
    r = await tenant.post(f"/api/invoices/{inv['invoice_id']}/finalize")
    assert r.status_code == 200 and r.json()["number"] == "RE-2026-0002"


async def test_auto_finalize_off_leaves_drafts(tenant):
    tpl = await make_template(tenant, start_date="2026-01-01", auto_finalize=False)
    result = await run(date(2026, 1, 1))
    assert (result.generated, result.drafts) == (1, 1)
    [inv] = await generated(tenant, tpl["id"])
    assert inv["status"] == "draft" and inv["error"] is None
    [note] = [n for n in await notifications(tenant) if n["invoice_id"] == inv["invoice_id"]]
    assert note["title"] == "Serienrechnung als Entwurf erstellt" and "festschreiben" in note["body"]


async def test_a_template_that_cannot_be_billed_is_paused_with_the_reason(tenant):
    exempt = [{"description": "Kurs", "quantity": "1", "unit_price": "50", "vat_category": "E", "vat_rate": "0"}]
    good = await make_template(tenant, name="Geht", start_date="2026-01-01", lines=exempt)
    bad = await make_template(tenant, name="Geht nicht", start_date="2026-01-01")
    # The seller becomes a Kleinunternehmer: the 19 % lines of "bad" are no longer allowed.
    assert (await tenant.patch("/api/organization", {"small_business": True})).status_code == 200
    result = await run(date(2026, 1, 1))
    assert (result.generated, result.paused, result.failed) == (1, 1, 0)
    shown = (await tenant.get(f"/api/recurring/{bad['id']}")).json()
    assert shown["status"] == "paused" and "§ 19" in shown["last_error"]
    assert shown["invoices"] == []
    [note] = [n for n in await notifications(tenant) if n["kind"] == "recurring.paused"]
    assert "Geht nicht" in note["title"] and note["link"] == f"/recurring/{bad['id']}"
    assert len(await generated(tenant, good["id"])) == 1


async def test_unique_occurrence_stops_a_second_invoice_even_if_the_template_is_rewound(tenant, other_tenant):
    rewound = await make_template(tenant, name="Zurückgedreht", start_date="2026-01-01")
    bystander = await make_template(other_tenant, name="Unbeteiligt", start_date="2026-01-01")
    await run(date(2026, 1, 1))
    maker = get_sessionmaker()
    async with maker() as s:
        # Simulate a broken state: the template forgets that January was billed.
        await s.execute(
            update(RecurringInvoice).where(RecurringInvoice.id == rewound["id"])
            .values(next_index=0, next_due=date(2026, 1, 1), occurrences_count=0)
        )
        await s.commit()
    result = await run(date(2026, 2, 1))
    # The batch fails on the unique constraint, is retried template by template: the
    # bystander is billed, the rewound template fails loudly and bills nothing twice.
    assert result.failed == 1 and result.failed_template_ids == [rewound["id"]]
    assert result.generated == 1
    async with maker() as s:
        per_period = (await s.execute(
            select(RecurringOccurrence.period_start, func.count())
            .where(RecurringOccurrence.recurring_invoice_id == rewound["id"])
            .group_by(RecurringOccurrence.period_start)
        )).all()
        invoice_count = await s.scalar(
            select(func.count()).select_from(Invoice).where(Invoice.organization_id == tenant.organization_id)
        )
    assert per_period == [(date(2026, 1, 1), 1)]
    assert invoice_count == 1
    assert [i["period_start"] for i in await generated(other_tenant, bystander["id"])] == ["2026-01-01", "2026-02-01"]


async def test_webhook_endpoints_get_a_delivery_per_generated_invoice(tenant):
    import json

    from app.webhooks.models import WebhookDelivery, WebhookEvent

    r = await tenant.post("/api/webhooks", {"url": "https://93.184.215.14/hook", "events": ["recurring.invoice_generated"]})
    assert r.status_code == 201, r.text
    tpl = await make_template(tenant, frequency="weekly", start_date="2026-06-01")
    assert (await run(date(2026, 6, 8))).generated == 2
    async with get_sessionmaker()() as s:
        rows = (await s.execute(
            select(WebhookDelivery.event_type, WebhookEvent.payload)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.organization_id == tenant.organization_id)
            .order_by(WebhookDelivery.id)
        )).all()
    assert [t for t, _ in rows] == ["recurring.invoice_generated"] * 2
    payloads = [json.loads(p) for _, p in rows]
    assert all(p["type"] == "recurring.invoice_generated" for p in payloads)
    data = [p["data"] for p in payloads]
    assert [d["service_period"]["start"] for d in data] == ["2026-06-01", "2026-06-08"]
    assert all(d["recurring_invoice"]["id"] == tpl["id"] and d["number"] for d in data)
