/**
 * Formatting of money, quantities and dates for people.
 *
 * The API sends money as decimal strings ("119.00") and dates as ISO strings. We never turn
 * money into a JavaScript number before formatting: `Intl.NumberFormat#format` accepts a
 * decimal string and rounds it exactly (ECMA-402 "NumberFormat v3"), so "0.1" + nothing
 * ever becomes "0,10 €", never "0,1000000000000000055 €".
 */

export type Locale = "de" | "en";

const NUMBER_LOCALE: Record<Locale, string> = { de: "de-DE", en: "en-IE" };
const DATE_LOCALE: Record<Locale, string> = { de: "de-DE", en: "en-GB" };

/** Business dates are Berlin dates, whatever the viewer's machine says. */
const BUSINESS_TIME_ZONE = "Europe/Berlin";

const DECIMAL_RE = /^[+-]?(\d+)(?:\.(\d+))?$/;

export type DecimalInput = string | number | bigint;

/** A decimal string as the API sends it, validated; numbers are accepted for convenience. */
function toDecimalString(value: DecimalInput): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite amount: ${value}`);
    return String(value);
  }
  const trimmed = value.trim();
  if (!DECIMAL_RE.test(trimmed)) throw new RangeError(`Not a decimal string: "${value}"`);
  return trimmed;
}

const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(locale: Locale, currency: string): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let nf = currencyFormats.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(NUMBER_LOCALE[locale], {
      style: "currency",
      currency,
      // Cents are rounded half away from zero, the commercial rounding EN 16931 uses.
      roundingMode: "halfExpand",
      // A person should never read "-0,00 €".
      signDisplay: "negative",
    } as Intl.NumberFormatOptions);
    currencyFormats.set(key, nf);
  }
  return nf;
}

/** "119.00" → "119,00 €", "1234.5" → "1.234,50 €" (German locale by default). */
export function formatEUR(value: DecimalInput, locale: Locale = "de"): string {
  return formatMoney(value, "EUR", locale);
}

export function formatMoney(value: DecimalInput, currency: string, locale: Locale = "de"): string {
  return currencyFormat(locale, currency).format(toDecimalString(value) as Intl.StringNumericLiteral);
}

/** Quantities and rates: "1.5" → "1,5", "19.00" → "19", at most four decimals. */
export function formatDecimal(value: DecimalInput, locale: Locale = "de", maxFractionDigits = 4): string {
  const decimal = toDecimalString(value) as Intl.StringNumericLiteral;
  return new Intl.NumberFormat(NUMBER_LOCALE[locale], {
    maximumFractionDigits: maxFractionDigits,
  }).format(decimal);
}

/** "19.00" → "19 %" (de) / "19%" (en). */
export function formatPercent(value: DecimalInput, locale: Locale = "de"): string {
  const n = formatDecimal(value, locale, 2);
  // A no-break space: "19" and "%" must not land on different lines.
  return locale === "de" ? `${n}\u00a0%` : `${n}%`;
}

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * "2026-11-26" → "26.11.2026". A date-only string is a calendar date and is formatted
 * without passing through a Date (which would shift it by the viewer's time zone);
 * a timestamp is shown as its date in Europe/Berlin.
 */
export function formatDate(value: string | Date, locale: Locale = "de"): string {
  if (typeof value === "string") {
    const m = ISO_DATE_RE.exec(value);
    if (m) {
      const [, y, mo, d] = m;
      if (locale === "de") return `${d}.${mo}.${y}`;
      // Noon UTC lies on the same calendar day in every time zone we format in.
      return dateFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
        new Date(`${value}T12:00:00Z`),
      );
    }
  }
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: "${String(value)}"`);
  if (locale === "de") {
    return dateFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", timeZone: BUSINESS_TIME_ZONE }).format(date);
  }
  return dateFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: BUSINESS_TIME_ZONE }).format(date);
}

/** "26.11.2026, 14:05" in Berlin time, for events like "zuletzt geöffnet". */
export function formatDateTime(value: string | Date, locale: Locale = "de"): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: "${String(value)}"`);
  return dateFormat(locale, {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: BUSINESS_TIME_ZONE,
  }).format(date);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}:${JSON.stringify(options)}`;
  let df = dateFormats.get(key);
  if (!df) {
    df = new Intl.DateTimeFormat(DATE_LOCALE[locale], options);
    dateFormats.set(key, df);
  }
  return df;
}

/** Today's calendar date in Berlin as "YYYY-MM-DD" (for "is it overdue?"). */
export function todayInBerlin(now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: BUSINESS_TIME_ZONE }).format(now);
}

/** "DE89370400440532013000" → "DE89 3704 0044 0532 0130 00". */
export function formatIBAN(iban: string): string {
  return iban
    .replace(/\s+/g, "")
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, "$1 ");
}
