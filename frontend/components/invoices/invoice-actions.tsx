"use client";
import { Ban, CheckCircle2, Copy, Download, FileCode2, FileText, Lock, Mail, MoreHorizontal, Pencil, RotateCcw, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { api, ApiError, unwrap } from "@/lib/api/browser";
import type { Invoice, Organization } from "@/lib/api/types";
import { formatEUR, todayInBerlin } from "@/lib/format";
import type { MissingField } from "@/lib/missing-fields";
import { MissingFields } from "./missing-fields";
import { SendEmailDialog } from "./send-email-dialog";

type DialogKind = "finalize" | "paid" | "unpaid" | "cancel" | "delete" | "email" | null;

/**
 * What can be done with the invoice in its current state, most likely next step first:
 * a draft is edited and finalized, an open invoice gets paid, a paid one can be reset.
 * Everything that cannot be undone asks first.
 */
export function InvoiceActions({ invoice, nextNumber }: { invoice: Invoice; nextNumber: Organization["next_invoice_number"] }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [missing, setMissing] = useState<MissingField[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const missingRef = useRef<HTMLDivElement>(null);
  const isDraft = invoice.status === "draft";
  const payable = invoice.status === "open" || invoice.status === "overdue";
  const id = invoice.id;
  const path = { params: { path: { invoice_id: id } } };

  useEffect(() => {
    if (missing) missingRef.current?.querySelector<HTMLElement>("section")?.focus();
  }, [missing]);

  async function act(call: () => Promise<unknown>, success: string) {
    setError(null);
    try {
      await call();
      toast({ title: success, tone: "success" });
      router.refresh();
    } catch (e) {
      const message = e instanceof ApiError ? e.message : "Das hat nicht geklappt. Bitte versuchen Sie es noch einmal.";
      toast({ title: "Nicht ausgeführt", description: message, tone: "error" });
      throw e;
    }
  }

  async function finalize() {
    setError(null);
    try {
      const done = await unwrap(api.POST("/api/invoices/{invoice_id}/finalize", path));
      setMissing(null);
      toast({ title: `Festgeschrieben als ${done.number}`, tone: "success" });
      router.refresh();
    } catch (e) {
      if (e instanceof ApiError && e.code === "einvoice_incomplete") {
        setMissing(Object.entries(e.fieldErrors).map(([field, message]) => ({ field, message })));
        setDialog(null);
        return;
      }
      setError(e instanceof ApiError ? e.message : "Das Festschreiben hat nicht geklappt.");
      throw e;
    }
  }

  const pdfHref = `/api/invoices/${id}/pdf`;
  const xmlHref = (syntax: "ubl" | "cii") => `/api/invoices/${id}/xml?syntax=${syntax}`;

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-2" data-testid="invoice-actions">
        {isDraft ? (
          <>
            <Button onClick={() => setDialog("finalize")}>
              <Lock aria-hidden="true" />
              Festschreiben
            </Button>
            <Button asChild variant="secondary">
              <Link href={`/invoices/${id}/edit`}>
                <Pencil aria-hidden="true" />
                Bearbeiten
              </Link>
            </Button>
            <Button asChild variant="secondary">
              <a href={pdfHref} target="_blank" rel="noopener">
                <FileText aria-hidden="true" />
                PDF-Vorschau
              </a>
            </Button>
          </>
        ) : (
          <>
            {/* Not sent yet: sending is the next step; once sent, waiting for the money is. */}
            {payable && !invoice.sent_at ? (
              <Button onClick={() => setDialog("email")}>
                <Mail aria-hidden="true" />
                Per E-Mail senden
              </Button>
            ) : null}
            {payable ? (
              <Button variant={invoice.sent_at ? "primary" : "secondary"} onClick={() => setDialog("paid")}>
                <CheckCircle2 aria-hidden="true" />
                Als bezahlt markieren
              </Button>
            ) : null}
            {invoice.status !== "cancelled" && (!payable || invoice.sent_at) ? (
              <Button variant="secondary" onClick={() => setDialog("email")}>
                <Mail aria-hidden="true" />
                {invoice.sent_at ? "Erneut senden" : "Per E-Mail senden"}
              </Button>
            ) : null}
            <Button asChild variant="secondary">
              <a href={`${pdfHref}?download=true`} download>
                <Download aria-hidden="true" />
                PDF
              </a>
            </Button>
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="secondary">
                  <FileCode2 aria-hidden="true" />
                  XRechnung
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent align="start" className="w-64">
                <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">XML herunterladen</DropdownMenuLabel>
                <DropdownMenuItem asChild>
                  <a href={xmlHref("ubl")} download>
                    <Download aria-hidden="true" />
                    XRechnung UBL
                  </a>
                </DropdownMenuItem>
                <DropdownMenuItem asChild>
                  <a href={xmlHref("cii")} download>
                    <Download aria-hidden="true" />
                    XRechnung CII
                  </a>
                </DropdownMenuItem>
              </DropdownMenuContent>
            </DropdownMenu>
          </>
        )}
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" size="icon" aria-label="Weitere Aktionen">
              <MoreHorizontal aria-hidden="true" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            {invoice.status === "paid" ? (
              <DropdownMenuItem onSelect={() => setDialog("unpaid")}>
                <RotateCcw aria-hidden="true" />
                Als unbezahlt markieren
              </DropdownMenuItem>
            ) : null}
            <DropdownMenuItem
              onSelect={() =>
                void act(async () => {
                  const copy = await unwrap(api.POST("/api/invoices/{invoice_id}/duplicate", path));
                  router.push(`/invoices/${copy.id}/edit`);
                }, "Als neuer Entwurf kopiert").catch(() => undefined)
              }
            >
              <Copy aria-hidden="true" />
              Duplizieren
            </DropdownMenuItem>
            {payable ? (
              <>
                <DropdownMenuSeparator />
                <DropdownMenuItem onSelect={() => setDialog("cancel")} className="text-destructive focus:text-destructive [&_svg]:text-destructive">
                  <Ban aria-hidden="true" />
                  Stornieren
                </DropdownMenuItem>
              </>
            ) : null}
            {isDraft ? (
              <>
                <DropdownMenuSeparator />
                <DropdownMenuItem onSelect={() => setDialog("delete")} className="text-destructive focus:text-destructive [&_svg]:text-destructive">
                  <Trash2 aria-hidden="true" />
                  Entwurf löschen
                </DropdownMenuItem>
              </>
            ) : null}
          </DropdownMenuContent>
        </DropdownMenu>
      </div>

      {missing && missing.length ? (
        <div ref={missingRef} role="alert">
          <MissingFields
            items={missing}
            invoiceId={id}
            contactId={invoice.contact_id}
            id="finalize-missing"
            title="Noch nicht festgeschrieben: es fehlen Angaben"
            intro="Eine XRechnung muss diese Angaben enthalten. Ergänzen Sie sie und schreiben Sie die Rechnung dann fest."
          />
        </div>
      ) : null}

      <ConfirmDialog
        open={dialog === "finalize"}
        onOpenChange={(o) => !o && setDialog(null)}
        title="Rechnung festschreiben?"
        description={
          <>
            Die Rechnung erhält die nächste Rechnungsnummer{nextNumber ? ` (${nextNumber})` : ""} und kann danach nicht mehr geändert, nur noch
            storniert werden. PDF und XRechnung werden dabei erzeugt und revisionssicher abgelegt.
          </>
        }
        confirmLabel="Festschreiben"
        onConfirm={finalize}
      >
        {error ? <p className="text-sm text-destructive">{error}</p> : null}
      </ConfirmDialog>

      {!isDraft ? <SendEmailDialog open={dialog === "email"} onOpenChange={(o) => setDialog(o ? "email" : null)} invoice={invoice} /> : null}

      <MarkPaidDialog
        open={dialog === "paid"}
        onOpenChange={(o) => !o && setDialog(null)}
        amount={invoice.gross_total}
        onSubmit={(body) => act(() => unwrap(api.POST("/api/invoices/{invoice_id}/mark-paid", { ...path, body })), "Als bezahlt markiert")}
      />

      <ConfirmDialog
        open={dialog === "unpaid"}
        onOpenChange={(o) => !o && setDialog(null)}
        title="Als unbezahlt markieren?"
        description={
          invoice.paid_confirmed_by === "customer"
            ? "Ihr Kunde hat die Zahlung im Portal bestätigt. Setzen Sie die Rechnung zurück, wenn das Geld nicht angekommen ist."
            : "Die Rechnung wird wieder als offen geführt."
        }
        confirmLabel="Als unbezahlt markieren"
        onConfirm={() => act(() => unwrap(api.POST("/api/invoices/{invoice_id}/mark-unpaid", path)), "Als unbezahlt markiert")}
      />

      <ConfirmDialog
        open={dialog === "cancel"}
        onOpenChange={(o) => !o && setDialog(null)}
        title={`Rechnung ${invoice.number ?? ""} stornieren?`}
        description="Eine stornierte Rechnung bleibt mit ihrer Nummer erhalten (lückenlose Nummerierung), gilt aber nicht mehr als Forderung. Das lässt sich nicht rückgängig machen."
        confirmLabel="Stornieren"
        destructive
        onConfirm={() => act(() => unwrap(api.POST("/api/invoices/{invoice_id}/cancel", path)), "Rechnung storniert")}
      />

      <ConfirmDialog
        open={dialog === "delete"}
        onOpenChange={(o) => !o && setDialog(null)}
        title="Entwurf löschen?"
        description="Der Entwurf wird endgültig gelöscht. Er hatte noch keine Rechnungsnummer."
        confirmLabel="Entwurf löschen"
        destructive
        onConfirm={() =>
          act(async () => {
            await unwrap(api.DELETE("/api/invoices/{invoice_id}", path));
            router.push("/invoices");
          }, "Entwurf gelöscht")
        }
      />
    </div>
  );
}

function MarkPaidDialog({
  open,
  onOpenChange,
  amount,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  amount: string;
  onSubmit: (body: { paid_on: string; reference: string | null }) => Promise<void>;
}) {
  const [pending, setPending] = useState(false);
  const [paidOn, setPaidOn] = useState(todayInBerlin());
  const [reference, setReference] = useState("");
  useEffect(() => {
    if (open) {
      setPaidOn(todayInBerlin());
      setReference("");
    }
  }, [open]);
  return (
    <Dialog open={open} onOpenChange={(o) => !pending && onOpenChange(o)}>
      <DialogContent className="max-w-md">
        <form
          className="grid gap-4"
          onSubmit={async (e) => {
            e.preventDefault();
            setPending(true);
            try {
              await onSubmit({ paid_on: paidOn, reference: reference.trim() || null });
              onOpenChange(false);
            } catch {
              /* toast shown */
            } finally {
              setPending(false);
            }
          }}
        >
          <DialogHeader>
            <DialogTitle>Zahlungseingang erfassen</DialogTitle>
            <DialogDescription>{formatEUR(amount)} als vollständig bezahlt markieren.</DialogDescription>
          </DialogHeader>
          <FormField label="Zahlungseingang am">
            <Input type="date" value={paidOn} max={todayInBerlin()} onChange={(e) => setPaidOn(e.target.value)} required />
          </FormField>
          <FormField label="Referenz (optional)" hint="z. B. Buchungstext oder Kontoauszug">
            <Input value={reference} onChange={(e) => setReference(e.target.value)} maxLength={200} />
          </FormField>
          <DialogFooter>
            <Button variant="secondary" onClick={() => onOpenChange(false)} disabled={pending}>
              Abbrechen
            </Button>
            <Button type="submit" disabled={pending || !paidOn}>
              {pending ? "Wird gespeichert …" : "Als bezahlt markieren"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
