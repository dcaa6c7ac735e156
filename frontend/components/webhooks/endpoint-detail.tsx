"use client";
import { KeyRound, MoreHorizontal, Pause, Pencil, Play, RotateCw, Send, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toast";
import { api, ApiError, unwrap } from "@/lib/api/browser";
import type { paths } from "@/lib/api/schema";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { DELIVERY_STATUS, eventLabel } from "@/lib/webhook-events";
import { EndpointDialog, SecretDialog, type WebhookEndpoint } from "./endpoint-dialogs";

type DeliveryPage = paths["/api/webhooks/{webhook_id}/deliveries"]["get"]["responses"][200]["content"]["application/json"];
type Delivery = DeliveryPage["items"][number];
type StatusFilter = "pending" | "succeeded" | "failed" | undefined;

const POLL_MS = 2000;

function inMinutes(iso: string): string {
  const minutes = Math.round((new Date(iso).getTime() - Date.now()) / 60_000);
  if (minutes <= 0) return "gleich";
  if (minutes < 60) return `in ${minutes} Min.`;
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `in ${hours} Std.` : `am ${formatDateTime(iso)}`;
}

/**
 * One endpoint: its settings and actions, and the delivery log with every attempt. While a
 * delivery is pending the log refreshes itself, so a test event can be watched arriving.
 */
export function EndpointDetail({ endpoint: initial, deliveries: initialDeliveries }: { endpoint: WebhookEndpoint; deliveries: DeliveryPage }) {
  const router = useRouter();
  const [endpoint, setEndpoint] = useState(initial);
  const [page, setPage] = useState(initialDeliveries);
  const [status, setStatus] = useState<StatusFilter>(undefined);
  const [dialog, setDialog] = useState<"edit" | "rotate" | "delete" | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = endpoint.id;

  const refresh = useCallback(
    async (filter: StatusFilter = status) => {
      try {
        setPage(await unwrap(api.GET("/api/webhooks/{webhook_id}/deliveries", { params: { path: { webhook_id: id }, query: { status: filter, limit: 50 } } })));
      } catch {
        /* the next poll tries again */
      }
    },
    [id, status],
  );

  const pending = page.items.some((d) => d.status === "pending");
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [pending, refresh]);

  async function act(call: () => Promise<unknown>, success: string) {
    setBusy(true);
    try {
      await call();
      toast({ title: success, tone: "success" });
      await refresh();
    } catch (e) {
      toast({ title: "Nicht ausgeführt", description: e instanceof ApiError ? e.message : undefined, tone: "error" });
    } finally {
      setBusy(false);
    }
  }

  const path = { params: { path: { webhook_id: id } } };

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
      <section aria-labelledby="endpoint-title" className="grid gap-3 rounded-lg border border-border bg-card p-5 shadow-sm sm:p-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="grid min-w-0 gap-1">
            <h2 id="endpoint-title" className="break-all font-mono text-[15px] font-semibold">
              {endpoint.url}
            </h2>
            {endpoint.description ? <p className="text-sm text-muted-foreground">{endpoint.description}</p> : null}
          </div>
          {endpoint.is_active ? <Badge tone="success">Aktiv</Badge> : <Badge tone="neutral">{endpoint.disabled_reason ? "Automatisch deaktiviert" : "Pausiert"}</Badge>}
        </div>
        {endpoint.disabled_reason ? <p className="rounded-md bg-warning-soft px-3 py-2 text-sm text-warning">{endpoint.disabled_reason}</p> : null}
        <div className="flex flex-wrap gap-1.5" aria-label="Abonnierte Ereignisse">
          {endpoint.events.map((e) => (
            <Badge key={e} tone="neutral" title={e}>
              {eventLabel(e)}
            </Badge>
          ))}
        </div>
        <div className="flex flex-wrap gap-2 pt-1">
          <Button onClick={() => void act(() => unwrap(api.POST("/api/webhooks/{webhook_id}/test", path)), "Test-Ereignis wird zugestellt")} disabled={busy || !endpoint.is_active}>
            <Send aria-hidden="true" />
            Test-Ereignis senden
          </Button>
          <Button variant="secondary" onClick={() => setDialog("edit")}>
            <Pencil aria-hidden="true" />
            Bearbeiten
          </Button>
          <Button
            variant="secondary"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                setEndpoint(await unwrap(api.PATCH("/api/webhooks/{webhook_id}", { ...path, body: { is_active: !endpoint.is_active } })));
              }, endpoint.is_active ? "Endpunkt pausiert" : "Endpunkt aktiviert")
            }
          >
            {endpoint.is_active ? <Pause aria-hidden="true" /> : <Play aria-hidden="true" />}
            {endpoint.is_active ? "Pausieren" : "Aktivieren"}
          </Button>
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="ghost" size="icon" aria-label="Weitere Aktionen">
                <MoreHorizontal aria-hidden="true" />
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent>
              <DropdownMenuItem onSelect={() => setDialog("rotate")}>
                <KeyRound aria-hidden="true" />
                Signaturschlüssel erneuern
              </DropdownMenuItem>
              <DropdownMenuSeparator />
              <DropdownMenuItem onSelect={() => setDialog("delete")} className="text-destructive focus:text-destructive [&_svg]:text-destructive">
                <Trash2 aria-hidden="true" />
                Endpunkt löschen
              </DropdownMenuItem>
            </DropdownMenuContent>
          </DropdownMenu>
        </div>
      </section>

      <section aria-labelledby="deliveries-title" className="grid grid-cols-[minmax(0,1fr)] gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="deliveries-title" className="text-base font-semibold">
            Zustellungen
          </h2>
          <div className="flex flex-wrap gap-1" role="group" aria-label="Nach Status filtern">
            {([undefined, "pending", "succeeded", "failed"] as const).map((s) => (
              <button
                key={s ?? "all"}
                type="button"
                aria-pressed={status === s}
                onClick={() => {
                  setStatus(s);
                  void refresh(s);
                }}
                className={cn(
                  "h-8 rounded-md px-3 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  status === s ? "bg-card text-foreground shadow-sm ring-1 ring-border" : "text-muted-foreground hover:bg-muted hover:text-foreground",
                )}
              >
                {s ? DELIVERY_STATUS[s]!.label : "Alle"}
              </button>
            ))}
          </div>
        </div>
        {page.items.length ? (
          <ul className="grid divide-y divide-border overflow-hidden rounded-lg border border-border bg-card shadow-sm" data-testid="deliveries" aria-live="polite">
            {page.items.map((d) => (
              <DeliveryRow key={d.id} delivery={d} busy={busy} onRedeliver={() => void act(() => unwrap(api.POST("/api/webhooks/deliveries/{delivery_id}/redeliver", { params: { path: { delivery_id: d.id } } })), "Wird erneut zugestellt")} />
            ))}
          </ul>
        ) : (
          <p className="rounded-lg border border-dashed border-border px-4 py-8 text-center text-sm text-muted-foreground">
            {status ? "Keine Zustellungen mit diesem Status." : "Noch keine Zustellungen. Senden Sie ein Test-Ereignis, um die Verbindung zu prüfen."}
          </p>
        )}
        {page.total > page.items.length ? <p className="text-xs text-muted-foreground">Die letzten {page.items.length} von {page.total} Zustellungen.</p> : null}
      </section>

      <EndpointDialog
        open={dialog === "edit"}
        onOpenChange={(o) => !o && setDialog(null)}
        endpoint={endpoint}
        onSaved={(saved) => {
          setEndpoint(saved);
          setDialog(null);
          toast({ title: "Änderungen gespeichert", tone: "success" });
          router.refresh();
        }}
      />
      <ConfirmDialog
        open={dialog === "rotate"}
        onOpenChange={(o) => !o && setDialog(null)}
        title="Signaturschlüssel erneuern?"
        description="Der bisherige Schlüssel gilt sofort nicht mehr. Zustellungen werden ab jetzt mit dem neuen Schlüssel signiert – tragen Sie ihn gleich in Ihrem System ein."
        confirmLabel="Schlüssel erneuern"
        onConfirm={async () => {
          const rotated = await unwrap(api.POST("/api/webhooks/{webhook_id}/rotate-secret", path));
          setSecret(rotated.secret);
        }}
      />
      <ConfirmDialog
        open={dialog === "delete"}
        onOpenChange={(o) => !o && setDialog(null)}
        title="Endpunkt löschen?"
        description="Der Endpunkt und sein Zustellprotokoll werden gelöscht; ausstehende Zustellungen entfallen."
        confirmLabel="Endpunkt löschen"
        destructive
        onConfirm={async () => {
          await unwrap(api.DELETE("/api/webhooks/{webhook_id}", path));
          toast({ title: "Endpunkt gelöscht", tone: "success" });
          router.push("/webhooks");
          router.refresh();
        }}
      />
      <SecretDialog secret={secret} rotated onClose={() => setSecret(null)} />
    </div>
  );
}

