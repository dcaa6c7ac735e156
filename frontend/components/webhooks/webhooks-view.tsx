"use client";
import { Plus, Webhook } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/lib/format";
import { eventLabel } from "@/lib/webhook-events";
import { EndpointDialog, SecretDialog, type WebhookEndpoint } from "./endpoint-dialogs";

/** The endpoint list; a new endpoint's secret is shown once, right after creating it. */
export function WebhooksView({ endpoints }: { endpoints: WebhookEndpoint[] }) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ value: string; id: number } | null>(null);

  const add = (
    <Button onClick={() => setCreating(true)}>
      <Plus aria-hidden="true" />
      Endpunkt hinzufügen
    </Button>
  );

  return (
    <>
      <div className="mb-4 flex justify-end">{endpoints.length ? add : null}</div>
      {endpoints.length ? (
        <ul className="grid divide-y divide-border overflow-hidden rounded-lg border border-border bg-card shadow-sm">
          {endpoints.map((e) => (
            <li key={e.id} className="relative flex flex-col gap-1.5 px-4 py-3 hover:bg-muted/40 sm:flex-row sm:items-center sm:justify-between" data-testid="webhook-row">
              <div className="grid min-w-0 gap-0.5">
                <Link
                  href={`/webhooks/${e.id}`}
                  className="truncate font-mono text-sm font-medium after:absolute after:inset-0 after:content-[''] focus-visible:outline-none focus-visible:after:ring-2 focus-visible:after:ring-inset focus-visible:after:ring-ring"
                >
                  {e.url}
                </Link>
                <p className="truncate text-xs text-muted-foreground">
                  {e.description ? `${e.description} · ` : ""}
                  {e.events.length === 1 ? eventLabel(e.events[0]!) : `${e.events.length} Ereignisse`} · seit {formatDate(e.created_at)}
                </p>
              </div>
              {e.is_active ? (
                <Badge tone="success" className="self-start sm:self-auto">
                  Aktiv
                </Badge>
              ) : (
                <Badge tone="neutral" className="self-start sm:self-auto" title={e.disabled_reason ?? undefined}>
                  {e.disabled_reason ? "Automatisch deaktiviert" : "Pausiert"}
                </Badge>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState
          icon={<Webhook />}
          title="Noch keine Webhooks"
          description="Ein Endpunkt erhält signierte Ereignisse nach dem Standard-Webhooks-Verfahren – z. B. wenn eine Rechnung festgeschrieben oder bezahlt wird."
          action={add}
        />
      )}

      <EndpointDialog
        open={creating}
        onOpenChange={setCreating}
        onSaved={(saved) => {
          setCreating(false);
          if ("secret" in saved) setSecret({ value: saved.secret, id: saved.id });
          router.refresh();
        }}
      />
      <SecretDialog
        secret={secret?.value ?? null}
        onClose={() => {
          const id = secret?.id;
          setSecret(null);
          if (id) router.push(`/webhooks/${id}`);
        }}
      />
    </>
  );
}
