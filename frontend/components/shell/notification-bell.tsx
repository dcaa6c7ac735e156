"use client";
import { Bell, CheckCheck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toast";
import { api, unwrap } from "@/lib/api/browser";
import type { AppNotification } from "@/lib/api/types";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";

/** Polling is enough for "a customer confirmed a payment"; websockets are out of scope (phase-8 design). */
const POLL_MS = 60_000;

function relative(iso: string): string {
  const minutes = Math.round((Date.now() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return "gerade eben";
  if (minutes < 60) return `vor ${minutes} Min.`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `vor ${hours} Std.`;
  return formatDateTime(iso);
}

export function NotificationBell({ initial }: { initial: AppNotification[] }) {
  const [items, setItems] = useState(initial);
  const router = useRouter();
  const unread = items.filter((n) => !n.is_read).length;

  const refresh = useCallback(async () => {
    try {
      setItems(await unwrap(api.GET("/api/notifications")));
    } catch {
      /* keep what we have; the next poll tries again */
    }
  }, []);

  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, POLL_MS);
    return () => clearInterval(id);
  }, [refresh]);

  async function open(n: AppNotification) {
    if (!n.is_read) {
      setItems((xs) => xs.map((x) => (x.id === n.id ? { ...x, is_read: true } : x)));
      api.POST("/api/notifications/{notification_id}/read", { params: { path: { notification_id: n.id } } }).catch(() => undefined);
    }
    if (n.link) router.push(n.link);
  }

  async function markAll() {
    const before = items;
    setItems((xs) => xs.map((x) => ({ ...x, is_read: true })));
    try {
      await unwrap(api.POST("/api/notifications/read-all"));
    } catch {
      setItems(before);
      toast({ title: "Konnte nicht als gelesen markiert werden", tone: "error" });
    }
  }

  return (
    <DropdownMenu onOpenChange={(o) => o && void refresh()}>
      <DropdownMenuTrigger
        aria-label={unread ? `Benachrichtigungen, ${unread} ungelesen` : "Benachrichtigungen"}
        className="relative inline-flex size-9 items-center justify-center rounded-md text-muted-foreground hover:bg-muted hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        <Bell aria-hidden="true" className="size-[18px]" />
        {unread ? (
          <span
            aria-hidden="true"
            data-testid="unread-count"
            className="absolute right-1 top-1 flex h-4 min-w-4 items-center justify-center rounded-full bg-primary px-1 text-[10px] font-semibold leading-none text-primary-foreground ring-2 ring-card"
          >
            {unread > 9 ? "9+" : unread}
          </span>
        ) : null}
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-[min(22rem,calc(100vw-1.5rem))] p-0">
        <div className="flex items-center justify-between px-3 py-2.5">
          <DropdownMenuLabel className="p-0">Benachrichtigungen</DropdownMenuLabel>
          {unread ? (
            <button
              type="button"
              onClick={markAll}
              className="inline-flex items-center gap-1 rounded-md px-1.5 py-1 text-xs font-medium text-primary hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
            >
              <CheckCheck aria-hidden="true" className="size-3.5" />
              Alle gelesen
            </button>
          ) : null}
        </div>
        <DropdownMenuSeparator className="m-0" />
        {items.length === 0 ? (
          <p className="px-3 py-8 text-center text-sm text-muted-foreground">Keine Benachrichtigungen.</p>
        ) : (
          <div className="max-h-96 overflow-y-auto p-1">
            {items.map((n) => (
              <DropdownMenuItem key={n.id} onSelect={() => void open(n)} className="items-start gap-3 py-2.5">
                <span
                  aria-hidden="true"
                  className={cn("mt-1.5 size-2 shrink-0 rounded-full", n.is_read ? "bg-transparent" : "bg-primary")}
                />
                <span className="grid min-w-0 gap-0.5">
                  <span className={cn("text-sm leading-snug", n.is_read ? "text-muted-foreground" : "font-medium text-foreground")}>
                    {n.title}
                    {!n.is_read ? <span className="sr-only"> (ungelesen)</span> : null}
                  </span>
                  {n.body ? <span className="line-clamp-2 text-xs text-muted-foreground">{n.body}</span> : null}
                  <span className="text-xs text-muted-foreground/80">{relative(n.created_at)}</span>
                </span>
              </DropdownMenuItem>
            ))}
          </div>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
