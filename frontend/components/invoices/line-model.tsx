"use client";
/**
 * The invoice line model shared by the invoice editor and the recurring-template editor:
 * what was typed → API body and totals input, API errors → the line's fields, API lines →
 * editor state, and the live totals panel.
 */
import { ApiError } from "@/lib/api/browser";
import { parseUserDecimal, toInputDecimal } from "@/lib/decimal";
import { formatEUR } from "@/lib/format";
import type { LineInput } from "@/lib/api/types";
import type { computeTotals, TotalsLine } from "@/lib/totals";
import { CATEGORY_LABEL, categoryOf, choiceOf, vatLabel } from "@/lib/vat";
import { type LineErrors, type LineState, newLine } from "./line-items";

interface ApiLine {
  description: string;
  quantity: string;
  unit_code: string;
  unit_price: string;
  vat_category: string;
  vat_rate: string;
}

export interface ParsedLine {
  body: LineInput | null;
  totals: TotalsLine | null;
  errors: LineErrors;
}

/** One line as typed → the API body and the totals input, or the reasons it is not valid yet. */
export function parseLine(line: LineState): ParsedLine {
  const errors: LineErrors = {};
  if (!line.description.trim()) errors.description = "Bitte eine Beschreibung eingeben";
  const qty = parseUserDecimal(line.quantity, { maxScale: 4, allowNegative: true });
  if (!qty.ok) errors.quantity = qty.error;
  else if (/^-?0*(\.0*)?$/.test(qty.value)) errors.quantity = "Die Menge darf nicht 0 sein";
  const price = parseUserDecimal(line.unit_price, { maxScale: 4 });
  if (!price.ok) errors.unit_price = price.error;
  const category = categoryOf(line.vat_choice);
  let rate = "0";
  if (category === "S") {
    if (line.vat_choice === "S:other") {
      const r = parseUserDecimal(line.other_rate, { maxScale: 2 });
      if (!r.ok) errors.vat_rate = r.error;
      else if (Number(r.value) <= 0 || Number(r.value) > 100) errors.vat_rate = "Steuersatz zwischen 0 und 100 %";
      else rate = r.value;
    } else {
      rate = line.vat_choice.slice(2);
    }
  }
  const numbersOk = qty.ok && price.ok && !errors.quantity && !errors.vat_rate;
  const totals = numbersOk ? { quantity: qty.value, unit_price: price.value, vat_category: category, vat_rate: rate } : null;
  const body =
    totals && !errors.description
      ? { description: line.description.trim(), quantity: totals.quantity, unit_code: line.unit_code, unit_price: totals.unit_price, vat_category: category as LineInput["vat_category"], vat_rate: rate }
      : null;
  return { body, totals, errors };
}

/** API field names ("lines.2.unit_price") → the editor's error slots. */
export function splitApiErrors(fieldErrors: Record<string, string>, lineCount: number) {
  const lines: LineErrors[] = Array.from({ length: lineCount }, () => ({}));
  const header: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    const m = /^lines\.(\d+)(?:\.(\w+))?$/.exec(field);
    if (m) {
      const i = Number(m[1]);
      const f = (m[2] ?? "description") as keyof LineErrors;
      if (lines[i]) lines[i]![f] ??= message;
    } else {
      header[field] = message;
    }
  }
  return { lines, header };
}

/** A failed save of either editor → what to mark: the lines' fields, the header fields and
 *  the message above the form. */
export function saveErrors(e: unknown, lineCount: number) {
  if (!(e instanceof ApiError)) {
    return { lines: [] as LineErrors[], header: {} as Record<string, string>, form: "Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal." };
  }
  const split = splitApiErrors(e.fieldErrors, lineCount);
  return { ...split, form: Object.keys(e.fieldErrors).length ? "Bitte prüfen Sie die markierten Felder." : e.message };
}

/** Lines as the API sends them (invoice or recurring template) → editor state. */
export function linesFromApi(lines: readonly ApiLine[], smallBusiness: boolean): LineState[] {
  if (!lines.length) return [newLine(smallBusiness)];
  return lines.map((l) => {
    const choice = choiceOf(l.vat_category, l.vat_rate);
    return newLine(smallBusiness, {
      description: l.description,
      quantity: toInputDecimal(l.quantity),
      unit_code: l.unit_code,
      unit_price: toInputDecimal(l.unit_price, 2),
      vat_choice: choice,
      other_rate: choice === "S:other" ? toInputDecimal(l.vat_rate) : "",
    });
  });
}


export function TotalsPanel({ totals, incomplete }: { totals: ReturnType<typeof computeTotals>; incomplete: boolean }) {
  return (
    <div className="ml-auto w-full max-w-sm">
      <dl className="grid gap-1.5 text-sm" aria-label="Summen" data-testid="editor-totals">
        <div className="flex justify-between gap-4">
          <dt className="text-muted-foreground">Nettobetrag</dt>
          <dd className="tabular" data-testid="total-net">
            {formatEUR(totals.net_total)}
          </dd>
        </div>
        {totals.vat_breakdown.map((g) => (
          <div key={`${g.category}-${g.rate}`} className="flex justify-between gap-4" data-testid="total-vat-group">
            <dt className="text-muted-foreground">
              {g.category === "S" ? `zzgl. USt. ${vatLabel("S", g.rate)}` : (CATEGORY_LABEL[g.category] ?? g.category)}
              <span className="text-xs"> auf {formatEUR(g.taxable_amount)}</span>
            </dt>
            <dd className="tabular">{formatEUR(g.tax_amount)}</dd>
          </div>
        ))}
        <div className="mt-1 flex justify-between gap-4 border-t border-border pt-2 text-base font-semibold">
          <dt>Gesamtbetrag</dt>
          <dd className="tabular" data-testid="total-gross" aria-live="polite">
            {formatEUR(totals.gross_total)}
          </dd>
        </div>
      </dl>
      {incomplete ? <p className="mt-2 text-right text-xs text-muted-foreground">Unvollständige Positionen sind noch nicht eingerechnet.</p> : null}
    </div>
  );
}
