"""Every kind of bad input answers 422 (or 404 for foreign references) naming the field,
never a 500, and never leaves anything half-saved."""

import pytest

GOOD_LINE = {"description": "Beratung", "quantity": "1", "unit_price": "100", "vat_rate": "19"}


def _fields(r) -> set[str]:  # type: ignore[no-untyped-def]
    body = r.json()
    assert set(body) >= {"detail", "code", "errors"}, body
    return {e["field"] for e in body["errors"]}


async def _count(tenant) -> int:  # type: ignore[no-untyped-def]
    return (await tenant.get("/api/invoices")).json()["total"]


@pytest.mark.parametrize(
    ("line_patch", "field"),
    [
        ({"description": ""}, "lines.1.description"),
        ({"description": None}, "lines.1.description"),
        ({"quantity": "zwei"}, "lines.1.quantity"),
        ({"quantity": [1]}, "lines.1.quantity"),
        ({"quantity": "NaN"}, "lines.1.quantity"),
        ({"quantity": "0"}, "lines.1.quantity"),
        ({"unit_price": "abc"}, "lines.1.unit_price"),
        ({"unit_price": "-5"}, "lines.1.unit_price"),
        ({"unit_price": "1.123456"}, "lines.1.unit_price"),
        ({"unit_code": "XYZ"}, "lines.1.unit_code"),
        ({"vat_category": "Q"}, "lines.1.vat_category"),
        ({"vat_category": "S", "vat_rate": "0"}, "lines.1.vat_category"),
        ({"vat_category": "E", "vat_rate": "19"}, "lines.1.vat_category"),
        ({"vat_category": "AE", "vat_rate": "7"}, "lines.1.vat_category"),
        ({"vat_category": "Z", "vat_rate": "5"}, "lines.1.vat_category"),
        ({"vat_rate": "150"}, "lines.1.vat_rate"),
        ({"vat_rate": "-1"}, "lines.1.vat_rate"),
        ({"vat_category": "S", "vat_rate": None, "extra": 1}, "lines.1.extra"),
    ],
)
async def test_bad_line_is_422_naming_the_field_and_saves_nothing(tenant, line_patch, field):
    contact = await tenant.contact()
    before = await _count(tenant)
    bad = dict(GOOD_LINE)
    bad.update(line_patch)
    bad = {k: v for k, v in bad.items() if v is not None or k in line_patch and k == "description"}
    r = await tenant.post("/api/invoices", {"contact_id": contact["id"], "lines": [GOOD_LINE, bad]})
    assert r.status_code == 422, r.text
    assert field in _fields(r), r.json()
    assert await _count(tenant) == before


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"issue_date": "26.11.2026"}, "issue_date"),
        ({"due_date": "2026-13-01"}, "due_date"),
        ({"service_date": 20261126}, "service_date"),
        ({"lines": []}, "lines"),
        ({"lines": "keine"}, "lines"),
        ({"contact_id": "abc"}, "contact_id"),
        ({"payment_days": -3}, "payment_days"),
        ({"type_code": "999"}, "type_code"),
        ({"service_period_start": "2026-01-01"}, "body"),
        ({"issue_date": "2026-05-10", "due_date": "2026-05-01"}, "body"),
    ],
)
async def test_bad_invoice_fields(tenant, patch, field):
    contact = await tenant.contact()
    body = {"contact_id": contact["id"], "lines": [GOOD_LINE]}
    body.update(patch)
    r = await tenant.post("/api/invoices", body)
    assert r.status_code == 422, r.text
    fields = _fields(r)
    assert field in fields or (field == "body" and r.json()["errors"]), r.json()


async def test_missing_required_fields_are_named(tenant):
    r = await tenant.post("/api/invoices", {})
    assert r.status_code == 422
    assert {"contact_id", "lines"} <= _fields(r)


async def test_malformed_json(tenant):
    r = await tenant.client.post(
        "/api/invoices", content=b'{"contact_id": 1, "lines": [', headers={**tenant.headers, "Content-Type": "application/json"}
    )
    assert r.status_code == 422
    assert r.json()["code"] == "validation_error"
    assert r.json()["errors"][0]["message"] == "Ungültiges JSON"


async def test_foreign_contact_is_404_naming_the_field(tenant, other_tenant):
    theirs = await other_tenant.contact()
    r = await tenant.post("/api/invoices", {"contact_id": theirs["id"], "lines": [GOOD_LINE]})
    assert r.status_code == 404
    assert _fields(r) == {"contact_id"}


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"iban": "DE00 1234"}, "iban"),
        ({"iban": "DE89370400440532013001"}, "iban"),
        ({"bic": "XYZ"}, "bic"),
        ({"vat_id": "DE123456789"}, "vat_id"),
        ({"vat_id": "12345"}, "vat_id"),
        ({"country_code": "XX"}, "country_code"),
        ({"country_code": "Deutschland"}, "country_code"),
        ({"email": "kein-at-zeichen"}, "email"),
        ({"tax_number": "12"}, "tax_number"),
        ({"number_format": "RE-{YYYY}"}, "number_format"),
        ({"default_payment_days": "vierzehn"}, "default_payment_days"),
        ({"small_business": "vielleicht"}, "small_business"),
        ({"name": None}, "name"),
        ({"unbekannt": 1}, "unbekannt"),
    ],
)
async def test_bad_organization_data(tenant, patch, field):
    before = (await tenant.get("/api/organization")).json()
    r = await tenant.patch("/api/organization", patch)
    assert r.status_code == 422, r.text
    assert field in _fields(r)
    assert (await tenant.get("/api/organization")).json() == before


async def test_good_identifiers_are_normalised(tenant):
    r = await tenant.patch("/api/organization", {"iban": "de89 3704 0044 0532 0130 00", "bic": "cobadeffxxx", "vat_id": "de 123 456 788", "country_code": "at"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["iban"], body["bic"], body["vat_id"], body["country_code"]) == ("DE89370400440532013000", "COBADEFFXXX", "DE123456788", "AT")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"email": "a@b"}, "email"),
        ({"vat_id": "ATU1234"}, "vat_id"),
        ({"country_code": "ZZ"}, "country_code"),
        ({"name": ""}, "name"),
    ],
)
async def test_bad_contact_data(tenant, patch, field):
    body = {"name": "Kunde", "country_code": "DE"}
    body.update(patch)
    r = await tenant.post("/api/contacts", body)
    assert r.status_code == 422, r.text
    assert field in _fields(r)


async def test_bad_register_data(client):
    r = await client.post("/api/auth/register", json={"email": "x", "password": "kurz", "full_name": "", "organization_name": "A"})
    assert r.status_code == 422
    assert {"email", "password", "full_name"} <= _fields(r)


async def test_small_business_seller(client):
    from tests.fixtures.factories import register_tenant

    t = await register_tenant(client, small_business=True, vat_id=None)
    inv = await t.invoice(lines=[{"description": "Gartenpflege", "quantity": "3", "unit_code": "HUR", "unit_price": "40"}])
    assert inv["vat_total"] == "0.00" and inv["gross_total"] == "120.00"
    assert inv["lines"][0]["vat_category"] == "E"
    assert any("§ 19 UStG" in n for n in inv["legal_notes"])
    assert inv["vat_breakdown"][0]["exemption_reason"].startswith("Gemäß § 19 UStG")
    contact = await t.contact()
    r = await t.post("/api/invoices", {"contact_id": contact["id"], "lines": [{**GOOD_LINE, "vat_category": "S"}]})
    assert r.status_code == 422
    assert _fields(r) == {"lines.0.vat_category"}
