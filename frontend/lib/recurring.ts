/** Recurring invoice templates in the seller's words (backend/app/recurring/periods.py). */
import type { Frequency } from "./api/types";

export const FREQUENCIES: { value: Frequency; label: string }[] = [
  { value: "weekly", label: "wöchentlich" },
  { value: "monthly", label: "monatlich" },
  { value: "quarterly", label: "vierteljährlich" },
  { value: "half_yearly", label: "halbjährlich" },
  { value: "yearly", label: "jährlich" },
];

export const RECURRING_STATUS: Record<string, { label: string; tone: "success" | "neutral" | "warning" }> = {
  active: { label: "Aktiv", tone: "success" },
  paused: { label: "Pausiert", tone: "warning" },
  finished: { label: "Beendet", tone: "neutral" },
};

/** Placeholders a template's note may use; the backend refuses any other `{name}`. */
export const NOTE_PLACEHOLDERS: { name: string; example: string }[] = [
  { name: "{period_start}", example: "01.12.2026" },
  { name: "{period_end}", example: "31.12.2026" },
  { name: "{month}", example: "Dezember" },
  { name: "{year}", example: "2026" },
];
