"""GiroCode for the portal's bank transfer box: the shared EPC069-12 module
(`app.einvoice.girocode`, also drawn on the PDF) behind the one signature the portal uses,
so the customer scans the same code on screen as on paper."""

import base64
from decimal import Decimal
from functools import lru_cache

from app.einvoice.girocode import epc_payload, qr_svg


@lru_cache(maxsize=1024)
def girocode_for(iban: str, bic: str | None, name: str, amount: Decimal, remittance: str) -> tuple[str, str]:
    """(payload, SVG data URI). Raises ValueError when no valid code can be made (bad IBAN,
    no name). CPU-bound (QR mask selection): the portal draws it once per share link."""
    payload = epc_payload(name=name, iban=iban, amount=amount, remittance=remittance, bic=bic)
    return payload, "data:image/svg+xml;base64," + base64.b64encode(qr_svg(payload)).decode("ascii")
