"""Runs invoice cases through the backend's own totals function, for e2e/unit/totals.spec.ts.

Reads a JSON list of cases ({"lines": [{quantity, unit_price, vat_category, vat_rate}]})
on stdin and writes the backend's totals for each, as decimal strings, on stdout. Nothing
here computes anything itself: the point is to compare the web app's arithmetic with
`app.invoices.totals.compute_totals`, the function the API, the PDF and the XML use.
"""

import json
import sys
from dataclasses import dataclass
from decimal import Decimal

from app.invoices.totals import compute_totals
from app.kit.money import fmt_amount


@dataclass
class Line:
    quantity: Decimal
    unit_price: Decimal
    vat_category: str
    vat_rate: Decimal


def main() -> None:
    out = []
    for case in json.load(sys.stdin):
        lines = [
            Line(Decimal(x["quantity"]), Decimal(x["unit_price"]), x["vat_category"], Decimal(x["vat_rate"]))
            for x in case["lines"]
        ]
        t = compute_totals(lines)
        out.append(
            {
                "line_nets": [fmt_amount(n) for n in t.line_nets],
                "net_total": fmt_amount(t.net_total),
                "vat_total": fmt_amount(t.vat_total),
                "gross_total": fmt_amount(t.gross_total),
                "vat_breakdown": [
                    {
                        "category": g.category.value,
                        "rate": f"{g.rate:.2f}",
                        "taxable_amount": fmt_amount(g.taxable_amount),
                        "tax_amount": fmt_amount(g.tax_amount),
                    }
                    for g in t.vat_breakdown
                ],
            }
        )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
