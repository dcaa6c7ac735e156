"use client";
/**
 * Toasts on Radix Toast, with a tiny module-level store so any client code can call
 * `toast({...})` without threading a context through props. One <Toaster /> per layout.
 */
import * as ToastPrimitive from "@radix-ui/react-toast";
import { X } from "lucide-react";
import * as React from "react";
import { cn } from "@/lib/utils";

export type ToastTone = "default" | "success" | "error";

export interface ToastInput {
  title: string;
  description?: string;
  tone?: ToastTone;
  /** Milliseconds; errors stay longer because they usually need reading. */
  duration?: number;
}

interface ToastItem extends ToastInput {
  id: number;
  open: boolean;
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<(items: ToastItem[]) => void>();

function emit() {
  for (const l of listeners) l(items);
}

export function toast(input: ToastInput): number {
  const id = nextId++;
  // Keep at most three on screen; the oldest goes first.
  items = [...items.slice(-2), { ...input, id, open: true }];
  emit();
  return id;
}

function dismiss(id: number) {
  items = items.map((t) => (t.id === id ? { ...t, open: false } : t));
  emit();
  // Let the close animation run before the item leaves the DOM.
  setTimeout(() => {
    items = items.filter((t) => t.id !== id);
    emit();
  }, 200);
}

function useToasts(): ToastItem[] {
  const [state, setState] = React.useState(items);
  React.useEffect(() => {
    listeners.add(setState);
    return () => {
      listeners.delete(setState);
    };
  }, []);
  return state;
}

const TONE: Record<ToastTone, string> = {
  default: "border-border",
  success: "border-success/30 [&_[data-toast-title]]:text-success",
  error: "border-destructive/30 [&_[data-toast-title]]:text-destructive",
};

export function Toaster() {
  const toasts = useToasts();
  return (
    <ToastPrimitive.Provider swipeDirection="right" label="Benachrichtigung">
      {toasts.map((t) => (
        <ToastPrimitive.Root
          key={t.id}
          open={t.open}
          onOpenChange={(open) => {
            if (!open) dismiss(t.id);
          }}
          duration={t.duration ?? (t.tone === "error" ? 8000 : 4000)}
          // Errors interrupt the screen reader; confirmations wait their turn.
          type={t.tone === "error" ? "foreground" : "background"}
          className={cn(
            "relative grid gap-1 rounded-lg border bg-card p-4 pr-10 text-sm shadow-lg",
            "data-[swipe=move]:translate-x-[var(--radix-toast-swipe-move-x)] data-[swipe=end]:translate-x-full data-[state=closed]:opacity-0 transition-opacity",
            TONE[t.tone ?? "default"],
          )}
        >
          <ToastPrimitive.Title data-toast-title className="font-semibold">
            {t.title}
          </ToastPrimitive.Title>
          {t.description ? <ToastPrimitive.Description className="text-muted-foreground">{t.description}</ToastPrimitive.Description> : null}
          <ToastPrimitive.Close
            aria-label="Schließen"
            className="absolute right-2 top-2 rounded-md p-1.5 text-muted-foreground hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            <X className="size-4" aria-hidden="true" />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed bottom-0 right-0 z-[100] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
    </ToastPrimitive.Provider>
  );
}
