import { todayInBerlin } from "./format";

/** The five states a person sees (ui.md), whatever combination of fields the API sends. */
export type DisplayStatus = "draft" | "open" | "overdue" | "paid" | "cancelled";

export interface StatusFields {
  status: string;
  payment_status?: string | null;
  due_date?: string | null;
}

/**
 * Cancelled wins over everything, then paid, then draft; an open invoice past its due date
 * (in Berlin) is overdue even if the nightly job has not flagged it yet.
 */
export function displayStatus(inv: StatusFields, today: string = todayInBerlin()): DisplayStatus {
  if (inv.status === "cancelled") return "cancelled";
  if (inv.payment_status === "paid" || inv.status === "paid") return "paid";
  if (inv.status === "draft") return "draft";
  if (inv.status === "overdue") return "overdue";
  if (inv.due_date && inv.due_date < today) return "overdue";
  return "open";
}

export const STATUS_LABEL: Record<"de" | "en", Record<DisplayStatus, string>> = {
  de: { draft: "Entwurf", open: "Offen", overdue: "Überfällig", paid: "Bezahlt", cancelled: "Storniert" },
  en: { draft: "Draft", open: "Open", overdue: "Overdue", paid: "Paid", cancelled: "Cancelled" },
};
