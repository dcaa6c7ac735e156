/**
 * Invoice number formats, as backend/app/invoices/numbering.py defines them: {YYYY} year,
 * {YY} two-digit year, {MM} month, {N…} the running number padded to as many digits as there
 * are Ns. Used for the live preview in the settings; the backend validates for real.
 */

const COUNTER = /\{(N+)\}/g;
const ALLOWED = /\{(YYYY|YY|MM|N+)\}/g;

/** A German message when the format would be refused, else null (same rules as the backend). */
export function formatProblem(fmt: string): string | null {
  const f = fmt.trim();
  if ((f.match(COUNTER) ?? []).length !== 1) return "Das Format braucht genau einen Zähler, z. B. {NNNN}";
  const leftover = f.replace(ALLOWED, "");
  if (leftover.includes("{") || leftover.includes("}")) return "Erlaubte Platzhalter: {YYYY}, {YY}, {MM}, {NNNN}";
  if (!/^[A-Za-z0-9_\-/.#]*$/.test(leftover)) return "Erlaubt sind Buchstaben, Ziffern und - _ / . #";
  if (renderNumber(f, "2099-12-31", 1_000_000).length > 30) return "Das Format ergibt zu lange Rechnungsnummern (höchstens 30 Zeichen)";
  return null;
}

export function renderNumber(fmt: string, isoDate: string, value: number): string {
  const [y = "0000", m = "01"] = isoDate.split("-");
  return fmt
    .replaceAll("{YYYY}", y)
    .replaceAll("{YY}", y.slice(-2))
    .replaceAll("{MM}", m)
    .replace(COUNTER, (_, ns: string) => String(value).padStart(ns.length, "0"));
}

/**
 * The running number inside `number`, read back through the format that produced it
 * ("RE-2026-0042" with "RE-{YYYY}-{NNNN}" → 42), so the preview of a new format can show the
 * seller's real next counter instead of a made-up one.
 */
export function counterOf(fmt: string, number: string): number | null {
  let pattern = "";
  let rest = fmt;
  const token = /\{(YYYY|YY|MM|N+)\}/;
  while (rest) {
    const m = token.exec(rest);
    if (!m) {
      pattern += rest.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      break;
    }
    pattern += rest.slice(0, m.index).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const t = m[1]!;
    pattern += t === "YYYY" ? "\\d{4}" : t === "YY" || t === "MM" ? "\\d{2}" : "(\\d+)";
    rest = rest.slice(m.index + m[0].length);
  }
  const found = new RegExp(`^${pattern}$`).exec(number);
  return found?.[1] ? Number(found[1]) : null;
}
