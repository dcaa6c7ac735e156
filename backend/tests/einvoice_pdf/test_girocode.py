import random
import string
from dataclasses import replace
from decimal import Decimal

import pytest
import segno
from app.einvoice import girocode as g
from app.einvoice import qrmask

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
    qr = g.segno_qr("BCD\n002\n1\nSCT\n\nA\n" + S.IBAN)
    assert qr.error == "M"
    assert qr.is_micro is False


def _random_payloads(count: int, seed: int):
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + " \n-./äöüßÄÖÜ€„“–"
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300)))


def test_fast_mask_choice_gives_exactly_segnos_symbol():
    # Our mask search must pick what segno's (ISO 18004 7.8.3) search picks, and the
    # finished symbol including format information must be identical, on every
    # version an EPC payload can need (up to 331 bytes: version 13).
    versions = set()
    for payload in _random_payloads(150, seed=7):
        ref = segno.make_qr(payload, error="m", boost_error=False, encoding="utf-8")
        ours = g.make_qr(payload)
        versions.add(ref.version)
        assert ours.mask == ref.mask
        assert [[int(ours.dark(r, c)) for c in range(ours.size)] for r in range(ours.size)] == [
            list(row) for row in ref.matrix
        ]
    assert len(versions) >= 8


def test_function_pattern_map_matches_segnos():
    # The data region is what masks may touch; compare with segno's own map.
    from segno import encoder

    for version in range(1, 15):
        n = 17 + 4 * version
        fm = encoder.make_matrix(n, n)
        encoder.add_finder_patterns(fm, n, n)
        encoder.add_alignment_patterns(fm, n, n)
        fm[-8][8] = 0x1
        data_rows, _, _, _ = qrmask.regions(version)
        for r in range(n):
            assert data_rows[r] == sum(1 << c for c in range(n) if fm[r][c] > 0x1), (version, r)


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
    dark = {(r, c) for r in range(qr.size) for c in range(qr.size) if qr.dark(r, c)}
    from_runs = {(r, c + k) for r, c, n in g.dark_runs(qr) for k in range(n)}
    assert from_runs == dark
