"""/api/recurring: shapes, validation naming the field, pause/resume, preview, tenant isolation."""

from datetime import date

import pytest

from tests.fixtures.factories import register_tenant
from tests.recurring.conftest import LINES, make_template, run


@pytest.mark.smoke
async def test_create_list_show_and_run_once(tenant):
    contact = await tenant.contact(name="Hausverwaltung Süd GmbH")
    created = await make_template(
        tenant, contact["id"], name="Miete Büro", start_date="2026-01-31", payment_days=10,
        note="Miete für {month} {year}, Leistungszeitraum {period_start} – {period_end}",
    )
    assert created["id"] > 0
    assert created["next_due"] == "2026-01-31"
    assert created["status"] == "active" and created["is_active"] is True
    assert created["auto_finalize"] is True and created["auto_send"] is False
    assert created["frequency"] == "monthly" and created["frequency_label"] == "monatlich"
    assert created["next_period"] == {
        "number": 1, "period_start": "2026-01-31", "period_end": "2026-02-27",
        "note": "Miete für Januar 2026, Leistungszeitraum 31.01.2026 – 27.02.2026",
    }
    # 100 + 2 x 12.50 at 19 %, 10 at 7 %.
    assert (created["net_total"], created["vat_total"], created["gross_total"]) == ("135.00", "24.45", "159.45")
    assert [line["vat_category"] for line in created["lines"]] == ["S", "S", "S"]
    assert created["invoices"] == []

    listing = await tenant.get("/api/recurring")
    assert listing.status_code == 200
    body = listing.json()
    assert body["total"] == 1 and body["items"][0]["id"] == created["id"]
    assert body["items"][0]["next_due"] == "2026-01-31"

    result = await run(date(2026, 2, 28))
    assert result.generated == 2

    shown = (await tenant.get(f"/api/recurring/{created['id']}")).json()
    assert shown["next_due"] == "2026-03-31"
    assert shown["occurrences_count"] == 2
    assert [(i["period_start"], i["period_end"]) for i in shown["invoices"]] == [
        ("2026-02-28", "2026-03-30"),
        ("2026-01-31", "2026-02-27"),
    ]
    assert all(i["number"] and i["status"] in ("open", "overdue") for i in shown["invoices"])

    invoice = (await tenant.get(f"/api/invoices/{shown['invoices'][1]['invoice_id']}")).json()
    assert invoice["status"] in ("open", "overdue") and invoice["number"] == shown["invoices"][1]["number"]
    assert invoice["issue_date"] == "2026-02-28"
    assert invoice["due_date"] == "2026-03-10"
    assert (invoice["service_period_start"], invoice["service_period_end"]) == ("2026-01-31", "2026-02-27")
    assert invoice["note"] == "Miete für Januar 2026, Leistungszeitraum 31.01.2026 – 27.02.2026"
    assert invoice["gross_total"] == "159.45"
    assert [line["description"] for line in invoice["lines"]] == [line["description"] for line in LINES]

    # A second run for the same day produces nothing new.
    again = await run(date(2026, 2, 28))
    assert again.generated == 0
    assert (await tenant.get(f"/api/recurring/{created['id']}")).json()["occurrences_count"] == 2


async def test_list_is_paginated_ordered_by_next_due_and_filterable(tenant):
    contact = await tenant.contact()
    late = await make_template(tenant, contact["id"], name="Spät", start_date="2026-09-01")
    early = await make_template(tenant, contact["id"], name="Früh", start_date="2026-03-01")
    paused = await make_template(tenant, contact["id"], name="Ruht", start_date="2026-01-01", is_active=False)
    page = (await tenant.get("/api/recurring?limit=2")).json()
    assert page["total"] == 3 and page["limit"] == 2
    assert [i["id"] for i in page["items"]] == [paused["id"], early["id"]]
    rest = (await tenant.get("/api/recurring?limit=2&offset=2")).json()
    assert [i["id"] for i in rest["items"]] == [late["id"]]
    only_paused = (await tenant.get("/api/recurring?status=paused")).json()
    assert [i["id"] for i in only_paused["items"]] == [paused["id"]]
    assert only_paused["items"][0]["status"] == "paused"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"frequency": "daily"}, "frequency"),
        ({"start_date": "31.01.2026"}, "start_date"),
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"name": ""}, "name"),
        ({"lines": []}, "lines"),
        ({"lines": [{"description": "X", "quantity": "0", "unit_price": "1"}]}, "lines.0.quantity"),
        ({"lines": [{"description": "X", "quantity": "1", "unit_price": "-1"}]}, "lines.0.unit_price"),
        ({"lines": [{"description": "X", "quantity": "1", "unit_price": "1", "unit_code": "XYZ"}]}, "lines.0.unit_code"),
        ({"note": "Zeitraum {von} bis {bis}"}, "note"),
        ({"max_occurrences": 0}, "max_occurrences"),
        ({"payment_days": -1}, "payment_days"),
        ({"unknown": 1}, "unknown"),
    ],
)
async def test_bad_input_is_422_naming_the_field(tenant, change, field):
    contact = await tenant.contact()
    body = {"contact_id": contact["id"], "name": "Wartung", "frequency": "monthly", "start_date": "2026-01-01", "lines": LINES}
    body.update(change)
    r = await tenant.post("/api/recurring", body)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]], r.json()


