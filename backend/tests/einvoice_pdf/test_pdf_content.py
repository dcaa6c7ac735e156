"""What a person (pdftotext), a banking app (zbarimg) and a PDF/A validator see."""

import io
import re
from dataclasses import replace
from decimal import Decimal

import pikepdf
import pypdf
import pytest
from app.einvoice import girocode
from app.einvoice.pdf import render_pdf, wrap
from app.invoices.units import unit_label
from app.kit.money import fmt_eur_de

from . import scenarios as S
from .conftest import pdftotext_pages, zbar_decode_page

HEADER = re.compile(r"Pos\.\s+Beschreibung\s+Menge\s+Einheit\s+Einzelpreis\s+(USt\s+)?Gesamt")


def squash(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- pages and header


def test_ten_lines_fit_on_one_page(pdf_dir):
    pages = pdftotext_pages(pdf_dir / "standard.pdf")
    assert len(pages) == 1
    assert "Seite 1 von 1" in pages[0]


def test_sixty_lines_repeat_the_table_header_on_every_page(pdf_dir, rendered):
    pages = pdftotext_pages(pdf_dir / "many_lines.pdf")
    assert len(pages) > 1
    for n, page in enumerate(pages, start=1):
        assert HEADER.search(page), f"table header missing on page {n}"
        assert f"Seite {n} von {len(pages)}" in page
        # The seller's legal data is in every footer.
        assert "HRB 123456" in page and "USt-IdNr. DE123456789" in page
    # Every position is printed exactly once, in order.
    doc = rendered["many_lines"][0]
    text = "\n".join(pages)
    positions = [int(m) for m in re.findall(r"^\s*(\d{1,2})\s{2,}\S", text, flags=re.M)]
    assert positions == list(range(1, len(doc.lines) + 1))


def test_carry_over_amounts_add_up(pdf_dir, rendered):
    doc = rendered["many_lines"][0]
    pages = pdftotext_pages(pdf_dir / "many_lines.pdf")
    carried = []
    for page in pages[:-1]:
        m = re.search(r"Übertrag auf die nächste Seite\s+([\d.]+,\d\d €)", page)
        assert m, "page ends without a carry-over"
        carried.append(m.group(1))
    # The carry-over at the end of page k is the sum of the line nets printed so far,
    # and page k + 1 starts with it.
    nets = {line.position: line.net_amount for line in doc.lines}
    for k, page in enumerate(pages[:-1]):
        last_pos = max(int(m) for m in re.findall(r"^\s*(\d{1,2})\s{2,}\S", page, flags=re.M))
        assert carried[k] == fmt_eur_de(sum(nets[p] for p in range(1, last_pos + 1)))
        assert f"Übertrag {carried[k]}" in squash(pages[k + 1])


# --------------------------------------------------------------------------- what the invoice says


def test_standard_invoice_text(pdf_dir, rendered):
    doc = rendered["standard"][0]
    t = squash(pdftotext_pages(pdf_dir / "standard.pdf")[0])
    for expected in [
        "Rechnung Nr. RE-2026-0042",
        "Rechnungsdatum 26.11.2026",
        "Leistungszeitraum 01.11.2026 – 30.11.2026",
        "Fälligkeitsdatum 10.12.2026",
        "Kundennummer K-10042",
        "Ihre Referenz Bestellung 4711",
        "Müller & Söhne Softwareentwicklung GmbH · Hauptstraße 12 · 80331 München",  # sender line
        "Bäckerei Schönleber KG",
        "Fachbuch „Praxis der E-Rechnung“",
        "Frontend-Entwicklung – Rechnungsübersicht",
        "Nettobetrag 9.111,68 €",
        "zzgl. 19 % USt auf 9.031,88 € 1.716,06 €",
        "zzgl. 7 % USt auf 79,80 € 5,59 €",
        "Gesamtbetrag 10.833,33 €",
        "bis zum 10.12.2026",
        "DE02 1203 0000 0000 2020 51",
        "GiroCode",
        "Mit Banking-App scannen",
        "Steuernr. 143/123/45678",
        "Amtsgericht München",
    ]:
        assert expected in t, expected
    assert fmt_eur_de(doc.totals.gross_total) == "10.833,33 €"
    # Units appear under their German names, never as codes.
    for unit in ("Std.", "Monat(e)", "Stk.", "Tag(e)", "pauschal", "kWh"):
        assert f" {unit} " in t
    assert " HUR " not in t and " C62 " not in t
    # Unit prices keep sub-cent places, line totals are cents.
    assert "0,3125 €" in t and "97,63 €" in t


def test_small_business_invoice_shows_no_vat(pdf_dir):
    t = squash(pdftotext_pages(pdf_dir / "small_business.pdf")[0])
    assert "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet" in t
    assert t.count("Gemäß § 19 UStG") == 1  # from legal_notes and the VAT category, once
    assert "USt auf" not in t and " 19 %" not in t and " 0 %" not in t
    assert "Pos. Beschreibung Menge Einheit Einzelpreis Gesamt" in t  # no USt column
    assert "Leistungsdatum 20.11.2026" in t
    assert "Gesamtbetrag 1.337,50 €" in t


def test_reverse_charge_names_both_vat_ids(pdf_dir):
    t = squash(pdftotext_pages(pdf_dir / "reverse_charge.pdf")[0])
    assert t.count("Steuerschuldnerschaft des Leistungsempfängers") == 1
    assert "USt-IdNr. des Leistenden: DE123456789" in t
    assert "USt-IdNr. des Leistungsempfängers: FR40303265045" in t
    assert "Ihre USt-IdNr. FR40303265045" in t
    assert "FRANKREICH" in t  # DIN 5008: destination country in capitals
    assert "0 % USt auf 4.840,00 € (Reverse Charge) 0,00 €" in t


def test_public_authority_reference_is_labelled_leitweg_id_and_the_note_is_printed(pdf_dir):
    pages = pdftotext_pages(pdf_dir / "public_authority.pdf")
    t = squash(pages[0])
    assert "Leitweg-ID 05111000-12345-67" in t
    # The seller's note keeps its line break: two lines, in order, after the bank box.
    text = "\n".join(pages)
    first = text.index("Bei Rückfragen wenden Sie sich bitte an Herrn Weiß.")
    assert text.index("Vielen Dank für die gute Zusammenarbeit!") > first > text.index("Bankverbindung")


def test_partly_paid_invoice_shows_what_is_still_open(tmp_path):
    doc = S.standard(3, paid=Decimal("500.00"))
    path = tmp_path / "x.pdf"
    path.write_bytes(render_pdf(doc, S.minimal_cii(doc), created_at=S.CREATED))
    t = squash(pdftotext_pages(path)[0])
    gross = fmt_eur_de(doc.totals.gross_total)
    due = fmt_eur_de(doc.totals.amount_due)
    assert f"Gesamtbetrag {gross} abzgl. bereits gezahlt -500,00 € Offener Betrag {due}" in t
    assert f"Bitte überweisen Sie {due}" in t


def test_credit_note_refers_to_the_original_and_asks_for_no_payment(pdf_dir, tmp_path):
    t = squash(pdftotext_pages(pdf_dir / "credit_note.pdf")[0])
    assert "Gutschrift Nr. GS-2026-0003" in t
    assert "zur Rechnung Nr. RE-2026-0042 vom 26.11.2026" in t
    assert "Gutschriftsbetrag 714,00 €" in t
    assert "Bitte überweisen" not in t
    assert zbar_decode_page(pdf_dir / "credit_note.pdf", 1, tmp_path) == []


def test_draft_is_marked_and_has_no_girocode(pdf_dir, tmp_path):
    t = squash(pdftotext_pages(pdf_dir / "draft.pdf")[0])
    # pdftotext leaves out diagonal text; pypdf reads the watermark.
    assert "ENTWURF" in pypdf.PdfReader(pdf_dir / "draft.pdf").pages[0].extract_text()
    assert "Rechnung (Entwurf)" in t
    assert "Bitte nicht bezahlen" in t
    assert zbar_decode_page(pdf_dir / "draft.pdf", 1, tmp_path) == []


def test_service_date_note_when_no_date_was_given(tmp_path):
    doc = S.standard(2, service_period_start=None, service_period_end=None)
    path = tmp_path / "x.pdf"
    path.write_bytes(render_pdf(doc, S.minimal_cii(doc), created_at=S.CREATED))
    assert "Das Leistungsdatum entspricht dem Rechnungsdatum." in squash(pdftotext_pages(path)[0])


def test_characters_outside_the_font_are_replaced_not_lost(tmp_path):
    doc = S.standard(1)
    line = replace(doc.lines[0], description="Übersetzung 株式会社 – Łódź, Plzeň, Győr")
    doc = replace(doc, lines=(line,))
    path = tmp_path / "x.pdf"
    path.write_bytes(render_pdf(doc, S.minimal_cii(doc), created_at=S.CREATED))
    t = squash(pdftotext_pages(path)[0])
    assert "Übersetzung ???? – Łódź, Plzeň, Győr" in t


def test_unknown_unit_codes_are_shown_as_they_are():
    assert unit_label("HUR") == "Std."
    assert unit_label("h87") == "Stk."
    assert unit_label("ZZZ") == "ZZZ"


def test_wrap_breaks_words_longer_than_the_line():
    lines = wrap("https://example.org/" + "a" * 200, "RW-Sans", 9, 100)
    assert len(lines) > 3
    assert "".join(lines) == "https://example.org/" + "a" * 200


# --------------------------------------------------------------------------- GiroCode on paper


@pytest.mark.parametrize("name", ["standard", "small_business", "reverse_charge"])
def test_girocode_on_the_page_scans_to_iban_and_amount(pdf_dir, rendered, tmp_path, name):
    doc = rendered[name][0]
    pages = len(pdftotext_pages(pdf_dir / f"{name}.pdf"))
    decoded = zbar_decode_page(pdf_dir / f"{name}.pdf", pages, tmp_path)
    assert len(decoded) == 1
    payload = decoded[0].decode("utf-8")
    f = payload.split("\n")
    assert f[:4] == ["BCD", "002", "1", "SCT"]
    assert f[6] == S.IBAN
    assert f[7] == "EUR" + str(doc.totals.amount_due)
    assert f[10] == doc.number
    assert payload == girocode.payload_for(doc)


def test_girocode_scans_on_the_last_page_of_a_long_invoice(pdf_dir, rendered, tmp_path):
    doc = rendered["many_lines"][0]
    n = len(pdftotext_pages(pdf_dir / "many_lines.pdf"))
    decoded = zbar_decode_page(pdf_dir / "many_lines.pdf", n, tmp_path, dpi=200)
    assert [d.decode() for d in decoded] == [girocode.payload_for(doc)]


# --------------------------------------------------------------------------- PDF/A validation


def _without_facturx_xmp(data: bytes) -> bytes:
    """The same file with the Factur-X part of the XMP removed (see the test below)."""
    from lxml import etree

    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = etree.fromstring(pdf.Root.Metadata.read_bytes())
        rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
        for desc in list(tree.iter(rdf + "Description")):
            ns = set(desc.nsmap.values())
            if ns & {"http://www.aiim.org/pdfa/ns/extension/", "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"}:
                desc.getparent().remove(desc)
        packet = etree.tostring(tree, encoding="utf-8")
        head = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'.encode()
        pdf.Root.Metadata = pdf.make_stream(
            head + packet + b'\n<?xpacket end="w"?>', Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
        )
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


FACTURX_XMP_FINDING = re.compile(
    r"XMP (namespace (pdfaExtension|pdfaSchema|pdfaProperty|fx)=\S+|property (pdfaExtension:schemas|fx:\w+)) is not permitted"
)


@pytest.mark.parametrize("name", list(S.ALL))
def test_pdfa_3b_validator(pdf_dir, name):
    """pikepdf's allow-list validator (its rules are veraPDF's PDF/A-3b profile).

    It approves a construct only if it knows it to conform, and it knows no XMP
    extension schemas, so it flags the Factur-X schema that ZUGFeRD requires. We
    therefore require: (1) its only findings on the real file are exactly those, and
    (2) the same file with the Factur-X XMP removed passes completely. The extension
    schema itself is checked in test_pdf_structure.
    """
    import pikepdf.pdfa as pdfa

    data = (pdf_dir / f"{name}.pdf").read_bytes()
    report = pdfa.validate_written(io.BytesIO(data), "3b")
    others = [f for f in report.findings if not FACTURX_XMP_FINDING.search(str(f))]
    assert others == [], "\n".join(map(str, others))
    if name == "draft":
        assert report.passed
    stripped = pdfa.validate_written(io.BytesIO(_without_facturx_xmp(data)), "3b")
    assert stripped.passed, "\n".join(map(str, stripped.findings))


def test_address_window_keeps_city_and_country_when_lines_run_short(tmp_path):
    buyer = replace(
        S.BUYER,
        name="Internationale Gesellschaft für angewandte Logistik- und Lagertechnik mbH & Co. KG",
        contact_name="Abteilung Kreditorenbuchhaltung",
        address=S.Address(
            "Industriepark Nord, Gebäude 7 (Verwaltung), Eingang über Tor 3, Rampe 12", "1010", "Wien", "AT"
        ),
    )
    doc = S.standard(2, buyer=buyer)
    path = tmp_path / "x.pdf"
    path.write_bytes(render_pdf(doc, S.minimal_cii(doc), created_at=S.CREATED))
    t = squash(pdftotext_pages(path)[0])
    assert "1010 Wien" in t and "ÖSTERREICH" in t
    assert "Abteilung Kreditorenbuchhaltung" not in t  # the least needed line gave way


@pytest.mark.parametrize(
    "category, legal_note, expected_once",
    [
        (
            "AE",
            "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge) gemäß § 13b UStG / Art. 196 MwStSystRL.",
            "13b",
        ),
        ("K", "Steuerfreie innergemeinschaftliche Lieferung gemäß § 4 Nr. 1b UStG.", "4 Nr. 1b"),
        ("G", "Steuerfreie Ausfuhrlieferung gemäß § 4 Nr. 1a UStG.", "4 Nr. 1a"),
    ],
)
def test_a_supplied_legal_note_is_not_repeated_in_other_words(tmp_path, category, legal_note, expected_once):
    buyer = replace(S.BUYER, vat_id="FR40303265045", address=S.Address("1 Rue X", "69002", "Lyon", "FR"))
    lines = [S.L("Leistung", Decimal("1"), "C62", Decimal("100"), category, Decimal("0"))]
    doc = S.make_doc(lines, buyer=buyer, legal_notes=(legal_note,))
    path = tmp_path / "x.pdf"
    path.write_bytes(render_pdf(doc, S.minimal_cii(doc), created_at=S.CREATED))
    t = squash(pdftotext_pages(path)[0])
    assert legal_note in t
    assert t.count(expected_once) == 1
    if category in ("AE", "K"):
        assert "USt-IdNr. des Leistenden: DE123456789" in t and "FR40303265045." in t
