"""The invoice as a PDF: ZUGFeRD / Factur-X (PDF/A-3b with the CII XML) or a draft.

`render_pdf(doc, cii_xml)` draws the invoice with reportlab's canvas in a DIN 5008 form B
letter layout and hands it to `pdfa.finish_pdfa3`, which makes it a PDF/A-3b file with the
XML embedded. Why reportlab's canvas and our own small layout engine instead of HTML
(WeasyPrint) or platypus: a 10-line invoice takes ~10 ms of CPU this way, against
~200-400 ms for the HTML route; see PDF.md for the measurements.

Layout in two steps: `_Layout` places everything into pages (a list of drawing
operations per page) without drawing, so the total page count is known before the first
"Seite 1 von N" is written; then each page is drawn with its header and footer.
"""

import gettext
import io
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

import pycountry
from PIL import Image
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.einvoice import fonts, girocode
from app.einvoice.document import CREDIT_NOTE, InvoiceDocument, Party
from app.einvoice.fonts import BOLD, REGULAR
from app.einvoice.pdfa import FacturX, PdfMeta, finish_pdfa3
from app.invoices.units import unit_label
from app.invoices.vat import VatCategory, exemption_reason
from app.kit.money import fmt_decimal_de, fmt_eur_de, round_cents
from app.kit.timeutil import utcnow

# reportlab wraps compressed page streams in ASCII85 by default (a 7-bit-safe habit of
# the 1990s). qpdf would have to decode it again for PDF/A; plain Flate is smaller and
# faster. This is reportlab's documented global switch; nothing else here uses reportlab.
rl_config.useA85 = 0

MM = 72 / 25.4
PAGE_W, PAGE_H = A4
LEFT = 25 * MM
RIGHT = PAGE_W - 20 * MM
TEXT_W = RIGHT - LEFT
BODY_BOTTOM = 32 * MM  # above the footer
FOLLOW_TOP = PAGE_H - 30 * MM  # where the table continues on later pages

GRAY_TEXT = 0.35  # labels and the footer: still crisp on a black-and-white laser
GRAY_RULE = 0.55
GRAY_HAIR = 0.78

# reportlab's TrueType fonts keep per-document subsetting state; one document at a time
# per process is also what the GIL would give us anyway.
_render_lock = threading.Lock()

Op = Callable[[Canvas], None]
log = logging.getLogger(__name__)


class PdfRenderError(ValueError):
    pass


# --------------------------------------------------------------------------- formatting


