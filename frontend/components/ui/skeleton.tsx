import { cn } from "@/lib/utils";

/** A grey placeholder; hidden from screen readers, the surrounding region says "loading". */
export function Skeleton({ className, ...props }: React.HTMLAttributes<HTMLDivElement>) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded-md bg-muted motion-reduce:animate-none", className)} {...props} />;
}
