import asyncio
import re
from datetime import date

import pytest

from app.invoices.numbering import render, validate_format
from app.kit.timeutil import today_berlin
from tests.fixtures.factories import register_tenant


def test_render_formats():
    assert render("RE-{YYYY}-{NNNN}", date(2026, 3, 1), 7) == "RE-2026-0007"
    assert render("{YY}{MM}-{NNN}", date(2026, 3, 1), 12) == "2603-012"
    assert render("R{N}", date(2026, 3, 1), 12345) == "R12345"


@pytest.mark.parametrize("bad", ["RE-{YYYY}", "{NNN}-{NN}", "RE {NNNN}", "RE-{DD}-{NNNN}", "{NNNN}" + "X" * 40])
def test_invalid_formats_rejected(bad):
    with pytest.raises(ValueError):
        validate_format(bad)


async def test_twenty_concurrent_finalizations_get_consecutive_numbers(tenant):
    contact = await tenant.contact()
    drafts = [await tenant.invoice(contact_id=contact["id"]) for _ in range(20)]
    results = await asyncio.gather(*(tenant.post(f"/api/invoices/{d['id']}/finalize") for d in drafts))
    assert all(r.status_code == 200 for r in results), [r.text for r in results if r.status_code != 200]
    numbers = sorted(r.json()["number"] for r in results)
    year = today_berlin().year
    assert numbers == [f"RE-{year}-{n:04d}" for n in range(1, 21)]


async def test_finalizing_the_same_draft_twice_concurrently_draws_one_number(tenant):
    inv = await tenant.invoice()
    a, b = await asyncio.gather(
        tenant.post(f"/api/invoices/{inv['id']}/finalize"), tenant.post(f"/api/invoices/{inv['id']}/finalize")
    )
    assert sorted([a.status_code, b.status_code]) == [200, 409]
    nxt = await tenant.finalized_invoice()
    first = (a if a.status_code == 200 else b).json()["number"]
    assert int(nxt["number"].rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


async def test_numbers_are_per_organization_and_follow_the_format(client):
    a = await register_tenant(client)
    b = await register_tenant(client, number_format="INV/{YY}/{NNNNNN}")
    ia = await a.finalized_invoice()
    ib = await b.finalized_invoice()
    assert ia["number"].endswith("-0001")
    assert re.fullmatch(r"INV/\d{2}/000001", ib["number"])


async def test_a_failed_finalize_does_not_consume_a_number(client):
    t = await register_tenant(client)
    ok = await t.finalized_invoice()
    # A draft of another kind that cannot be finalized is rolled back (here: finalized twice).
    again = await t.post(f"/api/invoices/{ok['id']}/finalize")
    assert again.status_code == 409
    nxt = await t.finalized_invoice()
    assert int(nxt["number"][-4:]) == int(ok["number"][-4:]) + 1


async def test_next_number_preview(tenant):
    org = (await tenant.get("/api/organization")).json()
    assert org["next_invoice_number"].endswith("-0001")
    await tenant.finalized_invoice()
    org = (await tenant.get("/api/organization")).json()
    assert org["next_invoice_number"].endswith("-0002")
