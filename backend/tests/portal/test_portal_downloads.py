"""Downloads serve the archived bytes (GoBD), byte for byte, with ETag; and the logo."""

import hashlib
import io

import httpx
import pytest
import segno

from app.storage import get_storage
from tests.portal.conftest import archive, shared_invoice


def _png() -> bytes:
    buf = io.BytesIO()
    segno.make("Logo").save(buf, kind="png", scale=2)
    return buf.getvalue()


PNG = _png()


async def test_pdf_download_is_the_archived_document(client, tenant):
    invoice, link = await shared_invoice(tenant)
    docs = await archive(invoice["id"], invoice["number"])
    recorded = (await tenant.get(f"/api/invoices/{invoice['id']}")).json()["pdf_sha256"]
    r = await client.get(f"/api/portal/{link['token']}/download-pdf")
    assert r.status_code == 200
    assert r.content == docs["pdf"]
    assert hashlib.sha256(r.content).hexdigest() == recorded
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["etag"] == f'"{recorded}"'
    assert r.headers["content-disposition"].startswith(f'attachment; filename="Rechnung_{invoice["number"]}.pdf"')

    cached = await client.get(f"/api/portal/{link['token']}/download-pdf", headers={"If-None-Match": f'"{recorded}"'})
    assert cached.status_code == 304 and cached.content == b"" and cached.headers["etag"] == f'"{recorded}"'
    stale = await client.get(f"/api/portal/{link['token']}/download-pdf", headers={"If-None-Match": '"0000"'})
    assert stale.status_code == 200 and stale.content == docs["pdf"]


async def test_xml_download_in_both_syntaxes(client, tenant):
    invoice, link = await shared_invoice(tenant)
    docs = await archive(invoice["id"], invoice["number"])
    seller = (await tenant.get(f"/api/invoices/{invoice['id']}")).json()
    default = await client.get(f"/api/portal/{link['token']}/download-xml")
    assert default.content == docs["ubl"] and default.headers["etag"] == f'"{seller["ubl_sha256"]}"'
    assert default.headers["content-type"].startswith("application/xml")
    assert f'filename="Rechnung_{invoice["number"]}_xrechnung-ubl.xml"' in default.headers["content-disposition"]
    cii = await client.get(f"/api/portal/{link['token']}/download-xml", params={"syntax": "cii"})
    assert cii.content == docs["cii"] and hashlib.sha256(cii.content).hexdigest() == seller["cii_sha256"]
    assert f'filename="Rechnung_{invoice["number"]}_xrechnung-cii.xml"' in cii.headers["content-disposition"]
    bad = await client.get(f"/api/portal/{link['token']}/download-xml", params={"syntax": "pdf"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "syntax"


async def test_downloads_are_logged(client, tenant):
    invoice, link = await shared_invoice(tenant)
    await archive(invoice["id"], invoice["number"])
    await client.get(f"/api/portal/{link['token']}/download-pdf")
    await client.get(f"/api/portal/{link['token']}/download-xml?syntax=cii")
    items = (await tenant.get(f"/api/invoices/{invoice['id']}/portal-activity")).json()["items"]
    assert [i["action"] for i in items] == ["download_xml", "download_pdf"]


async def test_tampered_archive_is_never_served(app, tenant):
    invoice, link = await shared_invoice(tenant)
    await archive(invoice["id"], invoice["number"])
    path = (await _paths(invoice["id"]))["pdf_path"]
    get_storage().save(path, b"%PDF-1.7 forged")
    # As a real server answers: a 500 response, not an exception inside the test client.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=("198.51.100.9", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
        r = await raw.get(f"/api/portal/{link['token']}/download-pdf")
    assert r.status_code == 500 and r.json()["code"] == "archive_integrity"
    assert b"forged" not in r.content


async def test_not_yet_archived_is_archived_once_on_first_download(client, tenant):
    # Finalize enqueued the archive job, but no worker ran: the download archives it itself.
    invoice, link = await shared_invoice(tenant)
    first = await client.get(f"/api/portal/{link['token']}/download-xml")
    assert first.status_code == 200, first.text
    recorded = (await tenant.get(f"/api/invoices/{invoice['id']}")).json()
    assert hashlib.sha256(first.content).hexdigest() == recorded["ubl_sha256"]
    again = await client.get(f"/api/portal/{link['token']}/download-xml")
    assert again.content == first.content


async def test_logo_through_the_portal(client, tenant):
    r = await tenant.client.post("/api/organization/logo", files={"file": ("logo.png", PNG, "image/png")}, headers=tenant.headers)
    assert r.status_code == 200, r.text
    _, link = await shared_invoice(tenant)
    body = (await client.get(f"/api/portal/{link['token']}")).json()
    assert body["seller"]["has_logo"] is True
    assert body["seller"]["logo_url"] == f"/api/portal/{link['token']}/logo"
    logo = await client.get(body["seller"]["logo_url"])
    assert logo.status_code == 200 and logo.content == PNG and logo.headers["content-type"] == "image/png"


async def test_no_logo_is_404(client, tenant):
    _, link = await shared_invoice(tenant)
    r = await client.get(f"/api/portal/{link['token']}/logo")
    assert r.status_code == 404 and r.json()["code"] == "logo_not_found"


async def _paths(invoice_id: int) -> dict[str, str]:
    from app.db import get_sessionmaker
    from app.invoices.models import Invoice

    async with get_sessionmaker()() as s:
        inv = await s.get(Invoice, invoice_id)
        return {"pdf_path": inv.pdf_path}

