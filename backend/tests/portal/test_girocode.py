"""The portal's GiroCode adapter (the payload rules themselves are tested with
app.einvoice.girocode)."""

import base64
from decimal import Decimal

import pytest

from app.portal.girocode import girocode_for


def test_payload_and_image_for_an_invoice():
    iban, name, number = "DE89370400440532013000", "Bäckerei Müller", "RE-2026-0001"
    payload, image = girocode_for("DE89 3704 0044 0532 0130 00", "cobadeffxxx", name, Decimal("1243.5"), number)
    assert payload.split("\n") == ["BCD", "002", "1", "SCT", "COBADEFFXXX", name, iban, "EUR1243.50", "", "", number]
    prefix = "data:image/svg+xml;base64,"
    assert image.startswith(prefix)
    svg = base64.b64decode(image.removeprefix(prefix))
    assert svg.lstrip().startswith(b"<svg") and b"GiroCode" in svg


def test_no_code_without_a_valid_iban_or_name():
    with pytest.raises(ValueError):
        girocode_for("DE00 0000 0000 0000 0000 00", None, "Muster GmbH", Decimal("1"), "RE-1")
    with pytest.raises(ValueError):
        girocode_for("DE89370400440532013000", None, "  ", Decimal("1"), "RE-1")
