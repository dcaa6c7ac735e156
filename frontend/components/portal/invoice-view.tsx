import { FileCode2, FileText } from "lucide-react";
import { StatusBadge } from "@/components/ui/badge";
import type { PortalBuyer, PortalInvoice, PortalParty } from "@/lib/api/types";
import { formatDate, formatDecimal, formatIBAN, formatMoney, formatPercent, type Locale } from "@/lib/format";
import type { PortalMessages } from "@/lib/i18n/portal";
import { displayStatus } from "@/lib/invoice-status";
import { ConfirmPayment } from "./confirm-payment";
import { CopyButton } from "./copy-button";
import { PrintButton } from "./print-button";
import { ThankYou } from "./thank-you";

interface ViewProps {
  token: string;
  invoice: PortalInvoice;
  locale: Locale;
  t: PortalMessages;
  /** The customer has just confirmed (the page was re-rendered with ?confirmed=1). */
  justConfirmed: boolean;
}

/**
 * The portal in the order of the customer's questions (Stripe's hosted invoice):
 * how much, by when, how do I pay, then the invoice itself as an A4-like sheet.
 */
export function PortalInvoiceView(props: ViewProps) {
  return (
    <div className="grid gap-4 sm:gap-6">
      <SummaryCard {...props} />
      <InvoiceSheet {...props} />
    </div>
  );
}

function SummaryCard({ token, invoice, locale, t, justConfirmed }: ViewProps) {
  const status = displayStatus(invoice);
  const money = (v: string) => formatMoney(v, invoice.currency, locale);
  const payable = status === "open" || status === "overdue";
  const payment = invoice.payment;
  const amountShown = status === "paid" || status === "cancelled" ? invoice.totals.gross_total : invoice.totals.amount_due;
  const downloadBase = `/api/portal/${encodeURIComponent(token)}`;

  return (
    <section aria-labelledby="summary-title" className="avoid-break rounded-xl border border-border bg-card shadow-sm print:hidden">
      <div className="grid gap-5 p-5 sm:p-8">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="grid min-w-0 gap-1">
            <p className="text-sm text-muted-foreground">
              {t.invoiceFrom} <span className="font-medium text-foreground">{invoice.seller.name}</span>
            </p>
            <h1 id="summary-title" className="text-sm text-muted-foreground">
              {t.invoice} <span className="tabular font-medium text-foreground">{invoice.number}</span>
            </h1>
          </div>
          <StatusBadge status={status} locale={locale} />
        </div>

        <div className="grid gap-1">
          <p className="text-sm font-medium text-muted-foreground">{status === "paid" || status === "cancelled" ? t.total : t.amountDue}</p>
          <p
            className={`tabular text-[2.5rem] font-semibold leading-none tracking-tight sm:text-5xl ${status === "cancelled" ? "text-muted-foreground line-through decoration-2" : ""}`}
            data-testid="portal-amount"
          >
            {money(amountShown)}
          </p>
          <DueLine invoice={invoice} status={status} t={t} locale={locale} />
        </div>

        {justConfirmed && status === "paid" ? (
          <ThankYou title={t.thanksTitle} text={t.thanksText(invoice.seller.name)} />
        ) : null}
        {status === "cancelled" ? (
          <p className="rounded-lg border border-border bg-muted p-4 text-sm" role="note">
            {t.cancelledNote}
          </p>
        ) : null}

        {payable && payment ? <BankTransfer invoice={invoice} t={t} locale={locale} /> : null}

        {payable ? (
          <ConfirmPayment
            token={token}
            texts={{
              button: t.confirmPayment,
              question: t.confirmQuestion,
              explain: t.confirmExplain(money(invoice.totals.amount_due), invoice.seller.name),
              yes: t.confirmYes,
              no: t.confirmNo,
              sending: t.confirming,
              thanksTitle: t.thanksTitle,
              thanksText: t.thanksText(invoice.seller.name),
              failed: t.confirmFailed,
            }}
          />
        ) : null}
      </div>

      <div className="grid gap-3 border-t border-border bg-muted/40 p-5 sm:p-8 sm:py-6">
        <div className="flex items-center justify-between gap-2">
          <h2 className="text-sm font-semibold">{t.downloads}</h2>
          <PrintButton label={t.print} />
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          <Download href={`${downloadBase}/download-pdf`} icon={<FileText aria-hidden="true" className="size-4" />} label={t.downloadPdf} hint={t.downloadPdfHint} />
          <Download href={`${downloadBase}/download-xml`} icon={<FileCode2 aria-hidden="true" className="size-4" />} label={t.downloadXml} hint={t.downloadXmlHint} />
        </div>
        {invoice.link_expires_at ? (
          <p className="text-xs text-muted-foreground">{t.linkValidUntil(formatDate(invoice.link_expires_at, locale))}</p>
        ) : null}
      </div>
    </section>
  );
}

