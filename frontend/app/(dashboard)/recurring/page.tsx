import { Plus, Repeat } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { load, param, type SearchParams } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";
import { formatDate, formatEUR } from "@/lib/format";
import { RECURRING_STATUS } from "@/lib/recurring";

export const metadata: Metadata = { title: "Wiederkehrende Rechnungen" };

export default async function RecurringPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const offset = Math.max(0, Number(param(sp.offset)) || 0);
  const api = await serverApi();
  const page = await load(api.GET("/api/recurring", { params: { query: { limit: 50, offset } } }));
  const add = (
    <Button asChild>
      <Link href="/recurring/new">
        <Plus aria-hidden="true" />
        Neue Vorlage
      </Link>
    </Button>
  );
  return (
    <>
      <PageHeader title="Wiederkehrende Rechnungen" description="Vorlagen, die regelmäßig von selbst eine Rechnung erzeugen." actions={page.total ? add : undefined} />
      {page.items.length ? (
        <div className="overflow-hidden rounded-lg border border-border bg-card shadow-sm">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Vorlagen</caption>
            <thead className="hidden border-b border-border bg-muted/40 sm:table-header-group">
              <tr>
                <th scope="col" className="h-9 px-4 text-left text-xs font-medium text-muted-foreground">
                  Vorlage
                </th>
                <th scope="col" className="hidden h-9 px-3 text-left text-xs font-medium text-muted-foreground md:table-cell">
                  Rhythmus
                </th>
                <th scope="col" className="h-9 px-3 text-left text-xs font-medium text-muted-foreground">
                  Nächste Rechnung
                </th>
                <th scope="col" className="h-9 px-3 text-right text-xs font-medium text-muted-foreground">
                  Betrag
                </th>
                <th scope="col" className="h-9 px-4 text-left text-xs font-medium text-muted-foreground">
                  Status
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((t) => {
                const s = RECURRING_STATUS[t.status] ?? { label: t.status, tone: "neutral" as const };
                return (
                  <tr
                    key={t.id}
                    data-testid="recurring-row"
                    className="relative grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 border-b border-border px-4 py-3 last:border-0 hover:bg-muted/50 sm:table-row sm:p-0"
                  >
                    <td className="min-w-0 sm:px-4 sm:py-3">
                      <Link
                        href={`/recurring/${t.id}`}
                        className="font-medium after:absolute after:inset-0 after:content-[''] focus-visible:outline-none focus-visible:after:ring-2 focus-visible:after:ring-inset focus-visible:after:ring-ring"
                      >
                        {t.name}
                      </Link>
                      <p className="truncate text-xs text-muted-foreground">{t.contact?.name}</p>
                    </td>
                    <td className="hidden px-3 py-3 text-muted-foreground md:table-cell">{t.frequency_label}</td>
                    <td className="tabular col-start-1 row-start-2 text-muted-foreground sm:px-3 sm:py-3 sm:text-foreground" data-testid="next-due">
                      {t.status === "active" && t.next_due ? formatDate(t.next_due) : "—"}
                    </td>
                    <td className="tabular col-start-2 row-start-1 whitespace-nowrap text-right font-medium sm:px-3 sm:py-3">{formatEUR(t.gross_total)}</td>
                    <td className="col-start-2 row-start-2 justify-self-end sm:px-4 sm:py-3">
                      <Badge tone={s.tone}>{s.label}</Badge>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState
          icon={<Repeat />}
          title="Noch keine Vorlagen"
          description="Für Wartungsverträge, Hosting oder Miete: einmal anlegen, RechnungsWerk erzeugt die Rechnung zum nächsten Termin."
          action={add}
        />
      )}
      <Pagination total={page.total} limit={page.limit} offset={page.offset} href={(o) => (o ? `/recurring?offset=${o}` : "/recurring")} label="Seiten der Vorlagen" />
    </>
  );
}
