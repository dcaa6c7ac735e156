import { ArrowRight, CircleAlert } from "lucide-react";
import Link from "next/link";
import { fixLink, groupMissing, type MissingField } from "@/lib/missing-fields";
import { cn } from "@/lib/utils";

/**
 * "Für eine gültige E-Rechnung fehlen Angaben": the list from the API, grouped by where it is
 * fixed, each with a link straight to the field.
 */
export function MissingFields({
  items,
  invoiceId,
  contactId,
  title = "Für eine gültige E-Rechnung fehlen noch Angaben",
  intro,
  id,
  compact = false,
}: {
  items: MissingField[];
  invoiceId: number;
  contactId: number;
  title?: string;
  intro?: string;
  id?: string;
  /** One column, for the narrow side panel. */
  compact?: boolean;
}) {
  return (
    <section
      id={id}
      tabIndex={-1}
      aria-labelledby={`${id ?? "missing"}-title`}
      className={cn("rounded-lg border border-warning/30 bg-warning-soft outline-none", compact ? "p-3" : "p-4 sm:p-5")}
      data-testid="missing-fields"
    >
      <h2 id={`${id ?? "missing"}-title`} className="flex items-center gap-2 text-[15px] font-semibold text-warning">
        <CircleAlert aria-hidden="true" className="size-4 shrink-0" />
        {title}
      </h2>
      {intro ? <p className="mt-1 text-sm text-foreground/80">{intro}</p> : null}
      <div className={cn("mt-3 grid gap-3", !compact && "sm:grid-cols-2 lg:grid-cols-3")}>
        {groupMissing(items).map((group) => (
          <div key={group.scope}>
            <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted-foreground">{group.title}</h3>
            <ul className="grid gap-1">
              {group.items.map((item) => {
                const link = fixLink(item.field, { invoiceId, contactId });
                return (
                  <li key={`${item.field}-${item.message}`} className="text-sm" data-field={item.field}>
                    {link ? (
                      <Link
                        href={link.href}
                        className="group inline-flex items-start gap-1 rounded-sm text-foreground underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                      >
                        <span>{item.message}</span>
                        <ArrowRight aria-hidden="true" className="mt-0.5 size-3.5 shrink-0 text-muted-foreground group-hover:text-foreground" />
                        <span className="sr-only"> – in {link.place} ergänzen</span>
                      </Link>
                    ) : (
                      item.message
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}