function DueLine({ invoice, status, t, locale }: { invoice: PortalInvoice; status: ReturnType<typeof displayStatus>; t: PortalMessages; locale: Locale }) {
  if (status === "paid") {
    return (
      <p className="text-[15px] font-medium text-success" data-testid="portal-paid-on">
        {invoice.paid_on ? `${t.paidOn} ${formatDate(invoice.paid_on, locale)}` : t.paidThanks}
        {invoice.payment_confirmed_by === "customer" ? <span className="ml-1 font-normal text-muted-foreground">· {t.paidConfirmedByYou}</span> : null}
      </p>
    );
  }
  if (status === "cancelled") return null;
  if (!invoice.due_date) return <p className="text-[15px] text-muted-foreground">{t.dueImmediately}</p>;
  return (
    <p className={`text-[15px] ${status === "overdue" ? "font-medium text-warning" : "text-muted-foreground"}`}>
      {status === "overdue" ? t.overdueSince : t.dueOn} <span className="tabular">{formatDate(invoice.due_date, locale)}</span>
    </p>
  );
}

function BankTransfer({ invoice, t, locale }: { invoice: PortalInvoice; t: PortalMessages; locale: Locale }) {
  const p = invoice.payment!;
  const amount = formatMoney(p.amount_due, invoice.currency, locale);
  const copy = { copiedText: t.copied };
  const img = p.girocode?.image;
  // Only images: the API builds this string, but a data: URI of another type has no business here.
  const girocode = img && img.startsWith("data:image/") ? img : null;
  return (
    <section aria-labelledby="transfer-title" className="grid gap-4 rounded-lg border border-border p-4 sm:p-5">
      <div className="grid gap-0.5">
        <h2 id="transfer-title" className="text-[15px] font-semibold">
          {t.payByTransfer}
        </h2>
        <p className="text-sm text-muted-foreground">{girocode ? t.payByTransferHint : null}</p>
      </div>
      <div className="grid gap-5 sm:grid-cols-[1fr_auto] sm:items-start">
        <dl className="grid gap-3 text-sm">
          <BankRow label={t.recipient} value={p.account_holder} />
          <BankRow label={t.iban} value={formatIBAN(p.iban)} copyValue={p.iban.replace(/\s+/g, "")} copyLabel={t.copyLabel(t.iban)} mono {...copy} />
          {p.bic ? <BankRow label={t.bic} value={p.bic} copyValue={p.bic} copyLabel={t.copyLabel(t.bic)} mono {...copy} /> : null}
          {p.bank_name ? <BankRow label={t.bank} value={p.bank_name} /> : null}
          <BankRow label={t.amount} value={amount} copyValue={p.amount_due.replace(".", locale === "de" ? "," : ".")} copyLabel={t.copyLabel(t.amount)} {...copy} />
          <BankRow label={t.remittance} value={p.remittance_text} copyValue={p.remittance_text} copyLabel={t.copyLabel(t.remittance)} {...copy} />
        </dl>
        {girocode ? (
          <figure className="flex flex-col items-center gap-1.5 justify-self-center rounded-lg border border-border bg-white p-3">
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URI, nothing for next/image to optimise */}
            <img src={girocode} width={152} height={152} alt={t.girocodeAlt(amount, p.account_holder)} className="size-38 [image-rendering:pixelated]" />
            <figcaption className="text-xs font-medium text-muted-foreground">{t.girocodeCaption}</figcaption>
          </figure>
        ) : null}
      </div>
    </section>
  );
}