def d(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def money(value: Decimal, currency: str) -> str:
    text = fmt_eur_de(value)
    return text if currency == "EUR" else text[:-1] + currency


def unit_price(value: Decimal, currency: str) -> str:
    # Prices like 0,1234 €/kWh keep their places; everything else shows cents.
    if value == round_cents(value):
        return money(value, currency)
    return fmt_decimal_de(value, 4) + (" €" if currency == "EUR" else " " + currency)


def rate(value: Decimal) -> str:
    return fmt_decimal_de(value, 2) + " %"


def iban_groups(iban: str) -> str:
    compact = iban.replace(" ", "").upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


_LEITWEG = re.compile(r"^\d{2,12}(-[0-9A-Za-z]{1,30})?-\d{2}$")


def is_leitweg_id(value: str | None, buyer: Party) -> bool:
    if buyer.electronic_address_scheme == "0204":
        return True
    return bool(value and _LEITWEG.match(value.strip()))


@lru_cache(maxsize=1)
def _country_de() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"], fallback=True)


def country_name_de(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return _country_de().gettext(getattr(country, "common_name", None) or country.name)


def sw(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; words longer than the line (URLs, IBANs) are cut by character."""
    lines: list[str] = []
    for para in text.split("\n"):
        current = ""
        for word in para.split():
            candidate = f"{current} {word}" if current else word
            if sw(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            while sw(word, font, size) > width:
                k = len(word) - 1
                while k > 1 and sw(word[:k], font, size) > width:
                    k -= 1
                lines.append(word[:k])
                word = word[k:]
            current = word
        lines.append(current)
    while lines and not lines[-1]:
        lines.pop()
    return lines or [""]


def clean(text: str | None) -> str:
    """One line of printable text: unknown glyphs replaced, line breaks flattened."""
    return " ".join(fonts.supported(text or "").split())


def clean_block(text: str | None) -> str:
    """Printable text that keeps its line breaks (descriptions, notes, terms)."""
    return fonts.supported(text or "").replace("\r", "")


@lru_cache(maxsize=16)
def _logo(data: bytes) -> tuple[ImageReader, int, int]:
    """The logo flattened onto white and reduced to print resolution.

    Flattening removes the alpha channel: PDF/A-3 allows soft masks, but a plain opaque
    image is what prints the same on every device. Converting to RGB also removes CMYK
    JPEGs, which the sRGB output intent would not cover.
    """
    img = Image.open(io.BytesIO(data))
    img.load()
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        img = background
    elif img.mode != "RGB":
        img = img.convert("RGB")
    # 60 mm at 300 dpi is ~700 px; more only makes the PDF bigger and slower.
    if img.width > 900:
        img = img.resize((900, max(1, round(img.height * 900 / img.width))), Image.LANCZOS)
    return ImageReader(img), img.width, img.height


# --------------------------------------------------------------------------- drawing helpers


def text(c: Canvas, x: float, y: float, s: str, font: str = REGULAR, size: float = 9.5, gray: float = 0) -> None:
    c.setFillGray(gray)
    c.setFont(font, size)
    c.drawString(x, y, s)


def rtext(c: Canvas, x: float, y: float, s: str, font: str = REGULAR, size: float = 9.5, gray: float = 0) -> None:
    c.setFillGray(gray)
    c.setFont(font, size)
    c.drawRightString(x, y, s)


def hline(c: Canvas, x0: float, x1: float, y: float, width: float = 0.5, gray: float = GRAY_RULE) -> None:
    c.setStrokeGray(gray)
    c.setLineWidth(width)
    c.line(x0, y, x1, y)


# --------------------------------------------------------------------------- the table


@dataclass
class Column:
    title: str
    width: float
    align: str  # "l" or "r"
    x: float = 0.0  # left edge, set by _columns


def _columns(show_vat: bool) -> list[Column]:
    cols = [
        Column("Pos.", 9 * MM, "l"),
        Column("Beschreibung", 0, "l"),
        Column("Menge", 15 * MM, "r"),
        Column("Einheit", 16 * MM, "l"),
        Column("Einzelpreis", 22 * MM, "r"),
    ]
    if show_vat:
        cols.append(Column("USt", 11 * MM, "r"))
    cols.append(Column("Gesamt", 24 * MM, "r"))
    cols[1].width = TEXT_W - sum(col.width for col in cols)
    x = LEFT
    for col in cols:
        col.x = x
        x += col.width
    return cols


PAD = 1.6 * MM  # space between a column's edge and its text
T_SIZE = 9  # table text
T_LEAD = 11.2
ROW_PAD = 1.45 * MM
HEAD_H = 6.5 * MM
CARRY_H = 6.5 * MM


@dataclass
class Row:
    cells: list[str]  # one text per column; the description is in `desc_lines`
    desc_lines: list[tuple[str, str]]  # (font, line)
    net: Decimal

    @property
    def height(self) -> float:
        return len(self.desc_lines) * T_LEAD + 2 * ROW_PAD - (T_LEAD - T_SIZE)


# What a legal note mentions when it already explains a VAT category (lower case).
_NOTE_KEYS: dict[VatCategory, tuple[str, ...]] = {
    VatCategory.REVERSE_CHARGE: ("13b", "steuerschuldnerschaft", "reverse charge"),
    VatCategory.INTRA_COMMUNITY: ("4 nr. 1b", "innergemeinschaftliche lieferung"),
    VatCategory.EXPORT: ("4 nr. 1a", "ausfuhr"),
    VatCategory.NOT_SUBJECT: ("nicht steuerbar", "nicht im inland steuerbar"),
    VatCategory.EXEMPT: ("steuerfrei", "steuerbefreit", "§ 4 nr"),
}


# --------------------------------------------------------------------------- layout


@dataclass
class Page:
    ops: list[Op] = field(default_factory=list)


@dataclass
class Block:
    """Something of known height that is drawn with its top at the layout position."""

    height: float
    draw: Callable[[Canvas, float], None]

    def place(self, layout: "_Layout") -> None:
        top = layout.y
        layout.add(lambda c: self.draw(c, top))
        layout.y -= self.height


class _Layout:
    def __init__(self, doc: InvoiceDocument, qr_payload: str | None):
        self.doc = doc
        self.cur = doc.currency
        self.credit = doc.type_code == CREDIT_NOTE
        self.qr_payload = qr_payload
        self.show_vat = not doc.small_business
        self.cols = _columns(self.show_vat)
        self.pages: list[Page] = []
        self.y = 0.0

    # ---- paging

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def add(self, op: Op) -> None:
        self.page.ops.append(op)

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = FOLLOW_TOP

    def room(self) -> float:
        return self.y - BODY_BOTTOM

    def need(self, height: float) -> None:
        """Start a new page unless `height` fits below the current position."""
        if height > self.room():
            self.new_page()

    # ---- texts

    def doc_title(self) -> str:
        doc = self.doc
        kind = "Gutschrift" if self.credit else "Rechnung"
        if doc.is_draft or not doc.number:
            return f"{kind} (Entwurf)"
        return f"{kind} Nr. {clean(doc.number)}"

    # ---- first page

    def first_page(self) -> None:
        self.pages.append(Page())
        doc = self.doc
        seller, buyer = doc.seller, doc.buyer

        # Sender line (Rücksendeangabe), in the top zone of the address window.
        sender = " · ".join(
            p
            for p in (
                clean(seller.name),
                clean(seller.address.street),
                clean(" ".join(x for x in (seller.address.postal_code, seller.address.city) if x)),
            )
            if p
        )
        window_x = 20 * MM
        window_w = 85 * MM
        sender_size = 7
        while sw(sender, REGULAR, sender_size) > window_w - 10 * MM and sender_size > 5.5:
            sender_size -= 0.25
        while sw(sender, REGULAR, sender_size) > window_w - 10 * MM:
            sender = sender[:-2].rstrip() + "…"
        sender_y = PAGE_H - 59.5 * MM

        def sender_line(c: Canvas, s=sender, size=sender_size, y=sender_y) -> None:
            text(c, window_x + 5 * MM, y, s, size=size, gray=GRAY_TEXT)
            hline(c, window_x + 5 * MM, window_x + 5 * MM + sw(s, REGULAR, size), y - 1.6, 0.35, GRAY_TEXT)

        self.add(sender_line)

        # Recipient, in the address zone (starts 62.7 mm from the top in form B). Six lines
        # fit the window; the post needs city and country most, the contact person least.
        width = window_w - 10 * MM
        name = [(BOLD, ln) for ln in wrap(clean(buyer.name), BOLD, 10, width)[:2]]
        contact = [(REGULAR, clean(buyer.contact_name))] if buyer.contact_name else []
        street = [(REGULAR, ln) for ln in wrap(clean(buyer.address.street), REGULAR, 10, width)[:2]]
        city = " ".join(x for x in (buyer.address.postal_code, buyer.address.city) if x)
        place = [(REGULAR, clean(city))] if city else []
        if buyer.address.country_code.upper() != "DE":
            place.append((REGULAR, clean(country_name_de(buyer.address.country_code)).upper()))
        if len(name) + len(contact) + len(street) + len(place) > 6:
            contact = []
        if len(name) + len(street) + len(place) > 6:
            street = street[:1]
        lines = name + contact + street + place
        y0 = PAGE_H - 67 * MM

        def address(c: Canvas, lines=lines, y0=y0) -> None:
            for i, (font, ln) in enumerate(lines):
                text(c, window_x + 5 * MM, y0 - i * 12.4, ln, font, 10)

        self.add(address)

        # Information block: 125 mm from the left, from 50 mm below the top edge.
        rows: list[tuple[str, str]] = []
        number = "Entwurf" if doc.is_draft or not doc.number else clean(doc.number)
        rows.append(("Gutschriftsnummer" if self.credit else "Rechnungsnummer", number))
        rows.append(("Gutschriftsdatum" if self.credit else "Rechnungsdatum", d(doc.issue_date)))
        if doc.service_period_start and doc.service_period_end:
            rows.append(("Leistungszeitraum", f"{d(doc.service_period_start)} – {d(doc.service_period_end)}"))
        elif doc.service_date:
            rows.append(("Leistungsdatum", d(doc.service_date)))
        if doc.due_date and not self.credit and doc.totals.amount_due > 0:
            rows.append(("Fälligkeitsdatum", d(doc.due_date)))
        if buyer.customer_number:
            rows.append(("Kundennummer", clean(buyer.customer_number)))
        # BT-10 falls back to the customer or invoice number when the buyer gave none; a
        # person should not read that twice under another name.
        if doc.buyer_reference and doc.buyer_reference not in (buyer.customer_number, doc.number):
            label = "Leitweg-ID" if is_leitweg_id(doc.buyer_reference, buyer) else "Ihre Referenz"
            rows.append((label, clean(doc.buyer_reference)))
        if buyer.vat_id:
            rows.append(("Ihre USt-IdNr.", clean(buyer.vat_id)))
        if seller.contact_name:
            rows.append(("Ansprechpartner", clean(seller.contact_name)))
        info_x = 125 * MM
        value_x = info_x + 29 * MM
        value_w = RIGHT - value_x
        placed: list[tuple[str, list[str]]] = [(lab, wrap(val, REGULAR, 9, value_w)) for lab, val in rows]

        def info(c: Canvas, placed=placed) -> None:
            y = PAGE_H - 52 * MM
            for label, vals in placed:
                text(c, info_x, y, label, REGULAR, 8.5, GRAY_TEXT)
                for v in vals:
                    text(c, value_x, y, v, REGULAR, 9)
                    y -= 11.5

        self.add(info)
        info_bottom = PAGE_H - 52 * MM - 11.5 * sum(len(v) for _, v in placed)

        # Title (Betreff) and the opening line.
        y = min(PAGE_H - 98 * MM, info_bottom - 8 * MM)
        title = self.doc_title()
        self.add(lambda c, y=y, t=title: text(c, LEFT, y, t, BOLD, 15))
        y -= 6 * MM
        if self.credit and doc.preceding_invoice_number:
            ref = f"zur Rechnung Nr. {clean(doc.preceding_invoice_number)}"
            if doc.preceding_invoice_date:
                ref += f" vom {d(doc.preceding_invoice_date)}"
            self.add(lambda c, y=y, t=ref: text(c, LEFT, y, t, BOLD, 10))
            y -= 7 * MM
        intro = (
            "Wir schreiben Ihnen folgende Beträge gut:"
            if self.credit
            else "Vielen Dank für Ihren Auftrag. Wir berechnen Ihnen folgende Leistungen:"
        )
        self.add(lambda c, y=y, t=intro: text(c, LEFT, y, t, REGULAR, 10))
        self.y = y - 3.5 * MM

    # ---- table

    def rows(self) -> list[Row]:
        out = []
        desc_w = self.cols[1].width - 2 * PAD
        for line in self.doc.lines:
            desc = clean_block(line.description).strip()
            head, _, rest = desc.partition("\n")
            dl = [(BOLD if rest else REGULAR, ln) for ln in wrap(head, BOLD if rest else REGULAR, T_SIZE, desc_w)]
            if rest:
                dl += [(REGULAR, ln) for ln in wrap(rest, REGULAR, T_SIZE, desc_w)]
            cells = [
                str(line.position),
                "",
                fmt_decimal_de(line.quantity, 4),
                clean(unit_label(line.unit_code)),
                unit_price(line.unit_price, self.cur),
            ]
            if self.show_vat:
                cells.append(rate(line.vat_rate))
            cells.append(money(line.net_amount, self.cur))
            out.append(Row(cells, dl, line.net_amount))
        return out

    def table_header(self) -> None:
        y = self.y
        cols = self.cols

        def head(c: Canvas, y=y) -> None:
            c.setFillGray(0.92)
            c.rect(LEFT, y - HEAD_H, TEXT_W, HEAD_H, stroke=0, fill=1)
            hline(c, LEFT, RIGHT, y, 0.8, 0)
            hline(c, LEFT, RIGHT, y - HEAD_H, 0.8, 0)
            base = y - HEAD_H + 2.4 * MM
            for col in cols:
                if col.align == "r":
                    rtext(c, col.x + col.width - PAD, base, col.title, BOLD, 8.5)
                else:
                    text(c, col.x + PAD, base, col.title, BOLD, 8.5)

        self.add(head)
        self.y -= HEAD_H

    def carry_line(self, label: str, amount: Decimal, bottom: bool) -> None:
        y = self.y
        value = money(amount, self.cur)

        def carry(c: Canvas, y=y) -> None:
            base = y - CARRY_H + 2.2 * MM
            if bottom:
                hline(c, LEFT, RIGHT, y, 0.5, GRAY_RULE)
            rtext(c, self.cols[-2].x + self.cols[-2].width - PAD, base, label, REGULAR, 8.5, GRAY_TEXT)
            rtext(c, RIGHT - PAD, base, value, BOLD, 9)

        self.add(carry)
        self.y -= CARRY_H

    def table(self) -> None:
        rows = self.rows()
        self.need(HEAD_H + (rows[0].height if rows else 0) + CARRY_H)
        self.table_header()
        carried = Decimal("0")
        for i, row in enumerate(rows):
            last = i == len(rows) - 1
            # Keep room for the carry-over line unless this is the last row.
            reserve = 0 if last else CARRY_H
            if row.height + reserve > self.room():
                if row.height > (FOLLOW_TOP - BODY_BOTTOM - HEAD_H - 2 * CARRY_H) / 2:
                    # Taller than half a page: moving it whole would leave a large gap.
                    self.split_row(row, carried)
                    carried += row.net
                    continue
                self.page_break_in_table(carried)
            self.draw_row(row, row.desc_lines, with_cells=True)
            carried += row.net
        hline_y = self.y
        self.add(lambda c, y=hline_y: hline(c, LEFT, RIGHT, y, 0.8, 0))

    def page_break_in_table(self, carried: Decimal) -> None:
        self.carry_line("Zwischensumme, Übertrag auf die nächste Seite", carried, bottom=True)
        self.new_page()
        self.table_header()
        self.carry_line("Übertrag", carried, bottom=False)

    def split_row(self, row: Row, carried: Decimal) -> None:
        # A description longer than a page continues on the next page; the amounts
        # stand on its first part, so the carry-over after it includes this row.
        lines = row.desc_lines
        first = True
        while lines:
            fit = int((self.room() - CARRY_H - 2 * ROW_PAD) // T_LEAD)
            if fit < 2:
                self.page_break_in_table(carried if first else carried + row.net)
                continue
            part, lines = lines[:fit], lines[fit:]
            self.draw_row(row, part, with_cells=first)
            first = False
            if lines:
                self.page_break_in_table(carried + row.net)

    def draw_row(self, row: Row, desc_lines: list[tuple[str, str]], with_cells: bool) -> None:
        y = self.y
        height = len(desc_lines) * T_LEAD + 2 * ROW_PAD - (T_LEAD - T_SIZE)
        cols = self.cols

        def draw(c: Canvas, y=y, height=height, desc_lines=desc_lines) -> None:
            base = y - ROW_PAD - T_SIZE * 0.8
            if with_cells:
                for col, cell in zip(cols, row.cells, strict=True):
                    if not cell:
                        continue
                    if col.align == "r":
                        rtext(c, col.x + col.width - PAD, base, cell, REGULAR, T_SIZE)
                    else:
                        text(c, col.x + PAD, base, cell, REGULAR, T_SIZE)
            for i, (font, ln) in enumerate(desc_lines):
                text(c, cols[1].x + PAD, base - i * T_LEAD, ln, font, T_SIZE)
            hline(c, LEFT, RIGHT, y - height, 0.35, GRAY_HAIR)

        self.add(draw)
        self.y -= height

    # ---- totals

    def totals(self) -> None:
        doc = self.doc
        t = doc.totals
        items: list[tuple[str, str, str]] = []  # (font, label, amount)
        if not doc.small_business:
            items.append((REGULAR, "Nettobetrag", money(t.net_total, self.cur)))
            for g in t.vat_breakdown:
                base = money(g.taxable_amount, self.cur)
                if g.category == VatCategory.STANDARD:
                    label = f"zzgl. {rate(g.rate)} USt auf {base}"
                elif g.category == VatCategory.ZERO:
                    label = f"0 % USt auf {base}"
                else:
                    label = {
                        VatCategory.REVERSE_CHARGE: f"0 % USt auf {base} (Reverse Charge)",
                        VatCategory.INTRA_COMMUNITY: f"0 % USt auf {base} (innergem. Lieferung)",
                        VatCategory.EXPORT: f"0 % USt auf {base} (Ausfuhr)",
                        VatCategory.NOT_SUBJECT: f"Nicht steuerbar: {base}",
                        VatCategory.EXEMPT: f"Steuerfrei: {base}",
                    }[g.category]
                items.append((REGULAR, label, money(g.tax_amount, self.cur)))
        gross_label = "Gutschriftsbetrag" if self.credit else "Gesamtbetrag"
        items.append((BOLD, gross_label, money(t.gross_total, self.cur)))
        if t.paid_amount:
            items.append((REGULAR, "abzgl. bereits gezahlt", money(-t.paid_amount, self.cur)))
            items.append((BOLD, "Offener Betrag", money(t.amount_due, self.cur)))

        lead = 5.1 * MM
        bold_extra = 1.2 * MM  # room for the rule above the total
        height = 2 * MM + lead * len(items) + bold_extra * sum(f == BOLD for f, _, _ in items) + 2 * MM
        self.need(height)
        y = self.y - 2 * MM
        label_x = RIGHT - 88 * MM

        def draw(c: Canvas, y=y, items=items) -> None:
            top = y
            for font, label, amount in items:
                bold = font == BOLD
                if bold:
                    hline(c, label_x, RIGHT, top - 0.6 * MM, 0.8, 0)
                    top -= bold_extra
                base = top - 3.7 * MM
                size = 10.5 if bold else 9.5
                text(c, label_x + PAD, base, label, font, size)
                rtext(c, RIGHT - PAD, base, amount, font, size)
                top -= lead
            if items and items[-1][0] == BOLD:
                # The classic double rule under the amount that is to be paid.
                hline(c, label_x, RIGHT, top + 0.2 * MM, 0.7, 0)
                hline(c, label_x, RIGHT, top - 0.5 * MM, 0.7, 0)

        self.add(draw)
        self.y -= height

    # ---- paragraphs

    def paragraph(
        self, body: str, font: str = REGULAR, size: float = 9.5, gap_before: float = 3 * MM, gray: float = 0
    ) -> None:
        lead = size * 1.3
        lines = wrap(body, font, size, TEXT_W)
        self.y -= gap_before
        # Keep short paragraphs together; split long ones line by line.
        if len(lines) <= 4:
            self.need(len(lines) * lead)
        for ln in lines:
            if lead > self.room():
                self.new_page()
            y = self.y - size
            self.add(lambda c, y=y, ln=ln: text(c, LEFT, y, ln, font, size, gray))
            self.y -= lead

    def legal_notes(self) -> list[str]:
        """The notes the law asks for, each once.

        `doc.legal_notes` (the seller's or the app's wording, also written to the XML) come
        first. For every VAT category on the invoice that they do not already explain,
        the exemption reason from `vat.py` is added, so a reverse-charge or export
        invoice never goes out without its note even if no legal note was supplied. For
        reverse charge and intra-community supplies both VAT ids must be on the invoice
        (§ 14a UStG); they are added unless a note already names the buyer's.
        """
        doc = self.doc
        notes = [n.strip() for n in doc.legal_notes if n and n.strip()]
        lowered = " ".join(notes).lower()
        for cat in dict.fromkeys(g.category for g in doc.totals.vat_breakdown):
            reason = exemption_reason(cat, doc.small_business)
            if reason is None:
                continue
            keys = _NOTE_KEYS.get(cat, ())
            if doc.small_business and cat == VatCategory.EXEMPT:
                keys = ("§ 19",)
            if not any(k in lowered for k in keys):
                notes.append(reason[1].rstrip(".") + ".")
        categories = {g.category for g in doc.totals.vat_breakdown}
        if categories & {VatCategory.REVERSE_CHARGE, VatCategory.INTRA_COMMUNITY} and doc.buyer.vat_id:
            if doc.buyer.vat_id.replace(" ", "") not in " ".join(notes).replace(" ", ""):
                other = "Leistungsempfängers" if VatCategory.REVERSE_CHARGE in categories else "Abnehmers"
                notes.append(
                    f"USt-IdNr. des Leistenden: {doc.seller.vat_id or '–'}, USt-IdNr. des {other}: {doc.buyer.vat_id}."
                )
        if not (doc.service_date or doc.service_period_start):
            notes.append("Das Leistungsdatum entspricht dem Rechnungsdatum.")
        return [clean(n) for n in notes]

    # ---- payment

    def payment(self) -> None:
        doc = self.doc
        t = doc.totals
        pay = doc.payment
        terms = clean_block(pay.terms).strip() if pay.terms else ""
        if self.credit:
            self.paragraph(
                " ".join(
                    x
                    for x in (
                        terms,
                        f"Den Betrag von {money(t.amount_due, self.cur)} überweisen wir Ihnen auf Ihr Konto.",
                    )
                    if x
                ),
                gap_before=4 * MM,
            )
            return
        if t.amount_due <= 0:
            self.paragraph("Der Rechnungsbetrag ist bereits beglichen. Vielen Dank!", gap_before=4 * MM)
            return
        if doc.is_draft:
            if terms:
                self.paragraph(terms, gap_before=4 * MM)
            self.paragraph(
                "Dies ist ein Entwurf und noch keine gültige Rechnung. Bitte nicht bezahlen.",
                BOLD,
                gap_before=2 * MM,
            )
            return
        if not pay.iban:
            if terms:
                self.paragraph(terms, gap_before=4 * MM)
            return
        reference = clean(pay.remittance_text or doc.number or "")
        ask = f"Bitte überweisen Sie {money(t.amount_due, self.cur)}"
        if doc.due_date:
            ask += f" bis zum {d(doc.due_date)}"
        ask += f" unter Angabe der Rechnungsnummer {reference}."
        body = " ".join(x for x in (terms, ask) if x)
        box = self.bank_box(reference)
        # The request to pay and the bank details belong together: if the box does not
        # fit below the text, both start the next page.
        lines = wrap(body, REGULAR, 9.5, TEXT_W)
        self.need(4 * MM + len(lines) * 9.5 * 1.3 + 3 * MM + box.height)
        self.paragraph(body, gap_before=4 * MM)
        self.y -= 3 * MM
        self.need(box.height)
        box.place(self)

    def bank_box(self, reference: str) -> "Block":
        doc = self.doc
        pay = doc.payment
        bank = " · ".join(
            x for x in (clean(pay.bic) if pay.bic else "", clean(pay.bank_name) if pay.bank_name else "") if x
        )
        rows = [("Empfänger", clean(pay.account_name or doc.seller.name)), ("IBAN", iban_groups(pay.iban or ""))]
        if bank:
            rows.append(("BIC · Bank" if pay.bic and pay.bank_name else ("BIC" if pay.bic else "Bank"), bank))
        rows.append(("Verwendungszweck", reference))
        rows.append(("Betrag", money(doc.totals.amount_due, self.cur)))
        qr = girocode.make_qr(self.qr_payload) if self.qr_payload else None

        lead = 4.6 * MM
        qr_size = 25 * MM
        pad = 3.5 * MM
        rows_h = 6 * MM + lead * len(rows)
        inner = max(rows_h, (qr_size + 7 * MM) if qr else 0)
        height = inner + 2 * pad
        value_x = LEFT + pad + 30 * MM
        value_w = (RIGHT - pad - qr_size - 6 * MM if qr else RIGHT - pad) - value_x

        def box(c: Canvas, top: float) -> None:
            c.setStrokeGray(0)
            c.setLineWidth(0.8)
            c.roundRect(LEFT, top - height, TEXT_W, height, 2 * MM, stroke=1, fill=0)
            y = top - pad - 3.4 * MM
            text(c, LEFT + pad, y, "Bankverbindung", BOLD, 10)
            y -= 6 * MM
            for label, value in rows:
                text(c, LEFT + pad, y, label, REGULAR, 8.5, GRAY_TEXT)
                font = BOLD if label in ("IBAN", "Verwendungszweck", "Betrag") else REGULAR
                size = 10 if label == "IBAN" else 9.5
                v = value
                while sw(v, font, size) > value_w and len(v) > 4:
                    v = v[:-2] + "…"
                text(c, value_x, y, v, font, size)
                y -= lead
            if qr is not None:
                qx = RIGHT - pad - qr_size
                qy = top - pad - qr_size
                girocode.draw_qr(c, qr, qx, qy, qr_size)
                c.setFillGray(0)
                c.setFont(BOLD, 7.5)
                c.drawCentredString(qx + qr_size / 2, qy - 3.3 * MM, "GiroCode")
                c.setFont(REGULAR, 7)
                c.drawCentredString(qx + qr_size / 2, qy - 6.2 * MM, "Mit Banking-App scannen")

        return Block(height, box)

    # ---- everything

    def build(self) -> list[Page]:
        self.first_page()
        self.table()
        self.totals()
        notes = self.legal_notes()
        for i, note in enumerate(notes):
            self.paragraph(note, REGULAR, 9, gap_before=(5 * MM if i == 0 else 1.2 * MM))
        self.payment()
        if self.doc.note:
            self.paragraph(clean_block(self.doc.note), REGULAR, 9.5, gap_before=5 * MM)
        return self.pages


# --------------------------------------------------------------------------- page chrome


def _footer_columns(doc: InvoiceDocument) -> list[list[str]]:
    s = doc.seller
    a = s.address
    col1 = [s.name, a.street or "", " ".join(x for x in (a.postal_code, a.city) if x)]
    if a.country_code.upper() != "DE":
        col1.append(country_name_de(a.country_code))
    col2 = []
    if s.phone:
        col2.append(f"Tel. {s.phone}")
    if s.email:
        col2.append(s.email)
    if s.website:
        col2.append(s.website)
    col3 = []
    if s.tax_number:
        col3.append(f"Steuernr. {s.tax_number}")
    if s.vat_id:
        col3.append(f"USt-IdNr. {s.vat_id}")
    if s.register_court:
        col3.append(s.register_court)
    if s.register_number:
        col3.append(s.register_number)
    p = doc.payment
    col4 = []
    if p.bank_name:
        col4.append(p.bank_name)
    if p.iban:
        col4.append(f"IBAN {iban_groups(p.iban)}")
    if p.bic:
        col4.append(f"BIC {p.bic}")
    return [[clean(x) for x in col if x] for col in (col1, col2, col3, col4) if any(col)]


def _draw_chrome(c: Canvas, doc: InvoiceDocument, title: str, n: int, total: int, logo) -> None:
    # Fold marks and the hole-punch mark of DIN 5008 form B, at the left edge.
    c.setStrokeGray(GRAY_RULE)
    c.setLineWidth(0.4)
    for y_mm, length in ((105, 5), (148.5, 7), (210, 5)):
        c.line(4 * MM, PAGE_H - y_mm * MM, (4 + length) * MM, PAGE_H - y_mm * MM)

    if n == 1:
        if logo is not None:
            reader, w, h = logo
            max_w, max_h = 60 * MM, 22 * MM
            scale = min(max_w / w, max_h / h)
            dw, dh = w * scale, h * scale
            c.drawImage(reader, RIGHT - dw, PAGE_H - 12 * MM - dh, dw, dh)
        else:
            rtext(c, RIGHT, PAGE_H - 22 * MM, clean(doc.seller.name), BOLD, 16)
    else:
        text(c, LEFT, PAGE_H - 18 * MM, f"{title} vom {d(doc.issue_date)}", BOLD, 9.5)
        rtext(c, RIGHT, PAGE_H - 18 * MM, clean(doc.seller.name), REGULAR, 9.5, GRAY_TEXT)
        hline(c, LEFT, RIGHT, PAGE_H - 20.5 * MM, 0.5, GRAY_RULE)

    # Footer: the seller's legal data in columns, and the page number.
    rtext(c, RIGHT, 28 * MM, f"Seite {n} von {total}", REGULAR, 8.5, GRAY_TEXT)
    hline(c, LEFT, RIGHT, 25.8 * MM, 0.5, GRAY_RULE)
    _draw_footer_columns(c, _footer_columns(doc))


FOOT_SIZE = 7
FOOT_LEAD = 8.6
FOOT_GAP = 5 * MM


@lru_cache(maxsize=64)
def _footer_layout(cols: tuple[tuple[str, ...], ...]) -> tuple[tuple[float, tuple[str, ...]], ...]:
    """x position and (wrapped) lines of each footer column.

    Columns get their natural width with equal gaps, so a long company name is not
    cut off; only when everything together is wider than the text area are the widest
    columns narrowed and wrapped. Cached: the same seller's footer is drawn on every page
    of every invoice.
    """
    natural = [max(sw(ln, REGULAR, FOOT_SIZE) for ln in col) for col in cols]
    room = TEXT_W - FOOT_GAP * (len(cols) - 1)
    widths = list(natural)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=widths.__getitem__)
        widths[widest] -= min(widths[widest] - 20 * MM, sum(widths) - room) or 1
    gap = (TEXT_W - sum(widths)) / max(1, len(cols) - 1)
    out = []
    x = LEFT
    for col, width in zip(cols, widths, strict=True):
        lines: list[str] = []
        for ln in col:
            lines.extend(wrap(ln, REGULAR, FOOT_SIZE, width + 0.5))
        out.append((x, tuple(lines[:5])))
        x += width + gap
    return tuple(out)


def _draw_footer_columns(c: Canvas, cols: list[list[str]]) -> None:
    if not cols:
        return
    for x, lines in _footer_layout(tuple(tuple(col) for col in cols)):
        for j, ln in enumerate(lines):
            text(c, x, 22.4 * MM - j * FOOT_LEAD, ln, REGULAR, FOOT_SIZE, GRAY_TEXT)


def _draw_watermark(c: Canvas) -> None:
    # Drawn first, in light gray, so the content covers it: no transparency needed.
    c.saveState()
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(54)
    c.setFillGray(0.86)
    c.setFont(BOLD, 120)
    c.drawCentredString(0, -40, "ENTWURF")
    c.restoreState()


# --------------------------------------------------------------------------- entry point


def _meta(doc: InvoiceDocument, title: str, created: datetime) -> PdfMeta:
    kind = "Gutschrift" if doc.type_code == CREDIT_NOTE else "Rechnung"
    subject = f"{title} vom {d(doc.issue_date)} an {doc.buyer.name}"
    keywords = f"{kind}, ZUGFeRD, Factur-X, EN 16931" if not doc.is_draft else f"{kind}, Entwurf"
    return PdfMeta(title=title, author=doc.seller.name, subject=subject, keywords=keywords, created=created)


def draw_invoice(doc: InvoiceDocument) -> tuple[bytes, str]:
    """The drawn pages as reportlab wrote them (not yet PDF/A), and the title."""
    fonts.ensure_fonts()
    qr_payload = girocode.payload_for(doc)
    logo = None
    if doc.logo:
        try:
            logo = _logo(doc.logo)
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            # A logo that cannot be read must not stop an invoice from going out; the
            # upload check is the place to refuse it.
            log.warning("invoice logo not usable, rendering without it: %s", exc)
    with _render_lock:
        layout = _Layout(doc, qr_payload)
        pages = layout.build()
        title = layout.doc_title()
        buf = io.BytesIO()
        c = Canvas(
            buf,
            pagesize=A4,
            pageCompression=1,
            invariant=1,  # no timestamps or random IDs: finish_pdfa3 sets both
            initialFontName=REGULAR,  # else reportlab references unembedded Helvetica
            pdfVersion=(1, 7),
        )
        for n, page in enumerate(pages, start=1):
            if doc.is_draft:
                _draw_watermark(c)
            _draw_chrome(c, doc, title, n, len(pages), logo)
            for op in page.ops:
                op(c)
            c.showPage()
        c.save()
    return buf.getvalue(), title


def render_pdf(doc: InvoiceDocument, cii_xml: bytes | None, *, created_at: datetime | None = None) -> bytes:
    """The invoice PDF.

    Finalized invoices become ZUGFeRD / Factur-X (profile EN 16931): PDF/A-3b with
    `cii_xml` embedded as factur-x.xml. Drafts are PDF/A-3b too, but carry no XML, no
    GiroCode and an "ENTWURF" watermark. `created_at` (timezone-aware) fixes the
    timestamps; with it, the same document gives the same bytes.
    """
    if doc.is_draft:
        if cii_xml is not None:
            raise PdfRenderError("Ein Entwurf wird ohne XML erzeugt (cii_xml muss None sein).")
    else:
        if not cii_xml:
            raise PdfRenderError("Für eine ZUGFeRD-Rechnung fehlt das CII-XML.")
        if not doc.number:
            raise PdfRenderError("Eine festgeschriebene Rechnung braucht eine Rechnungsnummer.")
    if not doc.lines:
        raise PdfRenderError("Die Rechnung hat keine Positionen.")
    created = created_at or utcnow()
    drawn, title = draw_invoice(doc)
    facturx = None if doc.is_draft else FacturX(xml=cii_xml)
    return finish_pdfa3(drawn, _meta(doc, title, created), facturx)
