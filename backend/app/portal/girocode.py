"""GiroCode (EPC QR code, EPC069-12 version 002) for the portal's bank transfer box.

Adapter with a single function: the e-invoice package is getting the shared GiroCode module
(`app.einvoice.girocode`, also used on the PDF); when it lands, the integrator points
`girocode_for` at it and the portal keeps calling the same signature.
"""

from decimal import Decimal
from functools import lru_cache

import segno

from app.kit.money import round_cents

MAX_NAME = 70
MAX_REMITTANCE = 140
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
# EPC069-12: error correction level M and at most QR version 13, so every banking app can
# read it; the payload may not exceed 331 bytes.
MAX_VERSION = 13
MAX_PAYLOAD_BYTES = 331


def _one_line(value: str, limit: int) -> str:
    # A line break inside a field would shift every later field in the payload.
    return " ".join(value.split())[:limit]


def epc_payload(iban: str, bic: str | None, name: str, amount: Decimal, remittance: str) -> str:
    """The EPC QR payload: one field per line, UTF-8 (character set 1), credit transfer."""
    iban = "".join(iban.split()).upper()
    if not iban or len(iban) > 34:
        raise ValueError("IBAN fehlt oder ist zu lang")
    name = _one_line(name, MAX_NAME)
    if not name:
        raise ValueError("Empfängername fehlt")
    amount = round_cents(Decimal(amount))
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise ValueError("Betrag außerhalb des GiroCode-Bereichs")
    fields = [
        "BCD",
        "002",
        "1",
        "SCT",
        "".join((bic or "").split()).upper(),
        name,
        iban,
        f"EUR{amount}",
        "",  # purpose code: none
        "",  # structured creditor reference: we use the unstructured text instead
        _one_line(remittance, MAX_REMITTANCE),
    ]
    # The last populated element must not be followed by a separator.
    payload = "\n".join(fields).rstrip("\n")
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise ValueError("GiroCode-Daten zu lang")
    return payload


@lru_cache(maxsize=4096)
def girocode_for(iban: str, bic: str | None, name: str, amount: Decimal, remittance: str) -> tuple[str, str]:
    """(payload, SVG data URI). Cached: an invoice's code never changes and drawing it is
    the most expensive part of a portal view."""
    payload = epc_payload(iban, bic, name, amount, remittance)
    # Bytes, not str: given a str, segno would pick Latin-1 for "Müller" while the payload
    # declares UTF-8. boost_error=False keeps level M as EPC069-12 requires.
    qr = segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False)
    if qr.version > MAX_VERSION:
        raise ValueError("GiroCode-Daten zu lang")
    image = qr.svg_data_uri(border=4, omitsize=True, title="GiroCode")
    return payload, image
