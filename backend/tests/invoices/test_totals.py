"""EN 16931 arithmetic: worked examples and properties that must hold for any invoice."""

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.invoices.totals import compute_totals, line_net
from app.kit.money import round_cents


@dataclass
class L:
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    vat_category: str = "S"


D = Decimal


def test_single_line_standard_rate():
    t = compute_totals([L(D("1"), D("100.00"), D("19"))])
    assert (t.net_total, t.vat_total, t.gross_total, t.amount_due) == (D("100.00"), D("19.00"), D("119.00"), D("119.00"))


def test_mixed_rates_grouped_per_rate():
    t = compute_totals(
        [
            L(D("3"), D("19.99"), D("19")),
            L(D("1"), D("0.01"), D("7")),
            L(D("2.5"), D("4.10"), D("7")),
            L(D("1"), D("10"), D("0"), "Z"),
        ]
    )
    assert t.line_nets == (D("59.97"), D("0.01"), D("10.25"), D("10.00"))
    groups = {(g.category.value, g.rate): (g.taxable_amount, g.tax_amount) for g in t.vat_breakdown}
    assert groups == {
        ("S", D("19.00")): (D("59.97"), D("11.39")),  # 11.3943 -> 11.39
        ("S", D("7.00")): (D("10.26"), D("0.72")),  # 0.7182 -> 0.72
        ("Z", D("0.00")): (D("10.00"), D("0.00")),
    }
    assert t.vat_total == D("12.11")
    assert t.gross_total == D("92.34")


def test_rounding_is_per_group_not_per_line():
    # Per line, 0.03 x 19 % = 0.0057 would round to 0.01 ten times (0.10); BR-CO-17 rounds the
    # group instead: 0.30 x 19 % = 0.057 -> 0.06.
    t = compute_totals([L(D("1"), D("0.03"), D("19")) for _ in range(10)])
    assert t.net_total == D("0.30")
    assert t.vat_total == D("0.06")


def test_half_up_rounding_of_line_net():
    assert line_net(D("1"), D("0.005")) == D("0.01")
    assert line_net(D("3"), D("0.3350")) == D("1.01")  # 1.005 -> 1.01 (half up, not banker's)
    assert line_net(D("-2"), D("1.255")) == D("-2.51")


def test_equal_rates_with_different_scale_form_one_group():
    t = compute_totals([L(D("1"), D("10"), D("19")), L(D("1"), D("10"), D("19.00"))])
    assert len(t.vat_breakdown) == 1
    assert t.vat_breakdown[0].taxable_amount == D("20.00")


def test_paid_amount_reduces_amount_due():
    t = compute_totals([L(D("1"), D("100"), D("19"))], paid_amount=D("19"))
    assert t.amount_due == D("100.00")


quantities = st.decimals(min_value=D("-1000"), max_value=D("100000"), places=4, allow_nan=False, allow_infinity=False).filter(lambda q: q != 0)
prices = st.decimals(min_value=D("0"), max_value=D("100000"), places=4, allow_nan=False, allow_infinity=False)
std_rates = st.sampled_from([D("19"), D("7"), D("16"), D("5.5"), D("10.7")])


@st.composite
def lines(draw):  # type: ignore[no-untyped-def]
    cat = draw(st.sampled_from(["S", "S", "S", "Z", "E", "AE", "K", "G", "O"]))
    rate = draw(std_rates) if cat == "S" else D("0")
    return L(draw(quantities), draw(prices), rate, cat)


@settings(max_examples=400, deadline=None)
@given(st.lists(lines(), min_size=1, max_size=40))
def test_en16931_business_rules_hold(ls):
    t = compute_totals(ls)
    cent = D("0.01")
    # Every amount has at most two decimals.
    for amount in (t.line_total, t.net_total, t.vat_total, t.gross_total, t.amount_due, *t.line_nets):
        assert amount == amount.quantize(cent)
    # BR-CO-10: sum of line net amounts.
    assert t.line_total == sum(t.line_nets, D("0"))
    # BR-CO-13: total without VAT = line total (no document allowances/charges).
    assert t.net_total == t.line_total
    # BR-CO-14: total VAT = sum of the breakdown's VAT amounts.
    assert t.vat_total == sum((g.tax_amount for g in t.vat_breakdown), D("0"))
    # BR-CO-15: grand total = total without VAT + total VAT.
    assert t.gross_total == t.net_total + t.vat_total
    # BR-CO-16: amount due = grand total - paid amount (0 here).
    assert t.amount_due == t.gross_total
    # BR-CO-17: VAT amount per group = taxable amount x rate, rounded.
    for g in t.vat_breakdown:
        assert g.tax_amount == round_cents(g.taxable_amount * g.rate / 100)
    # BR-S-08 etc.: each group's taxable amount = sum of its lines' nets.
    for g in t.vat_breakdown:
        expected = sum(
            (n for n, line in zip(t.line_nets, ls, strict=True) if line.vat_category == g.category.value and D(line.vat_rate).quantize(cent) == g.rate),
            D("0"),
        )
        assert g.taxable_amount == expected
    # One group per (category, rate).
    keys = [(g.category, g.rate) for g in t.vat_breakdown]
    assert len(keys) == len(set(keys))
    # Non-standard categories never carry VAT.
    assert all(g.tax_amount == 0 for g in t.vat_breakdown if g.category.value != "S")
