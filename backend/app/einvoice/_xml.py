"""Small, fast helpers shared by the UBL and CII writers.

The writers emit XML as strings rather than through an element tree: a 10-line invoice is
rendered several thousand times per second this way (see `bench/einvoice_xml.py`), and the
structure is fixed by the schemas anyway. Correctness of what they emit is proven by the test
suite, which parses every scenario and runs XSD + CEN + KoSIT rules on it.

Everything that comes from a user goes through `text()` / `attr()`, which escape markup and
drop characters XML 1.0 cannot carry at all (a pasted vertical tab would otherwise make the
whole invoice unparseable for the recipient).
"""

import re
from datetime import date
from decimal import Decimal

from app.einvoice.document import Address, InvoiceDocument, Party
from app.invoices.vat import VatCategory
from app.kit.money import round_cents

SPEC_XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
# Factur-X / ZUGFeRD profile EN 16931: its code list (FACTUR-X_EN16931_codedb.xml, list 1)
# accepts exactly this guideline id and rejects the XRechnung one (rule FX-SCH-A-000556).
SPEC_FACTURX_EN16931 = "urn:cen.eu:en16931:2017"
# BT-23: the PEPPOL billing process; XRechnung 3.0 carries it and PEPPOL-EN16931-R001 needs it.
PROCESS_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

# XML 1.0 forbids these code points even when escaped; lone surrogates cannot be encoded.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def text(value: str) -> str:
    """Escape character data."""
    if _INVALID_XML.search(value):
        value = _INVALID_XML.sub("", value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str) -> str:
    """Escape an attribute value (always written in double quotes)."""
    return text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def amount(value: Decimal) -> str:
    """Monetary amount: exactly two decimals (BR-DEC-* allow at most two)."""
    return f"{round_cents(value):f}"


def number(value: Decimal) -> str:
    """Quantity, unit price or percentage without exponent or trailing zeros: 19, 7, 1.5."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


def iso_date(value: date) -> str:
    return value.isoformat()


def cii_date(value: date) -> str:
    """UN/CEFACT date format 102 (CCYYMMDD)."""
    return value.strftime("%Y%m%d")


def compact(value: str | None) -> str | None:
    """Trim; treat blank as absent so no empty element is ever written (PEPPOL-EN16931-R008)."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def iban(value: str | None) -> str | None:
    """IBAN in electronic format: no spaces, upper case (BR-DE-19 checks the printed form)."""
    value = compact(value)
    return value.replace(" ", "").upper() if value else None


def electronic_address(party: Party) -> tuple[str, str] | None:
    """BT-34 / BT-49 with its scheme: the configured address, else the e-mail with scheme EM."""
    address = compact(party.electronic_address)
    if address:
        return address, (compact(party.electronic_address_scheme) or "EM")
    email = compact(party.email)
    if email:
        return email, "EM"
    return None


ITEM_NAME_MAX = 100


def item_name_and_description(description: str) -> tuple[str, str | None]:
    """BT-153 (item name) and, for long or multi-line texts, BT-154 (item description).

    Receivers show BT-153 in one table cell, so it gets the first line, shortened at a word
    boundary; the complete text is kept in BT-154 so nothing the seller wrote is lost.
    """
    full = description.strip()
    first = full.split("\n", 1)[0].strip()
    if first == full and len(full) <= ITEM_NAME_MAX:
        return full, None
    name = first
    if len(name) > ITEM_NAME_MAX:
        cut = name[: ITEM_NAME_MAX - 1]
        if " " in cut[40:]:
            cut = cut[: cut.rfind(" ")]
        name = cut.rstrip() + "…"
    return name, full


def categories(doc: InvoiceDocument) -> set[VatCategory]:
    return {line.vat_category for line in doc.lines}


def is_not_subject(doc: InvoiceDocument) -> bool:
    """O ("not subject to VAT") forbids seller and buyer VAT ids on the invoice (BR-O-02)."""
    return VatCategory.NOT_SUBJECT in categories(doc)


def seller_vat_id(doc: InvoiceDocument) -> str | None:
    return None if is_not_subject(doc) else compact(doc.seller.vat_id)


def buyer_vat_id(doc: InvoiceDocument) -> str | None:
    return None if is_not_subject(doc) else compact(doc.buyer.vat_id)


def seller_identifier(doc: InvoiceDocument) -> str | None:
    """BT-29 for a seller that has neither a VAT id nor a register number.

    BR-CO-26 wants the seller identifiable by BT-29, BT-30 or BT-31; in CII the tax number
    (BT-32, scheme FC) does not count. A small business with only a Steuernummer would fail,
    so the Steuernummer, which does identify the seller, is also given as BT-29 in that case.
    """
    if seller_vat_id(doc) or compact(doc.seller.register_number):
        return None
    return compact(doc.seller.tax_number)


def legal_registration(party: Party) -> str | None:
    """BT-30: the commercial register entry, with the court when known (e.g. "HRB 1234, AG Köln")."""
    number_ = compact(party.register_number)
    if not number_:
        return None
    court = compact(party.register_court)
    return f"{number_}, {court}" if court else number_


def delivery_address(doc: InvoiceDocument) -> Address | None:
    """Deliver-to address (BG-15), explicit or defaulted to the buyer's address.

    The default applies where a rule needs delivery information: intra-community supplies
    need a deliver-to country (BR-IC-12), and a CII invoice without a service date would
    otherwise carry an empty ApplicableHeaderTradeDelivery, which the Factur-X rules warn
    about (PEPPOL-EN16931-R008). Both syntaxes use the same answer, so UBL, CII and the PDF's
    XML say the same thing.
    """
    if doc.delivery_address is not None:
        return doc.delivery_address
    if VatCategory.INTRA_COMMUNITY in categories(doc) or doc.service_date is None:
        return doc.buyer.address
    return None


def notes(doc: InvoiceDocument) -> list[str]:
    """BT-22 free texts: the seller's note and the legally required notes, each once."""
    out: list[str] = []
    for note in (doc.note, *doc.legal_notes):
        note = compact(note)
        if note and note not in out:
            out.append(note)
    return out
