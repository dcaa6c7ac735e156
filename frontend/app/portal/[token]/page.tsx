import type { Metadata } from "next";
import { headers } from "next/headers";
import { cache } from "react";
import { PortalInvoiceView } from "@/components/portal/invoice-view";
import { PortalFrame } from "@/components/portal/portal-frame";
import { StatusPanel } from "@/components/portal/status-panel";
import { loadPortal } from "@/lib/api/portal";
import { type Locale, negotiateLocale, portalMessages } from "@/lib/i18n/portal";

type Params = Promise<{ token: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

// One API request per page view, shared by generateMetadata and the page: every request
// counts against the link's rate limit (10 per minute).
const load = cache(loadPortal);

async function localeFor(search: Record<string, string | string[] | undefined>): Promise<Locale> {
  return negotiateLocale(search.lang, (await headers()).get("accept-language"));
}

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: Search }): Promise<Metadata> {
  const [{ token }, search] = await Promise.all([params, searchParams]);
  const t = portalMessages[await localeFor(search)];
  const result = await load(token);
  if (result.kind !== "ok") return { title: t.pageTitle };
  return { title: { absolute: `${t.invoice} ${result.invoice.number} – ${result.invoice.seller.name}` } };
}

export default async function PortalPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const [{ token }, search] = await Promise.all([params, searchParams]);
  const locale = await localeFor(search);
  const t = portalMessages[locale];
  const result = await load(token);

  const path = `/portal/${encodeURIComponent(token)}`;
  const switchHref = { de: `${path}?lang=de`, en: `${path}?lang=en` };
  const retryHref = `${path}?lang=${locale}`;
  const legalNote = result.kind === "ok" ? t.legalNote(result.invoice.seller.name) : t.legalNoteGeneric;

  let body: React.ReactNode;
  switch (result.kind) {
    case "ok":
      body = <PortalInvoiceView token={token} invoice={result.invoice} locale={locale} t={t} justConfirmed={search.confirmed === "1"} />;
      break;
    case "not_found":
      body = <StatusPanel kind="not_found" title={t.notFoundTitle} text={t.notFoundText} />;
      break;
    case "expired":
      body = <StatusPanel kind="expired" title={t.expiredTitle} text={t.expiredText} />;
      break;
    case "rate_limited":
      body = <StatusPanel kind="rate_limited" title={t.rateLimitedTitle} text={t.rateLimitedText(result.retryAfter)} action={<RetryLink href={retryHref} label={t.tryAgain} />} />;
      break;
    case "error":
      body = <StatusPanel kind="error" title={t.errorTitle} text={t.errorText} action={<RetryLink href={retryHref} label={t.tryAgain} />} />;
      break;
  }

  return (
    <PortalFrame locale={locale} t={t} switchHref={switchHref} legalNote={legalNote}>
      {body}
    </PortalFrame>
  );
}

function RetryLink({ href, label }: { href: string; label: string }) {
  // A plain link: a full reload is exactly what "try again" should do, and needs no script.
  return (
    <a
      href={href}
      className="mt-1 inline-flex h-10 items-center justify-center rounded-md border border-input bg-card px-4 text-sm font-medium shadow-xs hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2"
    >
      {label}
    </a>
  );
}
