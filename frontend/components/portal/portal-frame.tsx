import { BrandMark } from "@/components/brand";
import type { Locale, PortalMessages } from "@/lib/i18n/portal";
import { cn } from "@/lib/utils";

/**
 * The portal's chrome: a quiet header (brand and language switch), the content, and the
 * footer with "Powered by RechnungsWerk" and the legal note. No sidebar, no top bar.
 */
export function PortalFrame({
  locale,
  t,
  switchHref,
  legalNote,
  children,
}: {
  locale: Locale;
  t: PortalMessages;
  /** href for each language, keeping the current path and query. */
  switchHref: Record<Locale, string>;
  legalNote: string;
  children: React.ReactNode;
}) {
  return (
    <div lang={locale} className="min-h-dvh bg-surface print:bg-white">
      <header className="no-print mx-auto flex w-full max-w-3xl items-center justify-between gap-4 px-4 pt-5 sm:px-6 sm:pt-8">
        <span className="inline-flex items-center gap-2 text-sm font-medium text-muted-foreground">
          <BrandMark className="size-5" />
          <span>{t.pageTitle}</span>
        </span>
        <nav aria-label={t.language} className="flex items-center rounded-md border border-border bg-card p-0.5 text-[13px] shadow-xs">
          {(["de", "en"] as const).map((l) => (
            // A plain link: the portal is rendered on the server, and a full load cannot get
            // stuck half-way the way a client-side transition can on a slow connection.
            <a
              key={l}
              href={switchHref[l]}
              hrefLang={l}
              lang={l}
              aria-current={l === locale ? "true" : undefined}
              className={cn(
                "rounded-[5px] px-2.5 py-1 font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                l === locale ? "bg-muted text-foreground" : "text-muted-foreground hover:text-foreground",
              )}
            >
              {l === "de" ? "Deutsch" : "English"}
            </a>
          ))}
        </nav>
      </header>
      <main id="main" className="mx-auto w-full max-w-3xl px-3 pb-10 pt-4 sm:px-6 sm:pt-6 print:max-w-none print:p-0">
        {children}
      </main>
      <footer className="mx-auto w-full max-w-3xl px-4 pb-10 text-center text-xs leading-relaxed text-muted-foreground sm:px-6">
        <p className="inline-flex items-center gap-1.5">
          {t.poweredBy}
          <span className="inline-flex items-center gap-1 font-semibold text-foreground/80">
            <BrandMark className="size-3.5" />
            RechnungsWerk
          </span>
        </p>
        <p className="mx-auto mt-2 max-w-xl">{legalNote}</p>
      </footer>
    </div>
  );
}
