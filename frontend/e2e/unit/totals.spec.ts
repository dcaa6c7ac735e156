// The editor's live totals against the backend's `compute_totals`, case by case.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { computeTotals, type InvoiceTotals, type TotalsLine } from "../../lib/totals";
import { runBackendScript } from "./backend";
import cases from "./totals-cases.json";

interface Case {
  name: string;
  lines: TotalsLine[];
  expect?: Partial<InvoiceTotals>;
}

const SCRIPT = path.join(__dirname, "backend_totals.py");

/** mulberry32: a seeded generator, so a failing generated case is the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generated(count: number, seed: number): Case[] {
  const r = rng(seed);
  const int = (max: number) => Math.floor(r() * max);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  // Places chosen to hit the rounding edges: half cents, 4-place prices, odd rates.
  const decimal = (maxWhole: number, places: number, negative = false) => {
    const whole = String(int(maxWhole));
    const p = int(places + 1);
    const frac = p ? `.${Array.from({ length: p }, () => int(10)).join("")}` : "";
    return `${negative && r() < 0.15 ? "-" : ""}${whole}${frac}`;
  };
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const lines: TotalsLine[] = [];
    const n = 1 + int(8);
    for (let j = 0; j < n; j++) {
      const category = r() < 0.75 ? "S" : pick(["Z", "E", "AE", "K", "G", "O"] as const);
      const rate = category === "S" ? pick(["19", "7", "19.00", "7.0", "5.5", "16", "10.7", String(1 + int(30)) + "." + int(100)]) : "0";
      let quantity = decimal(pick([2, 10, 100, 10000]), 4, true);
      if (/^-?0(\.0*)?$/.test(quantity)) quantity = "1";
      lines.push({ quantity, unit_price: decimal(pick([1, 10, 1000, 100000]), 4), vat_category: category, vat_rate: rate });
    }
    out.push({ name: `generated #${i}`, lines });
  }
  return out;
}

const shared = cases as Case[];
const all = [...shared, ...generated(400, 20261126)];

/**
 * Python's Decimal keeps the sign of a zero product (-3 × 0 = -0.00); BigInt has no negative
 * zero. PostgreSQL's numeric drops it too, and nobody is shown a signed zero, so "-0.00" and
 * "0.00" count as the same amount here — and only those two.
 */
function unsignZero<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/"-0\.00"/g, '"0.00"')) as T;
}

test("live totals equal the backend's compute_totals (shared and generated cases)", () => {
  const backend = unsignZero(runBackendScript<InvoiceTotals[]>(SCRIPT, all.map((c) => ({ lines: c.lines }))));
  expect(backend).toHaveLength(all.length);
  all.forEach((c, i) => {
    expect(computeTotals(c.lines), `${c.name}: ${JSON.stringify(c.lines)}`).toEqual(backend[i]);
  });
});

test("shared cases also match their hand-checked totals", () => {
  for (const c of shared) {
    const got = computeTotals(c.lines);
    for (const [k, v] of Object.entries(c.expect ?? {})) {
      expect(got[k as keyof InvoiceTotals], `${c.name}: ${k}`).toEqual(v);
    }
  }
});
