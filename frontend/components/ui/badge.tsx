import { cva, type VariantProps } from "class-variance-authority";
import * as React from "react";
import { type DisplayStatus, STATUS_LABEL } from "@/lib/invoice-status";
import { cn } from "@/lib/utils";

export const badgeVariants = cva(
  "inline-flex items-center gap-1.5 whitespace-nowrap rounded-full border px-2.5 py-0.5 text-xs font-medium leading-5",
  {
    variants: {
      tone: {
        neutral: "border-border bg-muted text-muted-foreground",
        info: "border-info/20 bg-info-soft text-info",
        warning: "border-warning/25 bg-warning-soft text-warning",
        danger: "border-destructive/20 bg-destructive-soft text-destructive",
        success: "border-success/20 bg-success-soft text-success",
        primary: "border-primary/20 bg-accent text-accent-foreground",
      },
    },
    defaultVariants: { tone: "neutral" },
  },
);

export interface BadgeProps extends React.HTMLAttributes<HTMLSpanElement>, VariantProps<typeof badgeVariants> {}

export function Badge({ className, tone, ...props }: BadgeProps) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}

const STATUS_TONE: Record<DisplayStatus, NonNullable<BadgeProps["tone"]>> = {
  draft: "neutral",
  open: "info",
  overdue: "warning",
  paid: "success",
  cancelled: "neutral",
};

/** Entwurf grey, Offen blue, Überfällig amber, Bezahlt green, Storniert grey and struck through. */
export function StatusBadge({ status, locale = "de", className }: { status: DisplayStatus; locale?: "de" | "en"; className?: string }) {
  return (
    <Badge tone={STATUS_TONE[status]} className={className} data-status={status}>
      <span aria-hidden="true" className="size-1.5 rounded-full bg-current opacity-80" />
      <span className={status === "cancelled" ? "line-through decoration-1" : undefined}>{STATUS_LABEL[locale][status]}</span>
    </Badge>
  );
}