function BankRow({
  label,
  value,
  copyValue,
  copyLabel,
  copiedText,
  mono,
}: {
  label: string;
  value: string;
  copyValue?: string;
  copyLabel?: string;
  copiedText?: string;
  mono?: boolean;
}) {
  return (
    <div className="grid gap-0.5 border-b border-border/70 pb-3 last:border-0 last:pb-0 sm:grid-cols-[8rem_1fr] sm:items-center sm:gap-3">
      <dt className="text-xs text-muted-foreground sm:text-sm">{label}</dt>
      {/* The copy button lives inside <dd>: a <dl> row may hold nothing but <dt> and <dd>. */}
      <dd className="flex min-w-0 items-center justify-between gap-3">
        <span className={`min-w-0 break-words font-medium ${mono ? "font-mono text-[14px] tracking-tight sm:whitespace-nowrap" : ""}`} data-copy-source={copyValue}>
          {value}
        </span>
        {copyValue && copyLabel && copiedText ? <CopyButton value={copyValue} label={copyLabel} copiedText={copiedText} /> : null}
      </dd>
    </div>
  );
}

function Download({ href, icon, label, hint }: { href: string; icon: React.ReactNode; label: string; hint: string }) {
  return (
    <div className="grid content-start gap-1.5">
      <a
        href={href}
        download
        rel="nofollow"
        className="inline-flex h-10 items-center justify-center gap-2 rounded-md border border-input bg-card px-4 text-sm font-medium shadow-xs hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2"
      >
        {icon}
        {label}
      </a>
      <p className="text-xs leading-relaxed text-muted-foreground">{hint}</p>
    </div>
  );
}

function Address({ party }: { party: PortalParty | PortalBuyer }) {
  const cityLine = [party.postal_code, party.city].filter(Boolean).join(" ");
  return (
    <address className="not-italic leading-relaxed">
      <span className="block font-medium text-foreground">{party.name}</span>
      {party.contact_name ? <span className="block">{party.contact_name}</span> : null}
      {party.street ? <span className="block">{party.street}</span> : null}
      {cityLine ? <span className="block">{cityLine}</span> : null}
      {party.country_code && party.country_code !== "DE" ? <span className="block">{party.country_code}</span> : null}
    </address>
  );
}

