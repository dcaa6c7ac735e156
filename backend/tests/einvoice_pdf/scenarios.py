"""Invoice documents for the PDF tests and the benchmark: the scenarios issue 3 names.

Built through `compute_totals`, like the real `build_document`, so totals and line nets
are what the app would print.
"""

import io
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from app.einvoice.document import (
    CREDIT_NOTE,
    INVOICE,
    Address,
    DocumentLine,
    InvoiceDocument,
    Party,
    PaymentInfo,
)
from app.invoices.totals import compute_totals
from app.invoices.vat import SMALL_BUSINESS_NOTE, VatCategory
from PIL import Image, ImageDraw

CREATED = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
IBAN = "DE02120300000000202051"  # a valid test IBAN (Deutsche Kreditbank example)
BIC = "BYLADEM1001"


@dataclass(frozen=True)
class L:
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    vat_category: str = "S"
    vat_rate: Decimal = Decimal("19")


SELLER = Party(
    name="Müller & Söhne Softwareentwicklung GmbH",
    address=Address("Hauptstraße 12", "80331", "München", "DE"),
    vat_id="DE123456789",
    tax_number="143/123/45678",
    contact_name="Jürgen Weiß",
    phone="+49 89 1234567-0",
    email="rechnung@mueller-soehne.de",
    electronic_address="rechnung@mueller-soehne.de",
    electronic_address_scheme="EM",
    register_court="Amtsgericht München",
    register_number="HRB 123456",
    website="www.mueller-soehne.de",
)

BUYER = Party(
    name="Bäckerei Schönleber KG",
    address=Address("Lindenallee 5a", "50667", "Köln", "DE"),
    contact_name="Frau Käthe Groß",
    email="buchhaltung@schoenleber.de",
    electronic_address="buchhaltung@schoenleber.de",
    electronic_address_scheme="EM",
    customer_number="K-10042",
)

PAYMENT = PaymentInfo(
    iban=IBAN,
    bic=BIC,
    bank_name="Stadtsparkasse München",
    account_name=None,
    remittance_text=None,
    terms="Zahlbar innerhalb von 14 Tagen ohne Abzug.",
)

_WORK = [
    L("Konzeption und Anforderungsanalyse „Kundenportal“", Decimal("12"), "HUR", Decimal("95.00")),
    L("Frontend-Entwicklung – Rechnungsübersicht", Decimal("24.5"), "HUR", Decimal("95.00")),
    L("Backend-Entwicklung: Schnittstelle zur Warenwirtschaft", Decimal("31"), "HUR", Decimal("105.00")),
    L("Hosting Managed Server (Monatspauschale)", Decimal("1"), "MON", Decimal("149.00")),
    L("Fachbuch „Praxis der E-Rechnung“", Decimal("2"), "C62", Decimal("39.90"), "S", Decimal("7")),
    L("Vor-Ort-Termin inkl. Anfahrt", Decimal("1"), "DAY", Decimal("780.00")),
    L("SSL-Zertifikat (Wildcard), Laufzeit 12 Monate", Decimal("1"), "LS", Decimal("89.00")),
    L("Datenmigration Altbestand", Decimal("6.25"), "HUR", Decimal("95.00")),
    L("Stromkosten Serverraum", Decimal("312.4"), "KWH", Decimal("0.3125")),
    L("Schulung der Mitarbeiterinnen und Mitarbeiter", Decimal("0.5"), "DAY", Decimal("1200.00")),
]


def _doc_lines(lines: list[L]) -> tuple[tuple[DocumentLine, ...], object]:
    totals = compute_totals(lines)
    doc_lines = tuple(
        DocumentLine(
            position=i + 1,
            description=ln.description,
            quantity=ln.quantity,
            unit_code=ln.unit_code,
            unit_price=ln.unit_price,
            vat_category=VatCategory(ln.vat_category),
            vat_rate=ln.vat_rate,
            net_amount=totals.line_nets[i],
        )
        for i, ln in enumerate(lines)
    )
    return doc_lines, totals


def make_doc(lines: list[L], **overrides) -> InvoiceDocument:
    paid = overrides.pop("paid", Decimal("0"))
    doc_lines, _ = _doc_lines(lines)
    totals = compute_totals(lines, paid)
    number = overrides.pop("number", "RE-2026-0042")
    payment = overrides.pop("payment", replace(PAYMENT, remittance_text=number))
    base = dict(
        number=number,
        type_code=INVOICE,
        issue_date=date(2026, 11, 26),
        due_date=date(2026, 12, 10),
        currency="EUR",
        buyer_reference="Bestellung 4711",
        note=None,
        service_date=None,
        service_period_start=date(2026, 11, 1),
        service_period_end=date(2026, 11, 30),
        seller=SELLER,
        buyer=BUYER,
        payment=payment,
        lines=doc_lines,
        totals=totals,
        small_business=False,
    )
    base.update(overrides)
    return InvoiceDocument(**base)


def standard(n: int = 10, **overrides) -> InvoiceDocument:
    """n lines, 19 % and 7 % mixed (every fifth line is a book at 7 %)."""
    lines = [_WORK[i % len(_WORK)] for i in range(n)]
    return make_doc(lines, **overrides)


def standard_only() -> InvoiceDocument:
    lines = [replace(ln, vat_rate=Decimal("19")) for ln in _WORK[:3]]
    return make_doc(lines)


