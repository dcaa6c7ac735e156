"use client";
import { Link2, Link2Off, RefreshCw, Share2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { NativeSelect } from "@/components/ui/native-select";
import { toast } from "@/components/ui/toast";
import { api, ApiError, unwrap } from "@/lib/api/browser";
import type { Email, PortalAccess, ShareLink } from "@/lib/api/types";
import { formatDate, formatDateTime } from "@/lib/format";

const EXPIRY_CHOICES = [
  { days: 7, label: "7 Tage" },
  { days: 30, label: "30 Tage" },
  { days: 90, label: "90 Tage" },
  { days: 365, label: "1 Jahr" },
];

const ACCESS_LABEL: Record<string, string> = {
  view: "Geöffnet",
  download_pdf: "PDF heruntergeladen",
  download_xml: "XML heruntergeladen",
  confirm_payment: "Zahlung bestätigt",
};

/** "Chrome auf Windows" from a user agent, enough to tell visits apart; never the raw string. */
function device(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : null;
  const os = /iPhone|iPad/.test(ua) ? "iOS" : /Android/.test(ua) ? "Android" : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : null;
  return [browser, os].filter(Boolean).join(" auf ") || null;
}

/**
 * The invoice's customer portal for the seller: the link (copy, how long it is valid, how
 * often and when it was last opened), what the customer did there, and the e-mails sent.
 * "Teilen" opens the link's settings: create, change validity, regenerate, revoke.
 */
export function PortalCard({
  invoiceId,
  link,
  activity,
  emails,
}: {
  invoiceId: number;
  link: ShareLink | null;
  activity: PortalAccess[];
  emails: Email[];
}) {
  const [sharing, setSharing] = useState(false);
  return (
    <section aria-labelledby="portal-card-title" className="grid grid-cols-[minmax(0,1fr)] gap-4" data-testid="portal-card">
      <div className="flex items-center justify-between gap-2">
        <h2 id="portal-card-title" className="text-sm font-semibold">
          Kundenportal
        </h2>
        <Button variant="ghost" size="sm" className="h-7 px-2" onClick={() => setSharing(true)}>
          <Share2 aria-hidden="true" />
          Teilen
        </Button>
      </div>
      {link ? (
        <div className="grid gap-1 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            {link.is_expired ? <Badge tone="warning">Link abgelaufen</Badge> : <Badge tone="success">Link aktiv</Badge>}
            <span className="text-muted-foreground">
              {link.expires_at ? `${link.is_expired ? "seit" : "bis"} ${formatDate(link.expires_at)}` : "unbefristet"}
            </span>
          </p>
          <p className="text-muted-foreground" data-testid="link-access">
            {link.access_count ? `${link.access_count}× geöffnet, zuletzt ${formatDateTime(link.last_accessed_at!)}` : "Noch nicht geöffnet"}
          </p>
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">Noch kein Link. „Teilen“ erstellt einen; „Per E-Mail senden“ auch.</p>
      )}

      {emails.length ? (
        <div className="grid gap-1.5">
          <h3 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">E-Mails</h3>
          <ul className="grid grid-cols-[minmax(0,1fr)] gap-1.5 text-sm" data-testid="invoice-emails">
            {emails.map((e) => (
              <li key={e.id} className="grid min-w-0">
                <span className="flex min-w-0 items-center justify-between gap-2">
                  <span className="min-w-0 truncate" title={e.to}>
                    {e.to}
                  </span>
                  <Badge tone={e.status === "sent" ? "success" : e.status === "failed" ? "danger" : "info"}>{e.status_label}</Badge>
                </span>
                <span className="text-xs text-muted-foreground">
                  {formatDateTime(e.sent_at ?? e.created_at)}
                  {e.delivery_status_label ? ` · ${e.delivery_status_label}` : ""}
                  {e.status === "failed" && e.last_error ? ` · ${e.last_error}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {activity.length ? (
        <div className="grid gap-1.5">
          <h3 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Aktivität im Portal</h3>
          <ol className="grid grid-cols-[minmax(0,1fr)] gap-1.5 text-sm" data-testid="portal-activity">
            {activity.map((a, i) => (
              <li key={`${a.created_at}-${i}`} className="grid">
                <span>{ACCESS_LABEL[a.action] ?? a.action}</span>
                <span className="text-xs text-muted-foreground">
                  {formatDateTime(a.created_at)}
                  {device(a.user_agent) ? ` · ${device(a.user_agent)}` : ""}
                  {a.ip_prefix ? ` · ${a.ip_prefix}` : ""}
                </span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}

      <ShareDialog open={sharing} onOpenChange={setSharing} invoiceId={invoiceId} link={link} />
    </section>
  );
}

function ShareDialog({ open, onOpenChange, invoiceId, link }: { open: boolean; onOpenChange: (o: boolean) => void; invoiceId: number; link: ShareLink | null }) {
  const router = useRouter();
  const [days, setDays] = useState("30");
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<"regenerate" | "revoke" | null>(null);
  const path = { params: { path: { invoice_id: invoiceId } } };

  async function save(body: { expires_in_days?: number; regenerate?: boolean }, success: string) {
    setBusy(true);
    try {
      await unwrap(api.POST("/api/invoices/{invoice_id}/share-link", { ...path, body }));
      toast({ title: success, tone: "success" });
      router.refresh();
    } catch (e) {
      toast({ title: "Nicht ausgeführt", description: e instanceof ApiError ? e.message : undefined, tone: "error" });
      throw e;
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Dialog open={open} onOpenChange={onOpenChange}>
        <DialogContent className="max-w-lg">
          <DialogHeader>
            <DialogTitle>Rechnung teilen</DialogTitle>
            <DialogDescription>
              Wer den Link hat, sieht diese Rechnung im Kundenportal, lädt PDF und XRechnung herunter und kann die Zahlung bestätigen – ohne Konto.
            </DialogDescription>
          </DialogHeader>
          {link && !link.is_expired ? (
            <div className="grid gap-2">
              <label htmlFor="share-url" className="text-sm font-medium">
                Link zum Kundenportal
              </label>
              <div className="flex gap-2">
                <input
                  id="share-url"
                  readOnly
                  value={link.url}
                  onFocus={(e) => e.currentTarget.select()}
                  className="h-9 min-w-0 flex-1 rounded-md border border-input bg-muted px-3 font-mono text-xs"
                  data-testid="share-url"
                />
                <CopyButton value={link.url} label="Kopieren" />
              </div>
              <p className="text-sm text-muted-foreground">
                {link.expires_at ? `Gültig bis ${formatDate(link.expires_at)}` : "Unbefristet gültig"} ·{" "}
                {link.access_count ? `${link.access_count}× geöffnet, zuletzt ${formatDateTime(link.last_accessed_at!)}` : "noch nicht geöffnet"}
              </p>
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">{link?.is_expired ? "Der bisherige Link ist abgelaufen." : "Für diese Rechnung gibt es noch keinen Link."}</p>
          )}
          <div className="grid gap-2">
            <label htmlFor="share-days" className="text-sm font-medium">
              Gültigkeit
            </label>
            <div className="flex flex-col gap-2 sm:flex-row">
              <NativeSelect id="share-days" value={days} onChange={(e) => setDays(e.target.value)} className="sm:w-40">
                {EXPIRY_CHOICES.map((c) => (
                  <option key={c.days} value={c.days}>
                    {c.label}
                  </option>
                ))}
              </NativeSelect>
              <Button
                disabled={busy}
                onClick={() =>
                  void save({ expires_in_days: Number(days), regenerate: !!link?.is_expired }, link && !link.is_expired ? "Gültigkeit geändert" : "Link erstellt").catch(() => undefined)
                }
              >
                <Link2 aria-hidden="true" />
                {link && !link.is_expired ? "Gültigkeit ändern" : "Link erstellen"}
              </Button>
            </div>
          </div>
          {link && !link.is_expired ? (
            <div className="flex flex-wrap gap-2 border-t border-border pt-4">
              <Button variant="secondary" onClick={() => setConfirm("regenerate")} disabled={busy}>
                <RefreshCw aria-hidden="true" />
                Neuen Link erzeugen
              </Button>
              <Button variant="ghost" className="text-destructive hover:text-destructive" onClick={() => setConfirm("revoke")} disabled={busy}>
                <Link2Off aria-hidden="true" />
                Link widerrufen
              </Button>
            </div>
          ) : null}
        </DialogContent>
      </Dialog>
      <ConfirmDialog
        open={confirm === "regenerate"}
        onOpenChange={(o) => !o && setConfirm(null)}
        title="Neuen Link erzeugen?"
        description="Der bisherige Link funktioniert danach nicht mehr. Schicken Sie Ihrem Kunden den neuen."
        confirmLabel="Neuen Link erzeugen"
        onConfirm={() => save({ expires_in_days: Number(days), regenerate: true }, "Neuer Link erzeugt")}
      />
      <ConfirmDialog
        open={confirm === "revoke"}
        onOpenChange={(o) => !o && setConfirm(null)}
        title="Link widerrufen?"
        description="Der Link funktioniert sofort nicht mehr; Ihr Kunde sieht dann „Diese Rechnung gibt es hier nicht“."
        confirmLabel="Link widerrufen"
        destructive
        onConfirm={async () => {
          try {
            await unwrap(api.DELETE("/api/invoices/{invoice_id}/share-link", path));
            toast({ title: "Link widerrufen", tone: "success" });
            router.refresh();
          } catch (e) {
            toast({ title: "Nicht ausgeführt", description: e instanceof ApiError ? e.message : undefined, tone: "error" });
            throw e;
          }
        }}
      />
    </>
  );
}
