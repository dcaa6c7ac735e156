"""The invoice as documents: ZUGFeRD PDF, XRechnung XML (UBL/CII), and its validation."""

import asyncio
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.auth.deps import CurrentCaller
from app.db import SessionDep
from app.einvoice.pdfa import embedded_facturx_xml
from app.einvoice.readiness import missing_for_einvoice
from app.errors import Conflict
from app.invoices import archive, service
from app.invoices.models import Invoice, InvoiceStatus

router = APIRouter(prefix="/api/invoices", tags=["documents"])

PDF_RESPONSE = {200: {"content": {"application/pdf": {}}, "description": "ZUGFeRD-PDF (PDF/A-3, CII eingebettet)"}}
XML_RESPONSE = {200: {"content": {"application/xml": {}}, "description": "XRechnung 3.0"}}


def _document_response(request: Request, data: bytes, sha: str | None, media_type: str, name: str, inline: bool) -> Response:
    headers = {
        "Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{name}"',
        "Cache-Control": "private, no-cache",
    }
    if sha:
        etag = f'"{sha}"'
        headers["ETag"] = etag
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
    return Response(data, media_type=media_type, headers=headers)


@router.get("/{invoice_id}/pdf", response_class=Response, responses=PDF_RESPONSE)
async def invoice_pdf(
    invoice_id: int, request: Request, session: SessionDep, caller: CurrentCaller, download: bool = False
) -> Response:
    invoice = await service.get(session, caller.organization_id, invoice_id)
    if invoice.status == InvoiceStatus.DRAFT:
        # Drafts are rendered on the fly, watermarked "Entwurf", never archived.
        doc = await archive.document_for(session, invoice)
        data = await asyncio.to_thread(archive.render_draft_pdf, doc)
        return _document_response(request, data, None, "application/pdf", archive.filename(None, "pdf"), not download)
    data, sha = await archive.read_archived(session, invoice, "pdf")
    return _document_response(request, data, sha, "application/pdf", archive.filename(invoice.number, "pdf"), not download)


@router.get("/{invoice_id}/xml", response_class=Response, responses=XML_RESPONSE)
async def invoice_xml(
    invoice_id: int,
    request: Request,
    session: SessionDep,
    caller: CurrentCaller,
    syntax: Annotated[Literal["ubl", "cii"], Query(description="UBL 2.1 oder UN/CEFACT CII")] = "ubl",
) -> Response:
    invoice = await service.get(session, caller.organization_id, invoice_id)
    if invoice.status == InvoiceStatus.DRAFT:
        raise Conflict(
            "Ein Entwurf ist noch keine E-Rechnung: die XRechnung entsteht beim Festschreiben", code="invoice_draft"
        )
    data, sha = await archive.read_archived(session, invoice, syntax)
    return _document_response(request, data, sha, "application/xml", archive.filename(invoice.number, syntax), False)


class FindingRead(BaseModel):
    severity: str
    rule_id: str | None
    message: str
    location: str | None = None
    source: str | None = None


class SyntaxReport(BaseModel):
    valid: bool
    errors: int
    warnings: int
    findings: list[FindingRead]


class MissingFieldRead(BaseModel):
    field: str
    message: str


class ValidationResult(BaseModel):
    valid: bool
    label: str
    ubl: SyntaxReport
    cii: SyntaxReport
    facturx: SyntaxReport
    missing: list[MissingFieldRead]
    rules: dict[str, Any]


# Finalized invoices never change, so a report is valid for as long as the archive hash.
_report_cache: dict[tuple[str, str], SyntaxReport] = {}


def _report(report: Any) -> SyntaxReport:
    findings = [
        FindingRead(severity=f.severity, rule_id=f.rule_id, message=f.message, location=f.location, source=f.source)
        for f in report.findings
    ]
    return SyntaxReport(
        valid=report.valid,
        errors=sum(1 for f in report.findings if f.severity in ("fatal", "error")),
        warnings=sum(1 for f in report.findings if f.severity == "warning"),
        findings=findings,
    )


def _validate(xml: bytes, kind: str) -> SyntaxReport:
    from app.einvoice.validation import validate_facturx_cii, validate_xml

    if kind == "facturx":
        return _report(validate_facturx_cii(xml))
    return _report(validate_xml(xml, kind))  # type: ignore[arg-type]


async def _cached_validate(xml: bytes, kind: str, sha: str | None) -> SyntaxReport:
    if sha and (sha, kind) in _report_cache:
        return _report_cache[(sha, kind)]
    result = await asyncio.to_thread(_validate, xml, kind)
    if sha:
        _report_cache[(sha, kind)] = result
    return result


@router.get("/{invoice_id}/validation", response_model=ValidationResult)
async def invoice_validation(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> ValidationResult:
    """Runs the official rules (XSD, CEN EN 16931, KoSIT XRechnung, Factur-X EN 16931)."""
    from app.einvoice.cii import render_cii
    from app.einvoice.ubl import render_ubl
    from app.einvoice.validation import rule_versions

    invoice: Invoice = await service.get(session, caller.organization_id, invoice_id)
    doc = await archive.document_for(session, invoice)
    if invoice.status == InvoiceStatus.DRAFT:
        # Check a draft as it would be finalized: with a number in place.
        doc = replace(doc, number="ENTWURF", is_draft=False)
        ubl, cii, fx = render_ubl(doc), render_cii(doc, profile="xrechnung"), render_cii(doc, profile="facturx")
        shas: dict[str, str | None] = {"ubl": None, "cii": None, "facturx": None}
    else:
        ubl, ubl_sha = await archive.read_archived(session, invoice, "ubl")
        cii, cii_sha = await archive.read_archived(session, invoice, "cii")
        pdf, pdf_sha = await archive.read_archived(session, invoice, "pdf")
        # Judge the XML a recipient's software will actually read: the one inside the PDF.
        fx = await asyncio.to_thread(embedded_facturx_xml, pdf) or b""
        shas = {"ubl": ubl_sha, "cii": cii_sha, "facturx": pdf_sha}
    reports = {
        "ubl": await _cached_validate(ubl, "ubl", shas["ubl"]),
        "cii": await _cached_validate(cii, "cii", shas["cii"]),
        "facturx": await _cached_validate(fx, "facturx", shas["facturx"]),
    }
    missing = [MissingFieldRead(field=m.field, message=m.message) for m in missing_for_einvoice(doc)]
    valid = all(r.valid for r in reports.values()) and not missing
    return ValidationResult(
        valid=valid,
        label="gültige XRechnung" if valid else "keine gültige XRechnung",
        missing=missing,
        rules=rule_versions(),
        **reports,
    )