async def test_lines_are_checked_against_the_sellers_vat_status(client):
    small = await register_tenant(client, small_business=True)
    contact = await small.contact()
    body = {"contact_id": contact["id"], "name": "Kurs", "frequency": "monthly", "start_date": "2026-01-01",
            "lines": [{"description": "Kurs", "quantity": "1", "unit_price": "50", "vat_category": "S", "vat_rate": "19"}]}
    r = await small.post("/api/recurring", body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "lines.0.vat_category"
    # Without a category a Kleinunternehmer line becomes exempt (E, 0 %), stored resolved.
    body["lines"] = [{"description": "Kurs", "quantity": "1", "unit_price": "50"}]
    r = await small.post("/api/recurring", body)
    assert r.status_code == 201, r.text
    assert (r.json()["lines"][0]["vat_category"], r.json()["lines"][0]["vat_rate"]) == ("E", "0")
    assert r.json()["gross_total"] == "50.00"


async def test_update(tenant):
    contact = await tenant.contact()
    other_contact = await tenant.contact(name="Zweitkunde AG")
    tpl = await make_template(tenant, contact["id"], start_date="2026-01-01")
    r = await tenant.patch(f"/api/recurring/{tpl['id']}", {
        "name": "Wartung Premium", "contact_id": other_contact["id"], "note": "Monat {month}",
        "lines": [{"description": "Premium", "quantity": "1", "unit_price": "200", "vat_rate": "19"}],
        "start_date": "2026-02-15", "frequency": "quarterly", "payment_days": 30,
    })
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Wartung Premium" and body["contact"]["name"] == "Zweitkunde AG"
    assert body["gross_total"] == "238.00"
    # Nothing billed yet: the schedule starts over at the new start.
    assert body["next_due"] == "2026-02-15" and body["frequency"] == "quarterly"
    assert body["next_period"]["period_end"] == "2026-05-14"

    await run(date(2026, 2, 15))
    r = await tenant.patch(f"/api/recurring/{tpl['id']}", {"frequency": "monthly"})
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "frequency"
    r = await tenant.patch(f"/api/recurring/{tpl['id']}", {"name": None})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"
    r = await tenant.patch(f"/api/recurring/{tpl['id']}", {"end_date": "2026-01-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "end_date"

    # Reaching the limit by an edit finishes the series; widening it again brings it back paused.
    r = await tenant.patch(f"/api/recurring/{tpl['id']}", {"max_occurrences": 1})
    assert r.json()["status"] == "finished" and r.json()["next_due"] is None
    r = await tenant.patch(f"/api/recurring/{tpl['id']}", {"max_occurrences": None})
    assert r.json()["status"] == "paused" and r.json()["next_due"] == "2026-05-15"


async def test_pause_and_resume_without_and_with_catch_up(client):
    import time_machine

    # Resume decides by "today"; travel to 10 April 2026 (Berlin summer time) for the whole
    # test, login included (a token issued in the future would not be valid yet).
    with time_machine.travel(date(2026, 4, 10).isoformat() + "T10:00:00+02:00", tick=True):
        t = await register_tenant(client)
        contact = await t.contact()
        skip = await make_template(t, contact["id"], name="Ohne Nachberechnung", start_date="2026-01-01")
        catch = await make_template(t, contact["id"], name="Mit Nachberechnung", start_date="2026-01-01")
        await run(date(2026, 1, 1))  # January billed for both
        for tpl in (skip, catch):
            r = await t.post(f"/api/recurring/{tpl['id']}/pause")
            assert r.status_code == 200 and r.json()["status"] == "paused" and r.json()["paused_at"]
        assert (await run(date(2026, 4, 10))).generated == 0  # paused: nothing billed

        r = await t.post(f"/api/recurring/{skip['id']}/resume")
        assert r.status_code == 200, r.text
        # February to April began while paused; the next bill is May.
        assert r.json()["status"] == "active" and r.json()["next_due"] == "2026-05-01"
        assert r.json()["due_periods"] == 0
        r = await t.post(f"/api/recurring/{catch['id']}/resume", {"catch_up": True})
        assert r.json()["next_due"] == "2026-02-01"
        assert r.json()["due_periods"] == 3

        await run(date(2026, 4, 10))
        await run(date(2026, 5, 1))
        periods_of = {}
        for tpl in (skip, catch):
            shown = (await t.get(f"/api/recurring/{tpl['id']}")).json()
            periods_of[tpl["id"]] = sorted(i["period_start"] for i in shown["invoices"])
        assert periods_of[skip["id"]] == ["2026-01-01", "2026-05-01"]
        assert periods_of[catch["id"]] == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"]


async def test_preview_of_saved_and_unsaved_schedules(tenant):
    tpl = await make_template(tenant, start_date="2026-01-31", max_occurrences=4, note="{period_start}")
    r = await tenant.get(f"/api/recurring/{tpl['id']}/preview?count=6")
    assert r.status_code == 200
    assert [(p["number"], p["period_start"], p["period_end"], p["note"]) for p in r.json()["periods"]] == [
        (1, "2026-01-31", "2026-02-27", "31.01.2026"),
        (2, "2026-02-28", "2026-03-30", "28.02.2026"),
        (3, "2026-03-31", "2026-04-29", "31.03.2026"),
        (4, "2026-04-30", "2026-05-30", "30.04.2026"),  # max_occurrences = 4
    ]
    await run(date(2026, 2, 28))
    r = await tenant.get(f"/api/recurring/{tpl['id']}/preview?count=1")
    assert [p["period_start"] for p in r.json()["periods"]] == ["2026-03-31"]
    assert (await tenant.get(f"/api/recurring/{tpl['id']}/preview?count=61")).status_code == 422

    r = await tenant.post("/api/recurring/preview", {"frequency": "yearly", "start_date": "2024-02-29", "count": 5})
    assert r.status_code == 200
    assert [p["period_start"] for p in r.json()["periods"]] == [
        "2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29",
    ]
    r = await tenant.post(
        "/api/recurring/preview", {"frequency": "monthly", "start_date": "2026-01-15", "end_date": "2026-03-20"}
    )
    assert [(p["period_start"], p["period_end"]) for p in r.json()["periods"]][-1] == ("2026-03-15", "2026-03-20")
    r = await tenant.post("/api/recurring/preview", {"frequency": "fortnightly", "start_date": "2026-01-15"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "frequency"


async def test_delete_keeps_the_generated_invoices(tenant):
    tpl = await make_template(tenant, start_date="2026-01-01")
    await run(date(2026, 1, 1))
    invoice_id = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()["invoices"][0]["invoice_id"]
    r = await tenant.delete(f"/api/recurring/{tpl['id']}")
    assert r.status_code == 204
    assert (await tenant.get(f"/api/recurring/{tpl['id']}")).status_code == 404
    assert (await tenant.get(f"/api/invoices/{invoice_id}")).status_code == 200


async def test_a_contact_with_templates_cannot_be_deleted(tenant):
    contact = await tenant.contact()
    await make_template(tenant, contact["id"])
    r = await tenant.delete(f"/api/contacts/{contact['id']}")
    assert r.status_code == 409 and r.json()["code"] == "contact_in_use"


async def test_tenant_isolation_of_every_route(tenant, other_tenant):
    mine = await make_template(tenant)
    foreign_contact = await other_tenant.contact()
    base = f"/api/recurring/{mine['id']}"
    answers = [
        await other_tenant.get(base),
        await other_tenant.patch(base, {"name": "Übernommen"}),
        await other_tenant.post(f"{base}/pause"),
        await other_tenant.post(f"{base}/resume", {"catch_up": True}),
        await other_tenant.get(f"{base}/preview"),
        await other_tenant.get(f"{base}/invoices"),
        await other_tenant.delete(base),
    ]
    assert [r.status_code for r in answers] == [404] * len(answers)
    assert (await other_tenant.get("/api/recurring")).json()["total"] == 0

    # Another organization's customer: 404 naming the field, on create and on update.
    body = {"contact_id": foreign_contact["id"], "name": "X", "frequency": "monthly", "start_date": "2026-01-01", "lines": LINES}
    r = await tenant.post("/api/recurring", body)
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "contact_id"
    r = await tenant.patch(base, {"contact_id": foreign_contact["id"]})
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "contact_id"

    # Untouched, and every route wants a login.
    still = (await tenant.get(base)).json()
    assert still["name"] == mine["name"] and still["status"] == "active"
    assert (await tenant.client.get("/api/recurring")).status_code == 401
    preview = {"frequency": "monthly", "start_date": "2026-01-01"}
    assert (await tenant.client.post("/api/recurring/preview", json=preview)).status_code == 401
