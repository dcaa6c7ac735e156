"""GiroCode (EPC069-12) payload rules, independent of the portal."""

from decimal import Decimal

import pytest
import segno

from app.portal.girocode import epc_payload, girocode_for


def test_payload_fields_in_order():
    payload = epc_payload("DE89 3704 0044 0532 0130 00", "cobadeffxxx", "Muster GmbH", Decimal("1243.5"), "RE-2026-0001")
    assert payload.split("\n") == [
        "BCD", "002", "1", "SCT", "COBADEFFXXX", "Muster GmbH", "DE89370400440532013000", "EUR1243.50", "", "", "RE-2026-0001",
    ]
    assert not payload.endswith("\n")


def test_bic_is_optional_and_limits_apply():
    payload = epc_payload("DE89370400440532013000", None, "Ä" * 80 + "\nZeile", Decimal("0.01"), "x" * 200)
    lines = payload.split("\n")
    assert lines[4] == ""
    assert lines[5] == "Ä" * 70
    assert lines[10] == "x" * 140
    assert len(payload.encode("utf-8")) <= 331


def test_line_breaks_in_fields_cannot_shift_fields():
    payload = epc_payload("DE89370400440532013000", None, "Muster\nGmbH", Decimal("1"), "RE-1\r\nEUR999")
    assert payload.split("\n")[5] == "Muster GmbH" and payload.split("\n")[10] == "RE-1 EUR999"
    assert len(payload.split("\n")) == 11


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1000000000.00")])
def test_amount_outside_the_epc_range_is_refused(amount):
    with pytest.raises(ValueError):
        epc_payload("DE89370400440532013000", None, "Muster GmbH", amount, "RE-1")


def test_missing_iban_or_name_is_refused():
    with pytest.raises(ValueError):
        epc_payload("", None, "Muster GmbH", Decimal("1"), "RE-1")
    with pytest.raises(ValueError):
        epc_payload("DE89370400440532013000", None, "  ", Decimal("1"), "RE-1")


def test_image_is_an_svg_of_a_level_m_code_of_utf8_bytes():
    payload, image = girocode_for("DE89370400440532013000", "COBADEFFXXX", "Bäckerei Müller", Decimal("12.30"), "RE-2026-0007")
    assert image.startswith("data:image/svg+xml")
    reference = segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False)
    assert reference.error == "M" and reference.version <= 13
    assert reference.svg_data_uri(border=4, omitsize=True, title="GiroCode") == image
    # Encoding the str instead would have chosen Latin-1 for the umlauts: a different code.
    assert segno.make_qr(payload, error="m", boost_error=False).svg_data_uri(border=4, omitsize=True, title="GiroCode") != image
