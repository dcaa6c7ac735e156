from dataclasses import replace
from decimal import Decimal

import pytest

from app.einvoice import girocode as g

from . import scenarios as S
from .conftest import zbar_decode


def fields(payload: str) -> list[str]:
    return payload.split("\n")


def test_payload_has_the_epc069_12_layout():
    p = g.epc_payload(
        name="Müller & Söhne GmbH",
        iban="DE02 1203 0000 0000 2020 51",
        bic="byla dem1 001",
        amount=Decimal("1234.5"),
        remittance="RE-2026-0042",
    )
    assert fields(p) == [
        "BCD",
        "002",
        "1",
        "SCT",
        "BYLADEM1001",
        "Müller & Söhne GmbH",
        "DE02120300000000202051",
        "EUR1234.50",
        "",
        "",
        "RE-2026-0042",
    ]


def test_bic_is_optional_in_version_002():
    p = g.epc_payload(name="A", iban=S.IBAN, bic=None, amount=Decimal("1"), remittance="X")
    assert fields(p)[4] == ""
    assert fields(p)[6] == S.IBAN


@pytest.mark.parametrize(
    "amount, expected",
    [
        (Decimal("0"), ""),
        (Decimal("-5"), ""),
        (None, ""),
        (Decimal("0.01"), "EUR0.01"),
        (Decimal("0.005"), "EUR0.01"),  # rounded half up like every amount we print
        (Decimal("999999999.99"), "EUR999999999.99"),
        (Decimal("1000000000.00"), ""),
    ],
)
def test_amount_is_left_out_where_epc_does_not_allow_it(amount, expected):
    p = g.epc_payload(name="A", iban=S.IBAN, amount=amount, remittance="RE-1")
    assert fields(p)[7] == expected
    assert fields(p)[10] == "RE-1"  # positions do not shift when the amount is empty


def test_long_fields_are_cut_and_line_breaks_cannot_shift_fields():
    p = g.epc_payload(
        name="N" * 80 + "\nX",
        iban=S.IBAN,
        amount=Decimal("1"),
        remittance="Rechnung\r\n" + "R" * 200,
    )
    f = fields(p)
    assert len(f) == 11
    assert f[5] == "N" * 70
    assert len(f[10]) == 140 and f[10].startswith("Rechnung R")


def test_trailing_empty_fields_are_dropped():
    p = g.epc_payload(name="A", iban=S.IBAN, amount=Decimal("1"), remittance=None)
    assert fields(p) == ["BCD", "002", "1", "SCT", "", "A", S.IBAN, "EUR1.00"]


def test_invalid_iban_is_refused():
    with pytest.raises(g.GiroCodeError):
        g.epc_payload(name="A", iban="DE02120300000000202052", amount=Decimal("1"), remittance="X")


def test_missing_name_is_refused():
    with pytest.raises(g.GiroCodeError):
        g.epc_payload(name=" \n ", iban=S.IBAN, amount=Decimal("1"), remittance="X")


def test_payload_for_an_invoice_uses_amount_due_and_invoice_number():
    doc = S.standard(10)
    p = fields(g.payload_for(doc))
    assert p[5] == doc.seller.name
    assert p[6] == S.IBAN
    assert p[7] == "EUR" + str(doc.totals.amount_due)
    assert p[10] == "RE-2026-0042"


def test_account_holder_name_wins_over_seller_name():
    doc = S.small_business()
    assert fields(g.payload_for(doc))[5] == "Aylin Özdemir"


@pytest.mark.parametrize(
    "doc",
    [
        S.draft(),
        S.credit_note(),
        S.standard(3, currency="CHF"),
        S.standard(3, paid=S.standard(3).totals.gross_total),
        S.standard(3, payment=replace(S.PAYMENT, iban=None)),
    ],
    ids=["draft", "credit-note", "not-euro", "paid", "no-iban"],
)
def test_no_girocode_where_a_transfer_would_be_wrong(doc):
    assert g.payload_for(doc) is None


def test_partly_paid_invoice_asks_for_the_rest():
    full = S.standard(3)
    doc = S.standard(3, paid=Decimal("100"))
    assert fields(g.payload_for(doc))[7] == "EUR" + str(full.totals.gross_total - 100)


def test_qr_uses_error_correction_m_even_when_more_would_fit():
    qr = g.make_qr("BCD\n002\n1\nSCT\n\nA\n" + S.IBAN)
    assert qr.error == "M"
    assert qr.is_micro is False


def test_png_decodes_to_the_payload_with_utf8_names(tmp_path):
    payload = g.epc_payload(
        name="Bäckerei Schönleber – Groß KG",
        iban=S.IBAN,
        bic=S.BIC,
        amount=Decimal("1166.00"),
        remittance="RE-2026-0042",
    )
    png = tmp_path / "giro.png"
    png.write_bytes(g.qr_png(payload))
    assert zbar_decode(png) == [payload.encode("utf-8")]


def test_svg_is_an_svg_document():
    svg = g.qr_svg("BCD\n002\n1\nSCT\n\nA\n" + S.IBAN)
    assert svg.lstrip().startswith(b"<svg") and b"GiroCode" in svg


def test_dark_runs_cover_exactly_the_dark_modules():
    qr = g.make_qr(g.payload_for(S.standard(10)))
    dark = {(r, c) for r, row in enumerate(qr.matrix) for c, v in enumerate(row) if v & 1}
    from_runs = {(r, c + k) for r, c, n in g.dark_runs(qr) for k in range(n)}
    assert from_runs == dark
