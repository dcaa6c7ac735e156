import { Clock, FileQuestion, Link2Off, TriangleAlert } from "lucide-react";

const ICONS = { not_found: FileQuestion, expired: Link2Off, rate_limited: Clock, error: TriangleAlert } as const;

/** One friendly page per way a link can fail, each saying what to do next. */
export function StatusPanel({
  kind,
  title,
  text,
  action,
}: {
  kind: keyof typeof ICONS;
  title: string;
  text: string;
  action?: React.ReactNode;
}) {
  const Icon = ICONS[kind];
  return (
    <section
      aria-labelledby="portal-state-title"
      data-portal-state={kind}
      className="mx-auto mt-6 flex max-w-lg flex-col items-center gap-4 rounded-xl border border-border bg-card px-6 py-10 text-center shadow-sm sm:mt-12 sm:px-10"
    >
      <div aria-hidden="true" className="flex size-12 items-center justify-center rounded-full bg-muted text-muted-foreground">
        <Icon className="size-6" />
      </div>
      <h1 id="portal-state-title" className="text-xl font-semibold tracking-tight">
        {title}
      </h1>
      <p className="text-[15px] leading-relaxed text-muted-foreground">{text}</p>
      {action}
    </section>
  );
}
