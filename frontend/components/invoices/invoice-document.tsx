import Link from "next/link";
import type { Invoice } from "@/lib/api/types";
import { formatDate, formatDecimal, formatEUR } from "@/lib/format";
import { unitShort } from "@/lib/units";
import { CATEGORY_LABEL, vatLabel } from "@/lib/vat";

/**
 * The invoice as the seller's customer will read it, from the API's numbers (never
 * recomputed here): meta data, lines, totals with the VAT breakdown, legal notes and the note.
 */
export function InvoiceDocument({ invoice }: { invoice: Invoice }) {
  const meta: [string, React.ReactNode][] = [
    ["Rechnungsnummer", invoice.number ?? <span className="text-muted-foreground">wird beim Festschreiben vergeben</span>],
    ["Rechnungsdatum", formatDate(invoice.issue_date)],
    [
      invoice.service_period_start ? "Leistungszeitraum" : "Leistungsdatum",
      invoice.service_period_start && invoice.service_period_end
        ? `${formatDate(invoice.service_period_start)} – ${formatDate(invoice.service_period_end)}`
        : invoice.service_date
          ? formatDate(invoice.service_date)
          : "entspricht Rechnungsdatum",
    ],
    ["Fällig am", invoice.due_date ? `${formatDate(invoice.due_date)}${invoice.payment_days != null ? ` (${invoice.payment_days} Tage)` : ""}` : "—"],
  ];
  if (invoice.buyer_reference) meta.push(["Käuferreferenz", invoice.buyer_reference]);

  const paid = invoice.payment_status === "paid";
  return (
    <article aria-labelledby="document-title" className="rounded-lg border border-border bg-card shadow-sm">
      <header className="grid gap-5 border-b border-border p-5 sm:grid-cols-2 sm:p-6">
        <div className="grid content-start gap-1">
          <h2 id="document-title" className="text-xs font-medium uppercase tracking-wide text-muted-foreground">
            Rechnung an
          </h2>
          {invoice.contact ? (
            <>
              <Link href={`/contacts?edit=${invoice.contact.id}`} className="font-medium hover:underline">
                {invoice.contact.name}
              </Link>
              {invoice.contact.email ? <p className="text-sm text-muted-foreground">{invoice.contact.email}</p> : null}
            </>
          ) : (
            <p className="text-muted-foreground">—</p>
          )}
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {meta.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted-foreground">{k}</dt>
              <dd className="tabular text-right sm:text-left">{v}</dd>
            </div>
          ))}
        </dl>
      </header>

      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Positionen</caption>
          <thead>
            <tr className="border-b border-border text-xs text-muted-foreground">
              <th scope="col" className="w-10 py-2 pl-5 pr-2 text-left font-medium sm:pl-6">
                Pos.
              </th>
              <th scope="col" className="px-2 py-2 text-left font-medium">
                Beschreibung
              </th>
              <th scope="col" className="hidden px-2 py-2 text-right font-medium sm:table-cell">
                Menge
              </th>
              <th scope="col" className="hidden px-2 py-2 text-right font-medium md:table-cell">
                Einzelpreis
              </th>
              <th scope="col" className="hidden px-2 py-2 text-right font-medium md:table-cell">
                USt.
              </th>
              <th scope="col" className="py-2 pl-2 pr-5 text-right font-medium sm:pr-6">
                Gesamt
              </th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((l) => (
              <tr key={l.position} className="border-b border-border align-top last:border-0" data-testid="document-line">
                <td className="tabular py-2.5 pl-5 pr-2 text-muted-foreground sm:pl-6">{l.position}</td>
                <td className="px-2 py-2.5">
                  <p className="whitespace-pre-line break-words">{l.description}</p>
                  <p className="tabular text-xs text-muted-foreground md:hidden">
                    {formatDecimal(l.quantity)} {unitShort(l.unit_code)} × {formatEUR(l.unit_price)} · {vatLabel(l.vat_category, l.vat_rate)}
                  </p>
                </td>
                <td className="tabular hidden whitespace-nowrap px-2 py-2.5 text-right sm:table-cell">
                  {formatDecimal(l.quantity)} {unitShort(l.unit_code)}
                </td>
                <td className="tabular hidden whitespace-nowrap px-2 py-2.5 text-right md:table-cell">{formatEUR(l.unit_price)}</td>
                <td className="tabular hidden whitespace-nowrap px-2 py-2.5 text-right text-muted-foreground md:table-cell">
                  {vatLabel(l.vat_category, l.vat_rate)}
                </td>
                <td className="tabular whitespace-nowrap py-2.5 pl-2 pr-5 text-right font-medium sm:pr-6">{formatEUR(l.net_amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="flex justify-end border-t border-border p-5 sm:p-6">
        <dl className="grid w-full max-w-sm gap-1.5 text-sm" data-testid="document-totals">
          <div className="flex justify-between gap-4">
            <dt className="text-muted-foreground">Nettobetrag</dt>
            <dd className="tabular" data-testid="doc-net">
              {formatEUR(invoice.net_total)}
            </dd>
          </div>
          {invoice.vat_breakdown.map((g) => (
            <div key={`${g.category}-${g.rate}`} className="flex justify-between gap-4">
              <dt className="text-muted-foreground">
                {g.category === "S" ? `zzgl. USt. ${vatLabel("S", g.rate)}` : (CATEGORY_LABEL[g.category] ?? g.category)}
                <span className="text-xs"> auf {formatEUR(g.taxable_amount)}</span>
              </dt>
              <dd className="tabular">{formatEUR(g.tax_amount)}</dd>
            </div>
          ))}
          <div className="mt-1 flex justify-between gap-4 border-t border-border pt-2 text-base font-semibold">
            <dt>Gesamtbetrag</dt>
            <dd className="tabular" data-testid="doc-gross">
              {formatEUR(invoice.gross_total)}
            </dd>
          </div>
          {paid ? (
            <div className="flex justify-between gap-4 text-success">
              <dt>Bezahlt{invoice.paid_at ? ` am ${formatDate(invoice.paid_at)}` : ""}</dt>
              <dd className="tabular">{formatEUR(invoice.gross_total)}</dd>
            </div>
          ) : null}
        </dl>
      </div>

      {invoice.legal_notes.length || invoice.note ? (
        <footer className="grid gap-2 border-t border-border p-5 text-sm sm:p-6">
          {invoice.legal_notes.map((n) => (
            <p key={n} className="text-muted-foreground">
              {n}
            </p>
          ))}
          {invoice.note ? <p className="whitespace-pre-line break-words">{invoice.note}</p> : null}
        </footer>
      ) : null}
    </article>
  );
}
