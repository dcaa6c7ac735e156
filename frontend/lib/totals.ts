/**
 * EN 16931 invoice arithmetic for the live totals of the invoice editor: the same steps, in
 * the same order, as backend/app/invoices/totals.py, so that what the seller sees while
 * typing is, to the cent, what the saved invoice, the PDF and the XML will say.
 *
 * - line net (BT-131) = quantity × unit price, rounded half up to cents;
 * - one VAT group per (category, rate); its taxable amount (BT-116) is the sum of its line
 *   nets and its VAT (BT-117) is taxable × rate / 100, rounded half up to cents — per group,
 *   never per line (rounding per line would drift by cents on long invoices);
 * - net total (BT-109) = sum of line nets, VAT total (BT-110) = sum of group VAT,
 *   gross (BT-112) = net + VAT.
 *
 * e2e/unit/totals.spec.ts runs shared cases (and a few hundred generated ones) through this
 * and through the backend's `compute_totals` and requires identical results.
 */
import { divRoundHalfUp, fromScaled, pow10, toScaled } from "./decimal";

/** Quantities and unit prices carry at most 4 places (the API's limit), rates 2. */
const QTY_SCALE = 4;
const PRICE_SCALE = 4;
const RATE_SCALE = 2;
const CENTS = 2;

export interface TotalsLine {
  quantity: string;
  unit_price: string;
  vat_category: string;
  vat_rate: string;
}

export interface VatGroupTotals {
  category: string;
  /** Normalised to two places ("19.00"), so 19 and 19.0 are one group. */
  rate: string;
  taxable_amount: string;
  tax_amount: string;
}

export interface InvoiceTotals {
  line_nets: string[];
  net_total: string;
  vat_total: string;
  gross_total: string;
  vat_breakdown: VatGroupTotals[];
}

/** Line net in cents: quantity × price at scale 8, rounded half up to scale 2. */
function lineNetCents(quantity: string, unitPrice: string): bigint {
  const product = toScaled(quantity, QTY_SCALE) * toScaled(unitPrice, PRICE_SCALE);
  return divRoundHalfUp(product, pow10(QTY_SCALE + PRICE_SCALE - CENTS));
}

export function lineNet(quantity: string, unitPrice: string): string {
  return fromScaled(lineNetCents(quantity, unitPrice), CENTS);
}

export function computeTotals(lines: readonly TotalsLine[]): InvoiceTotals {
  const nets: bigint[] = [];
  const groups = new Map<string, { category: string; rate: bigint; taxable: bigint }>();
  for (const line of lines) {
    const net = lineNetCents(line.quantity, line.unit_price);
    nets.push(net);
    const rate = toScaled(line.vat_rate, RATE_SCALE);
    const key = `${line.vat_category}|${rate}`;
    const group = groups.get(key);
    if (group) group.taxable += net;
    else groups.set(key, { category: line.vat_category, rate, taxable: net });
  }

  // The backend's order: standard rate first, then by rate descending, then by category.
  const ordered = [...groups.values()].sort((a, b) => {
    const aS = a.category === "S" ? 0 : 1;
    const bS = b.category === "S" ? 0 : 1;
    if (aS !== bS) return aS - bS;
    if (a.rate !== b.rate) return a.rate > b.rate ? -1 : 1;
    return a.category < b.category ? -1 : a.category > b.category ? 1 : 0;
  });

  const breakdown = ordered.map((g) => {
    // taxable (cents) × rate (hundredths of a percent) / 100 % = cents × 10^-4.
    const tax = divRoundHalfUp(g.taxable * g.rate, pow10(RATE_SCALE + 2));
    return { category: g.category, rate: g.rate, taxable: g.taxable, tax };
  });

  const net = nets.reduce((a, b) => a + b, 0n);
  const vat = breakdown.reduce((a, g) => a + g.tax, 0n);
  return {
    line_nets: nets.map((n) => fromScaled(n, CENTS)),
    net_total: fromScaled(net, CENTS),
    vat_total: fromScaled(vat, CENTS),
    gross_total: fromScaled(net + vat, CENTS),
    vat_breakdown: breakdown.map((g) => ({
      category: g.category,
      rate: fromScaled(g.rate, RATE_SCALE),
      taxable_amount: fromScaled(g.taxable, CENTS),
      tax_amount: fromScaled(g.tax, CENTS),
    })),
  };
}
