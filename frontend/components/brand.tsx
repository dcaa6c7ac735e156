import { cn } from "@/lib/utils";

/** The RechnungsWerk mark: a folded sheet with a check, drawn inline (no image request). */
export function BrandMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={cn("size-6", className)}>
      <rect x="3" y="2" width="18" height="20" rx="4" fill="var(--primary)" />
      <path d="M7.5 8h9M7.5 11.5h5" stroke="#fff" strokeWidth="1.6" strokeLinecap="round" />
      <path d="m10 16 2 2 4.5-4.5" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function BrandWordmark({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold tracking-tight text-foreground", className)}>
      <BrandMark />
      <span>RechnungsWerk</span>
    </span>
  );
}
