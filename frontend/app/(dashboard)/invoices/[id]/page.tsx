import type { Metadata } from "next";
import Link from "next/link";
import { AuditTrail } from "@/components/invoices/audit-trail";
import { InvoiceActions } from "@/components/invoices/invoice-actions";
import { InvoiceDocument } from "@/components/invoices/invoice-document";
import { PortalCard } from "@/components/invoices/portal-card";
import { PaymentInfo } from "@/components/invoices/payment-info";
import { ValidationCard } from "@/components/invoices/validation-card";
import { StatusBadge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { unwrap } from "@/lib/api/client";
import { load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";
import { formatDate, formatEUR } from "@/lib/format";
import { displayStatus } from "@/lib/invoice-status";

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const id = Number((await params).id);
  const api = await serverApi();
  const res = await api.GET("/api/invoices/{invoice_id}", { params: { path: { invoice_id: id } } });
  return { title: res.data?.number ? `Rechnung ${res.data.number}` : "Entwurf" };
}

export default async function InvoicePage({ params }: { params: Params }) {
  const id = Number((await params).id);
  const api = await serverApi();
  const [invoice, audit, organization] = await Promise.all([
    load(api.GET("/api/invoices/{invoice_id}", { params: { path: { invoice_id: id } } })),
    load(api.GET("/api/invoices/{invoice_id}/audit", { params: { path: { invoice_id: id } } })),
    load(api.GET("/api/organization")),
  ]);
  const status = displayStatus(invoice);
  const isDraft = invoice.status === "draft";
  // Drafts have no portal: a link can only show a finalized, immutable invoice. The portal
  // panel is secondary: if its data cannot be loaded, the invoice itself still shows.
  const secondary = <T,>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => unwrap(call).catch(() => null);
  const [link, activity, emails] = isDraft
    ? [null, null, null]
    : await Promise.all([
        secondary(api.GET("/api/invoices/{invoice_id}/share-link", { params: { path: { invoice_id: id } } })),
        secondary(api.GET("/api/invoices/{invoice_id}/portal-activity", { params: { path: { invoice_id: id }, query: { limit: 20 } } })),
        secondary(api.GET("/api/emails", { params: { query: { invoice_id: id, limit: 10 } } })),
      ]);

  return (
    <>
      <nav aria-label="Brotkrumen" className="mb-2 text-sm text-muted-foreground">
        <Link href="/invoices" className="hover:text-foreground hover:underline">
          Rechnungen
        </Link>
      </nav>
      <div className="mb-5 grid gap-4">
        <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2">
          <div className="grid gap-1">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="tabular text-2xl font-semibold tracking-tight" data-testid="invoice-title">
                {invoice.number ? `Rechnung ${invoice.number}` : "Entwurf"}
              </h1>
              <StatusBadge status={status} />
            </div>
            <p className="text-sm text-muted-foreground">
              {invoice.contact?.name ?? "—"} · <span className="tabular font-medium text-foreground">{formatEUR(invoice.gross_total)}</span>
              {isDraft ? ` · angelegt am ${formatDate(invoice.created_at)}` : null}
              {!isDraft ? (
                <>
                  {" · "}
                  <PaymentInfo invoice={invoice} />
                </>
              ) : null}
            </p>
          </div>
        </div>
        <InvoiceActions invoice={invoice} nextNumber={organization.next_invoice_number} />
      </div>

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <InvoiceDocument invoice={invoice} />
        <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
          <Card>
            <CardContent className="pt-5 sm:pt-6">
              <ValidationCard invoiceId={invoice.id} contactId={invoice.contact_id} isDraft={isDraft} />
            </CardContent>
          </Card>
          {!isDraft ? (
            <Card>
              <CardContent className="pt-5 sm:pt-6">
                <PortalCard invoiceId={invoice.id} link={link ?? null} activity={activity?.items ?? []} emails={emails?.items ?? []} />
              </CardContent>
            </Card>
          ) : null}
          <Card>
            <CardHeader className="pb-3 sm:pb-3">
              <CardTitle as="h2" className="text-sm">
                Verlauf
              </CardTitle>
            </CardHeader>
            <CardContent>
              <AuditTrail events={audit} />
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}
