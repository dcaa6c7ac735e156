"""Money helpers. Amounts are Decimal everywhere; floats never touch money."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_cents(value: Decimal) -> Decimal:
    """Commercial rounding (half up) to cents, as German invoices and EN 16931 expect."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_amount(value: Decimal) -> str:
    """Machine format for APIs and XML: always two places, dot separator ("119.00")."""
    return str(round_cents(value))


def fmt_eur_de(value: Decimal) -> str:
    """Human format for German documents: "1.234,56 €"."""
    q = round_cents(value)
    sign = "-" if q < 0 else ""
    whole, frac = f"{abs(q):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{frac} €"


def fmt_decimal_de(value: Decimal, max_places: int = 4) -> str:
    """A quantity or price in German notation without trailing zeros beyond two places."""
    q = value.quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP).normalize()
    # Keep at least the places a person expects for prices; quantities drop them.
    text = f"{q:f}"
    if "." in text:
        whole, frac = text.split(".")
    else:
        whole, frac = text, ""
    sign = ""
    if whole.startswith("-"):
        sign, whole = "-", whole[1:]
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    out = sign + ".".join(groups or ["0"])
    return out + ("," + frac if frac else "")


def fmt_quantity(value: Decimal) -> str:
    """Quantities without meaningless zeros: 2 -> "2", 1.5000 -> "1.5"."""
    text = f"{Decimal(value).normalize():f}"
    return text
