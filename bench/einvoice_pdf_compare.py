"""Compare ways to produce the ZUGFeRD PDF: drawing library x PDF/A writer.

    .venv/bin/python bench/einvoice_pdf_compare.py [--n 40]

The results are recorded in backend/app/einvoice/PDF.md. Every variant renders the same
ten-line invoice (different invoice number per call, so nothing is cached across calls),
with the same two Source Sans Pro faces embedded as subsets, a vector GiroCode, and the
CII XML attached as factur-x.xml; each result is then put through pikepdf's PDF/A-3b
validator. The layouts of the other variants are simplified but carry the same text
(letterhead, address, info block, table with wrapping descriptions, totals, bank box,
four-column footer). Needs the dev requirements; the WeasyPrint row appears only where
`weasyprint` is installed (it is deliberately not a project dependency:
`.venv/bin/pip install weasyprint==70.0` to reproduce).
"""

import argparse
import io
import statistics
import subprocess
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))

if "--no-accel" in sys.argv:
    sys.modules["_rl_accel"] = None  # reportlab falls back to its pure-Python helpers

from app.einvoice import fonts, girocode  # noqa: E402
from app.einvoice.pdf import _meta, draw_invoice, money, render_pdf, unit_price  # noqa: E402
from app.einvoice.pdfa import (  # noqa: E402
    FACTURX_FILENAME,
    FacturX,
    finish_pdfa3,
    pdf_date,
    srgb_icc,
    xmp_packet,
)
from app.invoices.units import unit_label  # noqa: E402
from tests.einvoice_pdf import scenarios as S  # noqa: E402

CREATED = S.CREATED


def documents(n: int):
    base = S.standard(10, logo=None)
    for i in range(n):
        number = f"RE-2026-{i:05d}"
        doc = replace(base, number=number, payment=replace(base.payment, remittance_text=number))
        yield doc, S.minimal_cii(doc)


# --------------------------------------------------------------------------- variants


def ours(doc, xml):
    return render_pdf(doc, xml, created_at=CREATED)


