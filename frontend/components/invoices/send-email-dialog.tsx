"use client";
import { CircleCheck, CircleX, Loader2, Mail } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { api, unwrap } from "@/lib/api/browser";
import type { Email, Invoice } from "@/lib/api/types";
import { formatDateTime } from "@/lib/format";
import { useApiSubmit } from "@/lib/use-api-submit";

const POLL_MS = 1000;
/** After this long the dialog stops watching; the worker goes on and the page shows the result later. */
const WATCH_MS = 90_000;

type Phase = { kind: "form" } | { kind: "watching"; emailId: number; shareUrl: string; email: Email | null; gaveUp: boolean };

/**
 * "Per E-Mail senden": address (the customer's), subject ("Ihre Rechnung {number}") and an
 * optional message. The API makes or reuses the portal link and queues the e-mail; the
 * dialog then follows the e-mail (GET /api/emails/{id}) until it is sent or has failed, so
 * the seller knows it left — or why not.
 */
export function SendEmailDialog({ open, onOpenChange, invoice }: { open: boolean; onOpenChange: (open: boolean) => void; invoice: Invoice }) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ kind: "form" });
  const [to, setTo] = useState(invoice.contact?.email ?? "");
  const [subject, setSubject] = useState(`Ihre Rechnung ${invoice.number ?? ""}`.trim());
  const [message, setMessage] = useState("");
  const { pending, formError, fieldErrors, run, clearField } = useApiSubmit();
  const statusRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    // A fresh form each time it opens, pre-filled again.
    setPhase({ kind: "form" });
    setTo(invoice.contact?.email ?? "");
    setSubject(`Ihre Rechnung ${invoice.number ?? ""}`.trim());
    setMessage("");
  }, [open, invoice.contact?.email, invoice.number]);

  const watching = phase.kind === "watching" ? phase : null;
  const done = watching?.email?.status === "sent" || watching?.email?.status === "failed";

  useEffect(() => {
    if (!watching || done || watching.gaveUp) return;
    const started = Date.now();
    let stop = false;
    async function poll() {
      while (!stop) {
        try {
          const email = await unwrap(api.GET("/api/emails/{email_id}", { params: { path: { email_id: watching!.emailId } } }));
          if (stop) return;
          setPhase((p) => (p.kind === "watching" ? { ...p, email } : p));
          if (email.status === "sent" || email.status === "failed") return;
        } catch {
          /* keep trying until the deadline */
        }
        if (Date.now() - started > WATCH_MS) {
          setPhase((p) => (p.kind === "watching" ? { ...p, gaveUp: true } : p));
          return;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
    void poll();
    return () => {
      stop = true;
    };
    // Restarted only for another e-mail (or when finished), not on every status update.
  }, [watching?.emailId, done, watching?.gaveUp]);

  useEffect(() => {
    if (watching) statusRef.current?.focus();
  }, [watching?.emailId]);

  function close(o: boolean) {
    if (!o && watching) router.refresh();
    onOpenChange(o);
  }

  return (
    <Dialog open={open} onOpenChange={(o) => !pending && close(o)}>
      <DialogContent className="max-w-lg">
        {phase.kind === "form" ? (
          <form
            className="grid gap-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void run(async () => {
                const accepted = await unwrap(
                  api.POST("/api/invoices/{invoice_id}/send-email", {
                    params: { path: { invoice_id: invoice.id } },
                    body: { to: to.trim(), subject: subject.trim() || null, message: message.trim() || null },
                  }),
                );
                setPhase({ kind: "watching", emailId: accepted.email_id, shareUrl: accepted.share_url, email: null, gaveUp: false });
              });
            }}
          >
            <DialogHeader>
              <DialogTitle>Per E-Mail senden</DialogTitle>
              <DialogDescription>
                Ihr Kunde erhält einen Link ins Kundenportal: dort sieht er die Rechnung, lädt PDF und XRechnung herunter und kann die Zahlung bestätigen.
              </DialogDescription>
            </DialogHeader>
            {formError && !Object.keys(fieldErrors).length ? <FormAlert>{formError}</FormAlert> : null}
            <FormField label="An" error={fieldErrors.to} hint={invoice.contact?.email ? undefined : "Für diesen Kunden ist keine E-Mail-Adresse hinterlegt."}>
              <Input
                type="email"
                value={to}
                onChange={(e) => {
                  setTo(e.target.value);
                  clearField("to");
                }}
                autoComplete="off"
                required
              />
            </FormField>
            <FormField label="Betreff" error={fieldErrors.subject}>
              <Input value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={300} />
            </FormField>
            <FormField label="Nachricht (optional)" hint="Erscheint über dem Link in der E-Mail." error={fieldErrors.message}>
              <Textarea value={message} onChange={(e) => setMessage(e.target.value)} rows={4} maxLength={5000} />
            </FormField>
            <DialogFooter>
              <Button variant="secondary" onClick={() => close(false)} disabled={pending}>
                Abbrechen
              </Button>
              <Button type="submit" disabled={pending || !to.trim()}>
                <Mail aria-hidden="true" />
                {pending ? "Wird übergeben …" : "Senden"}
              </Button>
            </DialogFooter>
          </form>
        ) : (
          <div className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Per E-Mail senden</DialogTitle>
              <DialogDescription>An {phase.email?.to ?? to}</DialogDescription>
            </DialogHeader>
            <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" className="outline-none" data-testid="email-status" data-status={phase.email?.status ?? "queued"}>
              <EmailStatus email={phase.email} gaveUp={phase.gaveUp} />
            </div>
            <DialogFooter>
              <Button onClick={() => close(false)}>{done ? "Fertig" : "Schließen"}</Button>
            </DialogFooter>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}

function EmailStatus({ email, gaveUp }: { email: Email | null; gaveUp: boolean }) {
  if (email?.status === "sent") {
    return (
      <p className="flex items-start gap-2 rounded-md border border-success/25 bg-success-soft p-3 text-sm text-success">
        <CircleCheck aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>
          <span className="font-medium">Versendet</span>
          {email.sent_at ? ` am ${formatDateTime(email.sent_at)}` : ""}. Sie sehen im Verlauf, wann Ihr Kunde die Rechnung öffnet.
        </span>
      </p>
    );
  }
  if (email?.status === "failed") {
    return (
      <p className="flex items-start gap-2 rounded-md border border-destructive/25 bg-destructive-soft p-3 text-sm text-destructive">
        <CircleX aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>
          <span className="font-medium">Nicht versendet</span>
          {email.last_error ? `: ${email.last_error}` : "."} Prüfen Sie die Adresse und senden Sie erneut.
        </span>
      </p>
    );
  }
  const retrying = email && email.attempts > 0;
  return (
    <div className="grid gap-1 text-sm">
      <p className="flex items-center gap-2">
        <Loader2 aria-hidden="true" className="size-4 animate-spin text-muted-foreground" />
        {email?.status === "sending" ? "Wird gesendet …" : retrying ? "Wird erneut versucht …" : "In der Warteschlange …"}
      </p>
      {retrying ? (
        <p className="text-muted-foreground">
          {email.attempts}. Versuch fehlgeschlagen{email.last_error ? ` (${email.last_error})` : ""}
          {email.next_attempt_at ? `; nächster Versuch ${formatDateTime(email.next_attempt_at)}` : ""}.
        </p>
      ) : null}
      {gaveUp ? <p className="text-muted-foreground">Der Versand läuft im Hintergrund weiter; den Stand sehen Sie auf der Rechnung.</p> : null}
    </div>
  );
}
