import Link from "next/link";
import { StatusBadge } from "@/components/ui/badge";
import type { InvoiceListItem } from "@/lib/api/types";
import { formatDate, formatEUR, todayInBerlin } from "@/lib/format";
import { displayStatus } from "@/lib/invoice-status";
import { cn } from "@/lib/utils";
import { PaymentInfo } from "./payment-info";

/**
 * The invoice list: a real table on wide screens (number, customer, dates and amount line up),
 * stacked rows on a phone. The whole row is the link target; the number is the link itself,
 * so screen readers and keyboards meet one link per invoice.
 */
export function InvoiceTable({ items, compact = false }: { items: InvoiceListItem[]; compact?: boolean }) {
  const today = todayInBerlin();
  return (
    <div className="overflow-hidden rounded-lg border border-border bg-card shadow-sm">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">Rechnungen</caption>
        <thead className="hidden border-b border-border bg-muted/40 sm:table-header-group">
          <tr>
            <th scope="col" className="h-9 px-4 text-left text-xs font-medium text-muted-foreground">
              Nummer
            </th>
            <th scope="col" className="h-9 px-3 text-left text-xs font-medium text-muted-foreground">
              Kunde
            </th>
            {!compact ? (
              <th scope="col" className="hidden h-9 px-3 text-left text-xs font-medium text-muted-foreground md:table-cell">
                Datum
              </th>
            ) : null}
            {!compact ? (
              <th scope="col" className="hidden h-9 px-3 text-left text-xs font-medium text-muted-foreground lg:table-cell">
                Zahlung
              </th>
            ) : null}
            <th scope="col" className="h-9 px-3 text-right text-xs font-medium text-muted-foreground">
              Betrag
            </th>
            <th scope="col" className="h-9 px-4 text-left text-xs font-medium text-muted-foreground">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((inv) => {
            const status = displayStatus(inv, today);
            return (
              <tr
                key={inv.id}
                data-testid="invoice-row"
                data-invoice-id={inv.id}
                className="relative grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 border-b border-border px-4 py-3 last:border-0 hover:bg-muted/50 focus-within:bg-muted/50 sm:table-row sm:p-0"
              >
                <td className="min-w-0 sm:px-4 sm:py-3">
                  <Link
                    href={`/invoices/${inv.id}`}
                    className="font-medium text-foreground after:absolute after:inset-0 after:content-[''] focus-visible:outline-none focus-visible:after:rounded-md focus-visible:after:ring-2 focus-visible:after:ring-ring focus-visible:after:ring-inset"
                  >
                    {inv.number ? (
                      <span className="tabular whitespace-nowrap">{inv.number}</span>
                    ) : (
                      <span className="text-muted-foreground">
                        Entwurf<span className="sr-only"> vom {formatDate(inv.issue_date)}</span>
                      </span>
                    )}
                  </Link>
                </td>
                <td className="col-start-1 row-start-2 min-w-0 truncate text-muted-foreground sm:max-w-64 sm:px-3 sm:py-3 sm:text-foreground">
                  {inv.contact_name}
                </td>
                {!compact ? (
                  <td className="tabular hidden whitespace-nowrap px-3 py-3 text-muted-foreground md:table-cell">{formatDate(inv.issue_date)}</td>
                ) : null}
                {!compact ? (
                  <td className="hidden whitespace-nowrap px-3 py-3 lg:table-cell">
                    <PaymentInfo invoice={inv} today={today} />
                  </td>
                ) : null}
                <td
                  className={cn(
                    "tabular col-start-2 row-start-1 whitespace-nowrap text-right font-medium sm:px-3 sm:py-3",
                    status === "cancelled" && "font-normal text-muted-foreground line-through",
                  )}
                >
                  {formatEUR(inv.gross_total)}
                </td>
                <td className="col-start-2 row-start-2 justify-self-end sm:px-4 sm:py-3">
                  <StatusBadge status={status} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
