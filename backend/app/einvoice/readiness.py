"""What seller, buyer or invoice data is still missing for a valid XRechnung.

`missing_for_einvoice(doc)` runs before an invoice is finalized, so the API can answer 422
naming the fields to fill in, instead of finalizing an invoice whose XML the recipient's
validator would reject. Each check mirrors a rule of the official validators (the rule ids
are kept on every `MissingField`), and the test suite proves both directions: a document
without findings here validates, and every finding here is one the validators raise.

Field names are the API's: `organization.*` (seller master data), `contact.*` (the buyer),
`invoice.*` (the invoice itself). The invoice number is not checked: finalizing assigns it.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from app.einvoice import _xml as x
from app.einvoice.document import InvoiceDocument, Party
from app.invoices.vat import VatCategory, rate_fits_category

S, Z, E, AE, K, G, O = (
    VatCategory.STANDARD,
    VatCategory.ZERO,
    VatCategory.EXEMPT,
    VatCategory.REVERSE_CHARGE,
    VatCategory.INTRA_COMMUNITY,
    VatCategory.EXPORT,
    VatCategory.NOT_SUBJECT,
)
_NEEDS_SELLER_TAX_ID = {S, Z, E, AE, K, G}  # BR-DE-16 (and BR-S-02, BR-Z-02, BR-E-02, ...)
_RATE_RULE = {S: "BR-S-05", Z: "BR-Z-05", E: "BR-E-05", AE: "BR-AE-05", K: "BR-IC-05", G: "BR-G-05"}


@dataclass(frozen=True)
class MissingField:
    field: str
    message: str
    rules: tuple[str, ...] = ()  # the validator rules that flag it (any one of them)


@lru_cache(maxsize=1024)
def _iban_valid(iban: str) -> bool:
    # Runs before every finalization, almost always for the same few seller IBANs; parsing
    # one (schwifty: country registry, checksum) costs more than the rest of the checks.
    try:
        IBAN(iban)
    except SchwiftyException:
        return False
    return True


def _blank(value: str | None) -> bool:
    return x.compact(value) is None


def _party_address(out: list[MissingField], party: Party, prefix: str, role: str, rules: dict) -> None:
    a = party.address
    if _blank(a.postal_code):
        out.append(MissingField(f"{prefix}.postal_code", f"Postleitzahl {role} fehlt", rules["postal_code"]))
    if _blank(a.city):
        out.append(MissingField(f"{prefix}.city", f"Ort {role} fehlt", rules["city"]))
    if not a.country_code or len(a.country_code.strip()) != 2:
        out.append(MissingField(f"{prefix}.country_code", f"Land {role} fehlt", rules["country_code"]))


def missing_for_einvoice(doc: InvoiceDocument) -> list[MissingField]:
    out: list[MissingField] = []
    add = out.append
    cats = {line.vat_category for line in doc.lines}
    seller, buyer = doc.seller, doc.buyer

    # ---- seller (organization) ------------------------------------------------------------
    if _blank(seller.name):
        add(MissingField("organization.name", "Firmenname fehlt", ("BR-06",)))
    _party_address(
        out,
        seller,
        "organization",
        "des Verkäufers",
        {"postal_code": ("BR-DE-4",), "city": ("BR-DE-3",), "country_code": ("BR-09",)},
    )
    if _blank(seller.contact_name):
        add(MissingField("organization.contact_name", "Ansprechpartner fehlt", ("BR-DE-5", "BR-DE-2")))
    if _blank(seller.phone):
        add(MissingField("organization.phone", "Telefonnummer fehlt", ("BR-DE-6", "BR-DE-2")))
    elif len(re.findall(r"\d", seller.phone)) < 3:
        add(MissingField("organization.phone", "Telefonnummer ist unvollständig", ("BR-DE-27",)))
    if _blank(seller.email):
        add(MissingField("organization.email", "E-Mail-Adresse fehlt", ("BR-DE-7", "BR-DE-2", "PEPPOL-EN16931-R020")))
    elif not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", seller.email.strip()):
        add(MissingField("organization.email", "E-Mail-Adresse ist ungültig", ("BR-DE-28",)))

    has_vat_id = not _blank(seller.vat_id)
    has_tax_number = not _blank(seller.tax_number)
    if cats & {K, G}:
        if not has_vat_id:
            add(
                MissingField(
                    "organization.vat_id",
                    "USt-IdNr. fehlt (nötig für innergemeinschaftliche Lieferungen und Ausfuhren)",
                    ("BR-IC-02", "BR-G-02"),
                )
            )
    elif cats & _NEEDS_SELLER_TAX_ID and not (has_vat_id or has_tax_number):
        add(MissingField("organization.vat_id", "USt-IdNr. oder Steuernummer fehlt", ("BR-DE-16",)))
    if O in cats and not (has_tax_number or not _blank(seller.register_number)):
        # An O invoice must not show a VAT id (BR-O-02), so the seller needs another identifier.
        add(
            MissingField(
                "organization.tax_number",
                "Steuernummer fehlt (nötig für nicht steuerbare Leistungen)",
                ("BR-CO-26",),
            )
        )

    iban = x.iban(doc.payment.iban)
    if iban is None:
        add(MissingField("organization.iban", "Bankverbindung (IBAN) fehlt", ("BR-61", "CII-SR-470", "BR-DE-23-a")))
    elif not _iban_valid(iban):
        add(MissingField("organization.iban", "IBAN ist ungültig", ("BR-DE-19",)))

    # ---- buyer (contact) --------------------------------------------------------------------
    if _blank(buyer.name):
        add(MissingField("contact.name", "Name des Kunden fehlt", ("BR-07",)))
    _party_address(
        out,
        buyer,
        "contact",
        "des Kunden",
        {"postal_code": ("BR-DE-9",), "city": ("BR-DE-8",), "country_code": ("BR-11",)},
    )
    if x.electronic_address(buyer) is None:
        add(
            MissingField(
                "contact.email",
                "E-Mail-Adresse des Kunden fehlt (elektronische Adresse für die E-Rechnung)",
                ("PEPPOL-EN16931-R010",),
            )
        )
    if cats & {AE, K} and _blank(buyer.vat_id):
        add(
            MissingField(
                "contact.vat_id",
                "USt-IdNr. des Kunden fehlt (nötig bei Reverse Charge und innergemeinschaftlicher Lieferung)",
                ("BR-AE-02", "BR-IC-02"),
            )
        )

    # ---- invoice -----------------------------------------------------------------------------
    if _blank(doc.buyer_reference):
        add(
            MissingField(
                "invoice.buyer_reference",
                "Käuferreferenz fehlt (Leitweg-ID oder Bestellzeichen des Kunden)",
                ("BR-DE-15",),
            )
        )
    if not doc.lines:
        add(MissingField("invoice.lines", "Die Rechnung hat keine Positionen", ("BR-16",)))
    if O in cats and len(cats) > 1:
        add(
            MissingField(
                "invoice.lines",
                "Nicht steuerbare Positionen (O) dürfen nicht mit anderen Steuerkategorien gemischt werden",
                ("BR-O-11",),
            )
        )
    for line in doc.lines:
        if _blank(line.description):
            add(
                MissingField(
                    f"invoice.lines[{line.position - 1}].description",
                    f"Position {line.position} hat keine Bezeichnung",
                    ("BR-25",),
                )
            )
        rule = _RATE_RULE.get(line.vat_category)
        if rule and not rate_fits_category(line.vat_category, Decimal(line.vat_rate)):
            add(
                MissingField(
                    f"invoice.lines[{line.position - 1}].vat_rate",
                    f"Steuersatz {x.number(line.vat_rate)} % passt nicht zur Steuerkategorie {line.vat_category.value}",
                    (rule,),
                )
            )
    # No check for a due date or payment terms: EN 16931's BR-CO-25 asks for one of them, but
    # neither CEN's rules (1.3.16) nor KoSIT's enforce it, and the checker names only what the
    # validators reject. The writers emit both whenever they are given.
    if K in cats and not (doc.service_date or doc.service_period_start or doc.service_period_end):
        add(
            MissingField(
                "invoice.service_date",
                "Liefer- oder Leistungsdatum fehlt (nötig bei innergemeinschaftlicher Lieferung)",
                ("BR-IC-11",),
            )
        )
    if (
        doc.service_period_start
        and doc.service_period_end
        and doc.service_period_end < doc.service_period_start
    ):
        add(
            MissingField(
                "invoice.service_period_end",
                "Ende des Leistungszeitraums liegt vor dessen Beginn",
                ("BR-29",),
            )
        )
    return out
