"use client";
import { KeyRound, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { api, unwrap } from "@/lib/api/browser";
import type { paths } from "@/lib/api/schema";
import { useApiSubmit } from "@/lib/use-api-submit";
import { EVENT_LABEL } from "@/lib/webhook-events";

export type WebhookEndpoint = paths["/api/webhooks/{webhook_id}"]["get"]["responses"][200]["content"]["application/json"];
export type WebhookEndpointCreated = paths["/api/webhooks"]["post"]["responses"][201]["content"]["application/json"];

/** Event types a seller can subscribe to (the test event is sent on request only). */
const SUBSCRIBABLE = Object.keys(EVENT_LABEL).filter((t) => t !== "webhook.test");

/** Create or edit an endpoint: URL, what it is for, which events. */
export function EndpointDialog({
  open,
  onOpenChange,
  endpoint,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  endpoint?: WebhookEndpoint | null;
  onSaved: (saved: WebhookEndpoint | WebhookEndpointCreated) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>{endpoint ? "Endpunkt bearbeiten" : "Endpunkt hinzufügen"}</DialogTitle>
          <DialogDescription>
            RechnungsWerk sendet jedes gewählte Ereignis als signierten POST (Standard Webhooks) an diese Adresse und wiederholt fehlgeschlagene
            Zustellungen nach 1 min, 5 min, 30 min, 2 h und 24 h.
          </DialogDescription>
        </DialogHeader>
        {open ? <EndpointForm key={endpoint?.id ?? "new"} endpoint={endpoint ?? null} onCancel={() => onOpenChange(false)} onSaved={onSaved} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function EndpointForm({
  endpoint,
  onCancel,
  onSaved,
}: {
  endpoint: WebhookEndpoint | null;
  onCancel: () => void;
  onSaved: (saved: WebhookEndpoint | WebhookEndpointCreated) => void;
}) {
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [description, setDescription] = useState(endpoint?.description ?? "");
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? SUBSCRIBABLE);
  const { pending, formError, fieldErrors, run, clearField } = useApiSubmit();

  function toggle(type: string, on: boolean) {
    clearField("events");
    // Keep the list's order, whatever the order of clicks.
    setEvents((xs) => SUBSCRIBABLE.filter((t) => (t === type ? on : xs.includes(t))));
  }

  return (
    <form
      className="grid gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const body = { url: url.trim(), description: description.trim(), events };
          const saved = endpoint
            ? await unwrap(api.PATCH("/api/webhooks/{webhook_id}", { params: { path: { webhook_id: endpoint.id } }, body }))
            : await unwrap(api.POST("/api/webhooks", { body: { ...body, is_active: true } }));
          onSaved(saved);
        });
      }}
    >
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <FormField label="URL" hint="Eine HTTPS-Adresse Ihres Systems, z. B. https://erp.example.de/hooks/rechnungswerk" error={fieldErrors.url}>
        <Input
          type="url"
          value={url}
          onChange={(e) => {
            setUrl(e.target.value);
            clearField("url");
          }}
          placeholder="https://"
          autoFocus
          spellCheck={false}
        />
      </FormField>
      <FormField label="Beschreibung (optional)" error={fieldErrors.description}>
        <Input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} placeholder="z. B. Buchhaltung" />
      </FormField>
      <fieldset className="grid gap-2" aria-describedby={fieldErrors.events ? "events-error" : undefined}>
        <legend className="mb-1 flex w-full items-center justify-between text-sm font-medium">
          Ereignisse
          <span className="flex gap-2 text-xs font-normal">
            <button type="button" className="text-primary hover:underline" onClick={() => setEvents(SUBSCRIBABLE)}>
              alle
            </button>
            <button type="button" className="text-primary hover:underline" onClick={() => setEvents([])}>
              keine
            </button>
          </span>
        </legend>
        <div className="grid gap-1.5 sm:grid-cols-2">
          {SUBSCRIBABLE.map((type) => (
            <label key={type} className="flex items-start gap-2 rounded-md border border-border px-2.5 py-2 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring">
              <input type="checkbox" checked={events.includes(type)} onChange={(e) => toggle(type, e.target.checked)} className="mt-0.5 size-4 accent-[var(--primary)]" />
              <span className="grid">
                <span>{EVENT_LABEL[type]}</span>
                <code className="text-xs text-muted-foreground">{type}</code>
              </span>
            </label>
          ))}
        </div>
        {fieldErrors.events ? (
          <p id="events-error" className="text-[13px] font-medium text-destructive">
            {fieldErrors.events}
          </p>
        ) : null}
      </fieldset>
      <DialogFooter>
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          Abbrechen
        </Button>
        <Button type="submit" disabled={pending || events.length === 0}>
          {pending ? "Wird gespeichert …" : endpoint ? "Änderungen speichern" : "Endpunkt hinzufügen"}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** The signing secret, shown once: after this dialog only its rotation can produce a new one. */
export function SecretDialog({ secret, onClose, rotated = false }: { secret: string | null; onClose: () => void; rotated?: boolean }) {
  return (
    <Dialog open={secret !== null} onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-lg" onInteractOutside={(e) => e.preventDefault()}>
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <KeyRound aria-hidden="true" className="size-5 text-primary" />
            {rotated ? "Neuer Signaturschlüssel" : "Signaturschlüssel"}
          </DialogTitle>
          <DialogDescription>Ihr System prüft damit die Signatur jeder Zustellung (Header webhook-signature).</DialogDescription>
        </DialogHeader>
        <div className="grid gap-2">
          <code className="block break-all rounded-md border border-border bg-muted px-3 py-2.5 font-mono text-sm" data-testid="webhook-secret">
            {secret}
          </code>
          <p className="flex items-start gap-2 text-sm text-warning">
            <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            Der Schlüssel wird nur jetzt angezeigt. Kopieren Sie ihn in Ihr System; verloren gegangene Schlüssel lassen sich nur neu erzeugen.
          </p>
        </div>
        <DialogFooter>
          {secret ? <CopyButton value={secret} label="Schlüssel kopieren" /> : null}
          <Button onClick={onClose}>Fertig</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
