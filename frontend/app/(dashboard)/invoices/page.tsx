import { FileText, Plus, SearchX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { InvoiceTable } from "@/components/invoices/invoice-table";
import { PeriodSelect } from "@/components/invoices/list-filters";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { load, param, type SearchParams } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";
import type { InvoiceListQuery } from "@/lib/api/types";
import { isPeriod, periodRange } from "@/lib/dates";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Rechnungen" };

const PAGE_SIZE = 25;

const TABS = [
  { value: undefined, label: "Alle" },
  { value: "draft", label: "Entwürfe" },
  { value: "open", label: "Offen" },
  { value: "overdue", label: "Überfällig" },
  { value: "paid", label: "Bezahlt" },
  { value: "cancelled", label: "Storniert" },
] as const;

type StatusValue = NonNullable<InvoiceListQuery["status"]>;
const STATUSES = new Set<string>(["draft", "open", "overdue", "paid", "cancelled"]);

export default async function InvoicesPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const statusParam = param(sp.status);
  const status = statusParam && STATUSES.has(statusParam) ? (statusParam as StatusValue) : undefined;
  const q = param(sp.q)?.trim() || undefined;
  const period = param(sp.period);
  const contactId = Number(param(sp.contact_id)) || undefined;
  const offset = Math.max(0, Number(param(sp.offset)) || 0);
  const range = isPeriod(period) ? periodRange(period) : null;

  const api = await serverApi();
  const [page, stats] = await Promise.all([
    load(
      api.GET("/api/invoices", {
        params: {
          query: {
            status,
            q,
            contact_id: contactId,
            date_from: range?.from,
            date_to: range?.to,
            limit: PAGE_SIZE,
            offset,
          },
        },
      }),
    ),
    load(api.GET("/api/invoices/stats")),
  ]);

  const counts: Partial<Record<StatusValue, number>> = { draft: stats.draft_count, open: stats.open_count, overdue: stats.overdue_count };
  const filtered = Boolean(status || q || range || contactId);

  const href = (next: { status?: string; offset?: number }) => {
    const out = new URLSearchParams();
    const s = "status" in next ? next.status : status;
    if (s) out.set("status", s);
    if (q) out.set("q", q);
    if (range && period) out.set("period", period);
    if (contactId) out.set("contact_id", String(contactId));
    if (next.offset) out.set("offset", String(next.offset));
    const qs = out.toString();
    return qs ? `/invoices?${qs}` : "/invoices";
  };

  return (
    <>
      <PageHeader
        title="Rechnungen"
        description="Alle Rechnungen mit Status und Zahlungseingang."
        actions={
          <Button asChild>
            <Link href="/invoices/new">
              <Plus aria-hidden="true" />
              Neue Rechnung
            </Link>
          </Button>
        }
      />

      <div className="mb-4 grid gap-3">
        <nav aria-label="Nach Status filtern" className="-mx-1 flex gap-1 overflow-x-auto px-1 pb-1">
          {TABS.map((tab) => {
            const active = tab.value === status;
            const count = tab.value ? counts[tab.value] : undefined;
            return (
              <Link
                key={tab.label}
                href={href({ status: tab.value, offset: 0 })}
                aria-current={active ? "page" : undefined}
                scroll={false}
                className={cn(
                  "inline-flex h-8 shrink-0 items-center gap-1.5 rounded-md px-3 text-sm font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  active ? "bg-card text-foreground shadow-sm ring-1 ring-border" : "text-muted-foreground hover:bg-muted hover:text-foreground",
                )}
              >
                {tab.label}
                {count ? (
                  <span className={cn("tabular rounded-full px-1.5 text-xs", tab.value === "overdue" ? "bg-warning-soft text-warning" : "bg-muted text-muted-foreground")}>
                    {count}
                  </span>
                ) : null}
              </Link>
            );
          })}
        </nav>
        <div className="flex flex-col gap-2 sm:flex-row">
          <SearchInput label="Rechnungen durchsuchen" placeholder="Nummer oder Kunde suchen" />
          <PeriodSelect />
          {filtered ? (
            <Button asChild variant="ghost" size="md" className="text-muted-foreground">
              <Link href="/invoices">Filter zurücksetzen</Link>
            </Button>
          ) : null}
        </div>
      </div>

      {page.items.length ? (
        <>
          <InvoiceTable items={page.items} />
          <Pagination total={page.total} limit={page.limit} offset={page.offset} href={(o) => href({ offset: o })} label="Seiten der Rechnungsliste" />
        </>
      ) : filtered ? (
        <EmptyState
          icon={<SearchX />}
          title="Keine passenden Rechnungen"
          description="Für diese Suche oder diesen Filter gibt es keine Rechnungen."
          action={
            <Button asChild variant="secondary">
              <Link href="/invoices">Alle Rechnungen zeigen</Link>
            </Button>
          }
        />
      ) : (
        <EmptyState
          icon={<FileText />}
          title="Noch keine Rechnungen"
          description="Hier erscheinen Ihre Rechnungen – vom Entwurf bis „Bezahlt“."
          action={
            <Button asChild>
              <Link href="/invoices/new">
                <Plus aria-hidden="true" />
                Erste Rechnung schreiben
              </Link>
            </Button>
          }
        />
      )}
    </>
  );
}