/** The invoice itself, laid out like the printed page: this part is what gets printed. */
function InvoiceSheet({ invoice, locale, t }: ViewProps) {
  const money = (v: string) => formatMoney(v, invoice.currency, locale);
  const status = displayStatus(invoice);
  const seller = invoice.seller;
  const meta: [string, string][] = [
    [t.number, invoice.number],
    [t.issueDate, formatDate(invoice.issue_date, locale)],
  ];
  if (invoice.service_period_start && invoice.service_period_end) {
    meta.push([t.servicePeriod, `${formatDate(invoice.service_period_start, locale)} – ${formatDate(invoice.service_period_end, locale)}`]);
  } else if (invoice.service_date) {
    meta.push([t.serviceDate, formatDate(invoice.service_date, locale)]);
  }
  if (invoice.due_date) meta.push([t.dueDate, formatDate(invoice.due_date, locale)]);
  const buyerRef = invoice.buyer_reference ?? invoice.buyer.buyer_reference;
  if (buyerRef) meta.push([LEITWEG_ID_RE.test(buyerRef) ? t.leitwegId : t.buyerReference, buyerRef]);

  const paid = invoice.totals.paid_amount !== "0.00" && status !== "cancelled";
  const exemptions = [...new Set(invoice.totals.vat_breakdown.filter(isExempt).map((b) => b.exemption_reason ?? t.vatExempt))];

  return (
    <article
      aria-labelledby="sheet-title"
      className="print-plain rounded-xl border border-border bg-card px-4 py-6 shadow-sm sm:px-10 sm:py-10"
    >
      <header className="flex flex-col gap-6 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1 text-sm text-muted-foreground">
          <span className="text-[11px] font-semibold uppercase tracking-wider">{t.seller}</span>
          <Address party={seller} />
        </div>
        <div className="sm:text-right">
          <h2 id="sheet-title" className="text-2xl font-semibold tracking-tight">
            {t.invoice}
          </h2>
          <p className="tabular mt-1 text-sm text-muted-foreground">{invoice.number}</p>
          <div className="mt-2 hidden print:block">
            <StatusBadge status={status} locale={locale} />
          </div>
        </div>
      </header>

      <div className="mt-8 grid gap-6 sm:grid-cols-2">
        <div className="grid content-start gap-1 text-sm text-muted-foreground">
          <span className="text-[11px] font-semibold uppercase tracking-wider">{t.buyer}</span>
          <Address party={invoice.buyer} />
          {invoice.buyer.vat_id ? (
            <span>
              {t.vatId} {invoice.buyer.vat_id}
            </span>
          ) : null}
        </div>
        <dl className="grid content-start gap-x-6 gap-y-1.5 text-sm [grid-template-columns:auto_1fr] sm:justify-self-end">
          {meta.map(([k, v]) => (
            <div key={k} className="col-span-2 grid grid-cols-subgrid">
              <dt className="whitespace-nowrap text-muted-foreground sm:text-right">{k}</dt>
              <dd className="tabular whitespace-nowrap text-right font-medium">{v}</dd>
            </div>
          ))}
        </dl>
      </div>

      <Lines invoice={invoice} locale={locale} t={t} money={money} />

      <div className="mt-4 flex justify-end">
        <dl className="avoid-break grid w-full gap-2 text-sm sm:w-80">
          <TotalRow label={t.net} value={money(invoice.totals.net_total)} />
          {invoice.totals.vat_breakdown
            .filter((b) => !isExempt(b))
            .map((b) => (
              <TotalRow
                key={`${b.vat_category}-${b.vat_rate}`}
                label={
                  <>
                    {t.vatAmount(formatPercent(b.vat_rate, locale))} <span className="text-muted-foreground">{t.vatOn(money(b.taxable_amount))}</span>
                  </>
                }
                value={money(b.tax_amount)}
              />
            ))}
          <div className="my-1 border-t border-border" />
          <TotalRow label={t.gross} value={money(invoice.totals.gross_total)} strong />
          {paid ? (
            <>
              <TotalRow label={t.paidAmount} value={`− ${money(invoice.totals.paid_amount)}`} />
              <TotalRow label={t.due} value={money(invoice.totals.amount_due)} strong />
            </>
          ) : null}
        </dl>
      </div>

      {exemptions.length ? (
        // Kleinunternehmer (§ 19 UStG), reverse charge, exports: the reason replaces the VAT line.
        <div className="mt-6 grid gap-1 text-sm" data-testid="portal-vat-exemption">
          {exemptions.map((reason) => (
            <p key={reason}>{reason}</p>
          ))}
        </div>
      ) : null}

      {invoice.note ? (
        <div className="mt-8 text-sm">
          <h3 className="text-[11px] font-semibold uppercase tracking-wider text-muted-foreground">{t.note}</h3>
          <p className="mt-1 whitespace-pre-line" data-testid="portal-note">
            {invoice.note}
          </p>
        </div>
      ) : null}

      <SellerFooter seller={seller} invoice={invoice} t={t} />
    </article>
  );
}

/** No VAT charged and a reason to say why: shown as a sentence, not as "USt. 0 %". */
function isExempt(b: PortalInvoice["totals"]["vat_breakdown"][number]): boolean {
  return Number(b.tax_amount) === 0 && (!!b.exemption_reason || ["E", "AE", "K", "G", "O"].includes(b.vat_category));
}

/** Leitweg-ID of German public buyers: "04011000-12345-67" (coarse, fine, check digits). */
const LEITWEG_ID_RE = /^\d{2,12}(-[A-Za-z0-9]{1,30})?-\d{2}$/;

