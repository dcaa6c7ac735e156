/**
 * Where to fix what the e-invoice check (finalize's 422 `einvoice_incomplete`, or
 * /validation's `missing`) says is missing. Field names are the API's:
 * `organization.*` (seller master data → /settings), `contact.*` (the customer → its
 * edit dialog on /contacts), `invoice.*` (the draft → its editor).
 */
export interface MissingField {
  field: string;
  message: string;
}

export interface FixLink {
  href: string;
  /** "Einstellungen", "Kunde", "Rechnung" – where the link goes, for its accessible name. */
  place: string;
}

export function fixLink(field: string, ctx: { invoiceId: number; contactId: number }): FixLink | null {
  const [scope, ...rest] = field.split(".");
  const name = rest.join(".");
  if (scope === "organization") return { href: `/settings#${name || "name"}`, place: "Einstellungen" };
  if (scope === "contact") {
    const q = new URLSearchParams({ edit: String(ctx.contactId) });
    if (name) q.set("field", name);
    return { href: `/contacts?${q.toString()}`, place: "Kunde" };
  }
  if (scope === "invoice") {
    // "lines[2].description" → the editor's input id "line-2-description".
    const line = /^lines\[(\d+)\]\.(\w+)$/.exec(name);
    const anchor = line ? `line-${line[1]}-${line[2] === "vat_rate" ? "vat" : line[2]}` : name && name !== "lines" ? name : "";
    return { href: `/invoices/${ctx.invoiceId}/edit${anchor ? `#${anchor}` : ""}`, place: "Rechnung" };
  }
  return null;
}

/** Groups the list by where it is fixed, in the order a seller would work through it. */
export function groupMissing(items: MissingField[]): { scope: "organization" | "contact" | "invoice" | "other"; title: string; items: MissingField[] }[] {
  const order = [
    { scope: "organization", title: "Ihre Firmendaten" },
    { scope: "contact", title: "Daten des Kunden" },
    { scope: "invoice", title: "Angaben der Rechnung" },
    { scope: "other", title: "Sonstiges" },
  ] as const;
  return order
    .map((g) => ({
      ...g,
      items: items.filter((i) => {
        const s = i.field.split(".")[0];
        return g.scope === "other" ? !["organization", "contact", "invoice"].includes(s ?? "") : s === g.scope;
      }),
    }))
    .filter((g) => g.items.length > 0);
}
