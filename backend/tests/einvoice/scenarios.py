"""Invoice scenarios for the e-invoice writers, validators and the PDF.

Each scenario is a complete `InvoiceDocument` built the way the application builds one: the
lines go through `compute_totals`, so the totals are exactly what the API would show.
`make_document(...)` builds variants (tests remove a field to see the validators object).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
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

D = Decimal

REVERSE_CHARGE_NOTE = (
    "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge) gemäß § 13b UStG / "
    "Art. 196 MwStSystRL."
)
INTRA_COMMUNITY_NOTE = "Steuerfreie innergemeinschaftliche Lieferung gemäß § 4 Nr. 1b UStG."
EXPORT_NOTE = "Steuerfreie Ausfuhrlieferung gemäß § 4 Nr. 1a UStG."
LEITWEG_ID = "04011000-1234512345-06"

SELLER = Party(
    name="Müller & Söhne Softwareentwicklung GmbH",
    address=Address("Königsallee 12", "40212", "Düsseldorf", "DE"),
    vat_id="DE123456789",
    tax_number="103/5678/1234",
    contact_name="Anna Müller",
    phone="+49 211 1234567",
    email="rechnung@mueller-soehne.de",
    register_court="Amtsgericht Düsseldorf",
    register_number="HRB 12345",
    website="https://mueller-soehne.de",
)

SMALL_SELLER = Party(
    name="Lena Schröder Grafikdesign",
    address=Address("Am Weißen Stein 3", "50667", "Köln", "DE"),
    tax_number="217/5123/4567",
    contact_name="Lena Schröder",
    phone="0221 987654",
    email="hallo@schroeder-grafik.de",
)

BUYER = Party(
    name="Beispiel Handels AG",
    address=Address("Hauptstraße 5", "10115", "Berlin", "DE"),
    contact_name="Jörg Weber",
    email="einkauf@beispiel-handel.de",
    customer_number="K-1001",
)

PAYMENT = PaymentInfo(
    iban="DE89 3704 0044 0532 0130 00",
    bic="COBADEFFXXX",
    bank_name="Commerzbank",
    account_name="Müller & Söhne Softwareentwicklung GmbH",
    remittance_text="RE-2025-0001",
    terms="Zahlbar innerhalb von 14 Tagen ohne Abzug.",
)


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = D("19")
    vat_category: str = "S"
    unit_code: str = "C62"


def make_document(
    lines: list[Line],
    *,
    number: str = "RE-2025-0001",
    type_code: str = INVOICE,
    seller: Party = SELLER,
    buyer: Party = BUYER,
    payment: PaymentInfo = PAYMENT,
    small_business: bool = False,
    buyer_reference: str | None = "PO-4711",
    paid_amount: Decimal = D("0"),
    **fields,
) -> InvoiceDocument:
    totals = compute_totals(lines, paid_amount=paid_amount)
    doc_lines = tuple(
        DocumentLine(
            position=i,
            description=line.description,
            quantity=line.quantity,
            unit_code=line.unit_code,
            unit_price=line.unit_price,
            vat_category=VatCategory(line.vat_category),
            vat_rate=line.vat_rate,
            net_amount=net,
        )
        for i, (line, net) in enumerate(zip(lines, totals.line_nets, strict=True), start=1)
    )
    base = dict(
        number=number,
        type_code=type_code,
        issue_date=date(2025, 3, 14),
        due_date=date(2025, 3, 28),
        currency="EUR",
        buyer_reference=buyer_reference,
        note=None,
        service_date=date(2025, 3, 10),
        service_period_start=None,
        service_period_end=None,
        seller=seller,
        buyer=buyer,
        payment=replace(payment, remittance_text=number),
        lines=doc_lines,
        totals=totals,
        small_business=small_business,
    )
    base.update(fields)
    return InvoiceDocument(**base)


def standard() -> InvoiceDocument:
    return make_document(
        [
            Line("Softwareentwicklung Modul Rechnungsexport", D("12"), D("95.00"), unit_code="HUR"),
            Line("Code-Review und Abnahme", D("3.5"), D("95.00"), unit_code="HUR"),
            Line("Hosting März 2025", D("1"), D("49.90"), unit_code="MON"),
        ],
        note="Vielen Dank für Ihren Auftrag.",
    )


def mixed_rates() -> InvoiceDocument:
    return make_document(
        [
            Line("Fachbuch „E-Rechnung in der Praxis“", D("2"), D("39.90"), D("7")),
            Line("Workshop E-Rechnung (Tagessatz)", D("1"), D("1200.00"), D("19"), unit_code="DAY"),
            Line("Seminarunterlagen gedruckt", D("15"), D("4.35"), D("7")),
            Line("Anfahrt pauschal", D("1"), D("85.00"), D("19"), unit_code="LS"),
        ]
    )


def small_business() -> InvoiceDocument:
    return make_document(
        [
            Line("Logo-Entwurf inkl. drei Korrekturschleifen", D("1"), D("650.00"), D("0"), "E", "LS"),
            Line("Visitenkarten-Layout", D("2"), D("45.00"), D("0"), "E", "HUR"),
        ],
        seller=SMALL_SELLER,
        payment=replace(PAYMENT, account_name="Lena Schröder", iban="DE02120300000000202051", bic="BYLADEM1001"),
        small_business=True,
        legal_notes=(SMALL_BUSINESS_NOTE,),
    )


def reverse_charge_eu() -> InvoiceDocument:
    buyer = Party(
        name="Alpenblick Software GmbH",
        address=Address("Mariahilfer Straße 100", "1070", "Wien", "AT"),
        vat_id="ATU12345678",
        contact_name="Sabine Gruber",
        email="buchhaltung@alpenblick.at",
        customer_number="K-2040",
    )
    return make_document(
        [
            Line("Beratung Schnittstellenkonzept", D("16"), D("120.00"), D("0"), "AE", "HUR"),
            Line("Implementierung REST-Adapter", D("5"), D("960.00"), D("0"), "AE", "DAY"),
        ],
        buyer=buyer,
        legal_notes=(REVERSE_CHARGE_NOTE,),
    )


def intra_community_supply() -> InvoiceDocument:
    buyer = Party(
        name="Atelier Lumière SARL",
        address=Address("12 Rue de la Paix", "75002", "Paris", "FR"),
        vat_id="FR12345678901",
        email="compta@atelier-lumiere.fr",
        customer_number="K-3300",
    )
    return make_document(
        [
            Line("LED-Panel 60x60 cm, 40 W", D("24"), D("89.50"), D("0"), "K"),
            Line("Montageschiene Aluminium", D("36"), D("7.80"), D("0"), "K", "MTR"),
            Line("Kabel NYM-J 3x1,5", D("12.5"), D("2.10"), D("0"), "K", "KGM"),
        ],
        buyer=buyer,
        legal_notes=(INTRA_COMMUNITY_NOTE,),
    )


def export_outside_eu() -> InvoiceDocument:
    buyer = Party(
        name="Bergkristall AG",
        address=Address("Bahnhofstrasse 21", "8001", "Zürich", "CH"),
        email="kreditoren@bergkristall.ch",
        customer_number="K-4100",
    )
    return make_document(
        [
            Line("Industriereiniger Konzentrat", D("200"), D("6.45"), D("0"), "G", "LTR"),
            Line("Dosierpumpe DP-20", D("2"), D("315.00"), D("0"), "G"),
        ],
        buyer=buyer,
        legal_notes=(EXPORT_NOTE,),
    )


def not_subject_to_vat() -> InvoiceDocument:
    # A service whose place of supply is outside Germany (§ 3a Abs. 2 UStG, non-EU business
    # customer): category O. The writers drop the VAT ids then (BR-O-02).
    buyer = Party(
        name="Hudson Analytics Inc.",
        address=Address("350 Fifth Avenue", "10118", "New York", "US"),
        email="ap@hudson-analytics.com",
        customer_number="K-5000",
    )
    return make_document(
        [Line("Datenanalyse-Beratung (remote)", D("20"), D("140.00"), D("0"), "O", "HUR")],
        buyer=buyer,
        legal_notes=("Nicht im Inland steuerbare Leistung (Leistungsort im Drittland, § 3a Abs. 2 UStG).",),
    )


def public_authority() -> InvoiceDocument:
    buyer = Party(
        name="Stadtverwaltung Musterstadt – Amt für Digitalisierung",
        address=Address("Rathausplatz 1", "12345", "Musterstadt", "DE"),
        contact_name="Herr Schmidt",
        email="e-rechnung@musterstadt.de",
        electronic_address=LEITWEG_ID,
        electronic_address_scheme="0204",
    )
    return make_document(
        [
            Line("Wartung Bürgerportal Q1/2025", D("3"), D("1450.00"), unit_code="MON"),
            Line("Schulung Sachbearbeitung", D("2"), D("780.00"), unit_code="DAY"),
        ],
        buyer=buyer,
        buyer_reference=LEITWEG_ID,
        service_date=None,
        service_period_start=date(2025, 1, 1),
        service_period_end=date(2025, 3, 31),
    )


UNIT_CODES = ("HUR", "DAY", "KGM", "LTR", "MTR", "KWH", "LS", "MON", "C62")


def unit_codes() -> InvoiceDocument:
    prices = ("85.00", "680.00", "3.99", "1.859", "12.40", "0.3412", "250.00", "29.00", "17.50")
    quantities = ("7.25", "2", "12.5", "40", "3.75", "1234", "1", "3", "4")
    return make_document(
        [
            Line(f"Leistung in Einheit {code}", D(q), D(p), unit_code=code)
            for code, q, p in zip(UNIT_CODES, quantities, prices, strict=True)
        ]
    )


def many_lines(count: int = 65) -> InvoiceDocument:
    lines = []
    for i in range(1, count + 1):
        rate, cat = (D("7"), "S") if i % 3 == 0 else (D("19"), "S")
        lines.append(
            Line(
                f"Position {i}: Ersatzteil Nr. {1000 + i} für Wartungsvertrag",
                D(i % 7 + 1),
                D("3.17") * (i % 11 + 1),
                rate,
                cat,
                UNIT_CODES[i % len(UNIT_CODES)],
            )
        )
    return make_document(lines, number="RE-2025-0099")


LONG_TEXT = (
    "Konzeption, Umsetzung und Dokumentation der Schnittstelle zwischen Warenwirtschaft und "
    "Finanzbuchhaltung: Übernahme der Debitoren, Abgleich offener Posten, Export im "
    "DATEV-Format, Fehlerbehandlung & Protokollierung.\n"
    "Abnahme am 07.03.2025 durch Frau Öztürk; Änderungswünsche <gemäß Protokoll> "
    "\"Version 2\" und 'Anhang B' eingearbeitet."
)


def special_characters() -> InvoiceDocument:
    buyer = replace(
        BUYER,
        name='Bäckerei Groß & Söhne "Zur Brezel" <Filiale Süd>',
        address=Address("Straße des 17. Juni 135 – Hinterhof", "10623", "Berlin", "DE"),
        contact_name="Zoë O'Brien-Weiß",
        email="o'brien@baeckerei-gross.de",
    )
    return make_document(
        [
            Line(LONG_TEXT, D("1"), D("4800.00"), unit_code="LS"),
            Line("Größenänderung & Übersetzung <ÄÖÜ äöü ß €> \"quoted\" 'single'", D("2.5"), D("88.00"), unit_code="HUR"),
            Line("Steuerzeichen\x0bwerden entfernt\x01, Emoji bleibt 🧾", D("1"), D("10.00")),
        ],
        buyer=buyer,
        buyer_reference="Bestellung #42 & <Rahmenvertrag>",
        note="Hinweis: Preise & Konditionen gemäß Angebot <A-17> vom 01.02.2025 — \"netto\".",
    )


def credit_note() -> InvoiceDocument:
    return make_document(
        [Line("Gutschrift: nicht erbrachte Leistungsstunden", D("4"), D("95.00"), unit_code="HUR")],
        number="GS-2025-0003",
        type_code=CREDIT_NOTE,
        preceding_invoice_number="RE-2025-0001",
        preceding_invoice_date=date(2025, 3, 14),
        note="Gutschrift zur Rechnung RE-2025-0001.",
        payment=replace(PAYMENT, terms="Der Betrag wird Ihnen innerhalb von 7 Tagen erstattet."),
    )


def partially_paid_period() -> InvoiceDocument:
    return make_document(
        [Line("Monatliche Wartungspauschale", D("3"), D("333.33"), unit_code="MON")],
        service_date=None,
        service_period_start=date(2025, 1, 1),
        service_period_end=date(2025, 3, 31),
        paid_amount=D("500.00"),
        due_date=None,
    )


SCENARIOS: dict[str, Callable[[], InvoiceDocument]] = {
    "standard": standard,
    "mixed_rates": mixed_rates,
    "small_business": small_business,
    "reverse_charge_eu": reverse_charge_eu,
    "intra_community_supply": intra_community_supply,
    "export_outside_eu": export_outside_eu,
    "not_subject_to_vat": not_subject_to_vat,
    "public_authority": public_authority,
    "unit_codes": unit_codes,
    "many_lines": many_lines,
    "special_characters": special_characters,
    "credit_note": credit_note,
    "partially_paid_period": partially_paid_period,
}


def ten_line_invoice() -> InvoiceDocument:
    """The benchmark's document: ten lines, two rates."""
    return make_document(
        [
            Line(f"Leistungsposition {i} mit etwas Beschreibungstext", D(i), D("19.95") + i, D("19") if i % 2 else D("7"))
            for i in range(1, 11)
        ]
    )
