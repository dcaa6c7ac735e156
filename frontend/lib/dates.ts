/**
 * Calendar-date arithmetic on "YYYY-MM-DD" strings. Business dates are dates, not instants:
 * computing with them at noon UTC keeps every step on the same calendar day whatever the
 * machine's time zone or a daylight-saving switch.
 */
import { todayInBerlin } from "./format";

const DAY_MS = 86_400_000;

function toUtcNoon(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y!, m! - 1, d!, 12);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromUtc(toUtcNoon(iso) + days * DAY_MS);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtcNoon(b) - toUtcNoon(a)) / DAY_MS);
}

export const PERIODS = {
  this_month: "Dieser Monat",
  last_month: "Letzter Monat",
  this_quarter: "Dieses Quartal",
  this_year: "Dieses Jahr",
  last_year: "Letztes Jahr",
} as const;
export type Period = keyof typeof PERIODS;

export function isPeriod(value: string | undefined): value is Period {
  return !!value && value in PERIODS;
}

/** The first and last day of a named period, relative to `today` (Berlin). */
export function periodRange(period: Period, today: string = todayInBerlin()): { from: string; to: string } {
  const [y, m] = today.split("-").map(Number) as [number, number];
  const pad = (n: number) => String(n).padStart(2, "0");
  const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
  const month = (year: number, mo: number) => ({ from: `${year}-${pad(mo)}-01`, to: `${year}-${pad(mo)}-${pad(lastDay(year, mo))}` });
  switch (period) {
    case "this_month":
      return month(y, m);
    case "last_month":
      return m === 1 ? month(y - 1, 12) : month(y, m - 1);
    case "this_quarter": {
      const first = Math.floor((m - 1) / 3) * 3 + 1;
      return { from: `${y}-${pad(first)}-01`, to: month(y, first + 2).to };
    }
    case "this_year":
      return { from: `${y}-01-01`, to: `${y}-12-31` };
    case "last_year":
      return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
  }
}

/** "heute", "morgen", "in 12 Tagen", "vor 3 Tagen" – for due dates in lists. */
export function relativeDays(iso: string, today: string = todayInBerlin()): string {
  const d = daysBetween(today, iso);
  if (d === 0) return "heute";
  if (d === 1) return "morgen";
  if (d === -1) return "gestern";
  return d > 0 ? `in ${d} Tagen` : `vor ${-d} Tagen`;
}
