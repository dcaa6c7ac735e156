/**
 * Exact decimal arithmetic on BigInt, just enough for invoice totals.
 *
 * JavaScript numbers are binary floats: 1.005 * 100 is 100.49999999999999, so rounding money
 * with them gives a cent less than the backend (Python's Decimal) now and then. Here every
 * amount is an integer count of 10^-scale units, so "2.675" at scale 4 is 26750n and all
 * products and sums are exact; only the explicit rounding steps round.
 */

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Is `value` a plain decimal string ("12", "-1.5", "0.0001"), as the API sends and accepts? */
export function isDecimalString(value: string): boolean {
  return DECIMAL_RE.test(value);
}

/** Number of decimal places a decimal string carries ("1.50" → 2). */
export function scaleOf(value: string): number {
  const m = DECIMAL_RE.exec(value);
  if (!m) throw new RangeError(`Not a decimal string: "${value}"`);
  return m[3]?.length ?? 0;
}

/** "1.5" at scale 4 → 15000n. Throws when the value has more places than `scale`. */
export function toScaled(value: string, scale: number): bigint {
  const m = DECIMAL_RE.exec(value);
  if (!m) throw new RangeError(`Not a decimal string: "${value}"`);
  const [, sign, whole, frac = ""] = m;
  if (frac.length > scale) {
    // Extra places are allowed only when they are zeros ("19.000" is 19.00).
    if (/[^0]/.test(frac.slice(scale))) throw new RangeError(`"${value}" has more than ${scale} decimal places`);
  }
  const digits = `${whole}${frac.slice(0, scale).padEnd(scale, "0")}`;
  const n = BigInt(digits);
  return sign === "-" ? -n : n;
}

/** 15000n at scale 4 → "1.5000". */
export function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? `.${digits.slice(digits.length - scale)}` : "";
  return `${negative ? "-" : ""}${whole}${frac}`;
}

/**
 * n / d rounded half away from zero, for d > 0: Python's ROUND_HALF_UP, which the backend
 * uses for cents (commercial rounding: 0.005 → 0.01, -0.005 → -0.01).
 */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError("divisor must be positive");
  const negative = n < 0n;
  const a = negative ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return negative ? -q : q;
}

export const pow10 = (exp: number): bigint => 10n ** BigInt(exp);

export type ParsedInput = { ok: true; value: string } | { ok: false; error: string };

/**
 * What a person types into an amount field, as a decimal string for the API.
 *
 * German notation first: "1.234,56" → "1234.56", "0,5" → "0.5". Without a comma a single dot
 * is taken as the decimal point ("1.5", as a number pad types it); several dots are thousands
 * separators ("1.000.000"). Spaces and a trailing "€" or "%" are ignored.
 */
export function parseUserDecimal(input: string, opts: { maxScale: number; allowNegative?: boolean; label?: string }): ParsedInput {
  let s = input.replace(/[\s\u00a0\u202f]/g, "").replace(/[€%]$/, "");
  if (s === "") return { ok: false, error: "Bitte eine Zahl eingeben" };
  if (s.includes(",")) {
    s = s.replace(/\./g, "").replace(",", ".");
  } else if ((s.match(/\./g) ?? []).length > 1) {
    s = s.replace(/\./g, "");
  }
  if (s.startsWith("+")) s = s.slice(1);
  if (!DECIMAL_RE.test(s)) return { ok: false, error: "Keine gültige Zahl" };
  if (!opts.allowNegative && s.startsWith("-")) return { ok: false, error: "Darf nicht negativ sein" };
  const places = scaleOf(s);
  if (places > opts.maxScale) {
    const trimmed = s.replace(/0+$/, "");
    if (scaleOf(trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed) > opts.maxScale) {
      return { ok: false, error: opts.maxScale === 0 ? "Nur ganze Zahlen" : `Höchstens ${opts.maxScale} Nachkommastellen` };
    }
  }
  // Canonical form: no leading zeros, no superfluous trailing zeros beyond what was typed.
  const scaled = toScaled(s, Math.min(places, opts.maxScale));
  return { ok: true, value: fromScaled(scaled, Math.min(places, opts.maxScale)) };
}

/** An API decimal ("1234.5000") as a person would type it ("1234,5"), for prefilling inputs. */
export function toInputDecimal(value: string, minScale = 0): string {
  const m = DECIMAL_RE.exec(value);
  if (!m) return value;
  const [, sign, whole, frac = ""] = m;
  let f = frac.replace(/0+$/, "");
  if (f.length < minScale) f = f.padEnd(minScale, "0");
  return `${sign === "-" ? "-" : ""}${BigInt(whole ?? "0")}${f ? `,${f}` : ""}`;
}
