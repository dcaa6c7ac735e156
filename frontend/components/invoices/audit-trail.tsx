import type { AuditEvent } from "@/lib/api/types";
import { formatDate, formatDateTime } from "@/lib/format";

const ACTION: Record<string, string> = {
  created: "Entwurf angelegt",
  updated: "Entwurf geändert",
  finalized: "Festgeschrieben",
  marked_paid: "Als bezahlt markiert",
  payment_confirmed: "Zahlung vom Kunden bestätigt",
  marked_unpaid: "Als unbezahlt markiert",
  cancelled: "Storniert",
  deleted: "Gelöscht",
  share_link_created: "Link zum Kundenportal erstellt",
  share_link_extended: "Portal-Link verlängert",
  share_link_revoked: "Portal-Link widerrufen",
  viewed: "Vom Kunden zum ersten Mal im Portal geöffnet",
  downloaded: "Vom Kunden heruntergeladen",
  email_queued: "E-Mail in Warteschlange",
  email_sent: "Per E-Mail versendet",
  email_failed: "E-Mail fehlgeschlagen",
  sent: "Per E-Mail an den Kunden übergeben",
};

const ACTOR: Record<string, string> = { user: "Sie", customer: "Kunde", system: "System" };

function detailText(e: AuditEvent): string | null {
  const d = e.details as Record<string, unknown>;
  if (e.action === "finalized" && typeof d.number === "string") return `Nummer ${d.number}`;
  if ((e.action === "marked_paid" || e.action === "payment_confirmed") && typeof d.paid_on === "string") {
    return `Zahlungseingang ${formatDate(d.paid_on)}${typeof d.reference === "string" ? ` · ${d.reference}` : ""}`;
  }
  if (e.action === "sent" || e.action === "email_sent" || e.action === "email_queued") return typeof d.to === "string" ? `an ${d.to}` : null;
  if (e.action === "share_link_extended" && typeof d.expires_at === "string") return `gültig bis ${formatDate(d.expires_at)}`;
  return null;
}

/** Every change of the invoice, newest first (GoBD: who did what, when). */
export function AuditTrail({ events }: { events: AuditEvent[] }) {
  if (!events.length) return <p className="text-sm text-muted-foreground">Noch keine Einträge.</p>;
  const sorted = [...events].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id));
  return (
    <ol className="relative grid gap-4 border-l border-border pl-4" aria-label="Verlauf" data-testid="audit-trail">
      {sorted.map((e) => {
        const detail = detailText(e);
        return (
          <li key={e.id} className="relative text-sm">
            <span aria-hidden="true" className="absolute -left-[21px] top-1.5 size-2.5 rounded-full border-2 border-card bg-muted-foreground/60" />
            <p className="font-medium">{ACTION[e.action] ?? e.action.replaceAll("_", " ")}</p>
            <p className="break-words text-xs text-muted-foreground">
              {formatDateTime(e.created_at)} · {ACTOR[e.actor_type] ?? e.actor_type}
              {detail ? ` · ${detail}` : ""}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
