import { ArrowRight, Building2, Check, FileText, Plus, Send, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { InvoiceTable } from "@/components/invoices/invoice-table";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";
import type { Organization } from "@/lib/api/types";
import { formatDate, formatEUR } from "@/lib/format";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Übersicht" };

function sellerComplete(o: Organization): boolean {
  const has = (v: string | null | undefined) => !!v?.trim();
  return has(o.name) && has(o.postal_code) && has(o.city) && has(o.contact_name) && has(o.phone) && has(o.email) && (has(o.vat_id) || has(o.tax_number)) && has(o.iban);
}

export default async function DashboardPage() {
  const api = await serverApi();
  const [stats, recent, paid, organization, contacts] = await Promise.all([
    load(api.GET("/api/invoices/stats")),
    load(api.GET("/api/invoices", { params: { query: { limit: 6 } } })),
    // The list is ordered by invoice date; the newest payments are picked from the paid ones.
    load(api.GET("/api/invoices", { params: { query: { payment_status: "paid", limit: 50 } } })),
    load(api.GET("/api/organization")),
    load(api.GET("/api/contacts", { params: { query: { limit: 1 } } })),
  ]);
  const payments = [...paid.items]
    .filter((i) => i.paid_at)
    .sort((a, b) => (a.paid_at! < b.paid_at! ? 1 : a.paid_at! > b.paid_at! ? -1 : b.id - a.id))
    .slice(0, 5);

  const steps = [
    { done: sellerComplete(organization), icon: Building2, title: "Firmendaten und Bankverbindung", text: "Adresse, Steuernummer oder USt-IdNr., Ansprechpartner und IBAN.", href: "/settings" },
    { done: contacts.total > 0, icon: Users, title: "Ersten Kunden anlegen", text: "Mit Anschrift und E-Mail; für Behörden mit Leitweg-ID.", href: "/contacts?edit=new" },
    { done: recent.total > 0, icon: FileText, title: "Rechnung schreiben", text: "Positionen und Steuersätze – die Summen rechnet RechnungsWerk nach EN 16931.", href: "/invoices/new" },
    { done: stats.open_count + stats.overdue_count + stats.paid_last_30_days_count > 0, icon: Send, title: "Festschreiben und versenden", text: "Ihr Kunde öffnet die Rechnung im Portal, lädt PDF und XML und bestätigt die Zahlung.", href: "/invoices" },
  ];
  const setupDone = steps.every((s) => s.done);

  const kpis = [
    { label: "Offen", value: stats.open_total, count: stats.open_count, href: "/invoices?status=open", tone: "" },
    { label: "Überfällig", value: stats.overdue_total, count: stats.overdue_count, href: "/invoices?status=overdue", tone: stats.overdue_count ? "text-warning" : "" },
    { label: "Bezahlt (30 Tage)", value: stats.paid_last_30_days_total, count: stats.paid_last_30_days_count, href: "/invoices?status=paid", tone: "" },
  ];

  return (
    <>
      <PageHeader
        title="Übersicht"
        description="Was offen ist, was überfällig ist und was gerade bezahlt wurde."
        actions={
          <Button asChild>
            <Link href="/invoices/new">
              <Plus aria-hidden="true" />
              Neue Rechnung
            </Link>
          </Button>
        }
      />
      <section aria-label="Kennzahlen" className="grid gap-2 sm:grid-cols-3 sm:gap-4">
        {kpis.map((k) => (
          <Link
            key={k.label}
            href={k.href}
            // On a phone one compact row per figure; from sm on, three cards side by side.
            className="group grid grid-cols-[1fr_auto] items-baseline gap-x-3 rounded-lg border border-border bg-card px-4 py-3 shadow-sm transition-colors hover:border-input focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring sm:block sm:p-5"
            data-testid={`kpi-${k.label}`}
          >
            <p className="text-sm text-muted-foreground">{k.label}</p>
            <p className={cn("tabular row-span-2 text-xl font-semibold tracking-tight sm:mt-1.5 sm:text-2xl", k.tone)} data-testid="kpi-amount">
              {formatEUR(k.value)}
            </p>
            <p className="flex items-center justify-between text-xs text-muted-foreground sm:mt-1">
              <span data-testid="kpi-count">
                {k.count} {k.count === 1 ? "Rechnung" : "Rechnungen"}
              </span>
              <ArrowRight aria-hidden="true" className="size-3.5 opacity-0 transition-opacity group-hover:opacity-100" />
            </p>
          </Link>
        ))}
      </section>

      <div className={cn("mt-6 grid items-start gap-6", "lg:grid-cols-[minmax(0,1fr)_22rem]")}>
        <section aria-labelledby="recent-title" className="grid gap-3">
          <div className="flex items-center justify-between">
            <h2 id="recent-title" className="text-base font-semibold">
              Letzte Rechnungen
            </h2>
            {recent.total > 0 ? (
              <Link href="/invoices" className="text-sm font-medium text-primary hover:underline">
                Alle Rechnungen
              </Link>
            ) : null}
          </div>
          {recent.items.length ? (
            <InvoiceTable items={recent.items} compact />
          ) : (
            <EmptyState
              icon={<FileText />}
              title="Noch keine Rechnungen"
              description="Sobald Sie Rechnungen schreiben, sehen Sie hier Status und Zahlungseingang auf einen Blick."
            />
          )}
          {stats.draft_count ? (
            <p className="text-sm text-muted-foreground">
              <Link href="/invoices?status=draft" className="font-medium text-foreground hover:underline">
                {stats.draft_count} {stats.draft_count === 1 ? "Entwurf" : "Entwürfe"}
              </Link>{" "}
              noch nicht festgeschrieben.
            </p>
          ) : null}
        </section>

        <div className="grid gap-6">
          {!setupDone ? (
            <Card>
              <CardHeader>
                <CardTitle>Erste Schritte</CardTitle>
                <CardDescription>In vier Schritten zur ersten bezahlten E-Rechnung.</CardDescription>
              </CardHeader>
              <CardContent>
                <ol className="grid gap-1">
                  {steps.map(({ icon: Icon, title, text, href, done }, i) => (
                    <li key={title}>
                      <Link href={href} className="flex gap-3 rounded-md p-2 hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
                        <span
                          aria-hidden="true"
                          className={cn(
                            "flex size-8 shrink-0 items-center justify-center rounded-full",
                            done ? "bg-success-soft text-success" : "bg-accent text-accent-foreground",
                          )}
                        >
                          {done ? <Check className="size-4" /> : <Icon className="size-4" />}
                        </span>
                        <span className="grid gap-0.5">
                          <span className={cn("text-sm font-medium", done && "text-muted-foreground line-through decoration-1")}>
                            <span className="sr-only">
                              Schritt {i + 1}
                              {done ? " (erledigt)" : ""}:{" "}
                            </span>
                            {title}
                          </span>
                          <span className="text-xs text-muted-foreground">{text}</span>
                        </span>
                      </Link>
                    </li>
                  ))}
                </ol>
              </CardContent>
            </Card>
          ) : null}

          <Card>
            <CardHeader className="pb-3 sm:pb-3">
              <CardTitle>Zahlungseingänge</CardTitle>
            </CardHeader>
            <CardContent>
              {payments.length ? (
                <ul className="grid divide-y divide-border" data-testid="recent-payments">
                  {payments.map((p) => (
                    <li key={p.id}>
                      <Link href={`/invoices/${p.id}`} className="flex items-center justify-between gap-3 py-2.5 text-sm hover:text-primary">
                        <span className="grid min-w-0">
                          <span className="truncate font-medium">{p.contact_name}</span>
                          <span className="tabular text-xs text-muted-foreground">
                            {p.number} · {formatDate(p.paid_at!)}
                          </span>
                        </span>
                        <span className="tabular shrink-0 font-medium text-success">{formatEUR(p.gross_total)}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-muted-foreground">Noch keine Zahlungen. Bezahlte Rechnungen erscheinen hier.</p>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}
