/**
 * Countries a German small business invoices most: Germany and its neighbours first, then
 * the rest of the EU and a few others. Names come from the browser's own CLDR data
 * (Intl.DisplayNames), so this list is only codes.
 */
const CODES = [
  "DE", "AT", "CH", "NL", "BE", "LU", "FR", "DK", "PL", "CZ",
  "IT", "ES", "PT", "IE", "SE", "FI", "EE", "LV", "LT", "SK",
  "SI", "HU", "HR", "RO", "BG", "GR", "CY", "MT", "LI", "NO",
  "IS", "GB", "US", "CA",
] as const;

let names: Intl.DisplayNames | null = null;

export function countryName(code: string): string {
  names ??= new Intl.DisplayNames(["de"], { type: "region" });
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** EU member states (for hints about VAT ids and intra-community supplies). */
export const EU = new Set(["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]);

export function countryOptions(current?: string | null): { code: string; name: string }[] {
  const codes: string[] = [...CODES];
  if (current && !codes.includes(current)) codes.push(current);
  return codes.map((code) => ({ code, name: countryName(code) }));
}
