/**
 * VAT categories (UNTDID 5305, as EN 16931 uses them) in the seller's words, and the one
 * picker value that stands for "category + rate" in the invoice editor.
 *
 * The backend's rules (backend/app/invoices/vat.py): S carries a rate above 0; every other
 * category is 0 %. Kleinunternehmer (§ 19 UStG) must not use S.
 */
export const CATEGORY_LABEL: Record<string, string> = {
  S: "Umsatzsteuer",
  Z: "Nullsatz",
  E: "steuerfrei",
  AE: "Reverse Charge",
  K: "innergemeinschaftliche Lieferung",
  G: "Ausfuhr",
  O: "nicht steuerbar",
};

export interface VatChoice {
  /** Picker value: "S:19", "S:7", "S:other", or a zero-rate category code. */
  value: string;
  label: string;
  /** Longer explanation for the option's title/hint. */
  hint?: string;
}

export const STANDARD_RATES = ["19", "7"] as const;

/** "19.00" → "19", "5.50" → "5.5", "100" stays "100". */
export function trimRate(rate: string): string {
  const r = rate.replace(",", ".");
  return r.includes(".") ? r.replace(/0+$/, "").replace(/\.$/, "") : r;
}

export function vatChoices(smallBusiness: boolean): VatChoice[] {
  const zero: VatChoice[] = [
    { value: "E", label: smallBusiness ? "steuerfrei (§ 19 UStG)" : "steuerfrei", hint: "Steuerbefreite Leistung (E)" },
    { value: "AE", label: "Reverse Charge", hint: "Steuerschuldnerschaft des Leistungsempfängers, § 13b UStG (AE)" },
    { value: "K", label: "innergem. Lieferung", hint: "Steuerfreie innergemeinschaftliche Lieferung, § 4 Nr. 1b UStG (K)" },
    { value: "G", label: "Ausfuhr", hint: "Steuerfreie Ausfuhrlieferung, § 4 Nr. 1a UStG (G)" },
    { value: "Z", label: "0 % (Nullsatz)", hint: "Nullsatz, z. B. Photovoltaik nach § 12 Abs. 3 UStG (Z)" },
    { value: "O", label: "nicht steuerbar", hint: "Nicht im Inland steuerbare Leistung (O)" },
  ];
  if (smallBusiness) return zero;
  return [
    { value: "S:19", label: "19 %" },
    { value: "S:7", label: "7 %" },
    { value: "S:other", label: "anderer Satz" },
    ...zero,
  ];
}

/** Picker value for a line's category and rate ("S" + "19.00" → "S:19"). */
export function choiceOf(category: string, rate: string): string {
  if (category !== "S") return category;
  const normalized = trimRate(rate);
  return (STANDARD_RATES as readonly string[]).includes(normalized) ? `S:${normalized}` : "S:other";
}

export function categoryOf(choice: string): string {
  return choice.startsWith("S:") ? "S" : choice;
}

/** "19 %" for S lines, the category's name for the others. */
export function vatLabel(category: string, rate: string): string {
  if (category === "S") return `${trimRate(rate).replace(".", ",")}\u00a0%`;
  return CATEGORY_LABEL[category] ?? category;
}