function Lines({ invoice, locale, t, money }: { invoice: PortalInvoice; locale: Locale; t: PortalMessages; money: (v: string) => string }) {
  const unit = (code: string) => t.units[code] ?? code;
  return (
    // Below `sm` the rows become stacked blocks (description on top, "12 Std. × 95,00 €"
    // under it, amount on the right), so a phone never scrolls sideways. The explicit ARIA
    // roles keep the table semantics that `display: grid` would otherwise drop.
    <table role="table" className="mt-8 w-full border-collapse text-sm" aria-label={t.lines}>
      <thead role="rowgroup" className="sr-only sm:not-sr-only sm:table-header-group">
        <tr role="row" className="border-b border-foreground/15 text-left text-[11px] uppercase tracking-wider text-muted-foreground">
          <th role="columnheader" scope="col" className="w-10 py-2 pr-2 font-semibold">
            {t.pos}
          </th>
          <th role="columnheader" scope="col" className="py-2 pr-3 font-semibold">
            {t.description}
          </th>
          <th role="columnheader" scope="col" className="py-2 pr-3 text-right font-semibold">
            {t.quantity}
          </th>
          <th role="columnheader" scope="col" className="py-2 pr-3 text-right font-semibold">
            {t.unitPrice}
          </th>
          <th role="columnheader" scope="col" className="py-2 pr-3 text-right font-semibold">
            {t.vat}
          </th>
          <th role="columnheader" scope="col" className="py-2 text-right font-semibold">
            {t.lineTotal}
          </th>
        </tr>
      </thead>
      <tbody role="rowgroup">
        {invoice.lines.map((line) => {
          const qty = `${formatDecimal(line.quantity, locale)} ${unit(line.unit_code)}`;
          return (
            <tr
              role="row"
              key={line.position}
              data-testid="portal-line"
              className="grid grid-cols-[1.75rem_minmax(0,1fr)_auto] gap-x-2 border-b border-border py-3 sm:table-row sm:py-0"
            >
              <td role="cell" className="tabular text-muted-foreground sm:py-3 sm:pr-2 sm:align-top">
                {line.position}
              </td>
              <td role="cell" className="min-w-0 break-words sm:py-3 sm:pr-3 sm:align-top">
                <span className="font-medium text-foreground">{line.description}</span>
                <span className="tabular mt-0.5 block text-[13px] text-muted-foreground sm:hidden">
                  {qty} × {money(line.unit_price)} · {t.vat} {formatPercent(line.vat_rate, locale)}
                </span>
              </td>
              <td role="cell" className="tabular hidden whitespace-nowrap text-right sm:table-cell sm:py-3 sm:pr-3 sm:align-top">
                {qty}
              </td>
              <td role="cell" className="tabular hidden whitespace-nowrap text-right sm:table-cell sm:py-3 sm:pr-3 sm:align-top">
                {money(line.unit_price)}
              </td>
              <td role="cell" className="tabular hidden whitespace-nowrap text-right text-muted-foreground sm:table-cell sm:py-3 sm:pr-3 sm:align-top">
                {formatPercent(line.vat_rate, locale)}
              </td>
              <td role="cell" className="tabular whitespace-nowrap text-right font-medium sm:py-3 sm:align-top">
                {money(line.net_amount)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function TotalRow({ label, value, strong }: { label: React.ReactNode; value: string; strong?: boolean }) {
  return (
    <div className={`flex items-baseline justify-between gap-4 ${strong ? "text-base font-semibold" : ""}`}>
      <dt className={strong ? "" : "text-muted-foreground"}>{label}</dt>
      <dd className="tabular whitespace-nowrap text-right">{value}</dd>
    </div>
  );
}

function SellerFooter({ seller, invoice, t }: { seller: PortalParty; invoice: PortalInvoice; t: PortalMessages }) {
  const p = invoice.payment;
  const cols: { key: string; lines: string[] }[] = [
    { key: "address", lines: [seller.name, seller.street ?? "", [seller.postal_code, seller.city].filter(Boolean).join(" ")].filter(Boolean) },
    {
      key: "contact",
      lines: [
        seller.contact_name ? `${t.contact}: ${seller.contact_name}` : "",
        seller.email ? `${t.email}: ${seller.email}` : "",
        seller.phone ? `${t.phone}: ${seller.phone}` : "",
      ].filter(Boolean),
    },
    {
      key: "tax",
      lines: [seller.vat_id ? `${t.vatId} ${seller.vat_id}` : "", seller.tax_number ? `${t.taxNumber} ${seller.tax_number}` : ""].filter(Boolean),
    },
    {
      key: "bank",
      lines: p ? [p.bank_name ?? "", `${t.iban} ${formatIBAN(p.iban)}`, p.bic ? `${t.bic} ${p.bic}` : ""].filter(Boolean) : [],
    },
  ].filter((c) => c.lines.length > 0);
  return (
    <footer className="avoid-break mt-10 grid gap-4 border-t border-border pt-5 text-xs leading-relaxed text-muted-foreground sm:grid-cols-2 sm:gap-x-8">
      {cols.map((c) => (
        <div key={c.key} className="min-w-0 break-words">
          {c.lines.map((l) => (
            <p key={l}>{l}</p>
          ))}
        </div>
      ))}
    </footer>
  );
}
