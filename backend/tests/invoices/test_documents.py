"""The invoice as documents: archive at finalize (GoBD), downloads, official validation,
through the API and for the scenarios sellers actually have."""

import hashlib
import subprocess

import pytest

from app.db import get_sessionmaker
from app.einvoice.pdfa import embedded_facturx_xml
from app.einvoice.validation import validate_facturx_cii, validate_xml
from app.invoices.archive import archive_pending
from app.invoices.models import Invoice
from tests.fixtures.factories import register_tenant


async def _row(invoice_id: int) -> Invoice:
    async with get_sessionmaker()() as s:
        inv = await s.get(Invoice, invoice_id)
        assert inv is not None
        return inv


async def test_archive_is_generated_once_and_served_byte_for_byte(tenant):
    inv = await tenant.finalized_invoice()
    assert (await _row(inv["id"])).pdf_sha256 is None  # the worker has not run yet

    archived = await archive_pending()
    assert archived >= 1
    row = await _row(inv["id"])
    assert row.pdf_sha256 and row.ubl_sha256 and row.cii_sha256

    pdf = await tenant.get(f"/api/invoices/{inv['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == row.pdf_sha256
    assert pdf.headers["etag"] == f'"{row.pdf_sha256}"'
    assert f'filename="Rechnung_{inv["number"]}.pdf"' in pdf.headers["content-disposition"]
    again = await tenant.get(f"/api/invoices/{inv['id']}/pdf")
    assert again.content == pdf.content
    cached = await tenant.get(f"/api/invoices/{inv['id']}/pdf", headers={"If-None-Match": pdf.headers["etag"]})
    assert cached.status_code == 304

    for syntax in ("ubl", "cii"):
        xml = await tenant.get(f"/api/invoices/{inv['id']}/xml", params={"syntax": syntax})
        assert xml.status_code == 200
        assert hashlib.sha256(xml.content).hexdigest() == getattr(row, f"{syntax}_sha256")
        assert validate_xml(xml.content, syntax).valid

    # The archive does not follow later changes of the seller's data.
    await tenant.patch("/api/organization", {"name": "Umbenannt GmbH"})
    assert (await tenant.get(f"/api/invoices/{inv['id']}/pdf")).content == pdf.content
    # A second archiver run finds nothing left to do for this invoice.
    await archive_pending()
    assert (await _row(inv["id"])).pdf_sha256 == row.pdf_sha256


async def test_download_before_the_worker_generates_on_demand(tenant):
    inv = await tenant.finalized_invoice()
    xml = await tenant.get(f"/api/invoices/{inv['id']}/xml")
    assert xml.status_code == 200
    row = await _row(inv["id"])
    assert hashlib.sha256(xml.content).hexdigest() == row.ubl_sha256
    pdf = (await tenant.get(f"/api/invoices/{inv['id']}/pdf")).content
    assert hashlib.sha256(pdf).hexdigest() == row.pdf_sha256


async def test_the_pdf_embeds_the_facturx_xml_and_it_passes_the_rules(tenant):
    inv = await tenant.finalized_invoice()
    pdf = (await tenant.get(f"/api/invoices/{inv['id']}/pdf")).content
    xml = embedded_facturx_xml(pdf)
    assert xml is not None
    report = validate_facturx_cii(xml)
    assert report.valid, [f.rule_id for f in report.findings]
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert inv["number"] in text and "1.243,50 €" in text


async def test_archive_is_tamper_evident(tenant):
    from app.storage import get_storage

    inv = await tenant.finalized_invoice()
    await tenant.get(f"/api/invoices/{inv['id']}/pdf")
    row = await _row(inv["id"])
    get_storage().save(row.ubl_path, b"<Invoice>manipuliert</Invoice>")
    r = await tenant.get(f"/api/invoices/{inv['id']}/xml")
    assert r.status_code == 500
    assert r.json()["code"] == "archive_integrity"


async def test_drafts_render_a_watermarked_pdf_but_no_xml(tenant):
    inv = await tenant.invoice()
    pdf = await tenant.get(f"/api/invoices/{inv['id']}/pdf")
    assert pdf.status_code == 200
    assert embedded_facturx_xml(pdf.content) is None
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "Rechnung (Entwurf)" in text and "noch keine gültige Rechnung" in text
    assert (await tenant.get(f"/api/invoices/{inv['id']}/xml")).status_code == 409
    assert (await _row(inv["id"])).pdf_path is None


async def test_finalize_names_missing_seller_and_buyer_data_and_changes_nothing(client):
    t = await register_tenant(client, seller_data=False)
    contact = await t.contact(email=None, postal_code=None)
    inv = await t.invoice(contact_id=contact["id"])
    r = await t.post(f"/api/invoices/{inv['id']}/finalize")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "einvoice_incomplete"
    fields = {e["field"] for e in body["errors"]}
    assert {"organization.iban", "organization.phone", "organization.city", "contact.postal_code", "contact.email"} <= fields
    assert any(e["message"] == "Bankverbindung (IBAN) fehlt" for e in body["errors"])
    again = (await t.get(f"/api/invoices/{inv['id']}")).json()
    assert again["status"] == "draft" and again["number"] is None
    # After completing the data, the first number is still 0001: the refusal drew none.
    from tests.fixtures.factories import SELLER_DATA

    await t.patch("/api/organization", SELLER_DATA)
    await t.patch(f"/api/contacts/{contact['id']}", {"email": "k@kunde.de", "postal_code": "80331"})
    r = await t.post(f"/api/invoices/{inv['id']}/finalize")
    assert r.status_code == 200 and r.json()["number"].endswith("-0001")


SCENARIOS = {
    "standard_19": dict(lines=[{"description": "Beratung", "quantity": "8", "unit_code": "HUR", "unit_price": "120", "vat_rate": "19"}]),
    "mixed_19_7": dict(
        lines=[
            {"description": "Seminar", "quantity": "1", "unit_code": "DAY", "unit_price": "890", "vat_rate": "19"},
            {"description": "Handbuch „E-Rechnung“ – Ausgabe 2026", "quantity": "12", "unit_price": "24.90", "vat_rate": "7"},
            {"description": "Strom", "quantity": "1234.5", "unit_code": "KWH", "unit_price": "0.3179", "vat_rate": "19"},
        ]
    ),
    "reverse_charge_eu": dict(
        contact=dict(name="Wiener Handels GmbH", country_code="AT", vat_id="ATU13585627", city="Wien", postal_code="1010"),
        lines=[{"description": "IT-Beratung", "quantity": "10", "unit_code": "HUR", "unit_price": "100", "vat_category": "AE", "vat_rate": "0"}],
        service_date="2026-11-02",
    ),
    "public_authority_leitweg": dict(
        contact=dict(name="Stadtverwaltung Musterstadt", buyer_reference="04011000-1234512345-06"),
        lines=[{"description": "Wartung Fachverfahren", "quantity": "1", "unit_code": "MON", "unit_price": "450", "vat_rate": "19"}],
        service_period_start="2026-10-01",
        service_period_end="2026-10-31",
    ),
    "many_lines": dict(
        lines=[
            {"description": f"Position {i}: Prüfung & Übergabe <Teil {i}> – langer Text " + "ä" * 40, "quantity": str(i), "unit_code": "H87", "unit_price": "9.99", "vat_rate": "19" if i % 3 else "7"}
            for i in range(1, 61)
        ]
    ),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_scenarios_through_the_api_pass_the_official_rules(client, name):
    spec = dict(SCENARIOS[name])
    t = await register_tenant(client)
    contact = await t.contact(**spec.pop("contact", {}))
    inv = await t.invoice(contact_id=contact["id"], **spec)
    r = await t.post(f"/api/invoices/{inv['id']}/finalize")
    assert r.status_code == 200, r.text
    result = (await t.get(f"/api/invoices/{inv['id']}/validation")).json()
    findings = {k: [(f["severity"], f["rule_id"]) for f in result[k]["findings"]] for k in ("ubl", "cii", "facturx")}
    assert result["valid"] is True, findings
    assert result["label"] == "gültige XRechnung"
    assert all(result[k]["errors"] == 0 and result[k]["warnings"] == 0 for k in ("ubl", "cii", "facturx")), findings
    # Not even an informational hint (e.g. KoSIT's BR-DE-TMP-32 on a missing date of supply).
    assert findings == {"ubl": [], "cii": [], "facturx": []}


async def test_small_business_invoice_passes_the_rules(client):
    t = await register_tenant(client, small_business=True, vat_id=None)
    inv = await t.invoice(lines=[{"description": "Logo-Entwurf", "quantity": "1", "unit_code": "LS", "unit_price": "350"}])
    assert (await t.post(f"/api/invoices/{inv['id']}/finalize")).status_code == 200
    result = (await t.get(f"/api/invoices/{inv['id']}/validation")).json()
    assert result["valid"] is True, result
    ubl = (await t.get(f"/api/invoices/{inv['id']}/xml")).text
    assert "§ 19 UStG" in ubl


async def test_draft_validation_reports_missing_data(client):
    t = await register_tenant(client, seller_data=False)
    inv = await t.invoice()
    result = (await t.get(f"/api/invoices/{inv['id']}/validation")).json()
    assert result["valid"] is False
    assert "organization.iban" in {m["field"] for m in result["missing"]}
