import * as React from "react";
import { cn } from "@/lib/utils";

export const inputClass = cn(
  "flex h-10 w-full min-w-0 rounded-md border border-input bg-card px-3 py-2 text-[15px] text-foreground shadow-xs sm:h-9 sm:text-sm",
  "placeholder:text-muted-foreground/80",
  "focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-1 focus-visible:border-ring",
  "disabled:cursor-not-allowed disabled:opacity-50",
  "aria-invalid:border-destructive aria-invalid:focus-visible:ring-destructive",
);

export function Input({ className, type = "text", ...props }: React.InputHTMLAttributes<HTMLInputElement>) {
  return <input type={type} className={cn(inputClass, className)} {...props} />;
}
