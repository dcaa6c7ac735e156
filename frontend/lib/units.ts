/**
 * Units of measure (UN/ECE Rec. 20 codes) the seller can pick, with the labels the PDF and
 * the portal show. A copy of backend/app/invoices/units.py: the API has no endpoint for the
 * list, and a picker must not wait for a request. e2e/unit/units.spec.ts compares this copy
 * with the backend file, so the two cannot drift apart unnoticed.
 */

export interface Unit {
  code: string;
  /** Short label for tables ("Std."). */
  short: string;
  /** Long label for pickers ("Stunde"). */
  label: string;
}

export const UNITS: readonly Unit[] = [
  { code: "C62", short: "Stk.", label: "Stück" },
  { code: "H87", short: "Stk.", label: "Stück (Teil)" },
  { code: "XPP", short: "Stk.", label: "Stück (Packung)" },
  { code: "EA", short: "Stk.", label: "Einheit" },
  { code: "SET", short: "Set", label: "Set" },
  { code: "PR", short: "Paar", label: "Paar" },
  { code: "LS", short: "pauschal", label: "Pauschale" },
  { code: "HUR", short: "Std.", label: "Stunde" },
  { code: "MIN", short: "Min.", label: "Minute" },
  { code: "DAY", short: "Tag", label: "Tag" },
  { code: "WEE", short: "Woche", label: "Woche" },
  { code: "MON", short: "Monat", label: "Monat" },
  { code: "ANN", short: "Jahr", label: "Jahr" },
  { code: "KGM", short: "kg", label: "Kilogramm" },
  { code: "GRM", short: "g", label: "Gramm" },
  { code: "TNE", short: "t", label: "Tonne" },
  { code: "LTR", short: "l", label: "Liter" },
  { code: "MLT", short: "ml", label: "Milliliter" },
  { code: "MTQ", short: "m³", label: "Kubikmeter" },
  { code: "MTR", short: "m", label: "Meter" },
  { code: "CMT", short: "cm", label: "Zentimeter" },
  { code: "KMT", short: "km", label: "Kilometer" },
  { code: "MTK", short: "m²", label: "Quadratmeter" },
  { code: "KWH", short: "kWh", label: "Kilowattstunde" },
  { code: "KWT", short: "kW", label: "Kilowatt" },
  { code: "E48", short: "Leistung", label: "Serviceeinheit" },
  { code: "P1", short: "%", label: "Prozent" },
];

const BY_CODE = new Map(UNITS.map((u) => [u.code, u]));

/** The table label of a unit code; an unknown code is shown as it is. */
export function unitShort(code: string): string {
  return BY_CODE.get(code)?.short ?? code;
}

export function unitLabel(code: string): string {
  return BY_CODE.get(code)?.label ?? code;
}

export const DEFAULT_UNIT = "C62";
