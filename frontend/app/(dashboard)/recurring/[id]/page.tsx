import { CalendarClock, CircleAlert } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RecurringActions } from "@/components/recurring/recurring-actions";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";
import { formatDate, formatDateTime, formatDecimal, formatEUR } from "@/lib/format";
import { type DisplayStatus } from "@/lib/invoice-status";
import { RECURRING_STATUS } from "@/lib/recurring";
import { unitShort } from "@/lib/units";
import { vatLabel } from "@/lib/vat";

export const metadata: Metadata = { title: "Wiederkehrende Rechnung" };

const INVOICE_STATUSES = new Set(["draft", "open", "overdue", "paid", "cancelled"]);

export default async function RecurringDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  const api = await serverApi();
  const [t, upcoming] = await Promise.all([
    load(api.GET("/api/recurring/{template_id}", { params: { path: { template_id: id } } })),
    load(api.GET("/api/recurring/{template_id}/preview", { params: { path: { template_id: id }, query: { count: 6 } } })),
  ]);
  const s = RECURRING_STATUS[t.status] ?? { label: t.status, tone: "neutral" as const };

  return (
    <>
      <nav aria-label="Brotkrumen" className="mb-2 text-sm text-muted-foreground">
        <Link href="/recurring" className="hover:text-foreground hover:underline">
          Wiederkehrende Rechnungen
        </Link>
      </nav>
      <div className="mb-6 grid gap-4">
        <div className="grid gap-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{t.name}</h1>
            <Badge tone={s.tone}>{s.label}</Badge>
          </div>
          <p className="text-sm text-muted-foreground">
            {t.contact?.name} · {t.frequency_label} · <span className="tabular font-medium text-foreground">{formatEUR(t.gross_total)}</span> je Rechnung
          </p>
        </div>
        <RecurringActions template={t} />
      </div>

      {t.last_error ? (
        <p className="mb-6 flex items-start gap-2 rounded-lg border border-warning/30 bg-warning-soft p-4 text-sm text-warning" role="note">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>
            <span className="font-medium">Die letzte Rechnung blieb ein Entwurf:</span> {t.last_error}
          </span>
        </p>
      ) : null}

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="grid gap-6">
          <section aria-labelledby="next-title" className="rounded-lg border border-border bg-card p-5 shadow-sm sm:p-6" data-testid="recurring-next">
            <h2 id="next-title" className="flex items-center gap-2 text-sm text-muted-foreground">
              <CalendarClock aria-hidden="true" className="size-4" />
              Nächste Rechnung
            </h2>
            {t.status === "active" && t.next_due ? (
              <>
                <p className="tabular mt-1 text-2xl font-semibold tracking-tight" data-testid="next-due">
                  {formatDate(t.next_due)}
                </p>
                {t.next_period ? (
                  <p className="text-sm text-muted-foreground">
                    Leistungszeitraum {formatDate(t.next_period.period_start)} – {formatDate(t.next_period.period_end)}
                    {t.auto_finalize ? (t.auto_send ? " · wird festgeschrieben und per E-Mail gesendet" : " · wird festgeschrieben") : " · als Entwurf"}
                  </p>
                ) : null}
                {t.due_periods > 1 ? <p className="mt-1 text-sm text-warning">{t.due_periods} Zeiträume sind fällig und werden beim nächsten Lauf erzeugt.</p> : null}
              </>
            ) : (
              <p className="mt-1 text-lg font-medium text-muted-foreground" data-testid="next-due">
                {t.status === "paused" ? "Pausiert – keine Rechnung geplant" : "Die Serie ist beendet"}
              </p>
            )}
            {upcoming.periods.length > 1 && t.status === "active" ? (
              <ol className="mt-4 grid gap-1 border-t border-border pt-3 text-sm text-muted-foreground" aria-label="Weitere Termine">
                {upcoming.periods.slice(1).map((p) => (
                  <li key={p.number} className="tabular flex flex-wrap justify-between gap-x-3">
                    <span className="text-foreground">{formatDate(p.period_start)}</span>
                    <span>
                      Leistung bis {formatDate(p.period_end)}
                    </span>
                  </li>
                ))}
              </ol>
            ) : null}
          </section>

          <section aria-labelledby="generated-title" className="grid gap-3">
            <h2 id="generated-title" className="text-base font-semibold">
              Erzeugte Rechnungen
            </h2>
            {t.invoices.length ? (
              <ul className="grid divide-y divide-border overflow-hidden rounded-lg border border-border bg-card shadow-sm" data-testid="generated-invoices">
                {t.invoices.map((g) => (
                  <li key={`${g.period_start}-${g.invoice_id}`} className="relative flex items-center justify-between gap-3 px-4 py-3 text-sm hover:bg-muted/40">
                    <div className="grid min-w-0 gap-0.5">
                      {g.invoice_id ? (
                        <Link href={`/invoices/${g.invoice_id}`} className="font-medium after:absolute after:inset-0 after:content-['']">
                          {g.number ?? "Entwurf"}
                        </Link>
                      ) : (
                        <span className="font-medium text-muted-foreground">gelöscht</span>
                      )}
                      <span className="text-xs text-muted-foreground">
                        Leistung {formatDate(g.period_start)} – {formatDate(g.period_end)} · erzeugt {formatDateTime(g.created_at)}
                      </span>
                      {g.error ? <span className="text-xs text-warning">{g.error}</span> : null}
                    </div>
                    <div className="flex shrink-0 items-center gap-3">
                      {g.gross_total ? <span className="tabular font-medium">{formatEUR(g.gross_total)}</span> : null}
                      {INVOICE_STATUSES.has(g.status) ? <StatusBadge status={g.status as DisplayStatus} /> : <Badge>{g.status}</Badge>}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="rounded-lg border border-dashed border-border px-4 py-8 text-center text-sm text-muted-foreground">Noch keine Rechnung erzeugt.</p>
            )}
          </section>
        </div>

        <Card>
          <CardHeader className="pb-3 sm:pb-3">
            <CardTitle as="h2" className="text-sm">
              Vorlage
            </CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 text-sm">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
              <dt className="text-muted-foreground">Start</dt>
              <dd className="tabular">{formatDate(t.start_date)}</dd>
              <dt className="text-muted-foreground">Ende</dt>
              <dd>{t.end_date ? formatDate(t.end_date) : t.max_occurrences ? `nach ${t.max_occurrences} Rechnungen` : "unbefristet"}</dd>
              <dt className="text-muted-foreground">Erzeugt</dt>
              <dd className="tabular">{t.occurrences_count}</dd>
              <dt className="text-muted-foreground">Zahlungsziel</dt>
              <dd>{t.payment_days != null ? `${t.payment_days} Tage` : "Standard"}</dd>
            </dl>
            <ul className="grid gap-2 border-t border-border pt-3">
              {t.lines.map((l, i) => (
                <li key={i} className="grid gap-0.5">
                  <span className="flex justify-between gap-3">
                    <span className="min-w-0 break-words">{l.description}</span>
                    <span className="tabular shrink-0">{formatEUR(l.net_amount)}</span>
                  </span>
                  <span className="tabular text-xs text-muted-foreground">
                    {formatDecimal(l.quantity)} {unitShort(l.unit_code)} × {formatEUR(l.unit_price)} · {vatLabel(l.vat_category, l.vat_rate)}
                  </span>
                </li>
              ))}
            </ul>
            <dl className="grid gap-1 border-t border-border pt-3">
              <div className="flex justify-between">
                <dt className="text-muted-foreground">Netto</dt>
                <dd className="tabular">{formatEUR(t.net_total)}</dd>
              </div>
              <div className="flex justify-between">
                <dt className="text-muted-foreground">USt.</dt>
                <dd className="tabular">{formatEUR(t.vat_total)}</dd>
              </div>
              <div className="flex justify-between font-semibold">
                <dt>Gesamt</dt>
                <dd className="tabular">{formatEUR(t.gross_total)}</dd>
              </div>
            </dl>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
