"""Validation of identifiers with well-kept libraries (schwifty, python-stdnum, pycountry).

Each function returns the normalised value or raises ValueError with a German message;
pydantic turns that into a 422 naming the field.
"""

import pycountry
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

_COUNTRIES = frozenset(c.alpha_2 for c in pycountry.countries)


def country_code(value: str) -> str:
    code = value.strip().upper()
    if code not in _COUNTRIES:
        raise ValueError("Kein gültiger Ländercode nach ISO 3166-1 (z. B. DE)")
    return code


def iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException:
        raise ValueError("Keine gültige IBAN") from None


def bic(value: str) -> str:
    try:
        return BIC(value).compact
    except SchwiftyException:
        raise ValueError("Keine gültige BIC") from None


def vat_id(value: str) -> str:
    try:
        return eu_vat.validate(value)
    except StdnumError:
        raise ValueError("Keine gültige USt-IdNr. (Länderkürzel und Nummer, z. B. DE123456788)") from None


def optional(fn):  # type: ignore[no-untyped-def]
    """Wrap a validator so that None and "" mean "not given"."""

    def wrapper(value: str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and not value.strip():
            return None
        return fn(value)

    return wrapper