def long_descriptions(n: int = 60) -> InvoiceDocument:
    lines = []
    for i in range(n):
        base = _WORK[i % len(_WORK)]
        if i % 7 == 3:
            base = replace(
                base,
                description=base.description
                + "\nLeistungsbeschreibung: Analyse, Umsetzung und Test gemäß Pflichtenheft "
                "vom 02.10.2026, einschließlich Abstimmungen mit der Fachabteilung, "
                "Dokumentation im Wiki und Übergabe an den Betrieb. Änderungswünsche "
                "außerhalb des vereinbarten Umfangs werden gesondert berechnet.",
            )
        lines.append(base)
    return make_doc(lines, number="RE-2026-0043")


def small_business() -> InvoiceDocument:
    seller = replace(
        SELLER,
        name="Grafikdesign Özdemir",
        vat_id=None,
        tax_number="21/815/08150",
        register_court=None,
        register_number=None,
        contact_name=None,
        website=None,
        email="hallo@oezdemir-design.de",
    )
    lines = [
        L("Logo-Entwicklung inkl. 3 Korrekturschleifen", Decimal("1"), "LS", Decimal("850.00"), "E", Decimal("0")),
        L("Geschäftsausstattung (Visitenkarte, Briefbogen)", Decimal("6"), "HUR", Decimal("65.00"), "E", Decimal("0")),
        L("Druckdaten-Aufbereitung", Decimal("1.5"), "HUR", Decimal("65.00"), "E", Decimal("0")),
    ]
    return make_doc(
        lines,
        number="2026-017",
        seller=seller,
        small_business=True,
        legal_notes=(SMALL_BUSINESS_NOTE,),
        service_period_start=None,
        service_period_end=None,
        service_date=date(2026, 11, 20),
        payment=replace(PAYMENT, account_name="Aylin Özdemir", bank_name="GLS Bank", remittance_text="2026-017"),
    )


def reverse_charge() -> InvoiceDocument:
    buyer = Party(
        name="Société Générale de Logiciels SARL",
        address=Address("12 Rue de la République", "69002", "Lyon", "FR"),
        vat_id="FR40303265045",
        contact_name="Mme Hélène Lefèvre",
        email="factures@sgl.fr",
        electronic_address="factures@sgl.fr",
        electronic_address_scheme="EM",
        customer_number="K-20007",
    )
    lines = [
        L("Softwareentwicklung Schnittstelle SEPA-Export", Decimal("38"), "HUR", Decimal("110.00"), "AE", Decimal("0")),
        L("Projektmanagement", Decimal("6"), "HUR", Decimal("110.00"), "AE", Decimal("0")),
    ]
    return make_doc(lines, number="RE-2026-0044", buyer=buyer, buyer_reference="PO-77812")


def public_authority() -> InvoiceDocument:
    buyer = Party(
        name="Landeshauptstadt Düsseldorf – Amt für Digitalisierung",
        address=Address("Willi-Becker-Allee 10", "40227", "Düsseldorf", "DE"),
        email="e-rechnung@duesseldorf.de",
        electronic_address="05111000-12345-67",
        electronic_address_scheme="0204",
        customer_number="K-30001",
    )
    return standard(
        4,
        number="RE-2026-0045",
        buyer=buyer,
        buyer_reference="05111000-12345-67",
        note="Bei Rückfragen wenden Sie sich bitte an Herrn Weiß.\nVielen Dank für die gute Zusammenarbeit!",
    )


def credit_note() -> InvoiceDocument:
    lines = [L("Gutschrift für nicht erbrachte Leistungen (Schulung)", Decimal("0.5"), "DAY", Decimal("1200.00"))]
    return make_doc(
        lines,
        number="GS-2026-0003",
        type_code=CREDIT_NOTE,
        preceding_invoice_number="RE-2026-0042",
        preceding_invoice_date=date(2026, 11, 26),
        due_date=None,
        payment=replace(PAYMENT, terms=None, remittance_text="GS-2026-0003"),
    )


def draft() -> InvoiceDocument:
    return standard(5, number=None, is_draft=True)


def logo_png() -> bytes:
    """A small logo with transparency, as sellers upload them."""
    img = Image.new("RGBA", (480, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((4, 4, 156, 156), radius=28, fill=(20, 90, 110, 255))
    draw.polygon([(40, 120), (80, 40), (120, 120)], fill=(255, 255, 255, 255))
    draw.rectangle((180, 50, 470, 75), fill=(20, 90, 110, 255))
    draw.rectangle((180, 95, 400, 115), fill=(120, 120, 120, 200))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


ALL = {
    "standard": lambda: standard(10, logo=logo_png()),
    "standard_only": standard_only,
    "many_lines": long_descriptions,
    "small_business": small_business,
    "reverse_charge": reverse_charge,
    "public_authority": public_authority,
    "credit_note": credit_note,
    "draft": draft,
}


def minimal_cii(doc: InvoiceDocument) -> bytes:
    """A small, well-formed CII document standing in for `render_cii` in these tests.

    The PDF must embed whatever XML it is given byte for byte; the real CII and its
    official validation live on the XML side.
    """
    t = doc.totals
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"'
        ' xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"'
        ' xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">\n'
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
        "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>"
        "</ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>\n"
        f"<rsm:ExchangedDocument><ram:ID>{doc.number}</ram:ID><ram:TypeCode>{doc.type_code}</ram:TypeCode>"
        f'<ram:IssueDateTime><udt:DateTimeString format="102">{doc.issue_date:%Y%m%d}</udt:DateTimeString>'
        "</ram:IssueDateTime></rsm:ExchangedDocument>\n"
        "<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement>"
        f"<ram:InvoiceCurrencyCode>{doc.currency}</ram:InvoiceCurrencyCode>"
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        f"<ram:GrandTotalAmount>{t.gross_total}</ram:GrandTotalAmount>"
        f"<ram:DuePayableAmount>{t.amount_due}</ram:DuePayableAmount>"
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>\n"
        "</rsm:CrossIndustryInvoice>\n"
    ).encode()
