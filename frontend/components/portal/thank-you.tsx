import { CircleCheck } from "lucide-react";

/** Shared by the server render (after reload) and the confirm island (right after the click). */
export function ThankYou({ title, text }: { title: string; text: string }) {
  return (
    <div role="status" className="flex items-start gap-3 rounded-lg border border-success/25 bg-success-soft p-4 text-success" data-testid="portal-thanks">
      <CircleCheck aria-hidden="true" className="mt-0.5 size-5 shrink-0" />
      <div className="grid gap-0.5">
        <p className="font-semibold">{title}</p>
        <p className="text-sm text-foreground/80">{text}</p>
      </div>
    </div>
  );
}