def reportlab_pypdf(doc, xml):
    """Our drawing; the PDF/A parts added with pypdf instead of qpdf."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    drawn, title = draw_invoice(doc)
    meta = _meta(doc, title, CREATED)
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(drawn)))
    ef = w.add_attachment(FACTURX_FILENAME, xml)
    ef.associated_file_relationship = NameObject("/Alternative")
    ef.subtype = NameObject("/text#2Fxml")
    ef.modification_date = CREATED
    root = w._root_object
    root[NameObject("/AF")] = ArrayObject([ef.pdf_object.indirect_reference])
    meta_stream = DecodedStreamObject()
    meta_stream.set_data(xmp_packet(meta, FacturX(xml)))
    meta_stream[NameObject("/Type")] = NameObject("/Metadata")
    meta_stream[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = w._add_object(meta_stream)
    icc = DecodedStreamObject()
    icc.set_data(srgb_icc())
    icc[NameObject("/N")] = NumberObject(3)
    oi = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/DestOutputProfile"): w._add_object(icc),
        }
    )
    root[NameObject("/OutputIntents")] = ArrayObject([oi])
    w.add_metadata(
        {
            "/Title": meta.title,
            "/Author": meta.author,
            "/Subject": meta.subject,
            "/Keywords": meta.keywords,
            "/Creator": meta.creator_tool,
            "/Producer": meta.producer,
            "/CreationDate": pdf_date(CREATED),
            "/ModDate": pdf_date(CREATED),
        }
    )
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def reportlab_direct(doc, xml):
    """Our drawing with the PDF/A objects added inside reportlab's own writer (no second
    pass). Fastest, but reportlab's file syntax is not PDF/A (no EOL before `endstream`)."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString

    class Raw(pdfdoc.PDFObject):
        __RefOnly__ = 1

        def __init__(self, entries, data, flate):
            self.entries, self.data, self.flate = entries, data, flate

        def format(self, document):
            body = zlib.compress(self.data) if self.flate else self.data
            d = dict(self.entries, Length=len(body))
            if self.flate:
                d["Filter"] = PDFName("FlateDecode")
            return pdfdoc.format(PDFDictionary(d), document) + b"\nstream\n" + body + b"\nendstream"

    class Info(pdfdoc.PDFObject):
        def __init__(self, meta):
            self.meta = meta

        def digest(self, md5):
            md5.update(self.meta.title.encode())

        def format(self, document):
            m = self.meta
            return pdfdoc.format(
                PDFDictionary(
                    {
                        "Title": PDFString(m.title),
                        "Author": PDFString(m.author),
                        "Subject": PDFString(m.subject),
                        "Keywords": PDFString(m.keywords),
                        "Creator": PDFString(m.creator_tool),
                        "Producer": PDFString(m.producer),
                        "CreationDate": PDFString(pdf_date(CREATED)),
                        "ModDate": PDFString(pdf_date(CREATED)),
                    }
                ),
                document,
            )

    captured = {}

    def hook(canvas):
        d = canvas._doc
        title = captured["title"]
        meta = _meta(doc, title, CREATED)
        cat = d.Catalog
        cat.__NoDefault__ = list(pdfdoc.PDFCatalog.__NoDefault__) + ["OutputIntents", "AF"]
        cat.Metadata = Raw(
            {"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}, xmp_packet(meta, FacturX(xml)), False
        )
        icc = d.Reference(Raw({"N": 3}, srgb_icc(), True))
        cat.OutputIntents = PDFArray(
            [
                PDFDictionary(
                    {
                        "Type": PDFName("OutputIntent"),
                        "S": PDFName("GTS_PDFA1"),
                        "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
                        "DestOutputProfile": icc,
                    }
                )
            ]
        )
        ef = d.Reference(
            Raw(
                {
                    "Type": PDFName("EmbeddedFile"),
                    "Subtype": PDFName("text#2Fxml"),
                    "Params": PDFDictionary({"Size": len(xml), "ModDate": PDFString(pdf_date(CREATED))}),
                },
                xml,
                True,
            )
        )
        spec = d.Reference(
            PDFDictionary(
                {
                    "Type": PDFName("Filespec"),
                    "F": PDFString(FACTURX_FILENAME),
                    "UF": PDFString(FACTURX_FILENAME),
                    "AFRelationship": PDFName("Alternative"),
                    "EF": PDFDictionary({"F": ef, "UF": ef}),
                }
            )
        )
        cat.AF = PDFArray([spec])
        cat.Names = PDFDictionary(
            {"EmbeddedFiles": PDFDictionary({"Names": PDFArray([PDFString(FACTURX_FILENAME), spec])})}
        )
        d.info = Info(meta)

    # draw_invoice saves the canvas itself; re-run its steps with the hook before save.
    from reportlab.pdfgen import canvas as rl_canvas

    original_save = rl_canvas.Canvas.save

    def save(self):
        hook(self)
        original_save(self)

    from app.einvoice import pdf as pdfmod

    layout = pdfmod._Layout(doc, girocode.payload_for(doc))
    captured["title"] = layout.doc_title()
    rl_canvas.Canvas.save = save
    try:
        drawn, _ = draw_invoice(doc)
    finally:
        rl_canvas.Canvas.save = original_save
    return drawn


def _invoice_texts(doc):
    rows = []
    for ln in doc.lines:
        rows.append(
            (
                str(ln.position),
                ln.description,
                f"{ln.quantity}".replace(".", ","),
                unit_label(ln.unit_code),
                unit_price(ln.unit_price, "EUR"),
                f"{ln.vat_rate:.0f} %",
                money(ln.net_amount, "EUR"),
            )
        )
    t = doc.totals
    totals = [("Nettobetrag", money(t.net_total, "EUR"))]
    totals += [
        (f"zzgl. {g.rate:.0f} % USt auf {money(g.taxable_amount, 'EUR')}", money(g.tax_amount, "EUR"))
        for g in t.vat_breakdown
    ]
    totals.append(("Gesamtbetrag", money(t.gross_total, "EUR")))
    footer = [
        [doc.seller.name, doc.seller.address.street, "80331 München"],
        [doc.seller.phone, doc.seller.email, doc.seller.website],
        [
            f"Steuernr. {doc.seller.tax_number}",
            f"USt-IdNr. {doc.seller.vat_id}",
            doc.seller.register_court,
            doc.seller.register_number,
        ],
        [doc.payment.bank_name, f"IBAN {doc.payment.iban}", f"BIC {doc.payment.bic}"],
    ]
    info = [
        ("Rechnungsnummer", doc.number),
        ("Rechnungsdatum", "26.11.2026"),
        ("Leistungszeitraum", "01.11.2026 – 30.11.2026"),
        ("Fälligkeitsdatum", "10.12.2026"),
        ("Kundennummer", "K-10042"),
        ("Ihre Referenz", "Bestellung 4711"),
    ]
    return rows, totals, footer, info


def platypus_pikepdf(doc, xml):
    """reportlab's platypus (Table with repeatRows, Paragraph wrapping) + our qpdf step."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Flowable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    fonts.ensure_fonts()
    rows, totals, footer, info = _invoice_texts(doc)
    body = ParagraphStyle("b", fontName=fonts.REGULAR, fontSize=9, leading=11)
    bold = ParagraphStyle("h", fontName=fonts.BOLD, fontSize=15, leading=18)
    qr = girocode.make_qr(girocode.payload_for(doc))

    class QR(Flowable):
        def wrap(self, *_):
            return 25 * mm, 25 * mm

        def draw(self):
            girocode.draw_qr(self.canv, qr, 0, 0, 25 * mm)

    def on_page(c, d):
        c.setFont(fonts.BOLD, 16)
        c.drawRightString(190 * mm, 275 * mm, doc.seller.name)
        c.setFont(fonts.REGULAR, 7)
        for i, col in enumerate(footer):
            for j, s in enumerate(col):
                c.drawString(25 * mm + i * 42 * mm, 22 * mm - j * 8.6, s)
        c.drawRightString(190 * mm, 28 * mm, f"Seite {d.page}")

    buf = io.BytesIO()
    d = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=20 * mm,
        topMargin=45 * mm,
        bottomMargin=32 * mm,
        invariant=1,
        initialFontName=fonts.REGULAR,
    )
    story = [
        Paragraph(f"{doc.seller.name} · Hauptstraße 12 · 80331 München", body),
        Paragraph(
            f"<b>{doc.buyer.name}</b><br/>{doc.buyer.contact_name}<br/>{doc.buyer.address.street}<br/>50667 Köln", body
        ),
        Table(info, colWidths=[30 * mm, 40 * mm], hAlign="RIGHT", style=[("FONT", (0, 0), (-1, -1), fonts.REGULAR, 9)]),
        Spacer(1, 6 * mm),
        Paragraph(f"Rechnung Nr. {doc.number}", bold),
    ]
    data = [["Pos.", "Beschreibung", "Menge", "Einheit", "Einzelpreis", "USt", "Gesamt"]] + [
        [r[0], Paragraph(r[1], body), *r[2:]] for r in rows
    ]
    story.append(
        Table(
            data,
            colWidths=[9 * mm, 68 * mm, 15 * mm, 16 * mm, 22 * mm, 11 * mm, 24 * mm],
            repeatRows=1,
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), fonts.BOLD, 8.5),
                    ("FONT", (0, 1), (-1, -1), fonts.REGULAR, 9),
                    ("ALIGN", (4, 0), (-1, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.35, (0.78, 0.78, 0.78)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            ),
        )
    )
    story.append(
        Table(
            totals,
            colWidths=[60 * mm, 28 * mm],
            hAlign="RIGHT",
            style=[("FONT", (0, 0), (-1, -1), fonts.REGULAR, 9.5), ("ALIGN", (1, 0), (1, -1), "RIGHT")],
        )
    )
    story.append(
        Paragraph(
            "Zahlbar innerhalb von 14 Tagen ohne Abzug. Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer.",
            body,
        )
    )
    bank = [
        ["Empfänger", doc.seller.name],
        ["IBAN", doc.payment.iban],
        ["BIC · Bank", doc.payment.bic],
        ["Verwendungszweck", doc.number],
    ]
    story.append(
        Table(
            [[Table(bank, style=[("FONT", (0, 0), (-1, -1), fonts.REGULAR, 9)]), QR()]],
            colWidths=[130 * mm, 35 * mm],
            style=[("BOX", (0, 0), (-1, -1), 0.8, (0, 0, 0))],
        )
    )
    d.build(story, onFirstPage=on_page, onLaterPages=on_page)
    meta = _meta(doc, f"Rechnung Nr. {doc.number}", CREATED)
    return finish_pdfa3(buf.getvalue(), meta, FacturX(xml))


def fpdf2_native(doc, xml):
    """fpdf2 with its PDF/A-3B mode, file embedding and output intent."""
    from fpdf import FPDF
    from fpdf.enums import OutputIntentSubType
    from fpdf.output import PDFICCProfile

    rows, totals, footer, info = _invoice_texts(doc)
    qr = girocode.make_qr(girocode.payload_for(doc))

    class Invoice(FPDF):
        def footer(self):
            self.set_font("SSP", "", 7)
            for i, col in enumerate(footer):
                for j, s in enumerate(col):
                    self.text(25 + i * 42, 275 - 0.5 + j * 3, s)
            self.set_font("SSP", "", 8.5)
            self.text(170, 268, f"Seite {self.page_no()} von {{nb}}")

    p = Invoice(enforce_compliance="PDF/A-3B")
    p.set_creation_date(CREATED)
    p.add_font("SSP", "", fonts.font_path(fonts.REGULAR))
    p.add_font("SSP", "B", fonts.font_path(fonts.BOLD))
    p.set_auto_page_break(True, 35)
    p.set_margins(25, 20, 20)
    p.add_page()
    p.set_font("SSP", "B", 16)
    p.text(120, 22, doc.seller.name)
    p.set_font("SSP", "", 7)
    p.text(25, 59, f"{doc.seller.name} · Hauptstraße 12 · 80331 München")
    p.set_font("SSP", "", 10)
    for i, s in enumerate([doc.buyer.name, doc.buyer.contact_name, doc.buyer.address.street, "50667 Köln"]):
        p.text(25, 67 + i * 4.4, s)
    p.set_font("SSP", "", 9)
    for i, (k, v) in enumerate(info):
        p.text(125, 52 + i * 4, k)
        p.text(154, 52 + i * 4, v)
    p.set_xy(25, 92)
    p.set_font("SSP", "B", 15)
    p.cell(0, 8, f"Rechnung Nr. {doc.number}", new_x="LMARGIN", new_y="NEXT")
    p.set_font("SSP", "", 9)
    with p.table(
        col_widths=(9, 68, 15, 16, 22, 11, 24),
        text_align=("LEFT", "LEFT", "RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        first_row_as_headings=True,
        repeat_headings=1,
        line_height=4.5,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row(["Pos.", "Beschreibung", "Menge", "Einheit", "Einzelpreis", "USt", "Gesamt"])
        for r in rows:
            table.row(list(r))
    for k, v in totals:
        p.cell(120, 5.1, k, align="R")
        p.cell(0, 5.1, v, align="R", new_x="LMARGIN", new_y="NEXT")
    p.multi_cell(
        0,
        5,
        "Zahlbar innerhalb von 14 Tagen ohne Abzug. Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer.",
    )
    y = p.get_y() + 3
    p.rect(25, y, 165, 36)
    for i, (k, v) in enumerate(
        [
            ("Empfänger", doc.seller.name),
            ("IBAN", doc.payment.iban),
            ("BIC · Bank", doc.payment.bic),
            ("Verwendungszweck", doc.number),
        ]
    ):
        p.text(29, y + 10 + i * 4.6, k)
        p.text(59, y + 10 + i * 4.6, v)
    m = 25 / qr.size
    for r, c, n in girocode.dark_runs(qr):
        p.rect(161 + c * m, y + 3 + r * m, n * m, m, style="F")
    p.embed_file(
        bytes=xml,
        basename=FACTURX_FILENAME,
        mime_type="text/xml",
        modification_date=CREATED,
        associated_file_relationship="Alternative",
    )
    p.add_output_intent(
        OutputIntentSubType.PDFA,
        "sRGB IEC61966-2.1",
        dest_output_profile=PDFICCProfile(contents=srgb_icc(), n=3, alternate="DeviceRGB"),
    )
    return bytes(p.output())


def weasyprint_html(doc, xml):
    """HTML + CSS paged media, PDF/A-3b variant with the XML attached."""
    import weasyprint

    rows, totals, footer, info = _invoice_texts(doc)
    svg = girocode.qr_svg(girocode.payload_for(doc)).decode()
    css = f"""
      @font-face {{ font-family: SSP; src: url(file://{fonts.font_path(fonts.REGULAR)}); }}
      @font-face {{ font-family: SSP; font-weight: bold; src: url(file://{fonts.font_path(fonts.BOLD)}); }}
      @page {{ size: A4; margin: 45mm 20mm 32mm 25mm;
        @bottom-right {{ content: "Seite " counter(page) " von " counter(pages); font: 8.5pt SSP; }} }}
      body {{ font: 9pt SSP; }} table {{ width: 100%; border-collapse: collapse; }}
      td, th {{ border-bottom: 0.35pt solid #ccc; padding: 1.5mm; vertical-align: top; }}
      .r {{ text-align: right; }} h1 {{ font-size: 15pt; }}
      footer {{ position: fixed; bottom: -25mm; font-size: 7pt; display: flex; gap: 8mm; }}
    """
    trs = "".join(
        "<tr>" + "".join(f"<td class={'r' if i in (2, 4, 5, 6) else ''}>{c}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    html = f"""<html lang=de><head><title>Rechnung {doc.number}</title><meta name=author content="{doc.seller.name}"><style>{css}</style></head><body>
      <footer>{"".join("<div>" + "<br>".join(col) + "</div>" for col in footer)}</footer>
      <p style="font-size:7pt">{doc.seller.name} · Hauptstraße 12 · 80331 München</p>
      <p><b>{doc.buyer.name}</b><br>{doc.buyer.contact_name}<br>{doc.buyer.address.street}<br>50667 Köln</p>
      <table style="width:70mm;margin-left:auto">{"".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in info)}</table>
      <h1>Rechnung Nr. {doc.number}</h1>
      <table><thead><tr><th>Pos.</th><th>Beschreibung</th><th>Menge</th><th>Einheit</th><th>Einzelpreis</th><th>USt</th><th>Gesamt</th></tr></thead>{trs}</table>
      <table style="width:88mm;margin-left:auto">{"".join(f"<tr><td>{k}</td><td class=r>{v}</td></tr>" for k, v in totals)}</table>
      <p>Zahlbar innerhalb von 14 Tagen ohne Abzug.</p>
      <div style="border:0.8pt solid black;display:flex"><div>Empfänger {doc.seller.name}<br>IBAN {doc.payment.iban}<br>BIC {doc.payment.bic}</div><div style="width:25mm">{svg}</div></div>
      </body></html>"""
    att = weasyprint.Attachment(
        string=xml, name=FACTURX_FILENAME, relationship="Alternative", modified=CREATED, created=CREATED
    )
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", attachments=[att], uncompressed_pdf=False)


VARIANTS = {
    "reportlab canvas + pikepdf/qpdf (ours)": ours,
    "reportlab canvas + pypdf": reportlab_pypdf,
    "reportlab canvas, PDF/A objects by reportlab": reportlab_direct,
    "reportlab platypus + pikepdf/qpdf": platypus_pikepdf,
    "fpdf2 2.8.9, PDF/A-3B mode": fpdf2_native,
    "WeasyPrint 70, pdf/a-3b": weasyprint_html,
}


# --------------------------------------------------------------------------- measuring


def pdfa_verdict(data: bytes) -> str:
    import re

    import pikepdf.pdfa as pdfa

    report = pdfa.validate_written(io.BytesIO(data), "3b")
    facturx = re.compile(
        r"XMP (namespace (pdfaExtension|pdfaSchema|pdfaProperty|fx)=|property (pdfaExtension:schemas|fx:))"
    )
    rest = [f for f in report.findings if not facturx.search(str(f))]
    if not rest:
        return "pass*"
    rules = sorted({str(f).split(" at ")[0].split("] ")[-1] for f in rest})
    return f"{len(rest)} findings: " + ", ".join(rules[:3]) + (" ..." if len(rules) > 3 else "")


def measure(fn, n: int):
    docs = list(documents(n + 5))
    for d, x in docs[:5]:
        fn(d, x)
    wall, cpu = [], []
    for d, x in docs[5:]:
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(d, x)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--only", default=None)
    parser.add_argument("--no-accel", action="store_true")
    args = parser.parse_args()

    rows = []
    for label, fn in VARIANTS.items():
        if args.only and args.only not in label:
            continue
        if fn is weasyprint_html:
            try:
                import weasyprint  # noqa: F401
            except ImportError:
                continue
        try:
            wall, cpu, out = measure(fn, args.n if fn is not weasyprint_html else max(5, args.n // 4))
        except Exception as exc:  # a variant that cannot do it at all is a result too
            rows.append((label, "-", "-", "-", "-", f"error: {type(exc).__name__}: {exc}"[:90]))
            continue
        rows.append(
            (
                label,
                f"{1000 / cpu:,.0f}/s",
                f"{wall:.1f} ms",
                f"{cpu:.1f} ms",
                f"{len(out) // 1024} KB",
                pdfa_verdict(out),
            )
        )
    if args.no_accel:
        for r in rows:
            print("\t".join(r))
        return
    if not args.only or "ours" in args.only:
        res = subprocess.run(
            [sys.executable, __file__, "--only", "(ours)", "--no-accel", "--n", str(args.n)],
            capture_output=True,
            text=True,
            check=True,
        )
        for line in res.stdout.strip().splitlines():
            parts = line.split("\t")
            parts[0] = parts[0].replace("(ours)", "(ours) without rl-accel")
            rows.append(tuple(parts))
    header = ("variant", "rate (cpu)", "median wall", "median cpu", "size", "pikepdf PDF/A-3b validator")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print("* pass apart from the Factur-X XMP extension schema, which this validator does not know")


if __name__ == "__main__":
    main()
