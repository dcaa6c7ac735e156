"""EN 16931 invoice arithmetic: the single function every view of an invoice uses.

The API, the PDF, the XML and the portal all call `compute_totals`, so a total can never
differ between what the seller sees and what the official validators check.

Rules followed (EN 16931-1, calculation rules BR-CO-*):
- line net amount (BT-131) = quantity x net unit price, rounded to cents;
- sum of line net amounts (BT-106) = sum of BT-131 (BR-CO-10);
- total without VAT (BT-109) = BT-106 (no document level allowances/charges, BR-CO-13);
- VAT breakdown (BG-23): one group per (category, rate); taxable amount (BT-116) is the sum
  of that group's line nets (BR-CO-18 ff.), VAT amount (BT-117) = BT-116 x rate / 100,
  rounded to cents (BR-CO-17);
- total VAT (BT-110) = sum of BT-117 (BR-CO-14);
- grand total (BT-112) = BT-109 + BT-110 (BR-CO-15);
- amount due (BT-115) = BT-112 - paid amount (BT-113) (BR-CO-16).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from app.invoices.vat import VatCategory
from app.kit.money import ZERO, round_cents


class LineInput(Protocol):
    quantity: Decimal
    unit_price: Decimal
    vat_category: str
    vat_rate: Decimal


@dataclass(frozen=True)
class VatGroup:
    category: VatCategory
    rate: Decimal
    taxable_amount: Decimal
    tax_amount: Decimal


@dataclass(frozen=True)
class Totals:
    line_nets: tuple[Decimal, ...]
    line_total: Decimal  # BT-106
    net_total: Decimal  # BT-109
    vat_total: Decimal  # BT-110
    gross_total: Decimal  # BT-112
    paid_amount: Decimal  # BT-113
    amount_due: Decimal  # BT-115
    vat_breakdown: tuple[VatGroup, ...]


def line_net(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return round_cents(quantity * unit_price)


def _rate_key(rate: Decimal) -> Decimal:
    # 19, 19.0 and 19.00 are one group: normalise so the breakdown never splits them.
    return Decimal(rate).quantize(Decimal("0.01"))


def compute_totals(lines: Iterable[LineInput], paid_amount: Decimal = ZERO) -> Totals:
    nets: list[Decimal] = []
    groups: dict[tuple[VatCategory, Decimal], Decimal] = {}
    order: list[tuple[VatCategory, Decimal]] = []
    for line in lines:
        net = line_net(Decimal(line.quantity), Decimal(line.unit_price))
        nets.append(net)
        key = (VatCategory(line.vat_category), _rate_key(line.vat_rate))
        if key not in groups:
            groups[key] = ZERO
            order.append(key)
        groups[key] += net

    breakdown = tuple(
        VatGroup(
            category=cat,
            rate=rate,
            taxable_amount=round_cents(groups[(cat, rate)]),
            tax_amount=round_cents(groups[(cat, rate)] * rate / Decimal(100)),
        )
        for cat, rate in sorted(order, key=lambda k: (k[0].value != "S", -k[1], k[0].value))
    )
    line_total = round_cents(sum(nets, ZERO))
    vat_total = round_cents(sum((g.tax_amount for g in breakdown), ZERO))
    gross = line_total + vat_total
    paid = round_cents(paid_amount)
    return Totals(
        line_nets=tuple(nets),
        line_total=line_total,
        net_total=line_total,
        vat_total=vat_total,
        gross_total=gross,
        paid_amount=paid,
        amount_due=gross - paid,
        vat_breakdown=breakdown,
    )