function DeliveryRow({ delivery: d, busy, onRedeliver }: { delivery: Delivery; busy: boolean; onRedeliver: () => void }) {
  const s = DELIVERY_STATUS[d.status] ?? { label: d.status, tone: "neutral" as const };
  return (
    <li className="grid grid-cols-[minmax(0,1fr)] gap-2 px-4 py-3" data-testid="delivery" data-status={d.status}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="grid gap-0.5">
          <p className="text-sm font-medium">
            {eventLabel(d.event_type)} <code className="ml-1 text-xs font-normal text-muted-foreground">{d.event_type}</code>
          </p>
          <p className="text-xs text-muted-foreground">
            {formatDateTime(d.created_at)} · {d.attempts} {d.attempts === 1 ? "Versuch" : "Versuche"}
            {d.response_code ? <span data-testid="response-code"> · HTTP {d.response_code}</span> : null}
            {d.status === "pending" && d.next_attempt_at ? <span data-testid="next-attempt"> · nächster Versuch {inMinutes(d.next_attempt_at)}</span> : null}
            {d.redelivery_of_id ? " · erneute Zustellung" : ""}
          </p>
          {d.last_error && d.status !== "succeeded" ? <p className="text-xs text-destructive">{d.last_error}</p> : null}
        </div>
        <div className="flex items-center gap-2">
          <Badge tone={s.tone}>{s.label}</Badge>
          <Button variant="ghost" size="sm" onClick={onRedeliver} disabled={busy} aria-label={`${eventLabel(d.event_type)} vom ${formatDateTime(d.created_at)} erneut zustellen`}>
            <RotateCw aria-hidden="true" />
            Erneut zustellen
          </Button>
        </div>
      </div>
      <details className="text-xs">
        <summary className="cursor-pointer text-muted-foreground hover:text-foreground">Versuche und Inhalt</summary>
        <div className="mt-2 grid grid-cols-[minmax(0,1fr)] gap-3">
          {d.attempt_log.length ? (
            <div className="overflow-x-auto">
            <table className="w-full text-left">
              <caption className="sr-only">Zustellversuche</caption>
              <thead className="text-muted-foreground">
                <tr>
                  <th className="py-1 pr-3 font-medium">#</th>
                  <th className="py-1 pr-3 font-medium">Zeit</th>
                  <th className="py-1 pr-3 font-medium">Ergebnis</th>
                  <th className="py-1 pr-3 font-medium">HTTP</th>
                  <th className="py-1 font-medium">Dauer</th>
                </tr>
              </thead>
              <tbody>
                {d.attempt_log.map((a) => (
                  <tr key={a.attempt} className="border-t border-border align-top">
                    <td className="py-1 pr-3">{a.attempt}</td>
                    <td className="py-1 pr-3">{formatDateTime(a.created_at)}</td>
                    <td className="py-1 pr-3">
                      {a.outcome}
                      {a.error ? <span className="block text-destructive">{a.error}</span> : null}
                    </td>
                    <td className="py-1 pr-3">{a.status_code ?? "—"}</td>
                    <td className="py-1">{a.duration_ms != null ? `${a.duration_ms} ms` : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          ) : (
            <p className="text-muted-foreground">Noch kein Versuch.</p>
          )}
          <pre className="max-h-64 overflow-auto rounded-md bg-muted p-3 font-mono text-[11px] leading-relaxed">{JSON.stringify(d.payload, null, 2)}</pre>
        </div>
      </details>
    </li>
  );
}
