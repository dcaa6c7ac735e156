/**
 * Units of measure (UN/ECE Rec. 20 codes, BT-130) the seller can pick, with the labels the
 * PDF and the portal show. A copy of backend/app/invoices/units.py, groups included (its
 * comment lines): the API has no endpoint for the list, and a picker must not wait for a
 * request. e2e/unit/units.spec.ts compares this copy with the backend file, so the two cannot
 * drift apart unnoticed.
 */

export interface Unit {
  code: string;
  /** Short label for documents and tables ("Std."). */
  short: string;
  /** Long label for pickers ("Stunde"). */
  label: string;
  /** The group comment above it in units.py ("time"). */
  group: string;
}

export const UNITS: readonly Unit[] = [
  { code: "C62", short: "Stk.", label: "Stück", group: "pieces" },
  { code: "H87", short: "Stk.", label: "Stück (Teil)", group: "pieces" },
  { code: "XPP", short: "Stk.", label: "Stück (Packung)", group: "pieces" },
  { code: "EA", short: "Stk.", label: "Einheit", group: "pieces" },
  { code: "SET", short: "Set", label: "Set", group: "pieces" },
  { code: "PR", short: "Paar", label: "Paar", group: "pieces" },
  { code: "XPK", short: "Pkg.", label: "Paket", group: "pieces" },
  { code: "XBX", short: "Karton", label: "Karton", group: "pieces" },
  { code: "XPX", short: "Palette", label: "Palette", group: "pieces" },
  { code: "LS", short: "pauschal", label: "Pauschale", group: "pieces" },
  { code: "E48", short: "Leistung", label: "Serviceeinheit", group: "pieces" },
  { code: "P1", short: "%", label: "Prozent", group: "pieces" },
  { code: "SEC", short: "Sek.", label: "Sekunde", group: "time" },
  { code: "MIN", short: "Min.", label: "Minute", group: "time" },
  { code: "HUR", short: "Std.", label: "Stunde", group: "time" },
  { code: "DAY", short: "Tag(e)", label: "Tag", group: "time" },
  { code: "WEE", short: "Woche(n)", label: "Woche", group: "time" },
  { code: "MON", short: "Monat(e)", label: "Monat", group: "time" },
  { code: "QAN", short: "Quartal(e)", label: "Quartal", group: "time" },
  { code: "ANN", short: "Jahr(e)", label: "Jahr", group: "time" },
  { code: "GRM", short: "g", label: "Gramm", group: "mass" },
  { code: "KGM", short: "kg", label: "Kilogramm", group: "mass" },
  { code: "TNE", short: "t", label: "Tonne", group: "mass" },
  { code: "MMT", short: "mm", label: "Millimeter", group: "length, area, volume" },
  { code: "CMT", short: "cm", label: "Zentimeter", group: "length, area, volume" },
  { code: "MTR", short: "m", label: "Meter", group: "length, area, volume" },
  { code: "KMT", short: "km", label: "Kilometer", group: "length, area, volume" },
  { code: "MTK", short: "m²", label: "Quadratmeter", group: "length, area, volume" },
  { code: "MTQ", short: "m³", label: "Kubikmeter", group: "length, area, volume" },
  { code: "MLT", short: "ml", label: "Milliliter", group: "length, area, volume" },
  { code: "LTR", short: "l", label: "Liter", group: "length, area, volume" },
  { code: "KWH", short: "kWh", label: "Kilowattstunde", group: "energy and data" },
  { code: "MWH", short: "MWh", label: "Megawattstunde", group: "energy and data" },
  { code: "KWT", short: "kW", label: "Kilowatt", group: "energy and data" },
  { code: "E34", short: "GB", label: "Gigabyte", group: "energy and data" },
  { code: "E35", short: "TB", label: "Terabyte", group: "energy and data" },
  { code: "AD", short: "Byte", label: "Byte", group: "energy and data" },
];

/** German headings for the picker's groups. */
export const UNIT_GROUP_LABEL: Record<string, string> = {
  pieces: "Stück und Pauschalen",
  time: "Zeit",
  mass: "Gewicht",
  "length, area, volume": "Länge, Fläche, Volumen",
  "energy and data": "Energie und Daten",
};

const BY_CODE = new Map(UNITS.map((u) => [u.code, u]));

/** The short label of a unit code; an unknown code is shown as it is (as the backend does). */
export function unitShort(code: string): string {
  return BY_CODE.get(code.trim().toUpperCase())?.short ?? code;
}

export function unitLabel(code: string): string {
  return BY_CODE.get(code.trim().toUpperCase())?.label ?? code;
}

export const DEFAULT_UNIT = "C62";
