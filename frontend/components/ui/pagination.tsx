import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { cn } from "@/lib/utils";

/**
 * "21–40 von 73" with previous/next links. Links, not buttons: every page of a list has its
 * own URL, so the back button and shared links work.
 */
export function Pagination({
  total,
  limit,
  offset,
  href,
  label = "Seiten",
}: {
  total: number;
  limit: number;
  offset: number;
  /** URL of the page starting at `offset`. */
  href: (offset: number) => string;
  label?: string;
}) {
  if (total <= limit && offset === 0) return null;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  const prev = offset > 0 ? Math.max(0, offset - limit) : null;
  const next = offset + limit < total ? offset + limit : null;
  const linkClass =
    "inline-flex h-8 items-center gap-1 rounded-md border border-input bg-card px-2.5 text-[13px] font-medium shadow-xs hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";
  const disabled = "pointer-events-none opacity-40";
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-3 pt-4 text-sm text-muted-foreground">
      <p className="tabular" aria-live="polite">
        {first}–{last} von {total}
      </p>
      <div className="flex gap-2">
        {prev !== null ? (
          <Link href={href(prev)} className={linkClass} rel="prev">
            <ChevronLeft aria-hidden="true" className="size-4" /> Zurück
          </Link>
        ) : (
          <span className={cn(linkClass, disabled)} aria-hidden="true">
            <ChevronLeft className="size-4" /> Zurück
          </span>
        )}
        {next !== null ? (
          <Link href={href(next)} className={linkClass} rel="next">
            Weiter <ChevronRight aria-hidden="true" className="size-4" />
          </Link>
        ) : (
          <span className={cn(linkClass, disabled)} aria-hidden="true">
            Weiter <ChevronRight className="size-4" />
          </span>
        )}
      </div>
    </nav>
  );
}
