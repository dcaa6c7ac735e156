"""VAT categories (UNTDID 5305 subset used by EN 16931) and the texts they require.

One place for these facts: the API validation, the totals, the XML and the PDF read them here.
"""

from decimal import Decimal
from enum import StrEnum


class VatCategory(StrEnum):
    STANDARD = "S"  # standard or reduced rate, rate > 0
    ZERO = "Z"  # zero rated goods
    EXEMPT = "E"  # exempt (also: Kleinunternehmer, § 19 UStG)
    REVERSE_CHARGE = "AE"  # VAT reverse charge (§ 13b UStG)
    INTRA_COMMUNITY = "K"  # intra-community supply (§ 4 Nr. 1b UStG)
    EXPORT = "G"  # export outside the EU (§ 4 Nr. 1a UStG)
    NOT_SUBJECT = "O"  # services outside the scope of VAT


# Categories whose rate must be 0; S alone carries a positive rate.
ZERO_RATE_CATEGORIES = frozenset(
    {
        VatCategory.ZERO,
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_COMMUNITY,
        VatCategory.EXPORT,
        VatCategory.NOT_SUBJECT,
    }
)

SMALL_BUSINESS_NOTE = "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet (Kleinunternehmerregelung)."

# EN 16931 requires an exemption reason (BT-120) for these categories (BR-E-10, BR-AE-10,
# BR-IC-10, BR-G-10, BR-O-10). The codes are from the VATEX list (BT-121).
EXEMPTION_REASONS: dict[VatCategory, tuple[str | None, str]] = {
    VatCategory.EXEMPT: (None, "Steuerfreie Leistung"),
    VatCategory.REVERSE_CHARGE: (
        "VATEX-EU-AE",
        "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, § 13b UStG)",
    ),
    VatCategory.INTRA_COMMUNITY: (
        "VATEX-EU-IC",
        "Steuerfreie innergemeinschaftliche Lieferung (§ 4 Nr. 1b UStG)",
    ),
    VatCategory.EXPORT: ("VATEX-EU-G", "Steuerfreie Ausfuhrlieferung (§ 4 Nr. 1a UStG)"),
    VatCategory.NOT_SUBJECT: ("VATEX-EU-O", "Nicht im Inland steuerbare Leistung"),
}


def exemption_reason(category: VatCategory, small_business: bool) -> tuple[str | None, str] | None:
    """(VATEX code, text) for a category, or None where no reason is required (S, Z)."""
    if category == VatCategory.EXEMPT and small_business:
        return (None, SMALL_BUSINESS_NOTE)
    return EXEMPTION_REASONS.get(category)


def rate_fits_category(category: VatCategory, rate: Decimal) -> bool:
    if category == VatCategory.STANDARD:
        return rate > 0
    return rate == 0
